"""A fast renderer for the simple horizontal bar charts (``kind == "bar"``): SVG and PNG in pure Python.

Rendering a figure's chart with Vega-Lite + vl-convert costs ~70 ms (SVG, then PNG); a site has
thousands of them.  This module lays the chart out itself, reproducing what Vega draws for
``ChartSpec.vegalite()`` (same margins, band scale, d3 "nice" ticks, labels in 万/亿, label
truncation, autosize "pad"), and emits both files from that one layout:

* the SVG as text (every data string escaped; one ``<title>`` per bar for a native tooltip);
* the PNG at scale 2 drawn with Pillow and the bundled font file (``charts.typeface``: never a
  font the machine happens to have), or, when Pillow is missing, by ``vl_convert.svg_to_png`` of
  the SVG (with the bundled font registered).

Text widths come from a table of WenQuanYi Micro Hei's advance widths (the bundled font, which
vl-convert measures with too): CJK and full-width characters are 1 em.  Neither the layout nor
the pixels depend on which fonts a machine has, so the SVG and the PNG are byte-identical
everywhere.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import math
import unicodedata
from dataclasses import dataclass, field

from markupsafe import escape

from civictrack import i18n
from civictrack.charts import typeface
from civictrack.charts.specs import BAR, FONT, INK, NARROW_WIDTH, WIDTH, ChartSpec, wrap_measured
from civictrack.i18n import _

PNG_SCALE = 2
PAD = 5  # view padding
STEP = 26  # band step per row label
PADDING_INNER, PADDING_OUTER = 0.1, 0.05  # Vega-Lite's band paddings for bars
TICK_COUNT = math.ceil(WIDTH / 40)  # Vega-Lite's default tickCount for a continuous x axis
GRID, DOMAIN, SUBTITLE = "#e3e6ea", "#888888", "#555b66"
LABEL_LIMIT, TITLE_LIMIT = 260, WIDTH + 200
TITLE_SIZE, SUBTITLE_SIZE, LABEL_SIZE, TICK_SIZE, AXIS_TITLE_SIZE = 15, 11, 12, 10, 11
TITLE_LINE = TITLE_SIZE + 2  # Vega's default lineHeight: fontSize + 2
DASH = (5.0, 3.0)
BAR_STROKE = 1.5

# WenQuanYi Micro Hei advance widths of ASCII 32..126, in 1/2048 em.
_ASCII = (532, 551, 823, 1323, 1128, 1690, 1438, 463, 616, 616, 1128, 1128, 512, 659, 549, 764, 1128, 1128, 1128,
          1128, 1128, 1128, 1128, 1128, 1128, 1128, 549, 549, 1128, 1128, 1128, 872, 1774, 1245, 1272, 1235, 1401,
          1081, 1006, 1413, 1436, 694, 555, 1186, 1006, 1782, 1493, 1520, 1180, 1518, 1208, 1063, 1063, 1430, 1163,
          1810, 1120, 1079, 1104, 621, 764, 621, 1090, 842, 1182, 1087, 1200, 948, 1200, 1096, 674, 1061, 1206, 530,
          530, 1016, 530, 1835, 1206, 1182, 1200, 1200, 817, 924, 694, 1206, 981, 1528, 1024, 1001, 903, 725, 1128,
          725, 1128)
_SPECIAL = {"\u00b7": 0.268, "\u2013": 0.5, "\u00b0": 0.428, "\u2022": 0.376, "\u00a7": 0.486, "\u00a9": 0.832,
            "\u00ae": 0.832}


@functools.lru_cache(maxsize=4096)
def _char_em(ch: str) -> float:
    code = ord(ch)
    if 32 <= code < 127:
        return _ASCII[code - 32] / 2048
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    if code < 32 or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0.0
    eaw = unicodedata.east_asian_width(ch)
    if eaw in ("W", "F") or (eaw == "A" and code >= 0x2000):
        return 1.0
    return 0.55 if eaw == "A" else 0.6


def text_width(text: str, size: float) -> float:
    """Estimated advance width of ``text`` at ``size`` px (WenQuanYi Micro Hei metrics)."""
    return sum(_char_em(ch) for ch in text) * size


def truncate(text: str, size: float, limit: float) -> str:
    """Vega's label truncation: the longest prefix that fits ``limit`` with an ellipsis."""
    if text_width(text, size) < limit:
        return text
    limit -= text_width("\u2026", size)
    lo, hi = 0, len(text)
    while lo < hi:
        mid = 1 + ((lo + hi) >> 1)
        if text_width(text[:mid], size) < limit:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo] + "\u2026"


