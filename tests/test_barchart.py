"""The fast bar-chart renderer: Vega's layout reproduced, every value as written, escaped text,
derived values dashed, deterministic SVG and PNG (2x)."""

from __future__ import annotations

import copy
import io
import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from civictrack.charts import barchart
from civictrack.charts.barchart import format_g, layout, render_bar, ticks, zh_number
from civictrack.charts.render import prepare_inline_svg
from civictrack.charts.specs import BAR, ChartSpec, Row

SVG = "{http://www.w3.org/2000/svg}"
SOURCE = "来源：重庆市人民政府《基础教育扩优提质审议意见研究处理情况的报告》（2024-12-27）"


def chart(rows: list[Row], unit: str = "亿元", title: str = "某指标：2024年1.5亿元", source: str = SOURCE) -> ChartSpec:
    return ChartSpec("figure-x", title, unit, rows, source)


def series() -> ChartSpec:
    return chart([Row("2022年", 1.2, "1.2亿元"), Row("2023年", 1.34, "超1.3亿元"),
                  Row("2024年", 1.5, "1.4亿余元（推算）", derived=True)])


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed XML, or this raises


def texts(svg: str) -> list[str]:
    return [el.text or "" for el in parse(svg).iter(f"{SVG}text")]


def bars(svg: str) -> list[ET.Element]:
    return [el for el in parse(svg).iter(f"{SVG}path") if el.find(f"{SVG}title") is not None]


def size(svg: str) -> tuple[int, int]:
    root = parse(svg)
    return int(root.get("width")), int(root.get("height"))


def tick_labels(svg: str) -> list[str]:
    return [el.text or "" for el in parse(svg).iter(f"{SVG}text") if el.get("font-size") == "10px"]


def test_deterministic() -> None:
    svg, png = render_bar(series())
    svg2, png2 = render_bar(copy.deepcopy(series()))
    assert svg == svg2 and png == png2
    barchart._text_mask.cache_clear()  # a cold glyph cache draws the same pixels
    assert render_bar(series())[1] == png


def test_every_value_as_written_with_a_tooltip() -> None:
    spec = chart([Row("2023年", 3.2e8, "3.2亿人次"), Row("2024年", 4.4e8, "超4.4亿人次"), Row("2025年", 1.4e8, "1.4亿余元")],
                 unit="人次")
    svg, _ = render_bar(spec)
    shown = texts(svg)
    for row in spec.rows:
        assert row.text in shown and row.label in shown
        assert f">{row.text}<" in svg  # verbatim, not reformatted
    assert [b.find(f"{SVG}title").text for b in bars(svg)] == ["2023年：3.2亿人次", "2024年：超4.4亿人次", "2025年：1.4亿余元"]
    assert "某指标：2024年1.5亿元" in shown and SOURCE in shown and "人次" in shown


def test_text_is_escaped() -> None:
    spec = chart([Row("<script>alert(1)</script>", 5, 'x"&<b>y</b>'), Row("a & b", 2, "2")],
                 unit="<i>u</i>", title='<img src=x onerror="alert(1)">', source="</svg><script>")
    svg, png = render_bar(spec)
    assert "<script" not in svg and "<img" not in svg and "<b>" not in svg and "<i>" not in svg
    assert svg.count("<svg") == 1 and svg.count("</svg>") == 1
    shown = texts(svg)  # the parsed text is the data, intact
    assert "<script>alert(1)</script>" in shown and 'x"&<b>y</b>' in shown and "a & b" in shown
    assert "<i>u</i>" in shown and "</svg><script>" in shown
    assert bars(svg)[0].find(f"{SVG}title").text == '<script>alert(1)</script>：x"&<b>y</b>'
    assert Image.open(io.BytesIO(png)).size == tuple(2 * v for v in size(svg))


def test_derived_rows_are_white_and_dashed() -> None:
    svg, png = render_bar(series())
    found = bars(svg)
    assert [b.get("fill") for b in found] == [BAR, BAR, "#ffffff"]
    assert [b.get("stroke-dasharray") for b in found] == [None, None, "5,3"]
    assert all(b.get("stroke") == BAR for b in found)
    # in the PNG too: the middle of the derived bar is white, of the others the bar colour
    lay = layout(series())
    image = Image.open(io.BytesIO(png)).convert("RGB")
    for bar in lay.bars:
        centre = image.getpixel((round((bar.x + bar.width / 2) * 2), round((bar.y + bar.height / 2) * 2)))
        assert centre == ((255, 255, 255) if bar.derived else (0x1D, 0x4F, 0x91))
    top_edge = [image.getpixel((x, round(lay.bars[2].y * 2))) for x in range(round(lay.bars[2].x * 2) + 4,
                                                                            round((lay.bars[2].x + 200) * 2))]
    assert (0x1D, 0x4F, 0x91) in top_edge and (255, 255, 255) in top_edge  # dashes and gaps


