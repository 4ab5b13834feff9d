"""Charts: what to chart (from the data), the Altair spec, and honest encoding.

Three kinds of chart, each a :class:`ChartSpec`:

* one per figure: the series of its indicator (a single value shown as one bar);
  derived values are a dashed white bar labelled 推算;
* one per ``charts:`` entry of an item: figures the editor chose to compare, with a
  title that says the finding;
* overview charts: items and figures per area, action statuses per area, items per
  responsible body; and on the progress page, each report's status counts over time.

Encoding rules: bars start at zero; every bar carries its value as written (so 余, 超,
近 stay visible); derived values are visibly distinct; the unit is the axis title;
percentages, percentage points, money and counts never share an axis (``check``
enforces it for item charts).  Rendering to SVG/PNG lives in ``charts.render``.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from civictrack import i18n
from civictrack.i18n import N_, _, ngettext, pgettext
from civictrack.index.indexes import Indexes
from civictrack.index.progress import progress_snapshots
from civictrack.render.format import (EN_DATE, QUALIFIER_ZH, ZH_DATE, ZH_YEAR, area_label, as_of_is_report_date,
                                      figure_text, report_name,
                                      value_in_words)
from civictrack.units import split_unit
from civictrack.dataset import Dataset, FigureInfo

if TYPE_CHECKING:
    from civictrack.model import Item  # annotations only: a build from the cached data set never imports pydantic

FONT = "WenQuanYi Micro Hei, PingFang SC, Hiragino Sans GB, Microsoft YaHei, Noto Sans CJK SC, sans-serif"
"""The charts' font family: first the bundled font (``charts.typeface``), which vl-convert measures
and draws every chart with and ``barchart`` lays out with, whatever else is installed; the
others only for a browser showing an inline SVG on a machine without it (the text stays where
the bundled font's widths put it)."""
INK = "#1b1b1b"
BAR = "#1d4f91"
STATUS_COLOURS = ["#0b3d6b", "#2f6fae", "#7aa6d6", "#bcd3ec", "#e4ebf3"]  # dark → light: readable in greyscale
WIDTH = 520
NARROW_WIDTH = 300
"""A phone's chart (``ChartSpec.narrow``): the whole SVG this wide, shown below 40rem (640 px)."""
NARROW_PLOT = 170  # the plot of a narrow chart drawn by vl-convert (its labels beside it)
NARROW_LABEL_LIMIT = 92
ZH_NUMBER = ("abs(datum.value) >= 100000000 ? format(datum.value / 100000000, '~g') + '亿' : "
             "abs(datum.value) >= 10000 ? format(datum.value / 10000, '~g') + '万' : format(datum.value, '~g')")
"""Axis labels in Chinese magnitudes: 3000万, 1.5亿."""
EN_NUMBER = ("abs(datum.value) >= 1000000000 ? format(datum.value / 1000000000, '~g') + 'bn' : "
             "abs(datum.value) >= 1000000 ? format(datum.value / 1000000, '~g') + 'm' : format(datum.value, ',~g')")
"""Axis labels in English magnitudes: 250,000, 30m, 1.5bn (``barchart.en_number`` draws the same)."""
AXIS_NUMBER = {"zh-CN": ZH_NUMBER, "en": EN_NUMBER}
"""A chart's axis labels by its language (``ChartSpec.lang``)."""


@dataclass
class Row:
    label: str  # category (a period, an indicator, an area)
    value: float  # in the chart's unit
    text: str  # the value as written, shown on the bar
    derived: bool = False
    series: str = ""  # colour group for grouped/stacked charts
    link: str = ""  # site-relative path of the figure or page


@dataclass
class ChartSpec:
    """One chart: its rows, its words, and where it is shown."""

    id: str  # file stem under charts/
    title: str  # says the finding
    unit: str  # axis title
    rows: list[Row]
    source: str  # source line
    kind: str = "bar"  # bar | grouped | stacked | dot-log
    note: str = ""
    figure_ids: list[str] = field(default_factory=list)
    series_order: list[str] = field(default_factory=list)
    whole: bool = False
    """Whether the axis counts whole things (items, actions; every value a whole number of a
    unit that is not a percentage): its ticks are then whole numbers (``whole_ticks``)."""
    lang: str = field(default_factory=i18n.language)
    """The language of the chart's words: the edition's when it was made.  It is part of the spec
    (and so of the cache key, ``charts.render.cache_key``): an edition's chart is never another's;
    the words made when it is drawn (its description, tooltips, axis labels) are in it, even in a
    worker process that speaks another."""
    narrow: bool = False
    """The phone variant (``narrow_variant``): the same rows laid out ``NARROW_WIDTH`` wide, title
    and source in short lines, labels above the bars.  Part of the repr, so of the cache key."""

    def narrow_variant(self) -> "ChartSpec":
        """This chart laid out for a phone (id ``<id>-narrow``; shown inline only, no files)."""
        return replace(self, id=f"{self.id}-narrow", narrow=True)

    @property
    def description(self) -> str:
        """The text alternative: the chart's title and every number it shows."""
        with i18n.speaking(self.lang):
            kind = {"bar": _("条形图"), "grouped": _("分组条形图"), "stacked": _("堆积条形图"),
                    "dot-log": _("点图（对数刻度）")}[self.kind]
            derived, estimated = pgettext("the word marking a derived value", "推算"), _("（推算）")
            parts = []
            for r in self.rows:
                label = _("%(label)s·%(series)s") % {"label": r.label, "series": r.series} if r.series else r.label
                part = _("%(label)s：%(value)s") % {"label": label, "value": r.text}
                parts.append(part + (estimated if r.derived and derived not in r.text else ""))
            return _("%(kind)s。%(title)s。%(values)s。") % {"kind": kind, "title": self.title,
                                                            "values": _("；").join(parts)}

    def title_lines(self) -> list[str]:
        """The title as the chart draws it, in lines (``wrap_title``; narrow: ``wrap_measured``)."""
        if self.narrow:
            return wrap_measured(self.title, 15, NARROW_WIDTH - 12)
        return wrap_title(self.title, words=not self.lang.startswith("zh"))

    def source_lines(self) -> list[str] | str:
        """The source line as drawn: one line, or (narrow) short lines."""
        if self.narrow and self.source:
            return wrap_measured(self.source, 11, NARROW_WIDTH - 12)
        return self.source

    def vegalite(self) -> dict[str, Any]:
        """The Vega-Lite spec.  Plain bar charts (one per figure: thousands of them) fill in a
        spec Altair built once for that shape (Altair costs ~20 ms a chart, the fill ~0.05 ms);
        ``tests/test_charts.py`` checks the fill equals Altair's own spec for many charts."""
        if self.kind == "bar":
            return self._bar_filled()
        return self.altair_vegalite()

    def _bar_headroom(self) -> float:
        top = max((r.value for r in self.rows), default=0) or 1
        return 100 if self.unit == "%" and top <= 100 else top * 1.3  # a rate axis ends at 100%

    def _label_lines(self) -> dict[str, list[str]]:
        """A narrow chart's row labels in lines at most ``NARROW_LABEL_LIMIT`` px wide."""
        return {r.label: wrap_measured(r.label, 12, NARROW_LABEL_LIMIT) or [""] for r in self.rows}

    def whole_ticks(self) -> list[int]:
        """A bar chart of counts (``whole``): its axis' ticks, whole numbers (``barchart.whole_ticks``)."""
        from civictrack.charts.barchart import TICK_COUNT, whole_ticks

        return [int(v) for v in whole_ticks(self._bar_headroom(), TICK_COUNT)]

    def _count_ticks(self, span: float) -> dict[str, Any]:
        """A stacked or grouped chart's axis values up to ``span``: whole numbers where it counts
        whole things (``_whole``), else Vega's own."""
        if not _whole(self.rows, self.unit):
            return {}
        from civictrack.charts.barchart import TICK_COUNT, whole_ticks

        return {"values": [int(v) for v in whole_ticks(span, 4 if self.narrow else TICK_COUNT)]}

    def _height(self) -> int:
        step = 26 if self.kind != "grouped" else 18
        if self.narrow and self.kind != "bar":
            most = max((len(lines) for lines in self._label_lines().values()), default=1)
            step = max(step, (14 * most + 14) // (2 if self.kind == "grouped" else 1))
        return max(1, len({r.label for r in self.rows})) * step * (2 if self.kind == "grouped" else 1)

    def _values(self) -> list[dict[str, Any]]:
        return [{"label": r.label, "value": r.value, "text": r.text, "derived": r.derived, "series": r.series,
                 "order": i} for i, r in enumerate(self.rows)]

    def _bar_filled(self) -> dict[str, Any]:
        spec: dict[str, Any] = json.loads(_bar_template(self.lang))  # a fresh deep copy
        spec["data"]["values"] = self._values()
        spec["description"] = self.description
        spec["height"] = self._height()
        spec["title"]["text"] = self.title_lines()
        spec["title"]["subtitle"] = self.source
        for layer in spec["layer"]:
            x = layer["encoding"]["x"]
            x["title"] = self.unit
            x["scale"]["domainMax"] = self._bar_headroom()
            if self.whole:
                x["axis"]["values"] = self.whole_ticks()
        return spec

    def altair_vegalite(self) -> dict[str, Any]:
        """The Vega-Lite spec, made with Altair's explicit channel objects (no shorthand)."""
        with i18n.speaking(self.lang):
            return self._altair_vegalite()

    def _altair_vegalite(self) -> dict[str, Any]:
        import altair as alt

        number = AXIS_NUMBER.get(self.lang, ZH_NUMBER)
        data = alt.Data(values=self._values())
        base = alt.Chart()  # data goes on the top level once: layers would each deep-copy it
        if self.narrow:  # labels in short lines (never cut), each band tall enough for its lines
            wrapped = self._label_lines()
            y = alt.Y(field="label", type="nominal", sort=None, title=None,
                      axis=alt.Axis(labelLimit=_widest(wrapped, 12) + 6, labelFontSize=12, labelLineHeight=14,
                                    labelExpr=f"{json.dumps(wrapped, ensure_ascii=False)}[datum.label]"))
        else:
            y = alt.Y(field="label", type="nominal", sort=None, title=None,
                      axis=alt.Axis(labelLimit=260, labelFontSize=12))
        width = NARROW_PLOT if self.narrow else WIDTH
        top = max((r.value for r in self.rows), default=0) or 1
        tooltip = [alt.Tooltip(field="label", type="nominal", title=pgettext("chart tooltip", "项目")),
                   alt.Tooltip(field="text", type="nominal", title=_("原文数值"))]
        if self.kind == "dot-log":
            low = min(r.value for r in self.rows)
            ticks = [10.0 ** k for k in range(int(math.floor(math.log10(low))), int(math.ceil(math.log10(top * 8))) + 1)]
            x = alt.X(field="value", type="quantitative", title=_("%(unit)s（对数刻度）") % {"unit": self.unit},
                      scale=alt.Scale(type="log", domain=[ticks[0], ticks[-1]]),
                      axis=alt.Axis(values=ticks, labelExpr=number, grid=True))
            marks = base.mark_point(filled=True, size=90, color=BAR).encode(y=y, x=x, tooltip=tooltip)
            labels = base.mark_text(align="left", dx=8, color=INK, fontSize=12).encode(
                y=y, x=x, text=alt.Text(field="text", type="nominal"))
            chart = alt.layer(marks, labels, data=data)
        elif self.kind in ("grouped", "stacked"):
            colours = STATUS_COLOURS if self.kind == "stacked" else [BAR, "#7aa6d6"]
            colour = alt.Color(field="series", type="nominal", sort=self.series_order, title=None,
                               scale=alt.Scale(domain=self.series_order, range=colours[: len(self.series_order)]),
                               legend=alt.Legend(orient="top", direction="horizontal", columns=2, labelLimit=NARROW_WIDTH // 2 - 30)
                               if self.narrow else alt.Legend(orient="top", direction="horizontal"))
            tooltip.append(alt.Tooltip(field="series", type="nominal", title=pgettext("chart tooltip", "类别")))
            if self.kind == "stacked":
                totals: dict[str, float] = {}
                for r in self.rows:
                    totals[r.label] = totals.get(r.label, 0) + r.value
                span = max(totals.values(), default=1) or 1
                x = alt.X(field="value", type="quantitative", title=self.unit, stack="zero",
                          axis=alt.Axis(labelExpr=number, tickMinStep=1, **self._count_ticks(span)))
                chart = base.mark_bar(stroke=INK, strokeWidth=0.75).encode(
                    y=y, x=x, color=colour, order=alt.Order(field="order", type="quantitative"),
                    tooltip=tooltip).properties(data=data)
            else:
                x = alt.X(field="value", type="quantitative", title=self.unit,
                          scale=alt.Scale(zero=True, domainMax=top * 1.2),
                          axis=alt.Axis(labelExpr=number, tickMinStep=1, **self._count_ticks(top * 1.2)))
                offset = alt.YOffset(field="series", type="nominal", sort=self.series_order)
                bars = base.mark_bar().encode(y=y, x=x, color=colour, yOffset=offset, tooltip=tooltip)
                labels = base.mark_text(align="left", dx=3, color=INK, fontSize=11).encode(
                    y=y, x=x, yOffset=offset, text=alt.Text(field="text", type="nominal"))
                chart = alt.layer(bars, labels, data=data)
        else:
            axis = alt.Axis(labelExpr=number, values=self.whole_ticks()) if self.whole else alt.Axis(labelExpr=number)
            x = alt.X(field="value", type="quantitative", title=self.unit,
                      scale=alt.Scale(zero=True, domainMax=self._bar_headroom()), axis=axis)
            # derived values: white bar, dashed outline (scales, not conditions: conditions cost
            # a schema validation each)
            bars = base.mark_bar(stroke=BAR, strokeWidth=1.5).encode(
                y=y, x=x, tooltip=tooltip,
                fill=alt.Fill(field="derived", type="nominal", legend=None,
                              scale=alt.Scale(domain=[False, True], range=[BAR, "#ffffff"])),
                strokeDash=alt.StrokeDash(field="derived", type="nominal", legend=None,
                                          scale=alt.Scale(domain=[False, True], range=[[1, 0], [5, 3]])))
            labels = base.mark_text(align="left", dx=4, color=INK, fontSize=12).encode(
                y=y, x=x, text=alt.Text(field="text", type="nominal"))
            chart = alt.layer(bars, labels, data=data)
        spec = chart.properties(
            width=width, height=self._height(), description=self.description,
            title=alt.TitleParams(text=self.title_lines(), subtitle=self.source_lines(), anchor="start", fontSize=15,
                                  subtitleFontSize=11, subtitleColor="#555b66",
                                  limit=NARROW_WIDTH - 10 if self.narrow else WIDTH + 200),
        ).configure(font=FONT, background="#ffffff").configure_axis(
            labelColor=INK, titleColor=INK, gridColor="#e3e6ea", domainColor="#888888", tickColor="#888888",
        ).configure_view(stroke=None).to_dict(validate=False)  # validation costs ~60 ms a chart; tests validate
        if self.narrow:  # a 170 px axis: few ticks
            spec["config"]["axisX"] = {"tickCount": 4}
        return spec


@lru_cache(maxsize=4)
def _bar_template(lang: str = i18n.MESSAGE_LANGUAGE) -> str:
    """JSON of an Altair-built bar spec in ``lang``; ``_bar_filled`` replaces its data-dependent parts."""
    sample = ChartSpec("template", "title", "unit", [Row("label", 1.0, "1")], "source", lang=lang)
    return json.dumps(sample.altair_vegalite(), ensure_ascii=False)


# --- what to chart -------------------------------------------------------------------


def wrap_title(title: str, width: int = 28, words: bool = False) -> list[str]:
    """Split a long title into lines of about ``width`` characters, preferably after punctuation;
    with ``words`` (a language that spaces its words), lines of about twice as many half-width
    characters, broken between words (``wrap_words``)."""
    if words:
        return wrap_words(title, width * 2)
    lines: list[str] = []
    rest = title
    while len(rest) > width:
        cut = max((rest.rfind(p, width // 2, width + 1) for p in "，：；、,:"), default=-1)
        cut = cut + 1 if cut > 0 else width
        lines.append(rest[:cut])
        rest = rest[cut:]
    return lines + ([rest] if rest else [])


_TOKEN = re.compile(rf"{ZH_DATE}|{ZH_YEAR}|{EN_DATE}|[0-9A-Za-z][0-9A-Za-z.,%'’/\-]*|\s+|.", re.S)
_NO_LINE_START = "，。、：；！？）》」』”’,.:;!?)%"


def wrap_measured(text: str, size: float, limit: float) -> list[str]:
    """Split ``text`` into lines at most ``limit`` px wide at ``size`` px (the bundled font's
    widths): between words and between CJK characters, never inside a number or a Latin word
    (``93.06%``, ``2024``, ``17,570,000,000``), never with closing punctuation first on a line."""
    from civictrack.charts.barchart import text_width

    tokens: list[str] = []
    for token in _TOKEN.findall(text):
        if tokens and (token[0] in _NO_LINE_START or tokens[-1][-1] in "（《「『“‘("):
            tokens[-1] += token  # punctuation stays with its neighbour
        else:
            tokens.append(token)
    lines: list[str] = []
    line = ""
    for token in tokens:
        if line and not token.isspace() and text_width((line + token).rstrip(), size) > limit:
            lines.append(line.rstrip())
            line = token.lstrip()
        elif not (token.isspace() and not line):
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _widest(lines: dict[str, list[str]], size: float) -> int:
    """The widest of these lines at ``size`` px, whole pixels (a label limit that cuts none)."""
    from civictrack.charts.barchart import text_width

    return math.ceil(max((text_width(line, size) for group in lines.values() for line in group), default=0))


def wrap_words(title: str, width: int = 56) -> list[str]:
    """Split a title into lines of at most ``width`` columns (a wide character counts two),
    between words; a word longer than a line has a line of its own."""
    lines: list[str] = []
    line, used = "", 0
    for word in title.split(" "):
        size = sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in word)
        if line and used + 1 + size > width:
            lines.append(line)
            line, used = word, size
        else:
            line, used = (f"{line} {word}", used + 1 + size) if line else (word, size)
    return lines + ([line] if line else [])


def _plot_unit(points: list[FigureInfo]) -> tuple[str, bool]:
    """The unit to plot in: the written unit if all share it, else the base unit.  On an edition
    other than the source's: the base unit, titled where the catalogs name it (else untitled:
    the label says what is counted)."""
    if i18n.language() != i18n.source_language():
        base = points[0].base_unit
        return (base if base == "%" else _(_AXIS_UNITS[base]) if base in _AXIS_UNITS else ""), False
    units = {p.figure.unit for p in points}
    return (units.pop(), True) if len(units) == 1 else (points[0].base_unit, False)


_AXIS_UNITS = {"元": N_("元")}
"""Base units an axis can be titled with on another edition (besides %)."""


def _value(info: FigureInfo, in_written_unit: bool) -> float:
    if in_written_unit:
        factor, _base = split_unit(info.figure.unit, i18n.source_language())
        return float(info.value_normalized / factor)
    return float(info.value_normalized)


def _label_text(info: FigureInfo) -> str:
    if i18n.language() != i18n.source_language():  # a chart's text cannot mark the source's words
        return value_in_words(info)
    q = QUALIFIER_ZH[info.figure.qualifier]
    text = figure_text(info)
    return _("%(value)s（%(qualifier)s）") % {"value": text, "qualifier": q} if q and not info.figure.written else text


def _when(data: Dataset, info: FigureInfo) -> str:
    return _period(data, info)[0]


def _period(data: Dataset, info: FigureInfo) -> tuple[str, bool]:
    """When the figure stands, as a chart says it, and whether that is an as-of date (its
    ``as_of``, or a period the source writes as one: 截至年底).  An ``as_of`` that is the
    report's own date (the source says 截至目前, "to date") is marked as the report's date: the
    report did not state it."""
    fig = info.figure
    if fig.period:
        if fig.period.isdigit() and len(fig.period) == 4:
            return _("%(year)s年") % {"year": fig.period}, False
        return i18n.text(fig, "period"), fig.period.startswith(AS_OF_WORD)
    if not fig.as_of:
        return "", False
    if as_of_is_report_date(data, info):
        return _("截至报告日（%(date)s）") % {"date": i18n.format_date(fig.as_of)}, True
    return _("截至%(date)s") % {"date": i18n.format_date(fig.as_of)}, True


AS_OF_WORD = "截至"
"""How the source begins a period that is an as-of date (a rule over its words, not interface)."""


def source_line(data: Dataset, report_id: str) -> str:
    report = data.reports[report_id]
    return _("来源：%(issuer)s《%(title)s》（%(date)s）") % {
        "issuer": i18n.text(data.bodies[report.issuer], "name"), "title": report_name(report),
        "date": i18n.format_date(report.date)}


def figure_chart(data: Dataset, ix: Indexes, info: FigureInfo) -> ChartSpec:
    """The chart on a figure page: its indicator's series, derived values marked."""
    points = ix.series[info.figure.indicator]
    unit, written = _plot_unit(points)
    estimated = _("（推算）")
    rows = [Row(_when(data, p), _value(p, written), _label_text(p) + (estimated if p.figure.derived else ""),
                p.figure.derived, link=f"figures/{p.figure.id}/") for p in points]
    fig = info.figure
    when, as_of = _period(data, info)
    words = {"label": i18n.text(fig, "label"), "when": when,
             "value": figure_text(info) if i18n.language() == i18n.source_language() else value_in_words(info)}
    if as_of:
        title = _("%(label)s：%(when)s，%(value)s") % words
    elif when:
        title = _("%(label)s：%(when)s%(value)s") % words
    else:
        title = _("%(label)s：%(value)s") % words
    notes = [_("虚线白色条为本站推算值，不是报告原文陈述。")] if any(p.figure.derived for p in points) else []
    ids = [p.figure.id for p in points]
    drawn = fig.comparison is not None and _draws_comparison(fig, ids)
    if drawn and i18n.language() == i18n.source_language():
        title = _("%(title)s，%(comparison)s") % {"title": title, "comparison": fig.comparison.text}  # the source's words
    elif fig.comparison is not None and not drawn:
        # not in the title: the chart does not draw what the figure is compared with, and the
        # source's words may speak of several figures at once (均高于全国平均水平: three rates)
        notes.append(_("原文所述比较：“%(comparison)s”；图中未画出比较对象。") % {"comparison": fig.comparison.text}
                     if i18n.language() == i18n.source_language() else _("报告所述比较见原文；图中未画出比较对象。"))
    if fig.derived and pgettext("the word marking a derived value", "推算") not in title:
        title += estimated
    return ChartSpec(f"figure-{fig.id}", title, unit, rows, source_line(data, info.report),
                     note=("" if i18n.language().startswith("zh") else " ").join(notes), figure_ids=ids,
                     whole=_whole(rows, unit))


def item_charts(data: Dataset, item: Item) -> list[ChartSpec]:
    """Comparison charts an item's data asks for (``charts:`` in its YAML)."""
    specs = []
    for chart in item.charts:
        points = [data.figures[fid] for fid in chart.figures]
        unit, written = _plot_unit(points)
        if not written and len({p.base_unit for p in points}) > 1:
            unit = _("数量（各项单位见标签）")
        rows = [Row(i18n.text(p.figure, "label"), _value(p, written), _label_text(p), p.figure.derived,
                    link=f"figures/{p.figure.id}/") for p in points]
        specs.append(ChartSpec(f"item-{item.id}-{chart.id}", i18n.text(chart, "title"), unit, rows,
                               source_line(data, item.report), kind="dot-log" if chart.scale == "log" else "bar",
                               note=i18n.text(chart, "note"), figure_ids=list(chart.figures),
                               whole=_whole(rows, unit)))
    return specs


def _draws_comparison(fig: Any, ids: list[str]) -> bool:
    """Whether a figure's chart draws both sides of its comparison: for a change over time, an
    earlier point of its series; else the figure it names."""
    comparison = fig.comparison
    if comparison.kind == "change":  # its figure is the change itself; the series shows both ends
        return len(ids) > 1
    return comparison.figure is not None and comparison.figure in ids


def _whole(rows: list[Row], unit: str) -> bool:
    """Whether an axis counts whole things: every value a whole number, not a percentage."""
    return unit != "%" and bool(rows) and all(float(r.value).is_integer() for r in rows)


def overview_charts(data: Dataset, ix: Indexes) -> list[ChartSpec]:
    """Items and figures per area; action statuses per area; items per responsible body."""
    areas = [a for a in data.areas.values() if ix.items_by_area.get(a.id)]
    report_ids = sorted({data.area_report[a.id] for a in areas})
    source = _("；").join(source_line(data, rid) for rid in report_ids)
    measures, figures_series = _("措施"), _("数字")
    per_area = []
    for area in areas:
        items = ix.items_by_area[area.id]
        figures = sum(len(ix.figures_by_item.get(i.id, [])) for i in items)
        label = area_label(area)
        per_area.append(Row(label, len(items), _count(len(items)), series=measures, link=f"areas/{area.id}/"))
        per_area.append(Row(label, figures, _("%(num)s个") % {"num": i18n.format_number(figures)},
                            series=figures_series, link=f"areas/{area.id}/"))
    statuses = sorted(data.statuses.values(), key=lambda s: s.order)
    status_name = {s.id: i18n.text(s, "name") for s in statuses}
    per_status = []
    for area in areas:
        counts = ix.status_counts_by_area.get(area.id, {})
        for status in statuses:
            if counts.get(status.id):
                per_status.append(Row(area_label(area), counts[status.id], _count(counts[status.id]),
                                      series=status_name[status.id], link=f"areas/{area.id}/"))
    bodies = sorted(((len(items), i18n.text(data.bodies[bid], "name"), bid)
                     for bid, items in ix.items_by["bodies"].items()), key=lambda t: (-t[0], t[2]))
    per_body = [Row(name, count, _count(count), link=f"bodies/{bid}/") for count, name, bid in bodies]
    top_area = max(areas, key=lambda a: len(ix.items_by_area[a.id]))
    done = next((s for s in statuses if s.id == "done"), statuses[0])
    total_actions = sum(len(i.actions) for i in data.items)
    done_count = len(ix.actions_by_status.get(done.id, []))
    areas_title = _("%(areas)s个领域共%(items)s项措施、%(figures)s个数字；%(top)s措施最多") % {
        "areas": i18n.format_number(len(areas)), "items": i18n.format_number(len(data.items)),
        "figures": i18n.format_number(len(data.figures)), "top": area_label(top_area)}
    statuses_title = ngettext("%(total)s项行动中%(done)s项为“%(status)s”", "%(total)s项行动中%(done)s项为“%(status)s”",
                              total_actions) % {"total": i18n.format_number(total_actions),
                                                "done": i18n.format_number(done_count), "status": status_name[done.id]}
    specs = [
        ChartSpec("overview-areas", areas_title, _("项 / 个"), per_area, source, kind="grouped",
                  series_order=[measures, figures_series]),
        ChartSpec("overview-statuses", statuses_title, _("行动数（项）"),
                  per_status, source, kind="stacked", series_order=[status_name[s.id] for s in statuses
                                                                     if any(r.series == status_name[s.id]
                                                                            for r in per_status)],
                  note=_("状态是编辑对报告措辞的解读。")),
        ChartSpec("overview-bodies", _("各责任主体涉及的措施数"), _("措施数（项）"), per_body, source,
                  note=_("一项措施可有多个责任主体；只计报告点名的主体。"), whole=True),
    ]
    # no empty chart (a draft's items may name no body yet); pages.overview.chart_ids agrees
    return [spec for spec in specs if spec.rows]


def _count(n: int) -> str:
    """A count of measures or actions on its bar."""
    return _("%(num)s项") % {"num": i18n.format_number(n)}


def progress_chart(data: Dataset, ix: Indexes) -> ChartSpec:
    """Status counts per report over time, stacked, in the status scale's order."""
    statuses = sorted(data.statuses.values(), key=lambda s: s.order)
    status_name = {s.id: i18n.text(s, "name") for s in statuses}
    rows = []
    for rid, date, counts in progress_snapshots(data, ix):
        report = data.reports[rid]
        label = f"{i18n.format_date(date)} {report_name(report)}"
        for status in statuses:
            if counts.get(status.id):
                rows.append(Row(label, counts[status.id], _count(counts[status.id]), series=status_name[status.id],
                                link=f"reports/{rid}/"))
    total = len(ix.tracks)
    done = sum(1 for t in ix.tracks.values() if t.done_since is not None)
    overdue = sum(1 for t in ix.tracks.values() if t.overdue)
    title = ngettext("截至%(date)s，%(total)s项行动中%(done)s项已完成", "截至%(date)s，%(total)s项行动中%(done)s项已完成",
                     total) % {"date": i18n.format_date(ix.as_of), "total": i18n.format_number(total),
                               "done": i18n.format_number(done)}
    if overdue:
        title = _("%(title)s，%(num)s项逾期") % {"title": title, "num": i18n.format_number(overdue)}
    source = _("；").join(source_line(data, rid) for rid in data.reports if ix.items_by_report.get(rid))
    return ChartSpec("progress-statuses", title, _("行动数（项）"), rows, source, kind="stacked",
                     series_order=[status_name[s.id] for s in statuses
                                   if any(r.series == status_name[s.id] for r in rows)],
                     note=_("每份报告一组：报告当日的解读，其后每次更新或后续报告之日，以及数据截至日的状态。"))


def all_charts(data: Dataset, ix: Indexes) -> dict[str, ChartSpec]:
    """Every chart of the site, by id."""
    specs = [figure_chart(data, ix, info) for info in data.figures.values()]
    for item in data.items:
        specs += item_charts(data, item)
    if data.items:  # a new project has no report yet, and nothing to count
        specs += overview_charts(data, ix)
    if ix.as_of is not None:
        specs.append(progress_chart(data, ix))
    return {s.id: s for s in specs}


def charts_for(data: Dataset, ix: Indexes, chart_ids: list[str]) -> dict[str, ChartSpec]:
    """Just the charts with these ids (for incremental rebuilds); same specs as all_charts()."""
    wanted = set(chart_ids)
    specs: list[ChartSpec] = []
    for chart_id in wanted:
        if chart_id.startswith("figure-"):
            specs.append(figure_chart(data, ix, data.figures[chart_id.removeprefix("figure-")]))
    if any(c.startswith("item-") for c in wanted):
        for item in data.items:
            if item.charts and any(c.startswith(f"item-{item.id}-") for c in wanted):
                specs += [s for s in item_charts(data, item) if s.id in wanted]
    if any(c.startswith("overview-") for c in wanted):
        specs += [s for s in overview_charts(data, ix) if s.id in wanted]
    if "progress-statuses" in wanted:
        specs.append(progress_chart(data, ix))
    return {s.id: s for s in sorted(specs, key=lambda s: s.id)}
