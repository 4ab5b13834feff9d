"""Collect every output first, then write the site atomically.

:class:`Output` refuses a path twice (an id clash would otherwise overwrite a page
silently).  :func:`write_site` writes into a fresh sibling folder and swaps it in,
so a failed build never leaves a half-written ``site/``; a full disk raises
:class:`~civictrack.diskfull.DiskFull` naming the output folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from collections.abc import Callable
from pathlib import Path

from xxhash import xxh3_128_hexdigest

from civictrack.diskfull import DiskFull, as_full
from civictrack.interrupts import checkpoint, held, shielded
from civictrack.speed.cachedir import FileRef
from civictrack.publish.outdir import MANIFEST, legacy_manifest_path, manifest_text, read_manifest


Content = bytes | FileRef


def digest_of(content: Content) -> str:
    """A content digest for the manifest and change detection: XXH3, 128 bits (a 35 KB page
    in about 1 µs; BLAKE2b took 57 µs here, for 8,000 pages and twins at N = 1,000)."""
    if isinstance(content, FileRef):
        return content.manifest_digest()
    return xxh3_128_hexdigest(content)


def write_file(target: Path, content: Content) -> None:
    """Write one output file by renaming a new file over it: readers (a browser on the
    preview) never see it missing or half-written, and an existing file, which may be a hard
    link to a cached chart, is replaced, never written through."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    _create(tmp, content)
    os.replace(tmp, target)


def _create(path: str | Path, content: Content) -> None:
    """Make a file that does not exist yet: a hard link to a cached file (a copy across file
    systems), or the bytes (plain os calls: a big site makes tens of thousands of files)."""
    if isinstance(content, FileRef):
        try:
            os.link(content.path, path)
        except OSError:
            shutil.copyfile(content.path, path)
        return
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
    try:
        done = os.write(handle, content)
        while done < len(content):  # a short write
            done += os.write(handle, memoryview(content)[done:])
    finally:
        os.close(handle)


class DuplicateOutput(ValueError):
    """Two outputs want one path (an id clash would otherwise overwrite a page silently)."""


WRITTEN = FileRef(Path(), "written")  # marks a file already handed to the output's sink


class Output:
    """An ordered ``{relative path: bytes}`` map that refuses duplicates and unsafe paths.

    With a ``sink`` (a :class:`SiteWriter`), each file goes to it as soon as it is added and
    only the marker ``WRITTEN`` stays in memory."""

    def __init__(self, sink: "SiteWriter | None" = None) -> None:
        self.files: dict[str, Content] = {}
        self.sink = sink
        self.replaced: set[str] = set()  # paths set by ``replace`` (an incremental build's new files)

    def _check(self, path: str) -> None:
        # plain string tests (a PurePosixPath a file cost 10 µs): relative, no "..", a file name
        if not path or path[0] == "/" or path[-1] == "/" or ".." in path.split("/"):
            raise ValueError(f"unsafe output path {path!r}")
        if path in self.files:
            raise DuplicateOutput(f"two outputs want the path {path}")

    def add(self, path: str, content: Content | str) -> None:
        self._check(path)
        data = content.encode("utf-8") if isinstance(content, str) else content
        if self.sink is not None:
            self.sink.put(path, data)
            data = WRITTEN
        self.files[path] = data

    def add_placed(self, path: str, digest: str, linked: bool) -> None:
        """A file a worker already put into the sink's staging folder (``SiteWriter.place``)."""
        self._check(path)
        assert self.sink is not None
        self.sink.record(path, digest, linked)
        self.files[path] = WRITTEN

    def replace(self, path: str, content: Content | str) -> None:
        """Set a path that may already be present (incremental rebuilds start from the last output)."""
        if self.sink is not None:
            raise ValueError("an output with a sink cannot replace files")
        self.files.pop(path, None)
        self.add(path, content)
        self.replaced.add(path)


@dataclass
class WriteStats:
    written: int = 0  # files whose bytes changed (or are new)
    linked: int = 0  # unchanged files, hard-linked from the previous site instead of rewritten


def is_current(out_dir: Path, fingerprint: str) -> bool:
    """True if ``out_dir`` was built from inputs with this fingerprint and still holds every file."""
    out_dir = out_dir.resolve()
    if not out_dir.is_dir():  # before reading the manifest: 170,000 entries at N = 10,000
        return False
    manifest = read_manifest(out_dir, legacy=False)
    if manifest.get("inputs") != fingerprint:
        return False
    return all((out_dir / path).is_file() for path in manifest.get("files", {})) and \
        all((out_dir / path).is_dir() for path in manifest.get("folders", []))


