"""The rules across files that are not about one item: former ids (aliases) and the change log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from civictrack.check.checker import Checker

if TYPE_CHECKING:
    from civictrack.load.loader import Loaded
    from civictrack.load.yamlload import YamlDoc


def check_aliases(checker: Checker, loaded: Loaded) -> None:
    """A former id (alias) must not be a current id or another entry's alias in its URL section."""
    sections: dict[str, list[tuple[str, list[str], YamlDoc, tuple[Any, ...]]]] = {
        "reports": [], "areas": [], "items": [], "figures": []}
    for report, doc in loaded.reports:
        sections["reports"].append((report.id, report.aliases, doc, ()))
        for i, area in enumerate(report.areas):
            sections["areas"].append((area.id, area.aliases, doc, ("areas", i)))
        for i, fig in enumerate(report.figures):
            sections["figures"].append((fig.id, fig.aliases, doc, ("figures", i)))
    for item, doc in loaded.items:
        sections["items"].append((item.id, item.aliases, doc, ()))
        for i, fig in enumerate(item.figures):
            sections["figures"].append((fig.id, fig.aliases, doc, ("figures", i)))
    for name, entries in loaded.vocab.items():
        sections[name] = [(e.id, e.aliases, doc, (i,)) for e, doc, i in entries]
    for entries in sections.values():
        ids = {ident for ident, _, _, _ in entries}
        seen: dict[str, str] = {}
        for ident, aliases, doc, path in entries:
            for k, alias in enumerate(aliases):
                where = path + ("aliases", k)
                if alias in ids:
                    checker.err(doc, where, f"alias `{alias}` of `{ident}` is the id of an existing entry",
                                "an alias is a former id that now redirects; it cannot also be a current id")
                elif alias in seen and seen[alias] != ident:
                    checker.err(doc, where, f"alias `{alias}` is also an alias of `{seen[alias]}`",
                                "one old URL can redirect to one place only")
                seen.setdefault(alias, ident)


def check_changes(checker: Checker, loaded: Loaded, reports: dict[str, Any], items: set[str]) -> None:
    """Change-log entries name things that exist; ids are unique."""
    seen: dict[str, tuple[YamlDoc, tuple[Any, ...]]] = {}
    item_table = {i: True for i in items}
    for change, doc, index in loaded.changes:
        checker.unique(seen, change.id, doc, (index, "id"), "change")
        for key, table, what in (("reports", reports, "report"), ("items", item_table, "item"),
                                 ("figures", checker.figures, "figure")):
            for k, ref in enumerate(getattr(change, key)):
                checker.ref(doc, (index, key, k), ref, table, what, "the data")
        if not (change.reports or change.items or change.figures):
            checker.err(doc, (index,), f"change `{change.id}` names nothing that changed",
                        "list the affected reports, items or figures")
