"""The charts' font, bundled: WenQuanYi Micro Hei, the same file on every machine.

Every chart is measured and drawn with ``fonts/wqy-microhei.ttc`` (Debian's fonts-wqy-microhei,
unmodified; its licence is beside it), never with whatever CJK font a machine has:

* ``barchart`` lays text out with this font's advance widths and draws the PNGs with it (Pillow,
  given the file itself: no fontconfig lookup);
* vl-convert gets the folder registered (``vl_convert_with_font``) before its first conversion in
  a process, and ``specs.FONT`` names the family first, so Vega measures and resvg draws with
  it, even where Noto Sans CJK or another CJK font is installed.

vl-convert (1.9, with fontdb) builds its font list once per process, at its first conversion,
from the ``<dir>`` folders of the fontconfig files (``$FONTCONFIG_FILE``, else the user's
``fontconfig/fonts.conf`` and ``/etc/fonts/fonts.conf``; it parses them itself, libfontconfig is
not used, and a configuration naming no folder makes it scan ``/usr/share/fonts``,
``/usr/local/share/fonts``, ``~/.fonts`` and ``~/.local/share/fonts``), then adds its own
Liberation Sans and each registered folder.  (Where the machine has a WenQuanYi Micro Hei
of its own, vl-convert may take that copy: the same glyphs, unless it is another version.)

A character the bundled font lacks is drawn with whichever installed font has it, or as a box:
``missing`` finds such characters from the font's own character map, and the build warns about
each chart that has them (``build --strict`` refuses to build).
"""

from __future__ import annotations

import struct
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

if TYPE_CHECKING:
    from civictrack.charts.specs import ChartSpec

FONT_DIR = Path(__file__).resolve().with_name("fonts")
FONT_FILE = FONT_DIR / "wqy-microhei.ttc"
FACE_INDEX = 0  # the collection's first face; the second is WenQuanYi Micro Hei Mono
FAMILY = "WenQuanYi Micro Hei"


def font_bytes() -> bytes:
    return FONT_FILE.read_bytes()  # 5 MB, read when needed, not kept


@lru_cache(maxsize=1)
def digest() -> str:
    """The font file's digest, part of every chart's cache key (``render.cache_key``)."""
    from xxhash import xxh3_128_hexdigest

    return xxh3_128_hexdigest(font_bytes())


# --- the character map -------------------------------------------------------------------------


def _face_offset(data: bytes, index: int) -> int:
    """Where face ``index``'s table directory starts: a collection ('ttcf') lists them."""
    if data[:4] == b"ttcf":
        count = struct.unpack_from(">I", data, 8)[0]
        if index >= count:
            raise ValueError(f"the collection has {count} faces, not {index + 1}")
        return struct.unpack_from(">I", data, 12 + 4 * index)[0]
    return 0


def _table(data: bytes, face: int, tag: bytes) -> int:
    count = struct.unpack_from(">H", data, face + 4)[0]
    for k in range(count):
        record = face + 12 + 16 * k
        if data[record:record + 4] == tag:
            return struct.unpack_from(">I", data, record + 8)[0]
    raise ValueError(f"no {tag.decode()} table")


