"""Quicker Jinja rendering, with the same output: a build renders tens of thousands of pages.

Each piece here is a drop-in for a part of Jinja (``render.environment`` plugs them in);
tests/test_render_context.py checks that each gives what Jinja's own would.  What each buys is
measured in docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Callable
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any

import jinja2
from jinja2 import Environment, Template
from jinja2.runtime import Context, Macro, new_context
from markupsafe import Markup, escape


def plain_callable(obj: Any) -> bool:
    """Whether Jinja would call ``obj`` as it is: a function, method, builtin or macro that
    asks for no context, eval context or environment (``@pass_context`` etc. set
    ``jinja_pass_arg`` on the function)."""
    kind = type(obj)
    if kind is FunctionType:
        return "jinja_pass_arg" not in obj.__dict__
    if kind is MethodType:
        return "jinja_pass_arg" not in getattr(obj.__func__, "__dict__", ())
    return kind is BuiltinFunctionType or kind is Macro


class FastContext(Context):
    """Jinja's context with a quicker ``call`` for the common case: a template calling a plain
    function (``href``, ``urls.figure``, a macro).  Jinja's own ``call`` inspects every callee
    for ``pass_context`` with four ``hasattr`` calls (about a third of a figure page's
    rendering); anything that is not plainly callable still goes through it."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's signature)
        if not plain_callable(__obj):
            return Context.call(__self, __obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined("value was undefined because a callable raised a"
                                                " StopIteration exception")


try:  # markupsafe 3's C escaper (a private name; without it templates use escape itself)
    from markupsafe import _escape_inner as ESCAPE_INNER  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    ESCAPE_INNER = None

_new_str = str.__new__


def fast_escape(value: Any) -> Markup:
    """markupsafe's ``escape``, quicker for the two common cases: a ``str`` (escaped by the
    same C function, wrapped without ``Markup.__new__``'s Python-level ``__html__`` probe) and
    a ``Markup`` (returned as it is: ``escape`` would copy it unchanged).  Anything else goes to
    ``escape``.  About 100 of these a figure page; tests/test_render_context.py checks that
    both give the same result."""
    kind = type(value)
    if kind is str:
        return _new_str(Markup, ESCAPE_INNER(value))
    if kind is Markup:
        return value
    return escape(value)


COMPILED_BY = f"jinja-{jinja2.__version__}"  # names the folder of compiled templates in the cache


class BuildTemplate(Template):
    """A template whose imported module (``{% from "partials/macros.html" import … %}``) is
    made once per build.

    Jinja keeps an imported template's module, with a snapshot of the globals, for as long as
    the template stays cached, so in a long-running process (the preview, tests) macros would
    see the first build's data and URLs.  Here the modules live in a dict that
    ``render.environment.make_environment`` empties at the start of every build; this also skips Jinja's check of
    the caller's globals on every import (~0.1 ms an import, 14,000 imports at N = 1,000)."""

    @classmethod
    def _from_namespace(cls, environment: Environment, namespace: Any, globals: Any) -> Template:
        """Jinja's, with the compiled template's ``escape`` (every ``{{ }}`` under autoescape)
        swapped for ``_escape``: the template's functions look it up in this namespace."""
        if ESCAPE_INNER is not None:
            namespace["escape"] = fast_escape
        return super()._from_namespace(environment, namespace, globals)

    def new_context(self, vars: dict[str, Any] | None = None, shared: bool = False,
                    locals: Any = None) -> Context:
        """Jinja's ``new_context`` with the globals as one plain dict, made once per build:
        Jinja copies them out of a ChainMap for every render (a third of a table row's cost)."""
        flat: dict[str | None, Any] = self.environment.civictrack_flat_globals  # type: ignore[attr-defined]
        globals_ = flat.get(self.name)
        if globals_ is None:
            globals_ = flat[self.name] = dict(self.globals)
        return new_context(self.environment, self.name, self.blocks, vars, shared, globals_, locals)

    def _get_default_module(self, ctx: Any = None) -> Any:
        modules: dict[str | None, Any] = self.environment.civictrack_modules  # type: ignore[attr-defined]
        module = modules.get(self.name)
        if module is None:
            module = modules[self.name] = self.make_module()
        return module


def once_in(memo: dict[tuple[Any, ...], Markup]) -> Callable[..., Markup]:
    """``once(macro, *args)`` for templates: the macro's output, made once per build for each
    set of (hashable) arguments.  For the chrome every page shares (``partials/chrome.html``);
    a macro that shows anything not in its arguments or the build's globals must not use it."""

    def once(macro: Any, *args: Any) -> Markup:
        key = (macro, *args)
        hit = memo.get(key)
        if hit is None:
            hit = memo[key] = Markup(macro(*args))
        return hit

    return once