class SiteWriter:
    """Writes a site into a fresh sibling folder of ``out_dir`` as files arrive, then swaps it in.

    Pages can be handed over as soon as they are rendered (``Output(sink=writer)``), so a big
    site never sits in memory whole.  Files whose bytes equal the previous build's (per its
    manifest) are hard-linked from the old folder rather than written again, so they keep their
    identity and time stamps.  Nothing is visible in ``out_dir`` until :meth:`commit`."""

    def __init__(self, out_dir: Path, fingerprint: str = "") -> None:
        self.out_dir = out_dir.resolve()
        self.fingerprint = fingerprint
        self.previous = read_manifest(self.out_dir).get("files", {}) if self.out_dir.is_dir() else {}
        self.digests: dict[str, str] = {}
        self.stats = WriteStats()
        self.committed = False  # the new site is in place
        self._old: Path | None = None  # the previous site, moved aside during the swap
        try:
            self.out_dir.parent.mkdir(parents=True, exist_ok=True)
            self.staging = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.new-", dir=self.out_dir.parent))
        except OSError as error:
            self._raise_if_full(error)
            raise
        self._staging = str(self.staging) + "/"
        self._previous_dir = str(self.out_dir) + "/"
        self._made: set[str] = {""}

    def _raise_if_full(self, error: BaseException) -> None:
        """Raise :class:`DiskFull` naming the output folder if ``error`` is a full disk's (what ran
        out is read now, while the staging folder still holds what filled the device)."""
        full = as_full(error, self.out_dir.parent)
        if full is not None:
            raise DiskFull(str(self.out_dir), full.what) from None

    def put(self, path: str, content: Content) -> None:
        self.record(path, *self.place(path, content))

    def place(self, path: str, content: Content) -> tuple[str, bool]:
        """Put one file into the staging folder; return its digest and whether it was linked
        from the previous build.  Safe to call from forked workers (see ``record``).  A full
        disk raises :class:`DiskFull` (picklable: a worker's reaches the build)."""
        # plain strings and os calls: a big site places tens of thousands of files
        digest = digest_of(content)
        target = self._staging + path
        folder = path.rpartition("/")[0]
        try:
            if folder not in self._made:
                try:  # mostly a page's own folder in one that exists: half of makedirs' cost
                    os.mkdir(self._staging + folder)
                except OSError:
                    os.makedirs(self._staging + folder, exist_ok=True)
                self._made.add(folder)
            if self.previous.get(path) == digest:
                try:
                    os.link(self._previous_dir + path, target)
                    return digest, True
                except OSError:
                    pass
            _create(target, content)  # a fresh staging folder: nothing to replace
        except OSError as error:
            self._raise_if_full(error)
            raise
        return digest, False

    def record(self, path: str, digest: str, linked: bool) -> None:
        """Note a file placed (here or by a worker process) for the manifest and the counts."""
        self.digests[path] = digest
        if linked:
            self.stats.linked += 1
        else:
            self.stats.written += 1

    def commit(self, paths: list[str], finish: Callable[[Path], None] | None = None) -> WriteStats:
        """Run ``finish(staging)`` (the search index), write the manifest into the new folder,
        swap it in (both renames or neither, even if interrupted) and remove the previous site.
        If ``finish`` raises, nothing is swapped and the old site stays."""
        try:
            if finish is not None:
                finish(self.staging)
            checkpoint()  # an interruption Python could not raise where it came: not swapped in
            tops = {path.split("/", 1)[0] for path in paths if "/" in path}
            folders = [p.name for p in self.staging.iterdir() if p.is_dir() and p.name not in tops]
            try:
                (self.staging / MANIFEST).write_text(manifest_text(self.fingerprint, self.digests, folders),
                                                     encoding="utf-8")
            except OSError as error:
                self._raise_if_full(error)
                raise
            os.chmod(self.staging, 0o755)
            with shielded():
                if self.out_dir.exists():
                    self._old = self.out_dir.parent / f".{self.out_dir.name}.old-{os.getpid()}"
                    os.replace(self.out_dir, self._old)
                try:
                    os.replace(self.staging, self.out_dir)
                except OSError:
                    if self._old is not None:  # put the previous site back
                        os.replace(self._old, self.out_dir)
                        self._old = None
                    raise
                self.committed = True
            legacy_manifest_path(self.out_dir).unlink(missing_ok=True)  # an earlier version's, beside
            self._remove_old()
        except BaseException:
            self.abort()
            raise
        return self.stats

    def _remove_old(self) -> None:
        if self._old is not None:
            shutil.rmtree(self._old, ignore_errors=True)
            self._old = None

    def abort(self) -> None:
        """Remove what this writer made and left (the staging folder; the previous site moved
        aside, once the new one is in place).  Signals wait until it is done."""
        with held():
            if not self.committed:
                shutil.rmtree(self.staging, ignore_errors=True)
            self._remove_old()


def write_site(output: Output, out_dir: Path, finish: Callable[[Path], None] | None = None,
               fingerprint: str = "", writer: SiteWriter | None = None) -> WriteStats:
    """Write every file of ``output`` not yet handed to ``writer`` and swap the site in (see
    :class:`SiteWriter`; ``finish`` runs on the complete new folder before the swap)."""
    writer = writer or SiteWriter(out_dir, fingerprint)
    try:
        for path in sorted(output.files):
            content = output.files[path]
            if content is not WRITTEN:
                writer.put(path, content)
    except BaseException:
        writer.abort()
        raise
    return writer.commit(list(output.files), finish)
