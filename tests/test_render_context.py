"""The Jinja environment's quick paths behave as Jinja's own: ``_FastContext.call`` and the
per-build flat globals of ``_BuildTemplate.new_context``."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import pass_context, pass_environment, pass_eval_context
from jinja2.exceptions import UndefinedError

from civictrack.render import _FastContext, _plain_callable, make_environment
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


def test_stop_iteration_still_gives_undefined(tmp_path: Path) -> None:
    def empty():
        return next(iter(()))

    env = _env(tmp_path, {"a.html": "{{ empty() }}"}, empty=empty)
    with pytest.raises(UndefinedError):  # StrictUndefined: Jinja's own behaviour
        env.get_template("a.html").render()


def test_globals_of_a_new_build_are_seen(tmp_path: Path) -> None:
    """The flat copy of the globals is made per build: a second build's values replace the first's."""
    templates = {"a.html": "{{ value }} {{ href('') }}"}
    assert _env(tmp_path, templates, value="one").get_template("a.html").render() == "one /sub/"
    env = make_environment(tmp_path, Urls("https://example.org/other/"), {"value": "two"})
    assert env.get_template("a.html").render() == "two /other/"
    assert env.get_template("a.html").render(value="local") == "local /other/"
