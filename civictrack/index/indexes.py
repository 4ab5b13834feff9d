"""Cross-reference indexes computed once from the Dataset: what refers to what, with counts."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from civictrack.dataset import Dataset, FigureInfo
from civictrack.i18n import N_
from civictrack.tracking import ActionKey, Track, build_tracks, data_as_of, follow_ups, track, tracking_key

if TYPE_CHECKING:
    from civictrack.model import Item  # annotations only: a build from the cached data set never imports pydantic

VOCAB_SECTIONS = {
    # vocabulary name → (URL section, name of the index page: a message, translated where shown)
    "bodies": ("bodies", N_("责任主体")),
    "places": ("places", N_("区县")),
    "documents": ("documents", N_("文件与项目")),
    "tags": ("tags", N_("主题")),
    "statuses": ("status", N_("进展状态")),
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
    # following actions after their report (civictrack.tracking); statuses above are current ones
    as_of: str = ""
    tracks: dict[ActionKey, Track] = field(default_factory=dict)
    later: dict[ActionKey, list[tuple[Item, int]]] = field(default_factory=dict)  # action → its follow-ups
    answered_by: dict[tuple[str, str], list[Item]] = field(default_factory=dict)  # (report, ask) → items
    stepped: list[ActionKey] = field(default_factory=list)  # actions with updates or follow-ups, data order
    tracked_items: list[str] = field(default_factory=list)  # items with such an action or a correction
    targeted: list[ActionKey] = field(default_factory=list)  # actions with a target, data order
    epoch: object = field(default_factory=object, compare=False)
    """The same object while the indexes are updated in place (``_update``): then every track of an
    item that did not change is the same, and memos keyed by the item may be reused."""

    def current(self, item: Item, index: int) -> str:
        """The current status of the item's action at ``index``."""
        return self.tracks[(item.id, item.actions[index].id)].current

    def track_of(self, item: Item, index: int) -> Track:
        return self.tracks[(item.id, item.actions[index].id)]

    def standing(self, item: Item, statuses: dict[str, Any]) -> tuple[bool, int]:
        """Where an item stands by its actions' current statuses, for listings sorted by it:
        items with an overdue action first, then by the least advanced action (the status
        scale's order), ties in report order (a stable sort)."""
        tracks = [self.tracks[(item.id, a.id)] for a in item.actions]
        return (not any(t.overdue for t in tracks), max(statuses[t.current].order for t in tracks))


_LAST: tuple[Dataset, Indexes] | None = None


def build_indexes(data: Dataset) -> Indexes:
    """Every index of ``data``; the indexes of the data set last asked about are kept, since
    the preview and the build both ask for them (Dataset and Indexes are not changed once made)."""
    global _LAST
    if _LAST is not None and _LAST[0] is data:
        return _LAST[1]
    ix = _update(*_LAST, data) if _LAST is not None else None
    if ix is None:
        ix = _build(data)
    _LAST = (data, ix)
    return ix


def _item_keys(item: Item) -> tuple[Any, ...]:
    """What decides where an item stands in the indexes."""
    return (item.id, item.report, item.area, item.paragraph, tuple(item.bodies), tuple(item.places),
            tuple(item.documents), tuple(item.tags), tuple(a.status for a in item.actions), tracking_key(item))


def _figure_keys(info: FigureInfo) -> tuple[Any, ...]:
    fig = info.figure
    return (fig.id, fig.indicator, fig.period, fig.as_of, info.report, info.paragraph, info.item)


def _same(a: Any, b: Any) -> bool:
    return a is b or a == b


def _swap(table: dict[Any, list[Any]], key: Any, new: dict[int, Any]) -> None:
    table[key] = [new.get(id(x), x) for x in table[key]]


