"""A chart's title says no more than its figure: no comparison, date or plural that the chart's own
data and quotes do not hold (every chart of the bundled site, both editions, and of the examples);
a count's axis ticks whole numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from civictrack import i18n
from civictrack.charts.barchart import render_bar
from civictrack.charts.specs import ChartSpec, Row, all_charts
from civictrack.check import check_project
from civictrack.dataset import Dataset
from civictrack.errors import ErrorSink
from civictrack.index.indexes import build_indexes

from .conftest import ROOT

PROJECTS = [ROOT, ROOT / "examples" / "series", ROOT / "examples" / "en-response"]

PLURAL = re.compile(r"均(?!衡)|都|各|\ball\b|\bboth\b|\beach\b", re.I)
"""Words that say something of several values at once."""
OTHER_SIDE = re.compile(r"平均|高于|低于|超过全国|\baverage\b|\babove\b|\bbelow\b|\bhigher than\b|\blower than\b", re.I)
"""Words that compare with a value the chart would have to draw (an average, another figure)."""
CHANGE = re.compile(r"较上年|比上年|同比|较\d{4}年|than (?:the previous|last) year|year on year|compared with", re.I)
"""Words that compare with an earlier point of the series."""
DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{4}年\d{1,2}月\d{1,2}日|\b\d{1,2} [A-Z][a-z]+ \d{4}\b")


def charts_of(root: Path) -> list[tuple[str, Dataset, ChartSpec]]:
    data = check_project(root, ErrorSink())
    assert data is not None, root
    ix = build_indexes(data)
    found = []
    for lang in i18n.editions(data.config):
        with i18n.speaking(lang, data.config.language):
            found += [(lang, data, spec) for spec in all_charts(data, ix).values()]
    return found


@pytest.fixture(scope="module")
def every_chart() -> list[tuple[str, Dataset, ChartSpec]]:
    charts = [chart for root in PROJECTS for chart in charts_of(root)]
    assert len({lang for lang, _data, _spec in charts}) == 2
    return charts


def test_titles_state_only_what_the_chart_holds(every_chart: list[tuple[str, Dataset, ChartSpec]]) -> None:
    problems = []
    for lang, data, spec in every_chart:
        rows = spec.rows
        infos = [data.figures[fid] for fid in spec.figure_ids]
        title = spec.title  # what it says beyond naming what is counted (a label may say 各级各类, 较上年增加额)
        with i18n.speaking(lang, data.config.language):
            named = {r.label for r in rows} | {i18n.text(i.figure, "label") for i in infos}
        for label in sorted(named, key=len, reverse=True):
            title = title.replace(label, "")
        labels = " ".join(r.label for r in rows)
        if PLURAL.search(title) and len(rows) < 2:
            problems.append((lang, spec.id, "a plural of one value", spec.title))
        match = OTHER_SIDE.search(title)
        if match and not re.search(r"平均|average", labels, re.I):
            problems.append((lang, spec.id, f"compares ({match[0]}) with nothing drawn", spec.title))
        if CHANGE.search(title) and len({r.label for r in rows}) < 2:
            problems.append((lang, spec.id, "a change with one point drawn", spec.title))
        for date in DATE.findall(title):
            iso = date if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else None
            with i18n.speaking(lang, data.config.language):
                dated = [info for info in infos if info.figure.as_of and i18n.format_date(info.figure.as_of) == date
                         or info.figure.as_of == iso]
            if not dated:
                continue  # not a figure's as-of date (the progress chart's data date, a period the source writes)
            if any(info.figure.as_of == data.reports[info.report].date for info in dated) and not re.search(
                    r"报告日|report's date", title):
                problems.append((lang, spec.id, "the report's date shown as a date the report stated", spec.title))
    assert not problems, "\n".join(map(str, problems))


def test_a_figure_chart_marks_the_reports_date(every_chart: list[tuple[str, Dataset, ChartSpec]]) -> None:
    titles = {(lang, spec.id): spec.title for lang, _data, spec in every_chart}
    rate = "figure-cq-edu-preschool-gross-enrolment-rate-2024"
    assert titles[("zh-CN", rate)] == "全市学前教育毛入园率：截至报告日（2024-12-27），93.06%"
    assert "report's date" in titles[("en", rate)]
    assert "均" not in titles[("zh-CN", rate)]
    notes = {(lang, spec.id): spec.note for lang, _data, spec in every_chart}
    assert "均高于全国平均水平" in notes[("zh-CN", rate)] and "未画出" in notes[("zh-CN", rate)]
    # a change over time whose earlier point the chart draws keeps the source's words
    assert "较上年增加33.71亿元" in titles[("zh-CN", "figure-cq-edu-transfer-payments-2024")]


def test_count_axes_tick_whole_numbers(every_chart: list[tuple[str, Dataset, ChartSpec]]) -> None:
    counted = [(lang, spec) for lang, _data, spec in every_chart if spec.whole]
    assert any(spec.id == "overview-bodies" for _lang, spec in counted)
    for lang, spec in counted:
        assert all(float(r.value).is_integer() for r in spec.rows), spec.id
        if spec.kind == "bar":
            values = re.findall(r'font-size="10px"[^>]*>(.*?)</text>', render_bar(spec)[0])
            assert values and all(re.fullmatch(r"[\d,]+|[\d.]+(?:万|亿|m|bn)", v) for v in values), (lang, spec.id, values)
        elif spec.kind == "dot-log":  # ticks at the powers of ten from the smallest value's: whole for counts
            ticks = re.search(r"'values': \[([^\]]*)\]", str(spec.vegalite()))
            assert ticks and all(float(t).is_integer() for t in ticks[1].split(", ")), spec.id
        else:
            assert "'tickMinStep': 1" in str(spec.vegalite()), spec.id


def test_whole_ticks_match_vega() -> None:
    """The bar renderer's whole ticks are Vega's (tickMinStep 1) for small counts."""
    pytest.importorskip("vl_convert")
    from civictrack.charts.typeface import vl_convert_with_font

    vl_convert = vl_convert_with_font()
    for values in ([3, 1, 1], [1], [2], [17, 4], [7]):
        spec = ChartSpec("figure-t", "标题", "措施数（项）", [Row(f"主体{i}", v, f"{v}项") for i, v in enumerate(values)],
                         "来源", whole=True)
        vega = vl_convert.vegalite_to_svg(spec.vegalite())
        vega_ticks = re.findall(r'font-size="10px" fill="#1b1b1b" opacity="1">(.*?)</text>', vega)
        ours = re.findall(r'font-size="10px"[^>]*>(.*?)</text>', render_bar(spec)[0])
        assert ours == vega_ticks, (values, ours, vega_ticks)
        assert all(re.fullmatch(r"\d+", t) for t in ours), ours