# --- numbers: d3 ticks and format('~g'), as Vega computes them -------------------------------------

_E10, _E5, _E2 = math.sqrt(50), math.sqrt(10), math.sqrt(2)


def _tick_spec(start: float, stop: float, count: float) -> tuple[int, int, float]:
    step = (stop - start) / max(0, count)
    power = math.floor(math.log10(step))
    error = step / 10.0 ** power
    factor = 10 if error >= _E10 else 5 if error >= _E5 else 2 if error >= _E2 else 1
    if power < 0:
        inc = 10.0 ** -power / factor
        i1, i2 = _js_round(start * inc), _js_round(stop * inc)
        if i1 / inc < start:
            i1 += 1
        if i2 / inc > stop:
            i2 -= 1
        inc = -inc
    else:
        inc = 10.0 ** power * factor
        i1, i2 = _js_round(start / inc), _js_round(stop / inc)
        if i1 * inc < start:
            i1 += 1
        if i2 * inc > stop:
            i2 -= 1
    if i2 < i1 and 0.5 <= count < 2:
        return _tick_spec(start, stop, count * 2)
    return i1, i2, inc


def _js_round(x: float) -> int:
    return math.floor(x + 0.5)


def ticks(start: float, stop: float, count: int) -> list[float]:
    """d3-array's ``ticks(start, stop, count)`` for ``start < stop``."""
    if start == stop:
        return [start]
    i1, i2, inc = _tick_spec(start, stop, count)
    if i2 < i1:
        return []
    if inc < 0:
        return [(i1 + i) / -inc for i in range(i2 - i1 + 1)]
    return [(i1 + i) * inc for i in range(i2 - i1 + 1)]


def whole_ticks(stop: float, count: int) -> list[float]:
    """A count's ticks from 0 to ``stop``: ``ticks`` with at most ``count`` of them, fractions
    dropped (Vega's tickMinStep alone still ticks 0, 0.5, 1 on a short axis).  The charts of counts
    give these to Vega as the axis' values, and the bar renderer draws the same."""
    return [v for v in ticks(0, stop, min(count, math.floor(stop) + 1)) if float(v).is_integer()]


def format_g(x: float, precision: int = 6) -> str:
    """d3-format's ``~g``: JavaScript ``toPrecision(6)``, insignificant zeros trimmed."""
    if x == 0:
        return "0"
    mantissa, exp = f"{x:.{precision - 1}e}".split("e")
    e = int(exp)
    if e < -6 or e >= precision:
        mantissa = mantissa.rstrip("0").rstrip(".") if "." in mantissa else mantissa
        return f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"
    text = f"{x:.{max(0, precision - 1 - e)}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def zh_number(value: float) -> str:
    """Axis labels in Chinese magnitudes (charts.ZH_NUMBER): 3000万, 1.5亿."""
    if abs(value) >= 100000000:
        return format_g(value / 100000000) + ZH_MAGNITUDES[1]
    if abs(value) >= 10000:
        return format_g(value / 10000) + ZH_MAGNITUDES[0]
    return format_g(value)


ZH_MAGNITUDES = ("万", "亿")
"""The Chinese axis labels' units of 10⁴ and 10⁸ (the same as ``charts.specs.ZH_NUMBER``'s)."""