def _format4(data: bytes, at: int) -> set[int]:
    segments = struct.unpack_from(">H", data, at + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, at + 14)
    starts = struct.unpack_from(f">{segments}H", data, at + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", data, at + 16 + 4 * segments)
    range_at = at + 16 + 6 * segments
    offsets = struct.unpack_from(f">{segments}H", data, range_at)
    found: set[int] = set()
    for k, (start, end, delta, offset) in enumerate(zip(starts, ends, deltas, offsets)):
        for code in range(start, min(end, 0xFFFE) + 1):
            if offset == 0:
                glyph = (code + delta) & 0xFFFF
            else:
                glyph = struct.unpack_from(">H", data, range_at + 2 * k + offset + 2 * (code - start))[0]
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            if glyph:
                found.add(code)
    return found


def _format12(data: bytes, at: int) -> set[int]:
    groups = struct.unpack_from(">I", data, at + 12)[0]
    found: set[int] = set()
    for k in range(groups):
        start, end, glyph = struct.unpack_from(">III", data, at + 16 + 12 * k)
        found.update(range(start + (glyph == 0), end + 1))  # glyph 0 is .notdef: no glyph
    return found


def character_map(data: bytes, index: int = 0) -> frozenset[int]:
    """The code points face ``index`` of a TrueType/OpenType file (or collection) has a glyph for,
    from its Unicode 'cmap' subtable (format 12 if there is one, else format 4)."""
    cmap = _table(data, _face_offset(data, index), b"cmap")
    count = struct.unpack_from(">H", data, cmap + 2)[0]
    subtables: dict[int, int] = {}
    for k in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * k)
        if (platform, encoding) in ((3, 10), (0, 4), (0, 6), (3, 1), (0, 3), (0, 1), (0, 0)):
            at = cmap + offset
            subtables.setdefault(struct.unpack_from(">H", data, at)[0], at)
    if 12 in subtables:
        return frozenset(_format12(data, subtables[12]))
    if 4 in subtables:
        return frozenset(_format4(data, subtables[4]))
    raise ValueError("no Unicode character map (format 4 or 12)")


@lru_cache(maxsize=1)
def covered() -> frozenset[int]:
    """The code points the bundled font draws."""
    return character_map(font_bytes(), FACE_INDEX)


# --- what a chart draws ------------------------------------------------------------------------


def chart_texts(spec: ChartSpec) -> list[str]:
    """Every string of the chart that is drawn (title, source line, unit, labels, values, series);
    the axis numbers and the words the code adds (万, 亿, …) are the font's, tests/test_fonts.py."""
    texts = [spec.title, spec.source, spec.unit, *spec.series_order]
    for row in spec.rows:
        texts += (row.label, row.text, row.series)
    return texts


_SKIPPED = frozenset(map(ord, "\n\r\t"))  # never drawn as a glyph


def missing(texts: Iterable[str]) -> str:
    """The characters of ``texts`` the bundled font has no glyph for, sorted, each once."""
    chars: set[str] = set()
    for text in texts:
        chars.update(text)
    have = covered()
    return "".join(sorted(ch for ch in chars if ord(ch) not in have and ord(ch) not in _SKIPPED))


def describe(chars: str) -> str:
    """``"𠀋 (U+2000B), ⿰ (U+2FF0)"``: each character and its code point (it may not show)."""
    return ", ".join(f"{ch} (U+{ord(ch):04X})" for ch in chars)


def glyph_problems(specs: Iterable[ChartSpec], path: Callable[[str], str] = lambda cid: f"charts/{cid}.png"
                   ) -> list[str]:
    """One line for each chart that has characters the bundled font lacks: the chart's PNG (its
    path in the site by ``path``) and the characters."""
    problems = []
    for spec in specs:
        lacking = missing(chart_texts(spec))
        if lacking:
            problems.append(f"{path(spec.id)}: the charts' font ({FAMILY}) has no glyph for {describe(lacking)}; "
                            f"the chart would draw {'it' if len(lacking) == 1 else 'them'} as a box or in another "
                            f"font, differently on each machine")
    return problems


class MissingGlyphs(Exception):
    """``--strict``: some chart has characters the bundled font lacks (``problems``, one line each)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} chart(s) with characters the charts' font cannot draw")
        self.problems = problems


# --- vl-convert ---------------------------------------------------------------------------------

_registered = False


def vl_convert_with_font() -> Any:
    """The ``vl_convert`` module, the bundled font's folder registered with it: once per process,
    before its first conversion (it can add fonts only while no conversion holds its font list).
    Every conversion goes through here."""
    global _registered
    import vl_convert

    if not _registered:
        vl_convert.register_font_directory(str(FONT_DIR))
        _registered = True
    return vl_convert
