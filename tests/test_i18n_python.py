"""The interface's words in the Python code are messages: every Chinese string constant of
``civictrack/`` is the msgid of a ``_``/``gettext``/``N_``/``ngettext``/``pgettext`` call (so the
English edition can translate it), save the few listed below, which are not interface.

Modules that read Chinese text by rules are not interface and are left out: ``draft/`` (its
rules), ``check/``, ``model.py`` (schema descriptions for editors), ``source.py`` and
``units.py`` (parsing the reports' text), and ``i18n/`` itself.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from civictrack import i18n

PACKAGE = Path(__file__).resolve().parent.parent / "civictrack"
SKIPPED_FOLDERS = ("draft", "check", "i18n")
SKIPPED_MODULES = ("model.py", "source.py", "units.py")

WIDE = re.compile("[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
"""A Chinese character (CJK extension A and unified ideographs) or full-width punctuation."""

MESSAGE_ARGUMENTS = {"_": (0,), "gettext": (0,), "N_": (0,), "ngettext": (0, 1), "pgettext": (1,)}
"""Calls whose string arguments at these positions are messages (catalog msgids)."""

ALLOWED: dict[tuple[str, str], str] = {
    ("charts/specs.py", "元"): "a base unit of the data, looked up (its message is N_('元'))",
    ("render/format.py", "元"): "a base unit of the data, looked up (its message is N_('%(n)s元'))",
    ("render/format.py", "个百分点"): "a base unit of the data, looked up (its message is N_('%(n)s个百分点'))",
    ("render/format.py", "\u2018-\u201f\u2026\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
                         "\ufe30-\ufe4f\uff00-\uffef"):
        "WIDE: a regular expression's character class (where Pagefind titles are spaced), not text",
    ("render/format.py", "《"): "TITLE_MARKS: the book-title marks around a document's Chinese name, part of "
                               "how the name is written on every edition",
    ("render/format.py", "》"): "TITLE_MARKS, as above",
    ("render/globals.py", "、"): "paragraph_labels strips the source's own numbering mark (一、) to join 二(一)",
    ("charts/specs.py", "abs(datum.value) >= 100000000 ? format(datum.value / 100000000, '~g') + '亿' : "
                        "abs(datum.value) >= 10000 ? format(datum.value / 10000, '~g') + '万' : "
                        "format(datum.value, '~g')"):
        "ZH_NUMBER: the Chinese charts' axis-label expression (AXIS_NUMBER picks one per language)",
    ("charts/specs.py", "，：；、,:"): "wrap_title: where a Chinese title may break, a rule, not text",
    ("charts/specs.py", "截至"): "AS_OF_WORD: recognises a period the source writes as an as-of date",
    ("charts/barchart.py", "万"): "ZH_MAGNITUDES: the Chinese axis labels' units, as ZH_NUMBER's",
    ("charts/barchart.py", "亿"): "ZH_MAGNITUDES, as above",
    ("charts/specs.py", "，。、：；！？）》」』”’,.:;!?)%"):
        "wrap_measured: punctuation that never begins a line of a phone chart's title, a rule, not text",
    ("charts/specs.py", "（《「『“‘("): "wrap_measured: punctuation that never ends a line, as above",
    ("render/format.py", "\\d{4}年\\d{1,2}月(?:\\d{1,2}日)?|\\d{1,2}月\\d{1,2}日"):
        "ZH_DATE: a regular expression finding a Chinese date (kept on one line), not text",
    ("render/format.py", "\\d{4}年"): "ZH_YEAR: a regular expression finding a year, as above",
    ("cli.py", "unreviewed (marked 待核对 on the site): "):
        "a command-line message, in English, naming the badge the Chinese edition shows",
}
"""(module under civictrack/, the exact string) → why it is not interface text."""


def modules() -> list[Path]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] in SKIPPED_FOLDERS or (len(rel.parts) == 1 and rel.name in SKIPPED_MODULES):
            continue
        found.append(path)
    return found


def _called(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def unmarked(source: str, filename: str) -> list[tuple[int, str]]:
    """(line, string) of every string constant with Chinese in it that is neither a message nor a
    docstring (a string standing alone as a statement: module, class, function, attribute docs)."""
    tree = ast.parse(source, filename)
    fine: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            fine.add(id(node.value))
        elif isinstance(node, ast.Call):
            for position in MESSAGE_ARGUMENTS.get(_called(node) or "", ()):
                if position < len(node.args):
                    fine.add(id(node.args[position]))
    return sorted((node.lineno, node.value) for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in fine
                  and WIDE.search(node.value))


def test_every_chinese_string_is_a_message() -> None:
    problems = []
    used = set()
    for path in modules():
        rel = path.relative_to(PACKAGE).as_posix()
        for line, value in unmarked(path.read_text(encoding="utf-8"), str(path)):
            if (rel, value) in ALLOWED:
                used.add((rel, value))
                continue
            problems.append(f"civictrack/{rel}:{line}: {value!r} is interface text outside _()/N_()/ngettext()")
    assert not problems, "\n".join(problems)
    stale = sorted(set(ALLOWED) - used)
    assert not stale, f"allowed exceptions no longer found (remove them from ALLOWED): {stale}"


def test_the_check_finds_a_plain_literal() -> None:
    source = 'from civictrack.i18n import _, N_\nA = N_("数字")\ndef f():\n    """文档。"""\n    return "措施", _("领域")\n'
    assert unmarked(source, "planted.py") == [(5, "措施")]
    assert unmarked('x = f"{1}项"\n', "planted.py") == [(1, "项")]  # an f-string's words are not a message
    assert unmarked('x = ngettext("%(n)s 项", "%(n)s 项", n)\ny = pgettext("nav", "数据")\n', "planted.py") == []
    assert unmarked('y = pgettext("导航", "数据")\n', "planted.py") == [(1, "导航")]  # a context is no message


def test_tables_are_read_in_the_language_in_use() -> None:
    table = i18n.Translated({"a": i18n.N_("数字"), "exact": ""})
    rows = i18n.TranslatedRows([("x", i18n.N_("措施"))], at=1)
    before = dict(i18n._state)
    try:
        i18n._state["catalog"] = {"数字": "Figures", "措施": "Measures"}
        assert table["a"] == "Figures" and table["exact"] == "" and dict(table) == {"a": "Figures", "exact": ""}
        assert list(rows) == [("x", "Measures")] and rows[0] == ("x", "Measures") and len(rows) == 1
    finally:
        i18n._state.update(before)
    assert table["a"] == "数字" and list(rows) == [("x", "措施")]


@pytest.mark.parametrize("lang", ["en"])
def test_a_chart_remembers_its_language(lang: str) -> None:
    """A chart made on another edition has another cache key, even with the same words."""
    from civictrack.charts.render import cache_key
    from civictrack.charts.specs import ChartSpec, Row

    def spec() -> ChartSpec:
        return ChartSpec("figure-x", "标题", "%", [Row("2024", 1.0, "1%")], "来源")

    zh = spec()
    with i18n.speaking(lang):
        other = spec()
    assert zh.lang == i18n.MESSAGE_LANGUAGE and other.lang == lang
    assert cache_key(zh, "v") != cache_key(other, "v")


def test_an_english_bar_chart_is_laid_out_like_vega() -> None:
    """The fast renderer's English axis labels (250,000, 30m, 1.5bn) and word-wrapped titles are
    what vl-convert draws for the same spec."""
    pytest.importorskip("vl_convert")
    from civictrack.charts.typeface import vl_convert_with_font

    vl_convert = vl_convert_with_font()  # measuring with the bundled font, whatever CJK fonts are installed
    from civictrack.charts.barchart import en_number, layout, render_bar
    from civictrack.charts.specs import ChartSpec, Row

    assert [en_number(v) for v in (0, 1234, 12345.5, 999999, 1e6, 3e7, 1.5e9, -12345)] == \
        ["0", "1,234", "12,345.5", "999,999", "1m", "30m", "1.5bn", "-12,345"]
    with i18n.speaking("en"):
        specs = [
            ChartSpec("figure-x", "Spending on rural schools, 2022 to 2024: more than 1.3 billion yuan a year, as of "
                      "the latest report", "yuan", [Row("2022", 1.2e9, "1.2亿元"), Row("2023", 1.34e9, "超1.3亿元"),
                                                    Row("2024", 1.5e9, "1.4亿余元", derived=True)], "Source: a body"),
            ChartSpec("figure-y", "School places", "places", [Row("2024", 250000, "25万个"), Row("2025", 640000, "64万个")],
                      "Source: a body"),
            ChartSpec("figure-z", "Millions", "", [Row("2024", 3.2e7, "3200万")], ""),
        ]
    for spec in specs:
        assert spec.lang == "en"
        vega = vl_convert.vegalite_to_svg(spec.vegalite())
        origin = re.search(r'stroke-miterlimit="10" transform="translate\((\d+),(\d+)\)', vega).groups()
        ours = render_bar(spec)[0]
        assert re.search(r'width="(\d+)" height="(\d+)"', ours).groups() == \
            re.search(r'width="(\d+)" height="(\d+)"', vega).groups()
        assert layout(spec).origin == tuple(int(v) for v in origin)
        vega_ticks = re.findall(r'font-size="10px" fill="#1b1b1b" opacity="1">(.*?)</text>', vega)
        assert vega_ticks and re.findall(r'font-size="10px" fill="#1b1b1b">(.*?)</text>', ours) == vega_ticks
    assert len(specs[0].title_lines()) == 2 and all(len(line) <= 56 for line in specs[0].title_lines())
