"""Check a whole project: every cross-file rule, in one run, then the validated :class:`Dataset`.

Everything here adds to the same ErrorSink as loading, so one run reports every problem:
duplicate ids, dangling references, quotes not found verbatim in the stored source text,
figures that do not match their quote, derived values that do not follow from their
formula, and numbers in the text that no figure records.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from civictrack.check.checker import Checker
from civictrack.check.figures import check_coverage, check_figure, check_formulas, check_item_charts, check_series
from civictrack.check.items import Tables, check_item
from civictrack.check.recheck import Validated, recheck
from civictrack.check.references import check_aliases, check_changes
from civictrack.check.tracking import check_tracking
from civictrack.dataset import Dataset
from civictrack.errors import ErrorSink

if TYPE_CHECKING:
    from civictrack.load.loader import Loaded
    from civictrack.load.yamlload import YamlDoc
    from civictrack.model import Area, Report

Seen = dict[str, tuple["YamlDoc", tuple[Any, ...]]]


def validate(loaded: Loaded, sink: ErrorSink) -> Dataset | None:
    """Run every cross-file rule; return the Dataset if nothing is wrong."""
    return run_checks(loaded, sink)[0]


def run_checks(loaded: Loaded, sink: ErrorSink) -> tuple[Dataset | None, Checker]:
    """Every rule over ``loaded``, in order; the Dataset (None on any error) and the checker."""
    checker = Checker(loaded, sink)
    vocab = _vocabularies(checker, loaded)
    reports: dict[str, Report] = {}
    areas: dict[str, Area] = {}
    if "reports" in loaded.failed:
        checker.incomplete.update((id(reports), id(areas)))
    if loaded.failed & {"reports", "items"}:
        checker.incomplete.add(id(checker.figures))
    area_report = _reports(checker, loaded, vocab, reports, areas)
    tables = Tables(reports, areas, area_report, vocab["bodies"], vocab["places"], vocab["documents"], vocab["tags"],
                    vocab["statuses"])
    _figures_and_items(checker, loaded, tables)
    _across(checker, loaded, reports)
    check_tracking(checker, loaded, reports, vocab["statuses"])
    if sink or loaded.config is None:
        return None, checker
    return _dataset(loaded, checker, tables), checker


def _vocabularies(checker: Checker, loaded: Loaded) -> dict[str, dict[str, Any]]:
    """Each vocabulary as id → entry; duplicate ids reported."""
    vocab: dict[str, dict[str, Any]] = {}
    for name, entries in loaded.vocab.items():
        seen: Seen = {}
        vocab[name] = {}
        for entry, doc, index in entries:
            checker.unique(seen, entry.id, doc, (index, "id"), name.rstrip("s").replace("statuse", "status").replace("bodie", "body"))
            vocab[name].setdefault(entry.id, entry)
    checker.incomplete.update(id(vocab[name]) for name in loaded.failed if name in vocab)
    return vocab


def _reports(checker: Checker, loaded: Loaded, vocab: dict[str, dict[str, Any]], reports: dict[str, Report],
             areas: dict[str, Area]) -> dict[str, str]:
    """Reports and their areas (filled into ``reports`` and ``areas``), their references and
    texts, and the vocabularies' references to them; returns area id → report id."""
    bodies, places = vocab["bodies"], vocab["places"]
    seen_reports: Seen = {}
    for report, doc in loaded.reports:
        checker.unique(seen_reports, report.id, doc, ("id",), "report")
        reports.setdefault(report.id, report)
    for entries, table, where in ((loaded.vocab["bodies"], bodies, "data/bodies.yaml"),
                                  (loaded.vocab["places"], places, "data/places.yaml")):
        for entry, doc, index in entries:
            checker.ref(doc, (index, "parent"), getattr(entry, "parent", None), table, "parent", where)
    for entry, doc, index in loaded.vocab["documents"]:
        checker.ref(doc, (index, "report"), getattr(entry, "report", None), reports, "report", "data/reports/")
    area_report: dict[str, str] = {}
    seen_areas: Seen = {}
    for report, doc in loaded.reports:
        checker.ref(doc, ("issuer",), report.issuer, bodies, "body", "data/bodies.yaml")
        checker.ref(doc, ("addressee",), report.addressee, bodies, "body", "data/bodies.yaml")
        checker.ref(doc, ("responds_to",), report.responds_to, reports, "report", "data/reports/")
        checker.load_text(report, doc)
        if report.areas and report.id not in checker.texts:
            checker.err(doc, ("areas",), f"report `{report.id}` has areas but no text",
                        "add `text:` with the path of its full text under content/")
        _areas(checker, report, doc, seen_areas, areas, area_report)
        for index, fig in enumerate(report.figures):
            if fig.paragraph is None:
                checker.err(doc, ("figures", index), f"figure `{fig.id}` outside any item needs `paragraph`",
                            "add the anchor of the paragraph it stands in, e.g. p4")
    return area_report