def test_zero_values() -> None:
    svg, png = render_bar(chart([Row("2023年", 0.0, "0元"), Row("2024年", 0.0, "无（推算）", derived=True)], unit="元"))
    assert [b.get("d").split("h")[1].split("v")[0] for b in bars(svg)] == ["0", "0"]
    assert "0元" in texts(svg) and "无（推算）" in texts(svg)
    assert tick_labels(svg)[-1] == "1.3"  # an all-zero axis still has a scale (0 to 1 x 1.3)
    assert Image.open(io.BytesIO(png)).size == tuple(2 * v for v in size(svg))


@pytest.mark.parametrize("value, last", [(7.5e15, "9e+7亿"), (3e-9, "3.6e-9"), (2e-5, "0.000024"), (99999, "12万"),
                                         (12345.678, "1.6万"), (0.7, "0.9")])
def test_very_large_and_small_values(value: float, last: str) -> None:
    svg, png = render_bar(chart([Row("2024年", value, f"{value:g}个")], unit="个"))
    assert tick_labels(svg)[-1] == last  # as Vega's d3 ticks and format('~g') give them
    assert Image.open(io.BytesIO(png)).format == "PNG"


def test_tick_labels_in_wan_and_yi() -> None:
    yi = tick_labels(render_bar(chart([Row("2024年", 4.4e8, "超4.4亿人次")], unit="人次"))[0])
    assert yi[:4] == ["0", "5000万", "1亿", "1.5亿"] and yi[-1] == "5.5亿"
    wan = tick_labels(render_bar(chart([Row("2024年", 57500, "5.75万名")], unit="名"))[0])
    assert wan[:3] == ["0", "5000", "1万"] and all(t.endswith("万") for t in wan[2:])
    assert [zh_number(v) for v in (0, 9999, 10000, 30000000, 150000000, 2.5e8)] == \
        ["0", "9999", "1万", "3000万", "1.5亿", "2.5亿"]


def test_many_rows() -> None:
    rows = [Row(f"{1990 + i}年", i * 1000.5, f"{i * 1000.5:g}人") for i in range(40)]
    svg, png = render_bar(chart(rows, unit="人"))
    assert len(bars(svg)) == 40
    shown = texts(svg)
    assert all(r.text in shown and r.label in shown for r in rows)
    lay = layout(chart(rows, unit="人"))
    assert [round(b.y - lay.origin[1], 6) for b in lay.bars] == [round(1.3 + 26 * i, 6) for i in range(40)]
    width, height = size(svg)
    assert height == lay.origin[1] + 40 * 26 + 32 + 5
    assert Image.open(io.BytesIO(png)).size == (2 * width, 2 * height)


def test_long_labels_are_truncated_like_vega() -> None:
    label = "基础教育领域获评全国教育系统先进工作者和优秀教育工作者及其他先进个人"  # 32 characters: > 260 px
    svg, _ = render_bar(chart([Row(label, 3, "3人")], unit="人"))
    shown = [t for t in texts(svg) if t.startswith("基础")]
    assert shown == [label[:20] + "…"]
    assert bars(svg)[0].find(f"{SVG}title").text == f"{label}：3人"  # the tooltip keeps it whole


def test_percent_axis_ends_at_100() -> None:
    spec = chart([Row("2024年", 99.2, "99.2%")], unit="%")
    svg, _ = render_bar(spec)
    assert tick_labels(svg)[-1] == "100"
    lay = layout(spec)
    last = [t for t in lay.texts if t.size == 10][-1]
    assert last.anchor == "end" and last.x == lay.origin[0] + 520.5  # flush with the plot's right edge
    assert lay.bars[0].width == pytest.approx(99.2 / 100 * 520)
    over = tick_labels(render_bar(chart([Row("2024年", 180, "180%")], unit="%"))[0])
    assert over[-1] == "220"  # above 100%: headroom as for any unit (180 x 1.3 = 234)


def test_png_is_twice_the_svg() -> None:
    svg, png = render_bar(series())
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.size == tuple(2 * v for v in size(svg))