def en_number(value: float) -> str:
    """Axis labels in English magnitudes (charts.EN_NUMBER): 250,000, 30m, 1.5bn."""
    if abs(value) >= 1000000000:
        return format_g(value / 1000000000) + "bn"
    if abs(value) >= 1000000:
        return format_g(value / 1000000) + "m"
    return grouped(format_g(value))


def grouped(text: str) -> str:
    """A number formatted by ``format_g`` with thousands separators, as d3-format's ``,`` adds
    them (to the integer part of a plain, not exponential, number)."""
    if "e" in text:
        return text
    sign = "-" if text.startswith("-") else ""
    whole, dot, fraction = text.lstrip("-").partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + ",".join([whole, *groups]) + dot + fraction


AXIS_NUMBER = {"zh-CN": zh_number, "en": en_number}
"""A chart's axis labels by its language (``ChartSpec.lang``), as ``charts.specs.AXIS_NUMBER``."""


# --- layout -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # alphabetic baseline
    text: str
    size: int
    fill: str = INK
    anchor: str = "start"  # start | middle | end
    bold: bool = False


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    derived: bool
    tooltip: str


@dataclass
class Layout:
    """Everything drawn, in SVG pixels, in painting order within each list (lines, bars, texts)."""

    width: int
    height: int
    origin: tuple[int, int]  # the plot's top left corner
    lines: list[Line] = field(default_factory=list)  # grid, ticks, domains: below the bars
    bars: list[Bar] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    title: list[Text] = field(default_factory=list)


def _flush(pos: float) -> str:
    if pos <= 1:
        return "start"
    if WIDTH - pos <= 1:
        return "end"
    return "middle"


@dataclass
class _Bounds:
    """The extent of everything drawn, plot-relative, as Vega's autosize measures it."""

    x1: float
    x2: float
    y1: float
    y2: float


def layout(spec: ChartSpec) -> Layout:
    """Position every mark of a bar chart the way Vega does for ``spec.vegalite()``."""
    if spec.kind != "bar":
        raise ValueError(f"render_bar draws bar charts only, not {spec.kind!r}")
    # One band per row.  Vega-Lite would put rows sharing a label in one band and stack their bars
    # (past the axis end, texts on top of each other); a band each keeps every value readable.
    labels = [r.label for r in spec.rows]
    n = max(1, len(labels))
    height = n * STEP
    band_start = (height - STEP * (n - PADDING_INNER)) / 2 if labels else 0.0
    bandwidth = STEP * (1 - PADDING_INNER)
    top_value = max((r.value for r in spec.rows), default=0) or 1
    domain_max = 100 if spec.unit == "%" and top_value <= 100 else top_value * 1.3
    bounds = _Bounds(0.0, float(WIDTH), 0.0, float(height))  # plot-relative marks' extent
    lines, texts = _x_axis(spec, height, domain_max, bounds)
    centres = [band_start + i * STEP + bandwidth / 2 for i in range(len(labels))]
    _y_axis(labels, centres, height, bounds, lines, texts)
    bars: list[Bar] = []
    for row, centre in zip(spec.rows, centres):  # bars and their values as written
        end = max(0.0, row.value) / domain_max * WIDTH
        bars.append(Bar(0.0, centre - bandwidth / 2, end, bandwidth, row.derived,
                        _("%(label)s：%(value)s") % {"label": row.label, "value": row.text}))
        texts.append(Text(end + 4, centre + 4, row.text, LABEL_SIZE))
        bounds.x2 = max(bounds.x2, end + BAR_STROKE / 2, end + 4 + text_width(row.text, LABEL_SIZE))
    title = _title(spec, bounds)
    # Vega's autosize "pad": the view grows to the bounds, whole pixels, plus padding
    left = math.ceil(-bounds.x1)
    top = math.ceil(-bounds.y1)
    right = max(0, math.ceil(bounds.x2 - WIDTH))
    bottom = max(0, math.ceil(bounds.y2 - height))
    origin = (left + PAD, top + PAD)
    out = Layout(WIDTH + left + right + 2 * PAD, height + top + bottom + 2 * PAD, origin)
    ox, oy = origin
    out.lines = [Line(ln.x1 + ox, ln.y1 + oy, ln.x2 + ox, ln.y2 + oy, ln.stroke) for ln in lines]
    out.bars = [Bar(b.x + ox, b.y + oy, b.width, b.height, b.derived, b.tooltip) for b in bars]
    out.texts = [_moved(t, ox, oy) for t in texts]
    out.title = [_moved(t, ox, oy) for t in title]
    return out


