"""The preview's quick path: after an edit confined to item files, re-check only those items
(and the cross-file rules they can still affect) instead of the whole project.  Whenever that
is not certain to give what a full check gives, it says so and the full check runs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from civictrack.check.checker import Checker
from civictrack.check.figures import check_coverage, check_formulas, check_item_charts
from civictrack.check.items import Tables, check_item
from civictrack.check.tracking import check_tracking
from civictrack.dataset import Dataset
from civictrack.errors import ErrorSink
from civictrack.tracking import tracking_key

if TYPE_CHECKING:
    from civictrack.load.loader import Loaded
    from civictrack.load.yamlload import YamlDoc
    from civictrack.model import Figure


@dataclass
class Validated:
    """A successful validation, kept between runs by a long-running process (``serve``, through
    its ``ParseCache``) so that the next run can re-check only the item files that changed."""

    loaded: Loaded
    data: Dataset
    pending: list[tuple[Figure, YamlDoc, tuple[Any, ...], str, str | None, str]]  # every derived figure
    rechecked: int | None = None  # items re-checked by an incremental run; None: everything was checked


def _same(new: list[Any], old: list[Any]) -> bool:
    """The same parsed entries (the parse cache hands out the same objects for unchanged files)."""
    return len(new) == len(old) and all(a is b for a, b in zip(new, old))


def _same_texts(loaded: Loaded, data: Dataset) -> bool:
    """The report texts load as the same objects as in ``data`` (unchanged files), without errors."""
    sink = ErrorSink()
    checker = Checker(loaded, sink)
    for report, doc in loaded.reports:
        checker.load_text(report, doc)
    return not sink and checker.texts.keys() == data.texts.keys() and all(
        text is data.texts[rid] for rid, text in checker.texts.items())


def _series_key(fig: Figure) -> tuple[Any, ...]:
    return fig.id, fig.indicator, fig.period, fig.as_of, tuple(fig.aliases)


def recheck(previous: Validated, loaded: Loaded) -> Validated | None:
    """What :func:`validate` would make of ``loaded``, found by re-checking only the item files that
    changed since ``previous`` (a run without errors); ``None`` whenever that is not certain, and the
    caller validates everything (so every error is always reported by a full run).

    Certain means: no file failed to load, every file other than item files is the same (parsed
    objects, report texts included), no item file was added, removed or renamed, and no changed item
    changed what other files' rules look at: its id, report, area, order, aliases and tracking key, and its figures'
    ids, indicators, periods, dates, aliases and base units.  Then the rules about one item are run
    for the changed ones, and the cross-file rules they can still affect are run again over the
    whole data set: formulas, comparisons, the item's charts, and number coverage of a report whose
    figures moved in its text.  Any error: ``None``."""
    old = previous.loaded
    if (loaded.failed or old.failed or loaded.config is not old.config or not _same(loaded.reports, old.reports)
            or not _same(loaded.changes, old.changes) or loaded.vocab.keys() != old.vocab.keys()
            or any(not _same(entries, old.vocab[name]) for name, entries in loaded.vocab.items())
            or len(loaded.items) != len(old.items)):
        return None
    changed = [(new, was) for new, was in zip(loaded.items, old.items) if new is not was]
    data = previous.data
    if not changed and _same_texts(loaded, data):
        return previous  # nothing changed: the same data set (the preview then has nothing to do)
    if not _same_texts(loaded, data):
        return None
    sink = ErrorSink()
    checker = Checker(loaded, sink)
    checker.texts = data.texts
    tables = Tables(data.reports, data.areas, data.area_report, data.bodies, data.places, data.documents,
                     data.tags, data.statuses)
    for (item, doc), (was, _) in changed:
        if (item.id != was.id or item.report != was.report or item.area != was.area or item.order != was.order
                or item.aliases != was.aliases
                or [_series_key(f) for f in item.figures] != [_series_key(f) for f in was.figures]
                or tracking_key(item) != tracking_key(was)):
            return None  # what other files' rules (or the tracking rules across items) look at
        check_item(checker, item, doc, tables, {}, {}, {})
    if sink:
        return None
    figures = dict(data.figures)
    moved: set[str] = set()  # reports where a figure now stands elsewhere in the text
    for fid, info in checker.figures.items():
        before = figures[fid]
        if info.base_unit != before.base_unit:
            return None
        if (info.paragraph, info.span) != (before.paragraph, before.span):
            moved.add(info.report)
        figures[fid] = info
    checker.figures = figures
    ids = {item.id for (item, _), _ in changed}
    checker.pending = [entry for entry in previous.pending if entry[4] not in ids] + checker.pending
    check_formulas(checker)
    for report, doc in loaded.reports:
        if report.id in moved and report.areas:
            check_coverage(checker, report, doc, checker.texts[report.id])
    for (item, doc), _ in changed:
        for index, fig in enumerate(item.figures):
            if fig.comparison is not None:
                checker.ref(doc, ("figures", index, "comparison", "figure"), fig.comparison.figure,
                            checker.figures, "figure", "an item's `figures`")
        check_item_charts(checker, item, doc)
    check_tracking(checker, loaded, data.reports, data.statuses, {item.id for (item, _), _ in changed})
    if sink:
        return None
    items = list(data.items)
    position = {item.id: k for k, item in enumerate(items)}
    for (item, _), _ in changed:
        items[position[item.id]] = item
    dataset = Dataset(config=data.config, reports=data.reports, texts=data.texts, areas=data.areas,
                      area_report=data.area_report, items=items, figures=figures, bodies=data.bodies,
                      places=data.places, documents=data.documents, tags=data.tags, statuses=data.statuses,
                      changes=data.changes)
    return Validated(loaded, dataset, checker.pending, len(changed))
