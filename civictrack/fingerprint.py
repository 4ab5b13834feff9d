"""A fingerprint of everything a build reads, for the no-op fast path.

If the fingerprint of the inputs (data, content, templates, settings, the generator's own
code, the installed copies of the libraries that shape the output, the build options and
SOURCE_DATE_EPOCH) equals the one recorded by the last build of the same output folder,
and that folder still holds every file it wrote, the build has nothing to do.  This module
imports nothing heavy, so the check costs little more than reading the input files.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib.util import find_spec
from pathlib import Path

# the libraries that shape the output, by import name (pagefind_bin*: the search indexer itself)
PACKAGES = ("pydantic", "pydantic_core", "jinja2", "markupsafe", "markdown_it", "yaml", "altair", "vl_convert",
            "pagefind", "pagefind_bin", "pagefind_bin_extended")


def _installed(package: str) -> str:
    """Which copy of ``package`` is installed: its ``__init__`` file's path, size and time
    (written anew by every install or upgrade).  Asking importlib.metadata for the version
    instead cost 50 ms of every build (its import and a scan of site-packages per name)."""
    try:
        spec = find_spec(package)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.origin:
        return f"{package}=none"
    try:
        stat = os.stat(spec.origin)
    except OSError:
        return f"{package}=none"
    return f"{package}={spec.origin}:{stat.st_size}:{stat.st_mtime_ns}"


def _files(folder: Path) -> list[str]:
    """Every file under ``folder`` (symbolic links followed, ``__pycache__`` skipped), as paths
    relative to it, sorted.  Plain strings and ``os.scandir``: pathlib's rglob, sorting and
    relative_to took most of the fingerprint's time at N = 1,000 (1,000 data files)."""
    found: list[str] = []

    def walk(path: str, prefix: str) -> None:
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir():
                    if entry.name != "__pycache__":
                        walk(entry.path, prefix + entry.name + "/")
                elif entry.is_file():
                    found.append(prefix + entry.name)

    if folder.is_dir():
        walk(str(folder), "")
    return sorted(found)


def inputs_fingerprint(root: Path, options: dict[str, object]) -> str:
    """One hash over every input of a build of ``root`` with these options."""
    code = Path(__file__).resolve().parent
    templates = root / "templates" if (root / "templates").is_dir() else code.parent / "templates"
    digest = hashlib.blake2b(digest_size=20)
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    for package in PACKAGES:
        digest.update(_installed(package).encode())
    groups = [("code", code, _files(code)), ("templates", templates, _files(templates))]
    for name in ("data", "content"):
        groups.append((name, root / name, _files(root / name)))
    for name in ("site.yaml", "published-urls.txt"):
        groups.append((name, root, [name] if (root / name).is_file() else []))
    for label, base, files in groups:
        digest.update(label.encode())
        folder = str(base) + "/"
        for name in files:
            digest.update(name.encode() + b"\0")
            with open(folder + name, "rb") as handle:
                digest.update(handle.read())
            digest.update(b"\0")
    return digest.hexdigest()