def _update(old: Dataset, old_ix: Indexes, data: Dataset) -> Indexes | None:
    """The indexes of ``data`` made from those of ``old`` when some items and figures were
    replaced by new objects that stand in the same places (a preview's item edit); ``None``
    otherwise.  Only the lists holding a replaced object are copied; ``old_ix`` is unchanged."""
    if len(data.items) != len(old.items) or data.figures.keys() != old.figures.keys() or \
            list(data.figures) != list(old.figures):
        return None
    if not (_same(data.config, old.config) and _same(data.reports, old.reports) and _same(data.statuses, old.statuses)):
        return None  # the tracks read the as-of date, the reports' dates and which statuses mean done
    items = [(a, b) for a, b in zip(old.items, data.items) if a is not b]
    infos = [(old.figures[fid], info) for fid, info in data.figures.items() if info is not old.figures[fid]]
    if any(_item_keys(a) != _item_keys(b) for a, b in items) or \
            any(_figure_keys(a) != _figure_keys(b) for a, b in infos):
        return None
    if len(items) + len(infos) > len(data.items) // 4 + 10:
        return None  # many changes: building afresh is as quick
    ix = Indexes(item_by_id=dict(old_ix.item_by_id), items_by_area=old_ix.items_by_area.copy(),
                 items_by_report=old_ix.items_by_report.copy(),
                 items_by={name: table.copy() for name, table in old_ix.items_by.items()},
                 series=old_ix.series.copy(), figures_by_item=old_ix.figures_by_item.copy(),
                 figures_by_report=old_ix.figures_by_report.copy(),
                 figures_by_paragraph=old_ix.figures_by_paragraph.copy(),
                 item_by_paragraph=dict(old_ix.item_by_paragraph),
                 status_counts_by_area=old_ix.status_counts_by_area,  # statuses are the same
                 actions_by_status=old_ix.actions_by_status.copy(),
                 previous=dict(old_ix.previous), next=dict(old_ix.next),
                 as_of=old_ix.as_of, tracks=dict(old_ix.tracks), later=old_ix.later.copy(),
                 answered_by=old_ix.answered_by.copy(), stepped=old_ix.stepped,
                 tracked_items=old_ix.tracked_items, targeted=old_ix.targeted,
                 epoch=old_ix.epoch)  # the same tracking keys
    new = {id(a): b for a, b in items}
    for was, item in items:  # the same answers and follow-ups (tracking_key): the new objects in their places
        for key in [k for k, found in ix.answered_by.items() if any(it is was for it in found)] if item.answers else ():
            _swap(ix.answered_by, key, new)
        for action in item.actions if any(a.follows for a in item.actions) else ():
            if action.follows is not None:
                key = (action.follows.item, action.follows.action)
                ix.later[key] = [(new.get(id(it), it), k) for it, k in ix.later[key]]
    done = {sid for sid, status in data.statuses.items() if status.done}
    for _, item in items:  # the same statuses, dates and follow-ups: only the words of the first step change
        date = data.reports[item.report].date
        for index, action in enumerate(item.actions):
            key = (item.id, action.id)
            ix.tracks[key] = track(item, index, action, date, ix.later.get(key, []), data.reports, done, ix.as_of)
    for was, item in items:
        ix.item_by_id[item.id] = item
        _swap(ix.items_by_area, item.area, new)
        _swap(ix.items_by_report, item.report, new)
        for name in ("bodies", "places", "documents", "tags"):
            for ref in getattr(item, name):
                _swap(ix.items_by[name], ref, new)
        for status in dict.fromkeys(ix.tracks[(item.id, a.id)].current for a in item.actions):
            _swap(ix.items_by["statuses"], status, new)
            ix.actions_by_status[status] = [(new.get(id(it), it), k) for it, k in ix.actions_by_status[status]]
        key = (item.report, item.paragraph)
        if ix.item_by_paragraph.get(key) is was:
            ix.item_by_paragraph[key] = item
        for table, neighbour in ((ix.previous, old_ix.next.get(item.id)), (ix.next, old_ix.previous.get(item.id))):
            if neighbour is not None and table.get(neighbour.id) is was:
                table[neighbour.id] = item
    new = {id(a): b for a, b in infos}
    for _, info in infos:
        _swap(ix.series, info.figure.indicator, new)
        _swap(ix.figures_by_report, info.report, new)
        _swap(ix.figures_by_paragraph, (info.report, info.paragraph), new)
        if info.item is not None:
            _swap(ix.figures_by_item, info.item, new)
    return ix


def _build(data: Dataset) -> Indexes:
    """Compute every index in one pass over items and figures."""
    ix = Indexes()
    ix.items_by = {name: defaultdict(list) for name in VOCAB_SECTIONS}
    ix.as_of = data_as_of(data)
    ix.later = follow_ups(data)
    ix.tracks = build_tracks(data, ix.later, ix.as_of)
    ix.stepped = [key for key, t in ix.tracks.items() if len(t.steps) > 1]
    ix.targeted = [key for key, t in ix.tracks.items() if t.target_date is not None]
    stepped = {item for item, _ in ix.stepped}
    ix.tracked_items = [item.id for item in data.items if item.id in stepped
                        or any(a.corrections for a in item.actions) or any(f.corrections for f in item.figures)]
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
            status = ix.tracks[(item.id, action.id)].current
            ix.actions_by_status[status].append((item, index))
            ix.status_counts_by_area[item.area][status] += 1
            if status not in seen_statuses:
                ix.items_by["statuses"][status].append(item)
                seen_statuses.add(status)
        report = data.reports[item.report]
        for ask in item.answers:
            ix.answered_by.setdefault((report.responds_to or "", ask), []).append(item)
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
