"""The rules about figures: each figure against its quote (written form, value, qualifier),
derived figures against their formulas, series (one base unit, one value a period), every
number of a report's text recorded, and item charts that mix no units."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from civictrack.check.checker import Checker
from civictrack.dataset import FigureInfo
from civictrack.source import SourceText, find_token
from civictrack.units import NUMBER as _NUMBER
from civictrack.units import normalize, plain, qualifier_of

if TYPE_CHECKING:
    from civictrack.load.loader import Loaded
    from civictrack.load.yamlload import YamlDoc
    from civictrack.model import Figure, Item, Report



QUALIFIER_HINTS = {
    "zh-CN": "余/超/多 = more_than, 近 = nearly, 约 = about, 至少 = at_least, none = exact",
    "en": "more than/over/in excess of = more_than, nearly/almost/close to = nearly, about/around/approximately/"
          "some = about, at least = at_least, up to/as many as = at_most, none = exact",
}
"""What the words of a written figure mean, per language of the text (``units.qualifier_of``)."""


def check_figure(checker: Checker, fig: Figure, doc: YamlDoc, path: tuple[Any, ...], report_id: str, item_id: str | None,
           default_anchor: str | None) -> None:
    anchor = fig.paragraph or default_anchor
    if anchor is None:  # the item's own paragraph is wrong, and that is reported already
        checker.unsure.add((report_id, "*"))
        checker.figures.setdefault(fig.id, FigureInfo(fig, report_id, item_id, "", Decimal(0), fig.unit, None))
        return
    if fig.paragraph is not None and not checker.check_anchor(doc, path + ("paragraph",), report_id, fig.paragraph):
        return
    paragraph = checker.paragraph_text(report_id, anchor)
    language = checker.language
    normalized = normalize(fig.value, fig.unit, language)
    if normalized is None:
        checker.err(doc, path + ("value",), f"cannot read `{fig.value}` as a number",
                    'write the digits as in the source ("1,200", "1.2")' if language == "en" else
                    'write the digits as in the source ("57.5") or a Chinese numeral ("两")')
    if fig.period is None and fig.as_of is None:
        checker.err(doc, path, f"figure `{fig.id}` has neither `period` nor `as_of`",
                 'add period: "2024" or as_of: "YYYY-MM-DD" (截至目前 = the report date)')
    quote_ok = checker.check_quote(doc, path + ("quote",), fig.quote, paragraph, anchor)
    if fig.comparison is not None and fig.comparison.text not in fig.quote:
        checker.err(doc, path + ("comparison", "text"), "comparison text not found in the figure's quote",
                 "copy the comparing words from the quote")
    span: tuple[int, int] | None = None
    if fig.derived:
        if fig.formula is None:
            checker.err(doc, path + ("derived",), f"derived figure `{fig.id}` has no `formula`",
                     "say how it follows from stated figures, e.g. formula: a-2024 - a-change-2024")
        if fig.written is not None:
            checker.err(doc, path + ("written",), "a derived figure is not written in the source; remove `written`",
                     "derived figures are computed, never quoted as if stated")
    else:
        if fig.formula is not None:
            checker.err(doc, path + ("formula",), "`formula` is only for derived figures",
                     "set `derived: true` or remove the formula")
        if fig.written is None:
            checker.err(doc, path, f"stated figure `{fig.id}` has no `written`",
                     "add `written:` with the figure exactly as the quote has it, e.g. 1.4亿余元")
        elif quote_ok and paragraph is not None:
            start_in_quote = find_token(fig.quote, fig.written, fig.occurrence)
            if start_in_quote < 0:
                checker.err(doc, path + ("written",), f"`{fig.written}` not found in the quote"
                         + (f" {fig.occurrence} times" if fig.occurrence > 1 else ""),
                         "copy the figure from the quote, qualifier and unit included")
            else:
                start = paragraph.index(fig.quote) + start_in_quote
                span = (start, start + len(fig.written))
            if fig.value not in fig.written:
                checker.err(doc, path + ("value",), f"value `{fig.value}` is not in the written figure `{fig.written}`",
                         "the value is the number as written, never rounded or converted")
            expected = qualifier_of(fig.written, language)
            if expected != fig.qualifier:
                checker.err(doc, path + ("qualifier",),
                         f"qualifier is `{fig.qualifier}` but `{fig.written}` reads as `{expected}`",
                         QUALIFIER_HINTS.get(language, QUALIFIER_HINTS["zh-CN"]))
    if span is None and not fig.derived:
        checker.unsure.add((report_id, anchor))
    if fig.id in checker.figures:
        return
    value, base = normalized if normalized else (Decimal(0), fig.unit)
    checker.figures[fig.id] = FigureInfo(fig, report_id, item_id, anchor, value, base, span)
    if fig.derived and fig.formula is not None:
        checker.pending.append((fig, doc, path, report_id, item_id, anchor))


def check_formulas(checker: Checker) -> None:
    for fig, doc, path, _report, _item, _anchor in checker.pending:
        tokens = fig.formula.split()
        terms: list[tuple[str, str]] = []
        well_formed = len(tokens) % 2 == 1 and all(t in "+-" for t in tokens[1::2])
        if well_formed:
            terms = [("+", tokens[0])] + list(zip(tokens[1::2], tokens[2::2]))
        else:
            checker.err(doc, path + ("formula",), f"cannot read formula `{fig.formula}`",
                     "write figure ids joined by + and - with spaces around each sign: a-2024 - b-2024")
        total = Decimal(0)
        ok = bool(terms)
        for sign, ident in terms:
            other = checker.figures.get(ident)
            if other is None or ident == fig.id:
                checker.err(doc, path + ("formula",), f"formula names unknown figure `{ident}`",
                         "use ids of other figures joined by + and -")
                ok = False
                continue
            if other.base_unit != checker.figures[fig.id].base_unit:
                checker.err(doc, path + ("formula",), f"formula mixes units: `{ident}` is in {other.base_unit}",
                         "only figures of one base unit can be added or subtracted")
                ok = False
                continue
            total += other.value_normalized if sign == "+" else -other.value_normalized
        mine = checker.figures[fig.id]
        if ok and total != mine.value_normalized:
            checker.err(doc, path + ("value",),
                     f"derived value {plain(mine.value_normalized)} {mine.base_unit} does not equal its formula "
                     f"{' '.join(fig.formula.split())} = {plain(total)} {mine.base_unit}",
                     "compute the value from the formula exactly, in the figure's own unit")


def check_coverage(checker: Checker, report: Report, doc: YamlDoc, text: SourceText) -> None:
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


def check_series(checker: Checker, figures: dict[str, FigureInfo], loaded: Loaded) -> None:
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


def unit_class(base_unit: str) -> str:
    """percent, points, money or count: figures of different classes never share an axis."""
    if base_unit == "%":
        return "percent"
    if base_unit.endswith(("百分点", "percentage points", "percentage point")):
        return "points"
    if base_unit.endswith("元") or base_unit.split(" ")[0] in ("GBP", "USD", "EUR"):
        return "money"
    return "count"


def check_item_charts(checker: Checker, item: Item, doc: YamlDoc) -> None:
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