def _x_axis(spec: ChartSpec, height: int, domain_max: float, bounds: _Bounds) -> tuple[list[Line], list[Text]]:
    """The value axis: grid, ticks, labels (overlapping labels thinned by parity), domain, title."""
    values = spec.whole_ticks() if spec.whole else ticks(0, domain_max, TICK_COUNT)  # a count's: whole numbers
    positions = [v / domain_max * WIDTH for v in values]
    ax = height + 0.5
    lines = [Line(_js_round(pos) + 0.5, 0.5, _js_round(pos) + 0.5, ax, GRID) for pos in positions]
    tick_lines = [Line(_js_round(pos) + 0.5, ax, _js_round(pos) + 0.5, ax + 5, DOMAIN) for pos in positions]
    tick_labels = []
    number = AXIS_NUMBER.get(spec.lang, zh_number)
    for pos, value in zip(positions, values):
        text = number(value)
        anchor = _flush(pos)
        w = text_width(text, TICK_SIZE)
        left = pos - (0 if anchor == "start" else w if anchor == "end" else w / 2)  # bounds skip the 0.5
        tick_labels.append((left, left + w, Text(pos + 0.5, ax + 15, text, TICK_SIZE, anchor=anchor)))
    shown = _parity(tick_labels)
    for left, right, _ in shown:
        bounds.x1, bounds.x2 = min(bounds.x1, left), max(bounds.x2, right)
    for line in tick_lines:
        bounds.x2 = max(bounds.x2, line.x1)  # the tick's stroke, in the axis' bounds (which skip its 0.5 offset)
    bounds.y2 = max(bounds.y2, height + (32.0 if spec.unit else 17.0))  # labels, then the axis title
    lines += tick_lines
    lines.append(Line(0.5, ax, WIDTH + 0.5, ax, DOMAIN))
    texts = [t for _, _, t in shown]
    if spec.unit:
        texts.append(Text(WIDTH / 2 + 0.5, ax + 30, spec.unit, AXIS_TITLE_SIZE, anchor="middle", bold=True))
    return lines, texts


def _y_axis(labels: list[str], centres: list[float], height: int, bounds: _Bounds, lines: list[Line],
            texts: list[Text]) -> None:
    """The band axis: a tick and a (truncated) label a row, and the domain line."""
    for label, centre in zip(labels, centres):
        ty = _js_round(centre) + 0.5
        lines.append(Line(0.5 - 5, ty, 0.5, ty, DOMAIN))
        shown_label = truncate(label, LABEL_SIZE, LABEL_LIMIT)
        texts.append(Text(-6.5, centre + 4, shown_label, LABEL_SIZE, anchor="end"))
        # a truncated label counts as wide as its limit in Vega's bounds
        bounds.x1 = min(bounds.x1, -7 - (LABEL_LIMIT if shown_label != label else text_width(label, LABEL_SIZE)))
    lines.append(Line(0.5, 0.5, 0.5, height + 0.5, DOMAIN))
    bounds.x1 = min(bounds.x1, -5.0)


