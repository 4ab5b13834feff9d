"""Where a project's build caches live: ``$CIVICTRACK_CACHE``, else ``<root>/.cache/charts``.

The folder holds rendered charts, rendered Markdown, parsed data files, compiled templates
(``jinja/``) and the last build's validated data set (``dataset.pickle``, see ``datacache``);
deleting it is always safe.  ``CIVICTRACK_CACHE=off`` builds without any of them.

Compiled templates and the pickled data set are Python code and objects the build runs and
loads: trust the folder as you trust the project's own code (never restore it from an
untrusted source, such as another fork's CI cache)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def cache_dir(root: Path) -> Path | None:
    value = os.environ.get("CIVICTRACK_CACHE")
    if value == "off":
        return None
    return Path(value) if value else root / ".cache" / "charts"


def write_atomic(path: Path, content: bytes) -> None:
    """Replace ``path`` with ``content`` by renaming a new file over it: a reader never sees it
    half-written, and a write cut short (an interrupted build) leaves no temporary file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    done = False
    try:
        with open(tmp, "wb") as handle:
            handle.write(content)
        os.replace(tmp, path)
        done = True
    finally:
        if not done:
            tmp.unlink(missing_ok=True)


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
