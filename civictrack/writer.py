"""Collect every output first, then write the site atomically.

:class:`Output` refuses a path twice (an id clash would otherwise overwrite a page
silently).  :func:`write_site` writes into a fresh sibling folder and swaps it in,
so a failed build never leaves a half-written ``site/``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath


class DuplicateOutput(Exception):
    """Two parts of the build produced the same output path."""


class Output:
    """An ordered ``{relative path: bytes}`` map that refuses duplicates and unsafe paths."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def add(self, path: str, content: bytes | str) -> None:
        pure = PurePosixPath(path)
        if pure.is_absolute() or ".." in pure.parts or not path or path.endswith("/"):
            raise ValueError(f"unsafe output path {path!r}")
        if path in self.files:
            raise DuplicateOutput(f"two outputs want the path {path}")
        self.files[path] = content.encode("utf-8") if isinstance(content, str) else content


def write_site(output: Output, out_dir: Path, finish: Callable[[Path], None] | None = None) -> None:
    """Write all files to a temporary sibling of ``out_dir``, then swap it into place.

    ``finish(staging)`` runs on the complete new folder before the swap (the search index is
    made there); if it raises, nothing is swapped and the old site stays."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        for path in sorted(output.files):
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(output.files[path])
        if finish is not None:
            finish(staging)
        os.chmod(staging, 0o755)
        old = None
        if out_dir.exists():
            old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
            os.replace(out_dir, old)
        os.replace(staging, out_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
