"""The Jinja environment's quick paths behave as Jinja's own: ``_FastContext.call``, the
per-build flat globals of ``_BuildTemplate.new_context``, the quick ``_escape``, ``once`` and
templates checked for edits once a build."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from jinja2 import pass_context, pass_environment, pass_eval_context
from jinja2.exceptions import UndefinedError
from markupsafe import Markup, escape

from civictrack.render.environment import make_environment
from civictrack.speed.jinja import FastContext as _FastContext
from civictrack.speed.jinja import fast_escape as _escape
from civictrack.speed.jinja import plain_callable as _plain_callable
from civictrack.urls import Urls


def _env(tmp_path: Path, templates: dict[str, str], **globals_):
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    for name, text in templates.items():
        (folder / name).write_text(text, encoding="utf-8")
    return make_environment(tmp_path, Urls("https://example.org/sub/"), globals_)


def test_context_class_is_the_quick_one(tmp_path: Path) -> None:
    env = _env(tmp_path, {"a.html": "{{ href('x/') }}"})
    assert env.context_class is _FastContext
    assert env.get_template("a.html").render() == "/sub/x/"


def test_callables_that_ask_for_context_still_get_it(tmp_path: Path) -> None:
    @pass_context
    def who(ctx, suffix):
        return ctx["name"] + suffix

    @pass_environment
    def env_name(environment):
        return type(environment).__name__

    @pass_eval_context
    def escaping(eval_ctx):
        return str(eval_ctx.autoescape)

    class Callable:
        @pass_context
        def __call__(self, ctx):
            return "callable:" + ctx["name"]

    env = _env(tmp_path, {"a.html": "{{ who('!') }} {{ env_name() }} {{ escaping() }} {{ obj() }}"
                                     "{% for x in [1] %} {{ who(x|string) }}{% endfor %}"},
               who=who, env_name=env_name, escaping=escaping, obj=Callable())
    assert env.get_template("a.html").render(name="n") == "n! Environment True callable:n n1"
    assert not _plain_callable(who) and not _plain_callable(Callable())


def test_plain_calls_methods_builtins_and_macros(tmp_path: Path) -> None:
    class Thing:
        def twice(self, x):
            return x * 2

    env = _env(tmp_path, {"a.html": "{% macro m(v) %}<{{ v }}>{% endmacro %}"
                                     "{{ thing.twice(2) }} {{ m('a&b') }} {{ '%s-%s'|format(1, 2) }} {{ max(1, 3) }}"},
               thing=Thing(), max=max)
    assert env.get_template("a.html").render() == "4 <a&amp;b> 1-2 3"
    assert _plain_callable(Thing().twice) and _plain_callable(max) and _plain_callable(len)


def test_stop_iteration_still_stops_the_render(tmp_path: Path) -> None:
    """Jinja turns a StopIteration from a callable into an undefined (which StrictUndefined makes
    fail when used); the quick context's direct call does the same.  The render fails loudly,
    never silently."""
    def empty():
        return next(iter(()))

    env = _env(tmp_path, {"a.html": "{{ empty() }}"}, empty=empty)
    with pytest.raises((UndefinedError, RuntimeError)):
        env.get_template("a.html").render()


def test_globals_of_a_new_build_are_seen(tmp_path: Path) -> None:
    """The flat copy of the globals is made per build: a second build's values replace the first's."""
    templates = {"a.html": "{{ value }} {{ href('') }}"}
    assert _env(tmp_path, templates, value="one").get_template("a.html").render() == "one /sub/"
    env = make_environment(tmp_path, Urls("https://example.org/other/"), {"value": "two"})
    assert env.get_template("a.html").render() == "two /other/"
    assert env.get_template("a.html").render(value="local") == "local /other/"


class _Html:
    def __html__(self) -> str:
        return "<b>safe</b>"


@pytest.mark.parametrize("value", ["", "plain", "<a href='x'>&\"</a>", "中文<>", Markup("<i>kept</i>"),
                                   Markup("a &amp; b"), 0, 12.5, None, True, _Html(), ["<"], ("x", "&")])
def test_quick_escape_gives_what_markupsafe_gives(value) -> None:
    quick = _escape(value)
    assert type(quick) is Markup and quick == escape(value)


def test_templates_escape_with_the_quick_escape(tmp_path: Path) -> None:
    env = _env(tmp_path, {"a.html": "{{ s }}|{{ m }}|{{ n }}|{{ h }}"})
    assert env.get_template("a.html").render(s="<&>", m=Markup("<br>"), n=3, h=_Html()) == \
        "&lt;&amp;&gt;|<br>|3|<b>safe</b>"
    with pytest.raises(UndefinedError):  # an undefined name still fails loudly under autoescape
        _env(tmp_path, {"b.html": "{{ missing_name }}"}).get_template("b.html").render()


def test_once_renders_a_macro_once_per_build_and_argument(tmp_path: Path) -> None:
    calls: list[str] = []

    def count(x: str) -> str:
        calls.append(x)
        return x

    templates = {"m.html": "{% macro chrome(arg) %}<p>{{ count(arg) }} {{ value }}</p>{% endmacro %}",
                 "a.html": '{% from "m.html" import chrome %}{{ once(chrome, "x") }}{{ once(chrome, "x") }}'
                           '{{ once(chrome, "y") }}'}
    env = _env(tmp_path, templates, value="one", count=count)
    assert env.get_template("a.html").render() == "<p>x one</p><p>x one</p><p>y one</p>"
    assert env.get_template("a.html").render() == "<p>x one</p><p>x one</p><p>y one</p>"
    assert calls == ["x", "y"]
    env = make_environment(tmp_path, Urls("https://example.org/sub/"), {"value": "two", "count": count})
    assert env.get_template("a.html").render() == "<p>x two</p><p>x two</p><p>y two</p>"  # a new build
    assert calls == ["x", "y", "x", "y"]


def test_a_template_edited_between_builds_is_read_again(tmp_path: Path) -> None:
    """Templates are not checked on every render (no auto_reload), only once a build: an edit
    made while the preview runs shows in its next build, in extended and imported templates."""
    templates = {"base.html": "[{% block c %}{% endblock %}]", "m.html": "{% macro m() %}m1{% endmacro %}",
                 "a.html": '{% extends "base.html" %}{% from "m.html" import m %}{% block c %}a1 {{ m() }}{% endblock %}'}
    env = _env(tmp_path, templates)
    assert env.get_template("a.html").render() == "[a1 m1]"
    folder = tmp_path / "templates"
    for name, text in {"base.html": "({% block c %}{% endblock %})", "m.html": "{% macro m() %}m2{% endmacro %}",
                       "a.html": templates["a.html"].replace("a1", "a2")}.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))  # a coarse clock
    assert env.get_template("a.html").render() == "[a1 m1]"  # within one build: as compiled
    env = make_environment(tmp_path, Urls("https://example.org/sub/"), {})
    assert env.get_template("a.html").render() == "(a2 m2)"


def test_calls_in_blocks_loops_and_every_argument_form(tmp_path: Path) -> None:
    """Calls through the quick context (``FastContext.call``): direct for plain callables, Jinja's
    own way for the rest, with Jinja's own results in blocks, loops, keyword and spread forms."""
    @pass_context
    def who(ctx, suffix="?"):
        return ctx["name"] + suffix

    def kw(**kwargs):
        return ",".join(f"{k}={v}" for k, v in sorted(kwargs.items()))

    def count(*args):
        return len(args)

    class Thing:
        def pair(self, a, b=0):
            return f"{a}-{b}"

    templates = {
        "base.html": "[{% block b %}{% endblock %}]",
        "a.html": '{% extends "base.html" %}{% macro m(v, big=false) %}<{{ v }}{{ "!" if big }}>{% endmacro %}'
                  "{% block b %}{{ who('!') }} {{ m('x', big=true) }} {{ thing.pair(1, b=2) }} {{ max(3, 4) }}"
                  "{% for i in [1, 2] %} {{ who(i|string) }} {{ m(i) }}{{ kw(**{'class': i}) }}{% endfor %}"
                  " {{ count(*[1, 2, 3]) }} {{ kw(class=5) }} {{ who() }}"
                  "{% macro wrap() %}({{ caller() }}){% endmacro %} {% call wrap() %}in{% endcall %}{% endblock %}"}
    env = _env(tmp_path, templates, who=who, kw=kw, count=count, thing=Thing(), max=max)
    assert env.get_template("a.html").render(name="n") == \
        "[n! <x!> 1-2 4 n1 <1>class=1 n2 <2>class=2 3 class=5 n? (in)]"
    with pytest.raises(UndefinedError):  # calling something undefined still fails loudly
        _env(tmp_path, {"u.html": "{{ nothing_here(1) }}"}).get_template("u.html").render()