def test_png_without_pillow_font_uses_vl_convert(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(barchart, "_pillow_ready", lambda: False)
    svg, png = render_bar(series())
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == tuple(2 * v for v in size(svg))


def test_layout_matches_vega() -> None:
    """Same view size and plot origin as vl-convert's rendering of ChartSpec.vegalite()."""
    pytest.importorskip("vl_convert")
    from civictrack.charts.typeface import vl_convert_with_font

    vl_convert = vl_convert_with_font()  # measuring with the bundled font, whatever CJK fonts are installed
    specs = [series(), chart([Row("基础教育领域获评全国教育系统先进工作者", 1, "1人"), Row("全国模范教师", 14, "14人")],
                             unit="数量（各项单位见标签）", title="2024年基础教育领域获评全国表彰：先进集体11个，模范教师、优秀教师各14人"),
             chart([Row("2024年", 99.2, "99.2%")], unit="%"), chart([Row("截至2024-06-18", 5, "5个方面")], unit=""),
             chart([Row("2024年", 5, "5个")], unit="个", title=""), chart([Row("2024年", 5, "5个")], source="")]
    for spec in specs:
        vega = vl_convert.vegalite_to_svg(spec.vegalite())
        origin = re.search(r'stroke-miterlimit="10" transform="translate\((\d+),(\d+)\)', vega).groups()
        ours, lay = render_bar(spec)[0], layout(spec)
        assert size(ours) == size(vega)
        assert lay.origin == tuple(int(v) for v in origin)
        vega_ticks = re.findall(r'font-size="10px" fill="#1b1b1b" opacity="1">(.*?)</text>', vega)
        assert tick_labels(ours) == vega_ticks


def test_ticks_and_format_like_d3() -> None:
    assert ticks(0, 18.2, 13) == list(range(19))
    assert ticks(0, 1.3, 13) == [i / 10 for i in range(14)]
    assert ticks(0, 100, 13) == list(range(0, 101, 10))
    assert [format_g(v) for v in (0, 0.1, 1.5, 100000, 1234567, 1e21, 1e-7, 0.000012, 123.4565)] == \
        ["0", "0.1", "1.5", "100000", "1.23457e+6", "1e+21", "1e-7", "0.000012", "123.457"]


def test_only_bar_charts() -> None:
    with pytest.raises(ValueError):
        layout(ChartSpec("x", "t", "u", [Row("a", 1, "1")], "s", kind="stacked"))


def test_inlines_safely() -> None:
    svg, _ = render_bar(series())
    assert " id=" not in svg
    inline = prepare_inline_svg(svg, "figure-x", "某指标")
    assert inline.startswith('<svg role="img" aria-label="某指标" focusable="false" ')


# --- the phone drawing (ChartSpec.narrow) --------------------------------------------------------


def narrow_text_boxes(svg: str) -> list[tuple[float, float, str]]:
    """Each text's left and right edge, from its anchor and the bundled font's widths."""
    boxes = []
    for el in parse(svg).iter(f"{SVG}text"):
        width = barchart.text_width(el.text or "", float(el.get("font-size").removesuffix("px")))
        x = float(el.get("x"))
        left = {"middle": x - width / 2, "end": x - width}.get(el.get("text-anchor") or "start", x)
        boxes.append((left, left + width, el.text or ""))
    return boxes


@pytest.mark.parametrize("spec", [
    series(),
    chart([Row("重庆智慧教育平台汇聚数字资源的总量（按原文口径统计）", 6e6, "600余万条"), Row("短", 5, "5条")], unit="条"),
    chart([Row("Gross preschool enrolment rate", 93.06, "93.06%"), Row("Compulsory education", 99.9, "99.9%")],
          unit="%", title="Gross preschool enrolment rate: 93.06%, as of 25 November 2024, city-wide total"),
    chart([Row("2024", 1.757e10, "17,570,000,000 yuan"), Row("2023", 1.0, "1 yuan")], unit="yuan"),
], ids=["series", "long label", "rates", "long values"])
def test_narrow_drawing_fits_its_width(spec: ChartSpec) -> None:
    """Every text of the phone drawing (title, source, labels, values, ticks) lies inside its
    300 px; every label and value is drawn whole (labels wrap, never cut); same bytes twice."""
    narrow = spec.narrow_variant()
    svg, png = render_bar(narrow)
    assert png == b"" and svg == render_bar(copy.deepcopy(narrow))[0]
    width, _ = size(svg)
    assert width == 300
    for left, right, text in narrow_text_boxes(svg):
        assert left >= 0 and right <= width, (text, left, right)
    drawn = "".join(texts(svg))
    for row in spec.rows:
        assert row.text in texts(svg)  # a value, on one line
        assert row.label.replace(" ", "") in drawn.replace(" ", "")  # a label, perhaps in lines
    assert "…" not in drawn
