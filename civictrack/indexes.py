"""Cross-reference indexes computed once from the Dataset: what refers to what, with counts."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .model import Item
from .validate import Dataset, FigureInfo

VOCAB_SECTIONS = {
    # vocabulary name → (URL section, Chinese name of the index page)
    "bodies": ("bodies", "责任主体"),
    "places": ("places", "区县"),
    "documents": ("documents", "文件与项目"),
    "tags": ("tags", "主题"),
    "statuses": ("status", "进展状态"),
}


@dataclass
class Indexes:
    """Lookups the pages need; every list is in report order."""

    item_by_id: dict[str, Item] = field(default_factory=dict)
    items_by_area: dict[str, list[Item]] = field(default_factory=lambda: defaultdict(list))
    items_by_report: dict[str, list[Item]] = field(default_factory=lambda: defaultdict(list))
    items_by: dict[str, dict[str, list[Item]]] = field(default_factory=dict)  # vocab → id → items
    series: dict[str, list[FigureInfo]] = field(default_factory=lambda: defaultdict(list))
    figures_by_item: dict[str, list[FigureInfo]] = field(default_factory=lambda: defaultdict(list))
    figures_by_report: dict[str, list[FigureInfo]] = field(default_factory=lambda: defaultdict(list))
    figures_by_paragraph: dict[tuple[str, str], list[FigureInfo]] = field(default_factory=lambda: defaultdict(list))
    item_by_paragraph: dict[tuple[str, str], Item] = field(default_factory=dict)
    status_counts_by_area: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    actions_by_status: dict[str, list[tuple[Item, int]]] = field(default_factory=lambda: defaultdict(list))
    previous: dict[str, Item | None] = field(default_factory=dict)
    next: dict[str, Item | None] = field(default_factory=dict)


_LAST: tuple[Dataset, Indexes] | None = None


def build_indexes(data: Dataset) -> Indexes:
    """Every index of ``data``; the indexes of the data set last asked about are kept, since
    the preview and the build both ask for them (Dataset and Indexes are not changed once made)."""
    global _LAST
    if _LAST is not None and _LAST[0] is data:
        return _LAST[1]
    ix = _build(data)
    _LAST = (data, ix)
    return ix


def _build(data: Dataset) -> Indexes:
    """Compute every index in one pass over items and figures."""
    ix = Indexes()
    ix.items_by = {name: defaultdict(list) for name in VOCAB_SECTIONS}
    for item in data.items:
        ix.item_by_id[item.id] = item
        ix.items_by_area[item.area].append(item)
        ix.items_by_report[item.report].append(item)
        ix.item_by_paragraph[(item.report, item.paragraph)] = item
        for name in ("bodies", "places", "documents", "tags"):
            for ref in getattr(item, name):
                ix.items_by[name][ref].append(item)
        seen_statuses: set[str] = set()
        for index, action in enumerate(item.actions):
            ix.actions_by_status[action.status].append((item, index))
            ix.status_counts_by_area[item.area][action.status] += 1
            if action.status not in seen_statuses:
                ix.items_by["statuses"][action.status].append(item)
                seen_statuses.add(action.status)
    for report_items in ix.items_by_report.values():
        for before, after in zip(report_items, report_items[1:]):
            ix.next[before.id] = after
            ix.previous[after.id] = before
    for info in data.figures.values():
        ix.series[info.figure.indicator].append(info)
        ix.figures_by_report[info.report].append(info)
        ix.figures_by_paragraph[(info.report, info.paragraph)].append(info)
        if info.item is not None:
            ix.figures_by_item[info.item].append(info)
    for points in ix.series.values():
        points.sort(key=lambda f: (f.figure.period or f.figure.as_of or "", f.figure.id))
    return ix
