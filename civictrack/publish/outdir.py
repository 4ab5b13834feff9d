"""Which folder a build may replace, and the manifest that marks a folder as a build's own.

A build writes the new site into a staging folder beside its output folder and swaps it in
(``publish.writer``), so the output folder is replaced whole.  It replaces a folder only when the
folder is provably its own (:func:`check_output`):

* it does not exist, or is empty, or
* it holds the manifest of an earlier build (:data:`MANIFEST`, inside the folder) and no
  file that build did not write.

Whatever a manifest says, it is never the project folder or a folder that contains it, nor
the project's sources (``site.yaml``, ``data/``, ``content/``, ``templates/``, ``.git``,
``published-urls.txt``), the generator's code or templates or the build cache, nor a folder
that contains any of them or lies inside one of them; and never a file.  Every refusal
comes before any work and names the folder, why, and what to do instead.

The manifest records the inputs' fingerprint (``speed.fingerprint``), the digest of every file
the build wrote, and the folders made whole by another tool (Pagefind's ``pagefind/``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from civictrack import PACKAGE_DIR
from civictrack.resources import DEFAULT_TEMPLATES

MANIFEST = ".civictrack-manifest.json"
"""Written into the output folder by every build: the mark of a folder a build made."""

GENERATOR = "civictrack"

SOURCES = ("site.yaml", "data", "content", "templates", ".git", "published-urls.txt")
"""The project's own files and folders a build reads (or, for ``.git``, its history)."""


class RefusedOutput(Exception):
    """The output folder is not one a build may replace; the message says why and what to do."""


def legacy_manifest_path(folder: Path) -> Path:
    """Where builds before the manifest moved inside kept it: beside the folder."""
    return folder.parent / f".{folder.name}.manifest.json"


def _is_manifest(value: object) -> bool:
    return (isinstance(value, dict) and isinstance(value.get("inputs"), str)
            and isinstance(value.get("files"), dict) and value.get("generator", GENERATOR) == GENERATOR)


def read_manifest(folder: Path, legacy: bool = True) -> dict:
    """The manifest of the build that made ``folder``, or ``{}``: the one inside it, else (with
    ``legacy``) one beside it from a build of an earlier version of civictrack."""
    places = [folder / MANIFEST] + ([legacy_manifest_path(folder)] if legacy else [])
    for path in places:
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if _is_manifest(value):
            return value
    return {}


def manifest_text(fingerprint: str, digests: dict[str, str], folders: list[str]) -> str:
    return json.dumps({"generator": GENERATOR, "inputs": fingerprint, "files": dict(sorted(digests.items())),
                       "folders": sorted(folders)}, separators=(",", ":"))


def _inside(path: Path, folder: Path) -> bool:
    """``path`` is ``folder`` or lies inside it (both resolved)."""
    return path == folder or folder in path.parents


def _protected(root: Path, cache: Path | None) -> list[tuple[Path, str, bool]]:
    """(resolved path, what it is, whether a folder inside it is refused too)."""
    code = PACKAGE_DIR
    found = [(root.resolve(), "the project folder", False)]
    found += [((root / name).resolve(), f"the project's {name}" + ("/" if "." not in name[1:] else ""), True)
              for name in SOURCES]
    found += [(code, "the generator's code", True), (DEFAULT_TEMPLATES, "the generator's templates", True)]
    if cache is not None:
        found.append((cache.resolve(), "the build cache", True))
    return found


def _name(given: Path, resolved: Path) -> str:
    shown = str(given)
    return shown if shown == str(resolved) else f"{shown} ({resolved})"


def check_placement(out: Path, root: Path, cache: Path | None) -> Path:
    """The resolved output folder, if the rules that hold whatever a manifest says allow it:
    not the project, its sources, the generator or the cache, nothing containing them or
    inside a source, not a file.  Raises :class:`RefusedOutput` otherwise.  Cheap: no walk."""
    target = out.resolve()
    name = _name(out, target)
    advice = f"choose a new or empty folder, such as {root / 'site'}" if target != (root / "site").resolve() \
        else "choose a new or empty folder"
    for path, what, inside_too in _protected(root, cache):
        if target == path:
            reason = f"it is {what}"
        elif target in path.parents:
            reason = f"it contains {what} ({path})"
        elif inside_too and path in target.parents:
            reason = f"it is inside {what} ({path})"
        else:
            continue
        raise RefusedOutput(f"refusing to build into {name}: {reason}, and a build replaces its output folder "
                            f"whole; {advice}")
    if target.exists() and not target.is_dir():
        raise RefusedOutput(f"refusing to build into {name}: it is a file, not a folder; {advice}")
    return target


def foreign_files(folder: Path, manifest: dict) -> list[str]:
    """Files in ``folder`` that the build recorded in ``manifest`` did not write (sorted, as
    paths relative to the folder); folders the manifest names whole are its own."""
    files = manifest.get("files", {})
    whole = set(manifest.get("folders", []))
    found: list[str] = []

    def walk(path: str, prefix: str) -> None:
        with os.scandir(path) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    if not (prefix == "" and entry.name in whole):
                        walk(entry.path, rel + "/")
                elif rel not in files and rel != MANIFEST:
                    found.append(rel)

    walk(str(folder), "")
    return sorted(found)


def check_ownership(out: Path, target: Path) -> None:
    """Refuse (:class:`RefusedOutput`) unless ``target`` is missing, empty, or a site a build
    made that holds no file the build did not write."""
    if not target.exists():
        return
    name = _name(out, target)
    try:
        empty = next(os.scandir(target), None) is None
    except OSError as error:
        raise RefusedOutput(f"refusing to build into {name}: cannot read it ({error.strerror})") from None
    if empty:
        return
    manifest = read_manifest(target)
    if not manifest:
        entries = sorted(os.listdir(target))
        shown = ", ".join(entries[:5]) + (f", … ({len(entries)} entries)" if len(entries) > 5 else "")
        raise RefusedOutput(
            f"refusing to build into {name}: it is not empty ({shown}) and no build of civictrack made it "
            f"(it has no {MANIFEST}), and a build replaces its output folder whole; choose a new or empty "
            f"folder, or remove this one yourself if nothing in it is needed")
    extra = foreign_files(target, manifest)
    if extra:
        shown = ", ".join(extra[:5]) + (f", … ({len(extra)} files)" if len(extra) > 5 else "")
        raise RefusedOutput(
            f"refusing to build into {name}: it holds {len(extra)} file(s) the last build did not write "
            f"({shown}), and a build replaces its output folder whole; move them elsewhere, then build again")


def remove_site(folder: Path) -> None:
    """Remove a site a build made (a benchmark's cold start), under the same rules as a build
    replacing it: a folder that is not provably a build's own is refused, never removed."""
    import shutil

    check_ownership(folder, folder.resolve())
    shutil.rmtree(folder, ignore_errors=True)
