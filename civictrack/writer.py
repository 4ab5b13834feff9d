"""Collect every output first, then write the site atomically.

:class:`Output` refuses a path twice (an id clash would otherwise overwrite a page
silently).  :func:`write_site` writes into a fresh sibling folder and swaps it in,
so a failed build never leaves a half-written ``site/``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
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

    def replace(self, path: str, content: bytes | str) -> None:
        """Set a path that may already be present (incremental rebuilds start from the last output)."""
        self.files.pop(path, None)
        self.add(path, content)


@dataclass
class WriteStats:
    written: int = 0  # files whose bytes changed (or are new)
    linked: int = 0  # unchanged files, hard-linked from the previous site instead of rewritten


def _manifest_path(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.manifest.json"


def _read_manifest(out_dir: Path) -> dict:
    try:
        return json.loads(_manifest_path(out_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def is_current(out_dir: Path, fingerprint: str) -> bool:
    """True if ``out_dir`` was built from inputs with this fingerprint and still holds every file."""
    out_dir = out_dir.resolve()
    manifest = _read_manifest(out_dir)
    if manifest.get("inputs") != fingerprint or not out_dir.is_dir():
        return False
    return all((out_dir / path).is_file() for path in manifest.get("files", {})) and \
        all((out_dir / path).is_dir() for path in manifest.get("folders", []))


def write_site(output: Output, out_dir: Path, finish: Callable[[Path], None] | None = None,
               fingerprint: str = "") -> WriteStats:
    """Write all files to a temporary sibling of ``out_dir``, then swap it into place.

    Files whose bytes equal the previous build's (per its manifest) are hard-linked from the
    old folder rather than written again, so they keep their identity and time stamps.
    ``finish(staging)`` runs on the complete new folder before the swap (the search index is
    made there); if it raises, nothing is swapped and the old site stays."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    previous = _read_manifest(out_dir).get("files", {}) if out_dir.is_dir() else {}
    digests: dict[str, str] = {}
    stats = WriteStats()
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    made: set[Path] = set()
    try:
        for path in sorted(output.files):
            content = output.files[path]
            digest = digests[path] = hashlib.blake2b(content, digest_size=16).hexdigest()
            target = staging / path
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            if previous.get(path) == digest:
                try:
                    os.link(out_dir / path, target)
                    stats.linked += 1
                    continue
                except OSError:
                    pass
            target.write_bytes(content)
            stats.written += 1
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
    folders = sorted(p.name for p in out_dir.iterdir() if p.is_dir() and not any(
        name.startswith(p.name + "/") for name in output.files))
    manifest = {"inputs": fingerprint, "files": digests, "folders": folders}
    tmp = _manifest_path(out_dir).with_suffix(".tmp")
    tmp.write_text(json.dumps(manifest, separators=(",", ":")), encoding="utf-8")
    os.replace(tmp, _manifest_path(out_dir))
    return stats
