"""A fingerprint of everything a build reads, for the no-op fast path and the page cache.

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
from dataclasses import dataclass
from pathlib import Path

from xxhash import xxh3_128_digest, xxh3_128_hexdigest

from civictrack import PACKAGE_DIR
from civictrack.resources import template_folders
from civictrack.speed.versions import installed

# the libraries that shape the output: (import name, distribution name); pagefind_bin*: the
# search indexer itself
PACKAGES = (("pydantic", "pydantic"), ("pydantic_core", "pydantic_core"), ("jinja2", "Jinja2"),
            ("markupsafe", "MarkupSafe"), ("markdown_it", "markdown-it-py"), ("yaml", "PyYAML"),
            ("altair", "altair"), ("vl_convert", "vl-convert-python"), ("pagefind", "pagefind"),
            ("pagefind_bin", "pagefind_bin"), ("pagefind_bin_extended", "pagefind_bin_extended"),
            ("babel", "Babel"))


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


@dataclass(frozen=True)
class Inputs:
    """What a build reads, hashed: ``whole`` covers everything (the no-op check); ``context``
    everything but the item files, and ``items`` each item file (``data/items/...``) on its
    own, so the rendered-page cache can tell which items an edit touched (``speed.pagecache``)."""

    whole: str
    context: str
    items: dict[str, str]


def inputs_fingerprint(root: Path, options: dict[str, object]) -> str:
    """One hash over every input of a build of ``root`` with these options."""
    return read_inputs(root, options).whole


def read_inputs(root: Path, options: dict[str, object]) -> Inputs:
    """The hashes of every input of a build of ``root`` with these options (see ``Inputs``)."""
    code = PACKAGE_DIR
    whole = hashlib.blake2b(digest_size=20)
    context = hashlib.blake2b(digest_size=20)
    items: dict[str, str] = {}

    def both(chunk: bytes) -> None:
        whole.update(chunk)
        context.update(chunk)

    both(json.dumps(options, sort_keys=True, default=str).encode())
    both(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    for module, distribution in PACKAGES:
        both(f"{distribution}={installed(module, distribution)}".encode())
    groups = [("code", code, _files(code))]
    groups += [("templates", folder, _files(folder)) for folder in template_folders(root)]
    for name in ("data", "content"):
        groups.append((name, root / name, _files(root / name)))
    for name in ("site.yaml", "published-urls.txt"):
        groups.append((name, root, [name] if (root / name).is_file() else []))
    for label, base, files in groups:
        both(label.encode())
        folder = str(base) + "/"
        for name in files:
            with open(folder + name, "rb") as handle:
                content = handle.read()
            if label == "code" and name.endswith(".ttc"):  # the charts' font, 5 MB: its digest, 100x quicker
                content = xxh3_128_digest(content)
            whole.update(name.encode() + b"\0")
            whole.update(content)
            whole.update(b"\0")
            if label == "data" and name.startswith("items/"):
                items[name] = xxh3_128_hexdigest(content)
            else:
                context.update(name.encode() + b"\0" + content + b"\0")
    return Inputs(whole.hexdigest(), context.hexdigest(), items)