def _title(spec: ChartSpec, bounds: _Bounds) -> list[Text]:
    """The title block above, anchored at the left of everything drawn so far."""
    title_lines = [truncate(t, TITLE_SIZE, TITLE_LIMIT) for t in spec.title_lines()]
    subtitle = truncate(spec.source, SUBTITLE_SIZE, TITLE_LIMIT) if spec.source else ""
    if subtitle and not title_lines:
        title_lines = [""]  # Vega keeps the (empty) title's line above a subtitle
    block = 0.0
    if title_lines:
        block = TITLE_SIZE + TITLE_LINE * (len(title_lines) - 1)
        if subtitle:
            block += 3 + SUBTITLE_SIZE
    title_top = -block - 4.2 if block else 0.0
    title: list[Text] = []
    baseline = title_top + 12
    x1 = bounds.x1
    for line in title_lines:
        if line:
            title.append(Text(x1, baseline, line, TITLE_SIZE, fill=INK, bold=True))
        bounds.x2 = max(bounds.x2, x1 + text_width(line, TITLE_SIZE))
        baseline += TITLE_LINE
    if subtitle:
        sub_y = title_top + (block - SUBTITLE_SIZE) + 9
        title.append(Text(x1, sub_y, subtitle, SUBTITLE_SIZE, fill=SUBTITLE))
        bounds.x2 = max(bounds.x2, x1 + text_width(subtitle, SUBTITLE_SIZE))
    if block:
        bounds.y1 = min(bounds.y1, title_top - 0.5)
    return title


# --- the phone variant (ChartSpec.narrow) --------------------------------------------------------

N_LABEL_LINE, N_BAR, N_ROW_GAP, N_TICKS = 16, 16, 9, 4


def narrow_layout(spec: ChartSpec) -> Layout:
    """A bar chart laid out ``NARROW_WIDTH`` wide for a phone: title and source in short lines, each
    row's label above its bar (in lines: never cut), its value as written beside the bar's end or,
    where that has no room, inside it; the value axis widened only when a value would not fit."""
    if spec.kind != "bar":
        raise ValueError(f"narrow_layout draws bar charts only, not {spec.kind!r}")
    inner = NARROW_WIDTH - 2 * PAD  # the plot spans the whole width: labels are above the bars
    left = float(PAD)
    texts: list[Text] = []
    title: list[Text] = []
    y = float(PAD)
    for line in spec.title_lines():
        title.append(Text(left, y + 13, line, TITLE_SIZE, bold=True))
        y += TITLE_LINE
    source = spec.source_lines()
    for line in source if isinstance(source, list) else [source]:
        if line:
            title.append(Text(left, y + 14, line, SUBTITLE_SIZE, fill=SUBTITLE))
            y += SUBTITLE_SIZE + 3
    top = y + 10
    values = [max(0.0, r.value) for r in spec.rows]
    widths = [text_width(r.text, LABEL_SIZE) for r in spec.rows]
    top_value = max(values, default=0) or 1
    domain_max = 100 if spec.unit == "%" and top_value <= 100 else top_value * 1.3

    def fits(value: float, width: float, dmax: float) -> bool:
        end = value / dmax * inner
        return end + 4 + width <= inner or end >= width + 8

    for value, width in zip(values, widths):
        if not fits(value, width, domain_max) and inner - 4 - width > 0:
            domain_max = max(domain_max, value * inner / (inner - 4 - width))
    y = top
    bars: list[Bar] = []
    for row, value, width in zip(spec.rows, values, widths):
        for line in wrap_measured(row.label, LABEL_SIZE, inner) or [""]:
            texts.append(Text(left, y + 12, line, LABEL_SIZE))
            y += N_LABEL_LINE
        end = value / domain_max * inner
        bars.append(Bar(left, y + 2, end, N_BAR, row.derived,
                        _("%(label)s：%(value)s") % {"label": row.label, "value": row.text}))
        baseline = y + 2 + N_BAR / 2 + 4
        if end + 4 + width <= inner:
            texts.append(Text(left + end + 4, baseline, row.text, LABEL_SIZE))
        else:  # no room beside the bar: inside its end (white on the bar, ink on a derived one)
            texts.append(Text(left + end - 4, baseline, row.text, LABEL_SIZE, anchor="end",
                              fill=INK if row.derived else "#ffffff"))
        y += 2 + N_BAR + N_ROW_GAP
    bottom = y - N_ROW_GAP + 4
    lines: list[Line] = []
    number = AXIS_NUMBER.get(spec.lang, zh_number)
    tick_values = whole_ticks(domain_max, N_TICKS) if spec.whole else ticks(0, domain_max, N_TICKS)
    labelled = []
    for value in tick_values:
        pos = value / domain_max * inner
        x = _js_round(left + pos) + 0.5
        lines.append(Line(x, top, x, bottom, GRID))
        lines.append(Line(x, bottom, x, bottom + 5, DOMAIN))
        text = number(value)
        w = text_width(text, TICK_SIZE)
        anchor = "start" if pos - w / 2 < 0 else "end" if pos + w / 2 > inner else "middle"  # inside the SVG
        x1 = left + pos - (0 if anchor == "start" else w if anchor == "end" else w / 2)
        labelled.append((x1, x1 + w, Text(left + pos + 0.5, bottom + 15, text, TICK_SIZE, anchor=anchor)))
    texts += [t for _, _, t in _parity(labelled)]
    lines.append(Line(left + 0.5, top, left + 0.5, bottom, DOMAIN))
    lines.append(Line(left + 0.5, bottom, left + inner + 0.5, bottom, DOMAIN))
    height = bottom + 17
    if spec.unit:
        for line in wrap_measured(spec.unit, AXIS_TITLE_SIZE, inner):
            texts.append(Text(left + inner / 2, height + 12, line, AXIS_TITLE_SIZE, anchor="middle", bold=True))
            height += AXIS_TITLE_SIZE + 3
    out = Layout(NARROW_WIDTH, math.ceil(height + PAD), (PAD, math.ceil(top)))
    out.lines, out.bars, out.texts, out.title = lines, bars, texts, title
    return out


