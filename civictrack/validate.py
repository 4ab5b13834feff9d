"""Cross-file rules, and the resolved :class:`Dataset` the rest of the build uses.

Everything here adds to the same ErrorSink as loading, so one run reports every
problem: duplicate ids, dangling references, quotes not found verbatim in the
stored source text, figures that do not match their quote, derived values that
do not follow from their formula, and numbers in the text that no figure records.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from .dataset import Dataset, FigureInfo
from .errors import ErrorSink
from .model import Action, Area, Body, Change, Document, Figure, Item, Place, Report, SiteConfig, Status, Tag
from .source import SourceText, find_token, parse_source
from .units import normalize, plain, qualifier_of

if TYPE_CHECKING:  # loading (YAML, the loader) is imported only when files are loaded: a build
    # that takes the validated data from the cache (datacache) never needs it
    from .loader import Loaded
    from .yamlload import YamlDoc

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass
class _Checker:
    loaded: Loaded
    sink: ErrorSink
    texts: dict[str, SourceText] = field(default_factory=dict)
    pending: list[tuple[Figure, YamlDoc, tuple[Any, ...], str, str | None, str]] = field(default_factory=list)
    figures: dict[str, FigureInfo] = field(default_factory=dict)
    unsure: set[tuple[str, str]] = field(default_factory=set)
    """(report, paragraph) pairs where a figure could not be placed ("*" = anywhere): the
    number-coverage check skips them rather than repeat the error already reported."""
    incomplete: set[int] = field(default_factory=set)
    """ids of lookup tables some of whose files failed to load: unknown references into
    them are not reported, since the missing entry may be in the broken file."""

    def err(self, doc: YamlDoc, path: Iterable[Any], message: str, hint: str = "") -> None:
        pos = doc.at(tuple(path))
        self.sink.add(doc.file, pos.line, pos.column, message, hint)

    # --- references ---------------------------------------------------------------

    def ref(self, doc: YamlDoc, path: tuple[Any, ...], value: str | None, known: dict[str, Any], what: str,
            where: str) -> bool:
        if value is None or value in known:
            return True
        if id(known) in self.incomplete:
            return False
        import difflib

        close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
        hint = f"did you mean `{close[0]}`?" if close else f"add it to {where} or fix the id"
        self.err(doc, path, f"unknown {what} `{value}`", hint)
        return False

    def unique(self, seen: dict[str, tuple[YamlDoc, tuple[Any, ...]]], value: str, doc: YamlDoc,
               path: tuple[Any, ...], what: str) -> None:
        if value in seen:
            first_doc, first_path = seen[value]
            first = first_doc.at(first_path)
            self.err(doc, path, f"duplicate {what} id `{value}` (also in {first_doc.file}:{first.line})",
                     "ids must be unique; rename one")
        else:
            seen[value] = (doc, path)

    # --- source text ----------------------------------------------------------------

    def load_text(self, report: Report, doc: YamlDoc) -> None:
        if report.text is None:
            return
        root = self.loaded.root / "content"
        path = (root / report.text).resolve()
        if not path.is_relative_to(root.resolve()) or not path.is_file():
            self.err(doc, ("text",), f"text file `content/{report.text}` not found",
                     "give a path under content/, e.g. reports/<report-id>.txt")
            return
        from .loader import cached, rel
        from .yamlload import decode

        file = rel(self.loaded.root, path)

        def parse(raw: bytes, sink: ErrorSink) -> SourceText | None:
            if len(raw) >= 8 * 1024 * 1024:
                sink.add(file, 1, 1, "source text is over 8 MiB", "split the report")
                return None
            text = decode(file, raw, sink)
            if text is None:
                return None
            source, problems = parse_source(file, text)
            for line, problem in problems:
                sink.add(file, line, 1, problem, "each numbered heading and section must be unique")
            return source

        source = cached(self.loaded.cache, self.loaded.root, path, "text", self.sink, parse)
        if source is not None:
            self.texts[report.id] = source

    def paragraph_text(self, report_id: str, anchor: str | None) -> str | None:
        text = self.texts.get(report_id)
        if text is None or anchor is None:
            return None
        paragraph = text.get(anchor)
        return paragraph.text if paragraph else None

    def check_anchor(self, doc: YamlDoc, path: tuple[Any, ...], report_id: str, anchor: str | None) -> bool:
        text = self.texts.get(report_id)
        if text is None or anchor is None:
            return False
        if text.get(anchor) is None:
            self.err(doc, path, f"paragraph `{anchor}` is not in the text of report `{report_id}`",
                     "anchors follow the report's numbering: s1 for 一、, s2-3 for 二(三), p1… for unnumbered "
                     "paragraphs; known: " + ", ".join(text.anchors))
            return False
        return True

    def check_quote(self, doc: YamlDoc, path: tuple[Any, ...], quote: str, paragraph: str | None,
                    anchor: str) -> bool:
        if paragraph is None:
            return False
        if quote not in paragraph:
            hint = "copy the sentence from the source text exactly, punctuation included"
            if quote.replace(",", "，").replace(":", "：").replace(";", "；") in paragraph or \
                    quote.replace("，", ",").replace("：", ":").replace("；", ";") in paragraph:
                hint = "the punctuation differs (full-width versus ASCII); copy it from the source text"
            self.err(doc, path, f"quote not found verbatim in paragraph {anchor}", hint)
            return False
        return True

    # --- figures --------------------------------------------------------------------

    def figure(self, fig: Figure, doc: YamlDoc, path: tuple[Any, ...], report_id: str, item_id: str | None,
               default_anchor: str | None) -> None:
        anchor = fig.paragraph or default_anchor
        if anchor is None:  # the item's own paragraph is wrong, and that is reported already
            self.unsure.add((report_id, "*"))
            self.figures.setdefault(fig.id, FigureInfo(fig, report_id, item_id, "", Decimal(0), fig.unit, None))
            return
        if fig.paragraph is not None and not self.check_anchor(doc, path + ("paragraph",), report_id, fig.paragraph):
            return
        paragraph = self.paragraph_text(report_id, anchor)
        normalized = normalize(fig.value, fig.unit)
        if normalized is None:
            self.err(doc, path + ("value",), f"cannot read `{fig.value}` as a number",
                     'write the digits as in the source ("57.5") or a Chinese numeral ("两")')
        if fig.period is None and fig.as_of is None:
            self.err(doc, path, f"figure `{fig.id}` has neither `period` nor `as_of`",
                     'add period: "2024" or as_of: "YYYY-MM-DD" (截至目前 = the report date)')
        quote_ok = self.check_quote(doc, path + ("quote",), fig.quote, paragraph, anchor)
        if fig.comparison is not None and fig.comparison.text not in fig.quote:
            self.err(doc, path + ("comparison", "text"), "comparison text not found in the figure's quote",
                     "copy the comparing words from the quote")
        span: tuple[int, int] | None = None
        if fig.derived:
            if fig.formula is None:
                self.err(doc, path + ("derived",), f"derived figure `{fig.id}` has no `formula`",
                         "say how it follows from stated figures, e.g. formula: a-2024 - a-change-2024")
            if fig.written is not None:
                self.err(doc, path + ("written",), "a derived figure is not written in the source; remove `written`",
                         "derived figures are computed, never quoted as if stated")
        else:
            if fig.formula is not None:
                self.err(doc, path + ("formula",), "`formula` is only for derived figures",
                         "set `derived: true` or remove the formula")
            if fig.written is None:
                self.err(doc, path, f"stated figure `{fig.id}` has no `written`",
                         "add `written:` with the figure exactly as the quote has it, e.g. 1.4亿余元")
            elif quote_ok and paragraph is not None:
                start_in_quote = find_token(fig.quote, fig.written, fig.occurrence)
                if start_in_quote < 0:
                    self.err(doc, path + ("written",), f"`{fig.written}` not found in the quote"
                             + (f" {fig.occurrence} times" if fig.occurrence > 1 else ""),
                             "copy the figure from the quote, qualifier and unit included")
                else:
                    start = paragraph.index(fig.quote) + start_in_quote
                    span = (start, start + len(fig.written))
                if fig.value not in fig.written:
                    self.err(doc, path + ("value",), f"value `{fig.value}` is not in the written figure `{fig.written}`",
                             "the value is the number as written, never rounded or converted")
                expected = qualifier_of(fig.written)
                if expected != fig.qualifier:
                    self.err(doc, path + ("qualifier",),
                             f"qualifier is `{fig.qualifier}` but `{fig.written}` reads as `{expected}`",
                             "余/超/多 = more_than, 近 = nearly, 约 = about, 至少 = at_least, none = exact")
        if span is None and not fig.derived:
            self.unsure.add((report_id, anchor))
        if fig.id in self.figures:
            return
        value, base = normalized if normalized else (Decimal(0), fig.unit)
        self.figures[fig.id] = FigureInfo(fig, report_id, item_id, anchor, value, base, span)
        if fig.derived and fig.formula is not None:
            self.pending.append((fig, doc, path, report_id, item_id, anchor))

    def formulas(self) -> None:
        for fig, doc, path, _report, _item, _anchor in self.pending:
            tokens = fig.formula.split()
            terms: list[tuple[str, str]] = []
            well_formed = len(tokens) % 2 == 1 and all(t in "+-" for t in tokens[1::2])
            if well_formed:
                terms = [("+", tokens[0])] + list(zip(tokens[1::2], tokens[2::2]))
            else:
                self.err(doc, path + ("formula",), f"cannot read formula `{fig.formula}`",
                         "write figure ids joined by + and - with spaces around each sign: a-2024 - b-2024")
            total = Decimal(0)
            ok = bool(terms)
            for sign, ident in terms:
                other = self.figures.get(ident)
                if other is None or ident == fig.id:
                    self.err(doc, path + ("formula",), f"formula names unknown figure `{ident}`",
                             "use ids of other figures joined by + and -")
                    ok = False
                    continue
                if other.base_unit != self.figures[fig.id].base_unit:
                    self.err(doc, path + ("formula",), f"formula mixes units: `{ident}` is in {other.base_unit}",
                             "only figures of one base unit can be added or subtracted")
                    ok = False
                    continue
                total += other.value_normalized if sign == "+" else -other.value_normalized
            mine = self.figures[fig.id]
            if ok and total != mine.value_normalized:
                self.err(doc, path + ("value",),
                         f"derived value {plain(mine.value_normalized)} {mine.base_unit} does not equal its formula "
                         f"{' '.join(fig.formula.split())} = {plain(total)} {mine.base_unit}",
                         "compute the value from the formula exactly, in the figure's own unit")


def _coverage(checker: _Checker, report: Report, doc: YamlDoc, text: SourceText) -> None:
    """Every number in the text must be a recorded figure or a listed non-figure."""
    covered: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for info in checker.figures.values():
        if info.report == report.id and info.span is not None:
            covered[info.paragraph].append(info.span)
    for index, entry in enumerate(report.non_figures):
        found = False
        for paragraph in text.paragraphs:
            start = paragraph.text.find(entry.text)
            while start >= 0:
                found = True
                covered[paragraph.anchor].append((start, start + len(entry.text)))
                start = paragraph.text.find(entry.text, start + 1)
        if not found:
            checker.err(doc, ("non_figures", index, "text"), f"non-figure `{entry.text}` is not in the text",
                        "copy the words exactly from the source text")
    if (report.id, "*") in checker.unsure:
        return
    for paragraph in text.paragraphs:
        if (report.id, paragraph.anchor) in checker.unsure:
            continue
        spans = covered.get(paragraph.anchor, [])
        for match in _NUMBER.finditer(paragraph.text):
            if not any(start <= match.start() and match.end() <= end for start, end in spans):
                checker.sink.add(text.file, paragraph.line, match.start() + 1,
                                 f"number {match.group()} in paragraph {paragraph.anchor} is not recorded as a figure",
                                 f"add a figure for it in an item of report {report.id}, or list it under "
                                 "`non_figures` in the report file with a reason")


def validate(loaded: Loaded, sink: ErrorSink) -> Dataset | None:
    """Run every cross-file rule; return the Dataset if nothing is wrong."""
    return _validate(loaded, sink)[0]


def _validate(loaded: Loaded, sink: ErrorSink) -> tuple[Dataset | None, _Checker]:
    checker = _Checker(loaded, sink)
    vocab: dict[str, dict[str, Any]] = {}
    for name, entries in loaded.vocab.items():
        seen: dict[str, tuple[YamlDoc, tuple[Any, ...]]] = {}
        vocab[name] = {}
        for entry, doc, index in entries:
            checker.unique(seen, entry.id, doc, (index, "id"), name.rstrip("s").replace("statuse", "status").replace("bodie", "body"))
            vocab[name].setdefault(entry.id, entry)
    bodies, places, documents = vocab["bodies"], vocab["places"], vocab["documents"]
    tags, statuses = vocab["tags"], vocab["statuses"]
    checker.incomplete.update(id(vocab[name]) for name in loaded.failed if name in vocab)

    reports: dict[str, Report] = {}
    areas: dict[str, Area] = {}
    if "reports" in loaded.failed:
        checker.incomplete.update((id(reports), id(areas)))
    if loaded.failed & {"reports", "items"}:
        checker.incomplete.add(id(checker.figures))
    seen_reports: dict[str, tuple[YamlDoc, tuple[Any, ...]]] = {}
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
    seen_areas: dict[str, tuple[YamlDoc, tuple[Any, ...]]] = {}
    for report, doc in loaded.reports:
        checker.ref(doc, ("issuer",), report.issuer, bodies, "body", "data/bodies.yaml")
        checker.ref(doc, ("addressee",), report.addressee, bodies, "body", "data/bodies.yaml")
        checker.ref(doc, ("responds_to",), report.responds_to, reports, "report", "data/reports/")
        checker.load_text(report, doc)
        if report.areas and report.id not in checker.texts:
            checker.err(doc, ("areas",), f"report `{report.id}` has areas but no text",
                        "add `text:` with the path of its full text under content/")
        orders: set[int] = set()
        for index, area in enumerate(report.areas):
            checker.unique(seen_areas, area.id, doc, ("areas", index, "id"), "area")
            areas.setdefault(area.id, area)
            area_report.setdefault(area.id, report.id)
            if area.order in orders:
                checker.err(doc, ("areas", index, "order"), f"area order {area.order} is used twice", "number areas 1, 2, 3…")
            orders.add(area.order)
            checker.check_anchor(doc, ("areas", index, "paragraph"), report.id, area.paragraph)
        for index, fig in enumerate(report.figures):
            if fig.paragraph is None:
                checker.err(doc, ("figures", index), f"figure `{fig.id}` outside any item needs `paragraph`",
                            "add the anchor of the paragraph it stands in, e.g. p4")

    seen_items: dict[str, tuple[YamlDoc, tuple[Any, ...]]] = {}
    seen_figures: dict[str, tuple[YamlDoc, tuple[Any, ...]]] = {}
    slots: dict[tuple[str, str, int], str] = {}
    for report, doc in loaded.reports:
        for index, fig in enumerate(report.figures):
            checker.unique(seen_figures, fig.id, doc, ("figures", index, "id"), "figure")
            if fig.paragraph is not None and checker.check_anchor(doc, ("figures", index, "paragraph"), report.id,
                                                                   fig.paragraph):
                checker.figure(fig, doc, ("figures", index), report.id, None, fig.paragraph)
    tables = _Tables(reports, areas, area_report, bodies, places, documents, tags, statuses)
    for item, doc in loaded.items:
        _check_item(checker, item, doc, tables, seen_items, seen_figures, slots)
    checker.formulas()
    for index_map in (checker.figures,):
        _check_series(checker, index_map, loaded)
    for report, doc in loaded.reports:
        if report.id in checker.texts and report.areas and not loaded.failed & {"reports", "items"}:
            _coverage(checker, report, doc, checker.texts[report.id])
    # a report must be answerable to its own data: comparisons pointing at figures
    for item, doc in loaded.items:
        for index, fig in enumerate(item.figures):
            if fig.comparison is not None:
                checker.ref(doc, ("figures", index, "comparison", "figure"), fig.comparison.figure,
                            checker.figures, "figure", "an item's `figures`")
    _check_aliases(checker, loaded)
    _check_changes(checker, loaded, reports, {item.id for item, _ in loaded.items})
    for item, doc in loaded.items:
        _check_item_charts(checker, item, doc)
    if sink or loaded.config is None:
        return None, checker
    order = {r.id: i for i, r in enumerate(sorted(reports.values(), key=lambda r: (r.date, r.id)))}
    items = sorted((item for item, _ in loaded.items),
                   key=lambda it: (order[it.report], areas[it.area].order, it.order, it.id))
    return Dataset(config=loaded.config, reports=dict(sorted(reports.items(), key=lambda kv: order[kv[0]])),
                   texts=checker.texts, areas=areas, area_report=area_report, items=items,
                   figures=checker.figures, bodies=bodies, places=places, documents=documents, tags=tags,
                   statuses=statuses,
                   changes=sorted((c for c, _, _ in loaded.changes), key=lambda c: (c.date, c.id), reverse=True)), checker


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
    checker = _Checker(loaded, sink)
    for report, doc in loaded.reports:
        checker.load_text(report, doc)
    return not sink and checker.texts.keys() == data.texts.keys() and all(
        text is data.texts[rid] for rid, text in checker.texts.items())


def _series_key(fig: Figure) -> tuple[Any, ...]:
    return fig.id, fig.indicator, fig.period, fig.as_of, tuple(fig.aliases)


def _revalidate(previous: Validated, loaded: Loaded) -> Validated | None:
    """What :func:`validate` would make of ``loaded``, found by re-checking only the item files that
    changed since ``previous`` (a run without errors); ``None`` whenever that is not certain, and the
    caller validates everything (so every error is always reported by a full run).

    Certain means: no file failed to load, every file other than item files is the same (parsed
    objects, report texts included), no item file was added, removed or renamed, and no changed item
    changed what other files' rules look at: its id, report, area, order and aliases, and its figures'
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
    checker = _Checker(loaded, sink)
    checker.texts = data.texts
    tables = _Tables(data.reports, data.areas, data.area_report, data.bodies, data.places, data.documents,
                     data.tags, data.statuses)
    for (item, doc), (was, _) in changed:
        if (item.id != was.id or item.report != was.report or item.area != was.area or item.order != was.order
                or item.aliases != was.aliases
                or [_series_key(f) for f in item.figures] != [_series_key(f) for f in was.figures]):
            return None
        _check_item(checker, item, doc, tables, {}, {}, {})
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
    checker.formulas()
    for report, doc in loaded.reports:
        if report.id in moved and report.areas:
            _coverage(checker, report, doc, checker.texts[report.id])
    for (item, doc), _ in changed:
        for index, fig in enumerate(item.figures):
            if fig.comparison is not None:
                checker.ref(doc, ("figures", index, "comparison", "figure"), fig.comparison.figure,
                            checker.figures, "figure", "an item's `figures`")
        _check_item_charts(checker, item, doc)
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


