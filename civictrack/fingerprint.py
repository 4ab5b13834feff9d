"""A fingerprint of everything a build reads, for the no-op fast path.

If the fingerprint of the inputs (data, content, templates, settings, the generator's own
code, the versions of the libraries that shape the output, the build options and
SOURCE_DATE_EPOCH) equals the one recorded by the last build of the same output folder,
and that folder still holds every file it wrote, the build has nothing to do.  This module
imports nothing heavy, so the check costs little more than reading the input files.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path

PACKAGES = ("pydantic", "Jinja2", "markdown-it-py", "PyYAML", "altair", "vl-convert-python", "pagefind")


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def inputs_fingerprint(root: Path, options: dict[str, object]) -> str:
    """One hash over every input of a build of ``root`` with these options."""
    code = Path(__file__).resolve().parent
    templates = root / "templates" if (root / "templates").is_dir() else code.parent / "templates"
    digest = hashlib.blake2b(digest_size=20)
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    for package in PACKAGES:
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=none".encode())
    groups = [("code", code, _files(code)), ("templates", templates, _files(templates))]
    for name in ("data", "content"):
        groups.append((name, root / name, _files(root / name)))
    for name in ("site.yaml", "published-urls.txt"):
        groups.append((name, root, [root / name] if (root / name).is_file() else []))
    for label, base, files in groups:
        digest.update(label.encode())
        for path in files:
            digest.update(str(path.relative_to(base)).encode() + b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()