def _areas(checker: Checker, report: Report, doc: YamlDoc, seen: Seen, areas: dict[str, Area],
           area_report: dict[str, str]) -> None:
    orders: set[int] = set()
    for index, area in enumerate(report.areas):
        checker.unique(seen, area.id, doc, ("areas", index, "id"), "area")
        areas.setdefault(area.id, area)
        area_report.setdefault(area.id, report.id)
        if area.order in orders:
            checker.err(doc, ("areas", index, "order"), f"area order {area.order} is used twice", "number areas 1, 2, 3…")
        orders.add(area.order)
        checker.check_anchor(doc, ("areas", index, "paragraph"), report.id, area.paragraph)


def _figures_and_items(checker: Checker, loaded: Loaded, tables: Tables) -> None:
    """Figures outside items, then every item with its figures, then the derived figures' formulas."""
    seen_items: Seen = {}
    seen_figures: Seen = {}
    slots: dict[tuple[str, str, int], str] = {}
    for report, doc in loaded.reports:
        for index, fig in enumerate(report.figures):
            checker.unique(seen_figures, fig.id, doc, ("figures", index, "id"), "figure")
            if fig.paragraph is not None and checker.check_anchor(doc, ("figures", index, "paragraph"), report.id,
                                                                   fig.paragraph):
                check_figure(checker, fig, doc, ("figures", index), report.id, None, fig.paragraph)
    for item, doc in loaded.items:
        check_item(checker, item, doc, tables, seen_items, seen_figures, slots)
    check_formulas(checker)


def _across(checker: Checker, loaded: Loaded, reports: dict[str, Report]) -> None:
    """The rules that need every figure: series, number coverage, comparisons, aliases, the
    change log, item charts."""
    check_series(checker, checker.figures, loaded)
    for report, doc in loaded.reports:
        if report.id in checker.texts and report.areas and not loaded.failed & {"reports", "items"}:
            check_coverage(checker, report, doc, checker.texts[report.id])
    # a report must be answerable to its own data: comparisons pointing at figures
    for item, doc in loaded.items:
        for index, fig in enumerate(item.figures):
            if fig.comparison is not None:
                checker.ref(doc, ("figures", index, "comparison", "figure"), fig.comparison.figure,
                            checker.figures, "figure", "an item's `figures`")
    check_aliases(checker, loaded)
    check_changes(checker, loaded, reports, {item.id for item, _ in loaded.items})
    for item, doc in loaded.items:
        check_item_charts(checker, item, doc)


def _dataset(loaded: Loaded, checker: Checker, tables: Tables) -> Dataset:
    """The validated data, in report order (reports by date, items by area and order)."""
    reports, areas = tables.reports, tables.areas
    order = {r.id: i for i, r in enumerate(sorted(reports.values(), key=lambda r: (r.date, r.id)))}
    items = sorted((item for item, _ in loaded.items),
                   key=lambda it: (order[it.report], areas[it.area].order, it.order, it.id))
    assert loaded.config is not None
    return Dataset(config=loaded.config, reports=dict(sorted(reports.items(), key=lambda kv: order[kv[0]])),
                   texts=checker.texts, areas=areas, area_report=tables.area_report, items=items,
                   figures=checker.figures, bodies=tables.bodies, places=tables.places, documents=tables.documents,
                   tags=tables.tags, statuses=tables.statuses,
                   changes=sorted((c for c, _, _ in loaded.changes), key=lambda c: (c.date, c.id), reverse=True))


def check_project(root: Path, sink: ErrorSink, cache: Any = None) -> Dataset | None:
    """Load and validate a project; ``None`` if there were errors (see ``sink``).

    ``cache`` (a ``loader.ParseCache``) lets a long-running process skip unchanged files and,
    after an edit confined to items, re-check only those (``check.recheck``)."""
    from civictrack.load.loader import load_project
    from civictrack.load.yamlload import decode

    loaded = load_project(root, sink, cache)
    about = root / "content" / "about.md"  # prose the build renders: it must decode like the data
    if about.is_file():
        decode("content/about.md", about.read_bytes(), sink)
    previous = cache.validated if cache is not None else None
    state = recheck(previous, loaded) if previous is not None and not sink else None
    if state is None:
        data, checker = run_checks(loaded, sink)
        state = Validated(loaded, data, checker.pending) if data is not None else None
    if cache is not None:
        cache.validated = state
    return state.data if state is not None else None
