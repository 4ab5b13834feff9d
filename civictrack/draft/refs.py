"""Bodies, places and documents a paragraph names, found by the vocabularies' names (and a
document's short name, an entry's other names); unknown 《…》 titles and place names are
proposed as new entries."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from civictrack.draft.rules import Rules

VOCABS = ("bodies", "places", "documents", "tags", "statuses")


@dataclass
class Vocab:
    """The project's vocabularies as plain entries, plus what this draft proposes."""

    entries: dict[str, list[dict[str, Any]]]
    proposed: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {"bodies": [], "places": [],
                                                                                "documents": []})

    @classmethod
    def read(cls, root: Path) -> "Vocab":
        entries: dict[str, list[dict[str, Any]]] = {}
        for name in VOCABS:
            path = root / "data" / f"{name}.yaml"
            data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
            entries[name] = [e for e in data if isinstance(e, dict)] if isinstance(data, list) else []
        return cls(entries)

    def ids(self, name: str) -> set[str]:
        return {str(e.get("id")) for e in self.entries[name] + self.proposed.get(name, [])}

    def names(self, name: str, short: bool = True) -> list[tuple[str, str]]:
        """(written form, id) pairs, longest form first; ``short``: with the entries' other names."""
        pairs: list[tuple[str, str]] = []
        for entry in self.entries[name] + self.proposed.get(name, []):
            forms = [entry.get("name"), *((entry.get("other_names") or []) if short else [])]
            if entry.get("short_name"):
                forms.append(entry["short_name"])
            pairs += [(str(f), str(entry["id"])) for f in forms if f]
        return sorted(pairs, key=lambda p: -len(p[0]))

    def statuses(self) -> list[tuple[str, list[str]]]:
        scale = sorted(self.entries["statuses"], key=lambda e: e.get("order", 0))
        return [(str(e["id"]), [str(k) for k in e.get("keywords") or []]) for e in scale]


def named_in(text: str, pairs: list[tuple[str, str]]) -> list[str]:
    """Ids whose written forms occur in ``text``, in order of first appearance; a form inside
    a longer one already found does not count (重庆市 inside 重庆市人民政府)."""
    hits: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for form, ident in pairs:
        at = text.find(form)
        while at >= 0:
            if not any(s <= at and at + len(form) <= e for s, e in taken):
                taken.append((at, at + len(form)))
                hits.append((at, ident))
            at = text.find(form, at + 1)
    ordered: list[str] = []
    for _, ident in sorted(hits):
        if ident not in ordered:
            ordered.append(ident)
    return ordered


def titles_in(text: str) -> list[str]:
    """The 《…》 titles of ``text``, outermost, without the marks."""
    found: list[str] = []
    depth, begin = 0, 0
    for i, char in enumerate(text):
        if char == "《":
            if depth == 0:
                begin = i + 1
            depth += 1
        elif char == "》" and depth:
            depth -= 1
            if depth == 0 and i > begin:
                found.append(text[begin:i])
    return found


_BOUNDARY = "、，,；;：:。“”（）()和与及对在赴由向等"


def places_in(text: str, rules: Rules, known_places: list[tuple[str, str]]) -> list[str]:
    """Place names written between list marks (、，和 …): 2-4 characters and a suffix such as 区."""
    found: list[str] = []
    suffixes = "|".join(re.escape(suffix) for suffix, _ in rules.place_suffixes)
    pattern = re.compile(rf"(?:(?<=[{_BOUNDARY}])|^)([\u4e00-\u9fff]{{2,4}}?(?:{suffixes}))(?=[{_BOUNDARY}]|$)")
    known = [form for form, _ in known_places]
    for match in pattern.finditer(text):
        name = match.group(1)
        if name in rules.place_not or name in dict(rules.place_suffixes) or name in found or \
                any(n in name for n in rules.place_not) or name.startswith(rules.place_not_start):
            continue
        if not any(form in name for form in known):
            found.append(name)
    return found


def place_kind(name: str, rules: Rules) -> str:
    """The kind of place a name's suffix says (rules: place_suffixes, longest first)."""
    return next((kind for suffix, kind in rules.place_suffixes if name.endswith(suffix)), "region")
