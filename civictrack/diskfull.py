"""A full disk: one line naming the folder and what ran out, never a traceback or a half-written file.

A write that fails with ENOSPC says the device has no room left, not which kind of room: bytes,
or inodes (a file system holds as many files as its inode table has entries; a tmpfs or an ext4
image with many small files runs out of those first, with space to spare).  :func:`ran_out`
asks the file system with ``statvfs`` *at once*, before the failed write's temporary files are
removed: no inode free for an ordinary user (``f_favail``) is inodes, anything else is space
(``f_bavail``; on ext4 root still has its reserved blocks when users have none, so a full disk
is one where ``f_bavail`` is 0).  EDQUOT is a user's quota, whatever the device holds.

:class:`DiskFull` carries the folder and what ran out; it is a plain exception (not an
``OSError``, so no ``except OSError`` meant for another failure swallows it) and pickles, so a
render worker's reaches the build.  :func:`replace_files` writes a set of files all or nothing,
for the commands that write into the project (``draft``, ``schema``, ``urls``, ``review``).
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT)

WORDS = {"space": "no space left", "inodes": "no inodes left", "both": "no space and no inodes left",
         "quota": "disk quota exceeded"}
"""What ran out, as the one line says it."""

HINTS = {"inodes": " (it can take no more files, however small)"}
"""What the line adds after the folder, where the words need it."""


class DiskFull(Exception):
    """A write into ``folder`` failed because the device holding it is full (``what``: a key
    of :data:`WORDS`)."""

    def __init__(self, folder: str, what: str) -> None:
        super().__init__(folder, what)
        self.folder = folder
        self.what = what

    @property
    def ran_out(self) -> str:
        return WORDS.get(self.what, WORDS["space"])

    def on(self, shown: str | None = None) -> str:
        """``no space left on the device holding <folder>``, the folder shown as ``shown``."""
        return f"{self.ran_out} on the device holding {shown or self.folder}{HINTS.get(self.what, '')}"

    def __str__(self) -> str:
        return self.on()


def is_full(error: BaseException) -> bool:
    """Whether ``error`` is a write that failed for want of room (ENOSPC, EDQUOT)."""
    return isinstance(error, OSError) and error.errno in FULL_ERRNOS


def _statvfs(folder: str | Path) -> os.statvfs_result | None:
    """``statvfs`` of ``folder``, or of the nearest folder above it that exists."""
    path = os.path.abspath(folder)
    while True:
        try:
            return os.statvfs(path)
        except (FileNotFoundError, NotADirectoryError):
            parent = os.path.dirname(path)
            if parent == path:
                return None
            path = parent
        except OSError:
            return None


def exhausted(folder: str | Path) -> str | None:
    """What has run out on the device holding ``folder`` now (``space``, ``inodes`` or
    ``both``), or None while there is room of both kinds."""
    st = _statvfs(folder)
    if st is None:
        return None
    no_space = st.f_blocks > 0 and st.f_bavail == 0
    no_inodes = st.f_files > 0 and st.f_favail == 0  # f_files 0: the file system does not count them
    if no_space and no_inodes:
        return "both"
    return "space" if no_space else "inodes" if no_inodes else None


def ran_out(folder: str | Path) -> str:
    """After a write into ``folder`` failed with ENOSPC: ``inodes`` if none is free, ``both`` if
    no block is either, else ``space`` (what ENOSPC means unless the inodes are gone)."""
    found = exhausted(folder)
    return found if found in ("inodes", "both") else "space"


def as_full(error: BaseException, folder: str | Path) -> DiskFull | None:
    """``error`` as a :class:`DiskFull` naming ``folder`` if it is a full disk's, else None.
    Call it as soon as the write failed: what ran out is read from the file system then."""
    if not is_full(error):
        return None
    assert isinstance(error, OSError)
    return DiskFull(str(folder), "quota" if error.errno == errno.EDQUOT else ran_out(folder))


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _place_new(tmp: Path, path: Path) -> None:
    """Rename ``tmp`` to ``path``, which must not exist: by a hard link, which refuses an
    existing name (where the file system has none, a check just before the rename)."""
    try:
        os.link(tmp, path)
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        if path.exists():
            raise FileExistsError(errno.EEXIST, "File exists", str(path)) from None
        os.replace(tmp, path)
        return
    os.unlink(tmp)


def replace_files(contents: dict[Path, str | bytes], new: set[Path] | frozenset[Path] = frozenset()) -> None:
    """Write every file of ``contents`` or none: each goes into a temporary file beside it
    first, and only when all are written are they renamed into place (renaming needs no room).
    The paths in ``new`` must not exist: they are linked into place, never over a file that
    appeared meanwhile (:class:`FileExistsError`).  Folders are made as needed and removed
    again if nothing was written.  A full disk raises :class:`DiskFull` naming the folder of
    the file that did not fit; any other failure its ``OSError``; either way the files are as
    they were."""
    contents = {(path.resolve() if path.is_symlink() else path): content for path, content in contents.items()}
    made: list[Path] = []  # folders this call created, outermost first
    written: dict[Path, Path] = {}  # final path → its temporary file
    placed: list[Path] = []  # new files already in place
    folder = Path(".")
    try:
        for path, content in contents.items():
            folder = path.parent
            missing = [p for p in (folder, *folder.parents) if not p.exists()]
            for part in reversed(missing):
                part.mkdir()
                made.append(part)
            tmp = _temporary(path)
            tmp.unlink(missing_ok=True)
            written[path] = tmp
            data = content.encode("utf-8") if isinstance(content, str) else content
            with open(tmp, "xb") as handle:
                handle.write(data)
            if path.exists() and path not in new:
                shutil.copymode(path, tmp)  # a replaced file keeps its permissions
        for path in [p for p in written if p in new] + [p for p in written if p not in new]:
            folder = path.parent
            if path in new:
                _place_new(written[path], path)
                placed.append(path)
                written.pop(path)
            else:
                os.replace(written.pop(path), path)
    except BaseException as error:
        full = as_full(error, folder)  # before anything is removed
        for tmp in written.values():
            tmp.unlink(missing_ok=True)
        for path in placed:
            path.unlink(missing_ok=True)
        for part in reversed(made):
            try:
                part.rmdir()
            except OSError:
                pass
        if full is not None:
            raise full from None
        raise
