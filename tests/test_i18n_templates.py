"""Every Chinese word a template shows goes through the message catalogs.

The templates are lexed with the site's own Jinja environment: template text (outside ``{% %}``
and ``{{ }}``) must hold no Chinese, and a string constant in an expression may hold Chinese
only as the message of ``_``/``gettext`` (first argument), ``ngettext`` (first and second) or
``pgettext`` (context and message). Text inside ``{% trans %}`` blocks is a message too.
Data (titles, quotes) reaches a page through variables and is not the templates' concern here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jinja2 import Environment

from civictrack.resources import DEFAULT_TEMPLATES
from civictrack.render.environment import make_environment
from civictrack.urls import Urls

CHINESE = re.compile("[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
"""CJK ideographs, CJK punctuation (，。、《》「」 and the ideographic space) and full-width forms (：（）)."""
MESSAGE_ARGUMENTS = {"_": (1,), "gettext": (1,), "ngettext": (1, 2), "pgettext": (1, 2)}
"""Function → the positions of its arguments that are messages (or, for pgettext, their context)."""

TEMPLATES = sorted(p for p in DEFAULT_TEMPLATES.rglob("*.html") if "static" not in p.relative_to(DEFAULT_TEMPLATES).parts)


def untranslated(env: Environment, source: str, name: str = "template") -> list[str]:
    """Where ``source`` has Chinese outside a message: ``<line>: text …`` for each."""
    tokens = list(env._tokenize(source, name))  # type: ignore[attr-defined]
    found: list[str] = []
    in_trans = False
    for i, token in enumerate(tokens):
        if token.type == "name" and i and tokens[i - 1].type == "block_begin":
            if token.value == "trans":
                in_trans = True
            elif token.value == "endtrans":
                in_trans = False
        if token.type == "data" and not in_trans and (match := CHINESE.search(token.value)):
            lineno = token.lineno + token.value.count("\n", 0, match.start())
            line = token.value[token.value.rfind("\n", 0, match.start()) + 1:].split("\n")[0]
            found.append(f"{lineno}: text {line.strip()[:60]!r}")
        elif token.type == "string" and CHINESE.search(token.value) and not _is_message(tokens, i):
            found.append(f"{token.lineno}: string {token.value[:60]!r} outside _()/ngettext()/pgettext()")
    return found


def _is_message(tokens: list, i: int) -> bool:
    """Whether the string token ``tokens[i]`` is a message argument of a gettext call."""
    position = 1
    j = i - 1
    # walk back over earlier constant arguments of the same call: "a", "b", <string>
    while j >= 1 and tokens[j].type == "comma" and tokens[j - 1].type == "string":
        position += 1
        j -= 2
    if j < 1 or tokens[j].type != "lparen" or tokens[j - 1].type != "name":
        return False
    return position in MESSAGE_ARGUMENTS.get(tokens[j - 1].value, ())


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Environment:
    root = tmp_path_factory.mktemp("project")  # no templates/ of its own: the generator's are used
    return make_environment(root, Urls("https://example.org/"), {})


def test_there_are_templates() -> None:
    assert len(TEMPLATES) > 20
    assert DEFAULT_TEMPLATES / "partials" / "macros.html" in TEMPLATES


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(DEFAULT_TEMPLATES)))
def test_template_has_no_chinese_outside_messages(env: Environment, path: Path) -> None:
    name = str(path.relative_to(DEFAULT_TEMPLATES))
    found = untranslated(env, path.read_text(encoding="utf-8"), name)
    assert not found, f"{name}: Chinese outside a message (wrap it in _()):\n  " + "\n  ".join(
        f"{name}:{where}" for where in found)


@pytest.mark.parametrize("source, lines", [
    ("<p>数字</p>", ["1"]),
    ("<p>\n{{ x }}：{{ y }}</p>", ["2"]),  # full-width punctuation
    ("{{ '后续报告' if a else _('更新') }}", ["1"]),
    ("{{ x|join('、') }}", ["1"]),
    ("{{ f('数字') }}", ["1"]),
    ("{{ _('%(a)s', a='数字') }}", ["1"]),  # a keyword argument is not the message
    ("{{ _('数字', 1, '措施') }}", ["1"]),  # nor a later argument of _()
    ("{{ pgettext('ctx', '、', '措施') }}", ["1"]),
    ("{# 注释 #}<p>{{ _('数字') }}</p>", []),
    ("{{ _(\"共 %(n)s 项\", n=x) }}{{ gettext('数字') }}", []),
    ("{{ ngettext('%(num)s 项', '%(num)s 项', n) }}{{ pgettext('between words', '、') }}", []),
    ("{% trans %}数字{% endtrans %}", []),
    ("<p>Figures · 2024 — “x”</p>", []),
])
def test_the_check_finds_chinese_outside_messages(env: Environment, source: str, lines: list[str]) -> None:
    assert [where.split(":")[0] for where in untranslated(env, source)] == lines