@dataclass
class _Tables:
    """The lookup tables an item is checked against."""

    reports: dict[str, Report]
    areas: dict[str, Area]
    area_report: dict[str, str]
    bodies: dict[str, Any]
    places: dict[str, Any]
    documents: dict[str, Any]
    tags: dict[str, Any]
    statuses: dict[str, Any]


def _check_item(checker: _Checker, item: Item, doc: YamlDoc, tables: _Tables,
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
        _check_action(checker, item, action, doc, ("actions", index), tables.statuses, seen_actions, paragraph_ok)
    for index, fig in enumerate(item.figures):
        checker.unique(seen_figures, fig.id, doc, ("figures", index, "id"), "figure")
        checker.figure(fig, doc, ("figures", index), item.report, item.id,
                       item.paragraph if paragraph_ok else None)


def _check_action(checker: _Checker, item: Item, action: Action, doc: YamlDoc, path: tuple[Any, ...],
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


def _check_series(checker: _Checker, figures: dict[str, FigureInfo], loaded: Loaded) -> None:
    """Figures of one indicator share a base unit and differ in period."""
    docs: dict[str, tuple[YamlDoc, tuple[Any, ...]]] = {}
    for item, doc in loaded.items:
        for index, fig in enumerate(item.figures):
            docs.setdefault(fig.id, (doc, ("figures", index)))
    for report, doc in loaded.reports:
        for index, fig in enumerate(report.figures):
            docs.setdefault(fig.id, (doc, ("figures", index)))
    units: dict[str, str] = {}
    points: dict[tuple[str, str | None, str | None], str] = {}
    for fid, info in figures.items():
        fig = info.figure
        doc, path = docs[fid]
        if units.setdefault(fig.indicator, info.base_unit) != info.base_unit:
            checker.err(doc, path + ("indicator",), f"indicator `{fig.indicator}` is counted in "
                        f"{units[fig.indicator]} elsewhere, but in {info.base_unit} here",
                        "one indicator keeps one base unit; use another indicator id")
        key = (fig.indicator, fig.period, fig.as_of)
        if key in points:
            checker.err(doc, path + ("indicator",), f"indicator `{fig.indicator}` already has a figure for "
                        f"{fig.period or fig.as_of}: `{points[key]}`", "a series holds one value per period")
        points.setdefault(key, fid)


def check_project(root: Path, sink: ErrorSink, cache: Any = None) -> Dataset | None:
    """Load and validate a project; ``None`` if there were errors (see ``sink``).

    ``cache`` (a ``loader.ParseCache``) lets a long-running process skip unchanged files."""
    from .loader import load_project
    from .yamlload import decode

    loaded = load_project(root, sink, cache)
    about = root / "content" / "about.md"  # prose the build renders: it must decode like the data
    if about.is_file():
        decode("content/about.md", about.read_bytes(), sink)
    previous = cache.validated if cache is not None else None
    state = _revalidate(previous, loaded) if previous is not None and not sink else None
    if state is None:
        data, checker = _validate(loaded, sink)
        state = Validated(loaded, data, checker.pending) if data is not None else None
    if cache is not None:
        cache.validated = state
    return state.data if state is not None else None


def _check_aliases(checker: _Checker, loaded: Loaded) -> None:
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


def unit_class(base_unit: str) -> str:
    """percent, points, money or count: figures of different classes never share an axis."""
    if base_unit == "%":
        return "percent"
    if base_unit.endswith("百分点"):
        return "points"
    if base_unit.endswith("元"):
        return "money"
    return "count"


def _check_item_charts(checker: _Checker, item: Item, doc: YamlDoc) -> None:
    seen: set[str] = set()
    for index, chart in enumerate(item.charts):
        path = ("charts", index)
        if chart.id in seen:
            checker.err(doc, path + ("id",), f"duplicate chart id `{chart.id}` in this item", "rename one")
        seen.add(chart.id)
        infos = []
        for k, fid in enumerate(chart.figures):
            info = checker.figures.get(fid)
            if info is None or info.item != item.id:
                checker.err(doc, path + ("figures", k), f"chart figure `{fid}` is not a figure of this item",
                            "list ids from this item's `figures`")
            else:
                infos.append(info)
        classes = {unit_class(i.base_unit) for i in infos}
        if len(classes) > 1:
            checker.err(doc, path + ("figures",), "chart mixes " + " and ".join(sorted(classes)) + " on one axis",
                        "percentages, percentage points, money and counts need separate charts")
        elif classes and classes != {"count"} and len({i.base_unit for i in infos}) > 1:
            checker.err(doc, path + ("figures",), "chart mixes units " + ", ".join(sorted({i.base_unit for i in infos})),
                        "put figures of one unit in a chart")
        if chart.scale == "log" and any(i.value_normalized <= 0 for i in infos):
            checker.err(doc, path + ("scale",), "a log scale cannot show zero or negative values", "use scale: linear")


def _check_changes(checker: _Checker, loaded: Loaded, reports: dict[str, Any], items: set[str]) -> None:
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