def _moved(t: Text, dx: float, dy: float) -> Text:
    return Text(t.x + dx, t.y + dy, t.text, t.size, t.fill, t.anchor, t.bold)


def _parity(items: list[tuple[float, float, Text]]) -> list[tuple[float, float, Text]]:
    """Vega's labelOverlap "parity": drop every other label until none overlap."""

    def overlaps(kept: list[tuple[float, float, Text]]) -> bool:
        return any(b[0] < a[1] for a, b in zip(kept, kept[1:]))

    kept = items
    if len(kept) >= 3 and overlaps(kept):
        while len(kept) >= 3 and overlaps(kept):
            kept = kept[::2]
        if len(kept) < 3 and kept[-1] is not items[-1]:
            kept = (kept[:-1] if len(kept) > 1 else kept) + [items[-1]]
    return kept


# --- SVG ----------------------------------------------------------------------------------------


def _n(x: float) -> str:
    """A coordinate: at most 2 decimals, no trailing zeros (deterministic)."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def to_svg(lay: Layout) -> str:
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{lay.width}" height="{lay.height}" '
           f'viewBox="0 0 {lay.width} {lay.height}" font-family="{FONT}">'
           f'<rect width="{lay.width}" height="{lay.height}" fill="#ffffff"/>']
    by_colour: dict[str, list[str]] = {}
    for ln in lay.lines:
        by_colour.setdefault(ln.stroke, []).append(f"M{_n(ln.x1)},{_n(ln.y1)}L{_n(ln.x2)},{_n(ln.y2)}")
    for colour in (GRID, DOMAIN):
        if colour in by_colour:
            out.append(f'<path d="{"".join(by_colour[colour])}" stroke="{colour}" stroke-width="1" fill="none"/>')
    for b in lay.bars:
        style = 'fill="#ffffff" stroke-dasharray="5,3"' if b.derived else f'fill="{BAR}"'
        out.append(f'<path d="M{_n(b.x)},{_n(b.y)}h{_n(b.width)}v{_n(b.height)}h{_n(-b.width)}Z" {style} '
                   f'stroke="{BAR}" stroke-width="{BAR_STROKE}"><title>{escape(b.tooltip)}</title></path>')
    for t in lay.texts + lay.title:
        anchor = "" if t.anchor == "start" else f' text-anchor="{t.anchor}"'
        weight = ' font-weight="bold"' if t.bold else ""
        out.append(f'<text x="{_n(t.x)}" y="{_n(t.y)}"{anchor} font-size="{t.size}px"{weight} '
                   f'fill="{t.fill}">{escape(t.text)}</text>')
    out.append("</svg>")
    return "".join(out)


# --- PNG ----------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def _font(size: int):
    """The bundled font at ``size`` px: the file itself, whatever fonts the machine has."""
    from PIL import ImageFont

    return ImageFont.truetype(str(typeface.FONT_FILE), size, index=typeface.FACE_INDEX,
                              layout_engine=ImageFont.Layout.BASIC)


@functools.lru_cache(maxsize=2048)
def _text_mask(text: str, size: int, anchor: str):
    """The anti-aliased coverage mask of one string and its offset from the anchor point.

    Cached: tick labels, years, units and source lines repeat from chart to chart, so most
    strings of a chart are pasted, not rasterised."""
    from PIL import Image, ImageDraw

    font = _font(size)
    left, top, right, bottom = font.getbbox(text, anchor=anchor)
    x0, y0, x1, y1 = math.floor(left), math.floor(top), math.ceil(right), math.ceil(bottom)
    mask = Image.new("L", (max(1, x1 - x0), max(1, y1 - y0)), 0)
    ImageDraw.Draw(mask).text((-x0, -y0), text, fill=255, font=font, anchor=anchor)
    return mask, (x0, y0)


# The PNG is drawn straight into a palette image (a third of the bytes of RGB to compress, and no
# quantising): indices 0..WHITE are a ramp from INK to white, so Pillow's linear blending of an
# anti-aliased INK glyph over white, the grid or the axis lands on the right shade; the subtitle's
# glyphs use a ramp of their own (pasted as indices); the last index is the bar colour.
WHITE_INDEX = 191
SUB_FIRST, SUB_STEPS = 192, 63
BAR_INDEX = 255


def _ramp_index(colour: str) -> int:
    """The INK→white ramp index nearest a (near-)grey colour."""
    ink, grey = _rgb(INK)[0], sum(_rgb(colour)) / 3
    return round((grey - ink) / (255 - ink) * WHITE_INDEX)


@functools.lru_cache(maxsize=1)
def _palette() -> bytes:
    def blend(colour: str, t: float) -> list[int]:  # t = 0: the colour; t = 1: white
        return [round(c + (255 - c) * t) for c in _rgb(colour)]

    entries = [blend(INK, i / WHITE_INDEX) for i in range(WHITE_INDEX + 1)]
    entries += [blend(SUBTITLE, k / (SUB_STEPS - 1)) for k in range(SUB_STEPS)]
    entries.append(list(_rgb(BAR)))
    return bytes(v for entry in entries for v in entry)


_SUB_LUT = [SUB_FIRST + round((255 - m) * (SUB_STEPS - 1) / 255) for m in range(256)]
_BINARY_LUT = [0] + [255] * 255


@functools.lru_cache(maxsize=256)
def _subtitle_glyphs(text: str, size: int, anchor: str):
    """A subtitle string as palette indices of its own ramp, with the mask of its covered pixels."""
    from PIL import Image

    mask, offset = _text_mask(text, size, anchor)
    indices = Image.frombytes("P", mask.size, mask.point(_SUB_LUT).tobytes())
    return indices, mask.point(_BINARY_LUT), offset


def _pillow_ready() -> bool:
    return importlib.util.find_spec("PIL") is not None


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def to_png(lay: Layout, scale: int = PNG_SCALE) -> bytes:
    """The layout drawn with Pillow at ``scale`` into a palette image: shapes on whole pixels (all
    are axis-aligned), text anti-aliased."""
    from PIL import Image, ImageDraw

    s = scale
    image = Image.new("P", (lay.width * s, lay.height * s), WHITE_INDEX)
    image.putpalette(_palette())
    draw = ImageDraw.Draw(image)
    index = {GRID: _ramp_index(GRID), DOMAIN: _ramp_index(DOMAIN)}

    def box(xa: float, ya: float, xb: float, yb: float, fill: int) -> None:
        xa, xb = round(min(xa, xb) * s), round(max(xa, xb) * s)
        ya, yb = round(min(ya, yb) * s), round(max(ya, yb) * s)
        if xb > xa and yb > ya:
            draw.rectangle((xa, ya, xb - 1, yb - 1), fill=fill)

    for ln in lay.lines:  # 1 px lines: a rectangle of the stroke's width around the centre line
        box(ln.x1 - 0.5 if ln.x1 == ln.x2 else ln.x1, ln.y1 - 0.5 if ln.y1 == ln.y2 else ln.y1,
            ln.x2 + 0.5 if ln.x1 == ln.x2 else ln.x2, ln.y2 + 0.5 if ln.y1 == ln.y2 else ln.y2, index[ln.stroke])
    half = BAR_STROKE / 2
    period = DASH[0] + DASH[1]
    for b in lay.bars:
        xa, ya, xb, yb = b.x, b.y, b.x + b.width, b.y + b.height
        if not b.derived:
            box(xa - half, ya - half, xb + half, yb + half, BAR_INDEX)
            continue
        box(xa + half, ya + half, xb - half, yb - half, WHITE_INDEX)
        # the dashed outline, walked like the SVG path: top, right side, bottom, left side
        corners = [(xa, ya), (xb, ya), (xb, yb), (xa, yb), (xa, ya)]
        phase = 0.0  # distance along the dash pattern (5 on, 3 off)
        for (px, py), (qx, qy) in zip(corners, corners[1:]):
            length = abs(qx - px) + abs(qy - py)
            if not length:
                continue
            dx, dy = (qx - px) / length, (qy - py) / length
            pos = 0.0
            while pos < length - 1e-9:
                within = phase % period
                on = within < DASH[0]
                run = min(length - pos, (DASH[0] - within) if on else (period - within))
                if on:
                    sx, sy, ex, ey = px + dx * pos, py + dy * pos, px + dx * (pos + run), py + dy * (pos + run)
                    if dy == 0:  # horizontal: the corners' squares belong to the horizontal sides
                        box(sx - (dx * half if pos == 0 else 0), sy - half,
                            ex + (dx * half if pos + run >= length - 1e-9 else 0), sy + half, BAR_INDEX)
                    else:
                        box(sx - half, sy, sx + half, ey, BAR_INDEX)
                pos += run
                phase += run
    anchors = {"start": "ls", "middle": "ms", "end": "rs"}
    for t in lay.texts + lay.title:
        if t.fill == SUBTITLE:
            glyphs, covered, (ox, oy) = _subtitle_glyphs(t.text, t.size * s, anchors[t.anchor])
            image.paste(glyphs, (round(t.x * s) + ox, round(t.y * s) + oy), covered)
        else:  # INK: blending index 0 into the ramp
            mask, (ox, oy) = _text_mask(t.text, t.size * s, anchors[t.anchor])
            image.paste(0, (round(t.x * s) + ox, round(t.y * s) + oy), mask)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def render_bar(spec: ChartSpec) -> tuple[str, bytes]:
    """The chart's SVG text and its PNG bytes (scale 2), from one layout, in the chart's language."""
    with i18n.speaking(spec.lang):
        lay = narrow_layout(spec) if spec.narrow else layout(spec)
    svg = to_svg(lay)
    if spec.narrow:  # shown inline only: no PNG file
        return svg, b""
    if _pillow_ready():
        return svg, to_png(lay)
    vlc = typeface.vl_convert_with_font()  # no Pillow: vl-convert rasterises our SVG, with the bundled font
    return svg, vlc.svg_to_png(svg, scale=PNG_SCALE)
