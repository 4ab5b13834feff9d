"""The rules about one item file: its references, its slot in its area, its actions' quotes
and status words, and (through ``check.figures``) its figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from civictrack.check.checker import Checker
from civictrack.check.figures import check_figure

if TYPE_CHECKING:
    from civictrack.load.yamlload import YamlDoc
    from civictrack.model import Action, Area, Item, Report


@dataclass
class Tables:
    """The lookup tables an item is checked against."""

    reports: dict[str, Report]
    areas: dict[str, Area]
    area_report: dict[str, str]
    bodies: dict[str, Any]
    places: dict[str, Any]
    documents: dict[str, Any]
    tags: dict[str, Any]
    statuses: dict[str, Any]


def check_item(checker: Checker, item: Item, doc: YamlDoc, tables: Tables,
                seen_items: dict[str, tuple[YamlDoc, tuple[Any, ...]]],
                seen_figures: dict[str, tuple[YamlDoc, tuple[Any, ...]]],
                slots: dict[tuple[str, str, int], str]) -> None:
    """Every rule about one item file that does not look at other items (ids and slots aside)."""
    checker.unique(seen_items, item.id, doc, ("id",), "item")
    known_report = checker.ref(doc, ("report",), item.report, tables.reports, "report", "data/reports/")
    if checker.ref(doc, ("area",), item.area, tables.areas, "area", "the report's `areas`") and known_report \
            and tables.area_report[item.area] != item.report:
        checker.err(doc, ("area",), f"area `{item.area}` belongs to report `{tables.area_report[item.area]}`, "
                    f"not `{item.report}`", "use an area of the item's own report")
    slot = (item.report, item.area, item.order)
    if slot in slots and slots[slot] != item.id:
        checker.err(doc, ("order",), f"order {item.order} in area `{item.area}` is also used by item `{slots[slot]}`",
                    "give each item of an area its own order")
    slots.setdefault(slot, item.id)
    for key, table, where in (("bodies", tables.bodies, "data/bodies.yaml"), ("places", tables.places, "data/places.yaml"),
                              ("documents", tables.documents, "data/documents.yaml"), ("tags", tables.tags, "data/tags.yaml")):
        values = getattr(item, key)
        for index, value in enumerate(values):
            checker.ref(doc, (key, index), value, table, key.rstrip("s").replace("bodie", "body"), where)
            if values.index(value) != index:
                checker.err(doc, (key, index), f"`{value}` is listed twice in {key}", "remove the repeat")
    if not known_report:
        return
    if report_text := checker.texts.get(item.report):
        for index, value in enumerate(item.documents):
            entry = tables.documents.get(value)
            if entry is not None and entry.name not in report_text.full_text:
                checker.err(doc, ("documents", index), f"document `{value}` ({entry.name}) is not named in the "
                            f"text of report `{item.report}`", "check the document's name in data/documents.yaml")
    elif tables.reports[item.report].text is None:
        checker.err(doc, ("report",), f"report `{item.report}` has no text to check quotes against",
                    "add `text:` to the report file")
        return
    paragraph_ok = checker.check_anchor(doc, ("paragraph",), item.report, item.paragraph)
    seen_actions: dict[str, tuple[YamlDoc, tuple[Any, ...]]] = {}
    for index, action in enumerate(item.actions):
        check_action(checker, item, action, doc, ("actions", index), tables.statuses, seen_actions, paragraph_ok)
    for index, fig in enumerate(item.figures):
        checker.unique(seen_figures, fig.id, doc, ("figures", index, "id"), "figure")
        check_figure(checker, fig, doc, ("figures", index), item.report, item.id,
                       item.paragraph if paragraph_ok else None)


def check_action(checker: Checker, item: Item, action: Action, doc: YamlDoc, path: tuple[Any, ...],
                  statuses: dict[str, Any], seen: dict[str, tuple[YamlDoc, tuple[Any, ...]]],
                  paragraph_ok: bool) -> None:
    checker.unique(seen, action.id, doc, path + ("id",), "action")
    checker.ref(doc, path + ("status",), action.status, statuses, "status", "data/statuses.yaml")
    if action.paragraph is not None:
        paragraph_ok = checker.check_anchor(doc, path + ("paragraph",), item.report, action.paragraph)
    anchor = action.paragraph or item.paragraph
    if paragraph_ok and checker.check_quote(doc, path + ("quote",), action.quote,
                                             checker.paragraph_text(item.report, anchor), anchor):
        if action.status_basis not in action.quote:
            checker.err(doc, path + ("status_basis",), f"status basis `{action.status_basis}` is not in the quote",
                        "name the words in the quote that the status is read from")
