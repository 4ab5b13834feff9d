"""Writing a draft into a project: new files only, vocabulary entries appended, nothing
overwritten and nothing written at all if any target exists or any id is taken, or if the disk
is full (every file is written beside its place first, then all are renamed into place)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from civictrack.diskfull import replace_files
from civictrack.draft.compose import Draft
from civictrack.draft.refs import Vocab


class Refused(ValueError):
    """Writing the draft would overwrite or clash; nothing was written."""


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100_000, default_flow_style=False)


def _existing_ids(root: Path) -> set[str]:
    """Ids already used by reports, items and figures of the project (read as plain YAML)."""
    ids: set[str] = set()
    for folder in ("reports", "items"):
        for path in sorted((root / "data" / folder).glob("*.yaml")):
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, yaml.YAMLError):
                continue
            if not isinstance(data, dict):
                continue
            ids.add(str(data.get("id")))
            ids.add(path.stem)
            for key in ("figures", "areas", "asks"):
                for entry in data.get(key) or []:
                    if isinstance(entry, dict):
                        ids.add(str(entry.get("id")))
    return ids


def planned_files(root: Path, draft: Draft, text: str) -> dict[Path, str]:
    """Every new file and its content."""
    rid = draft.report["id"]
    files: dict[Path, str] = {
        root / "content" / "reports" / f"{rid}.txt": text,
        root / "data" / "reports" / f"{rid}.yaml": f"# Drafted by `civictrack draft`: review every entry, then remove its "
                                                   f"`unreviewed: true`.\n" + _dump(draft.report),
    }
    for item in draft.items:
        files[root / "data" / "items" / f"{item['id']}.yaml"] = \
            f"# {item['number']} {item['title']} (drafted by `civictrack draft`)\n" + _dump(item)
    return files


def _empty_list(text: str) -> bool:
    """The file holds no entry: nothing, comments, or an empty flow list (``[]``)."""
    try:
        return yaml.safe_load(text) in (None, [])
    except yaml.YAMLError:
        return False


def write_draft(root: Path, draft: Draft, text: str, vocab: Vocab) -> list[Path]:
    """Write the draft; raise :class:`Refused` (having written nothing) if anything clashes, and
    :class:`~civictrack.diskfull.DiskFull` (having written nothing) if the files do not fit."""
    files = planned_files(root, draft, text)
    clashes = [str(p.relative_to(root)) for p in files if p.exists()]
    taken = _existing_ids(root)
    mine = [draft.report["id"]] + [a["id"] for a in draft.report.get("areas", []) + draft.report.get("asks", [])] + \
           [f["id"] for f in draft.report.get("figures", [])] + [i["id"] for i in draft.items] + \
           [f["id"] for i in draft.items for f in i.get("figures", [])]
    clashes += [f"id `{i}` is already used" for i in mine if i in taken]
    for name, entries in draft.proposed.items():
        known = {str(e.get("id")) for e in vocab.entries[name]}
        clashes += [f"id `{e['id']}` is already in data/{name}.yaml" for e in entries if e["id"] in known]
    if clashes:
        raise Refused("nothing was written: " + "; ".join(clashes))
    contents: dict[Path, str] = dict(files)
    for name, entries in draft.proposed.items():
        if not entries:
            continue
        path = root / "data" / f"{name}.yaml"
        before = path.read_text(encoding="utf-8") if path.is_file() else ""
        if before and not before.endswith("\n"):
            before += "\n"
        if _empty_list(before):  # `[]` (as civictrack new writes it), its comments kept
            before = "".join(line for line in before.splitlines(keepends=True)
                             if not line.strip() or line.lstrip().startswith("#"))
        block = f"# Proposed by `civictrack draft` for report {draft.report['id']}: review, then remove `unreviewed`.\n"
        contents[path] = before + block + _dump(entries)
    try:  # all or none: never over an existing file, never a file cut short (a full disk)
        replace_files(contents, new=set(files))
    except FileExistsError as error:
        raise Refused(f"nothing was written: {error.filename2 or error.filename} appeared meanwhile") from None
    return list(contents)
