"""Where a project's build caches live: ``$CIVICTRACK_CACHE``, else ``<root>/.cache/charts``.

The folder holds rendered charts, rendered Markdown, parsed data files, compiled templates
(``jinja/``) and the last build's validated data set (``dataset.pickle``, see ``datacache``);
deleting it is always safe.  ``CIVICTRACK_CACHE=off`` builds without any of them.

Compiled templates and the pickled data set are Python code and objects the build runs and
loads: trust the folder as you trust the project's own code (never restore it from an
untrusted source, such as another fork's CI cache)."""

from __future__ import annotations

import mmap
import os
from dataclasses import dataclass
from pathlib import Path

from civictrack.diskfull import WORDS, DiskFull, as_full


def cache_dir(root: Path) -> Path | None:
    value = os.environ.get("CIVICTRACK_CACHE")
    if value == "off":
        return None
    return Path(value) if value else root / ".cache" / "charts"


def write_atomic(path: Path, content: bytes) -> None:
    """Replace ``path`` with ``content`` by renaming a new file over it: a reader never sees it
    half-written, and a write cut short (an interrupted build, a full disk) leaves no temporary
    file.  A full disk is noted (:func:`note_unsaved`, before the temporary file goes) and its
    ``OSError`` raised: the caller goes on without the cached file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    done = False
    try:
        with open(tmp, "wb") as handle:
            handle.write(content)
        os.replace(tmp, path)
        done = True
    except OSError as error:
        note_unsaved(error, path.parent)
        raise
    finally:
        if not done:
            tmp.unlink(missing_ok=True)


# Why a cache file could not be saved: one byte in memory shared with every process forked
# after this import (render workers, the data-set writer), 0 while nothing was skipped.
_CODES = tuple(WORDS)  # code n + 1 is _CODES[n]
_UNSAVED = mmap.mmap(-1, 1)


def note_unsaved(error: BaseException, folder: str | Path) -> bool:
    """If ``error`` is a full disk's (ENOSPC, EDQUOT): note what ran out (the first time; read
    from the file system now, so call this before removing anything) and return True.  The
    cache file is then simply not saved: the cache is never needed for a correct site, and the
    command prints one warning at its end (:func:`unsaved_warning`)."""
    full = as_full(error, folder)
    if full is None:
        return False
    note_code(_CODES.index(full.what) + 1)
    return True


def note_code(code: int) -> None:
    """Note an ``unsaved_code()`` from another process (a spawned worker shares no memory)."""
    if code and not _UNSAVED[0]:
        _UNSAVED[0] = code


def unsaved_code() -> int:
    """0, or what ran out when a cache file could not be saved (for :func:`note_code`)."""
    return _UNSAVED[0]


def forget_unsaved() -> None:
    """Start a command with nothing noted."""
    _UNSAVED[0] = 0


def unsaved_warning(cache: Path | None, shown: str | None = None) -> str | None:
    """The one warning line for a command that ran while the cache could not be saved, or None."""
    code = _UNSAVED[0]
    if not code or cache is None:
        return None
    full = DiskFull(str(cache), _CODES[code - 1])
    return (f"warning: {full.on(f'the build cache {shown or cache}')}, so the cache was not saved in full; "
            f"nothing else is affected (the next build may take longer)")


@dataclass(frozen=True)
class FileRef:
    """An output whose bytes already sit in a file (a cached chart): the writer hard-links it
    (or copies it across file systems) instead of reading and writing it.  ``digest`` names
    the content (the cache key), so equal digests mean equal bytes."""

    path: str | Path
    digest: str

    def read(self) -> bytes:
        return Path(self.path).read_bytes()

    def manifest_digest(self) -> str:
        """What the output's manifest records for this file."""
        return "ref-" + self.digest


@dataclass(frozen=True)
class KeptFile(FileRef):
    """A file of an earlier build kept in the page cache (``speed.pagecache``): ``digest`` is
    the one that build's manifest recorded."""

    def manifest_digest(self) -> str:
        return self.digest
