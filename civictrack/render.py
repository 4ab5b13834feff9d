"""The Jinja environment: autoescaping, strict undefined, and the helpers templates use.

Templates never build a URL by hand: they call ``href``/``abs`` (from ``urls.Urls``)
and the page helpers here.  Text from the data is escaped by Jinja; the only markup
that reaches a page unescaped is made here (report text with figure highlights,
Markdown rendered with raw HTML off) and in ``jsonld``, which cannot close its
``<script>``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any

import jinja2
from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, Template, nodes
from jinja2.compiler import CodeGenerator, Frame, is_python_keyword, optimizeconst
from jinja2.runtime import Context, Macro, new_context
from markupsafe import Markup, escape

from .cachedir import cache_dir
from .search import search_title
from .urls import Urls
from .dataset import FigureInfo

QUALIFIER_ZH = {"exact": "", "more_than": "多于", "nearly": "接近", "about": "约", "at_least": "至少"}
QUALIFIER_TITLE = {"more_than": "报告写作“余”或“超”：实际数值多于此数", "nearly": "报告写作“近”：实际数值接近但不到此数",
                   "about": "报告写作“约”：约数", "at_least": "报告写作“至少”"}
REPORT_KIND_ZH = {"government_response": "政府对审议意见研究处理情况的报告", "review_opinions": "人大常委会审议意见",
                  "government_report": "政府工作情况报告"}
CHANGE_KIND_ZH = {"added": "新增", "revised": "修订", "status": "状态变化", "corrected": "更正", "removed": "撤下",
                  "note": "说明"}
COMPARISON_KIND_ZH = {"change": "较上期变化", "national_average": "与全国平均水平比较", "rank": "全国排位",
                      "from_to": "调整前后"}

DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def template_folder(root: Path) -> Path:
    """The project's own templates/ if it has one, else the generator's."""
    own = root / "templates"
    return own if own.is_dir() else DEFAULT_TEMPLATES


def jsonld(value: Any) -> Markup:
    """JSON for a ``<script type="application/ld+json">``: ``<``, ``>`` and ``&`` are escaped
    as ``\\u003c`` etc., so no string in the data can end the script element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def figure_text(info: FigureInfo) -> str:
    """The figure as shown: the written form for stated figures, value + unit for derived ones."""
    fig = info.figure
    return fig.written if fig.written and not fig.derived else f"{fig.value}{fig.unit}"


def highlight_paragraph(text: str, spans: list[tuple[int, int, str, str]]) -> Markup:
    """Escape ``text`` and wrap each (start, end, href, id) span in a figure link."""
    out: list[str] = []
    position = 0
    for start, end, href, ident in sorted(spans):
        if start < position:  # overlapping spans: keep the first
            continue
        out.append(str(escape(text[position:start])))
        out.append(f'<a class="fig" id="{escape(ident)}" href="{escape(href)}"><mark>'
                   f"{escape(text[start:end])}</mark></a>")
        position = end
    out.append(str(escape(text[position:])))
    return Markup("".join(out))


def mark_in_quote(quote: str, written: str | None, occurrence: int = 1) -> Markup:
    """The quote, escaped, with the written figure in ``<mark>``."""
    from .source import find_token

    if not written:
        return Markup(escape(quote))
    start = find_token(quote, written, occurrence)
    if start < 0:
        return Markup(escape(quote))
    end = start + len(written)
    return Markup(f"{escape(quote[:start])}<mark>{escape(quote[start:end])}</mark>{escape(quote[end:])}")


_ENVIRONMENTS: dict[str, Environment] = {}


def _plain_callable(obj: Any) -> bool:
    """Whether Jinja would call ``obj`` as it is: a function, method, builtin or macro that
    asks for no context, eval context or environment (``@pass_context`` etc. set
    ``jinja_pass_arg`` on the function)."""
    kind = type(obj)
    if kind is FunctionType:
        return "jinja_pass_arg" not in obj.__dict__
    if kind is MethodType:
        return "jinja_pass_arg" not in getattr(obj.__func__, "__dict__", ())
    return kind is BuiltinFunctionType or kind is Macro


class _FastContext(Context):
    """Jinja's context with a quicker ``call`` for the common case: a template calling a plain
    function (``href``, ``urls.figure``, a macro).  Jinja's own ``call`` inspects every callee
    for ``pass_context`` with four ``hasattr`` calls (about a third of a figure page's
    rendering); anything that is not plainly callable still goes through it."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's signature)
        if not _plain_callable(__obj):
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
    from markupsafe import _escape_inner  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    _escape_inner = None

_new_str = str.__new__


def _escape(value: Any) -> Markup:
    """markupsafe's ``escape``, quicker for the two common cases: a ``str`` (escaped by the
    same C function, wrapped without ``Markup.__new__``'s Python-level ``__html__`` probe) and
    a ``Markup`` (returned as it is: ``escape`` would copy it unchanged).  Anything else goes to
    ``escape``.  About 100 of these a figure page; tests/test_render_context.py checks that
    both give the same result."""
    kind = type(value)
    if kind is str:
        return _new_str(Markup, _escape_inner(value))
    if kind is Markup:
        return value
    return escape(value)


_COMPILED_BY = f"jinja-{jinja2.__version__}-getattr1-call1"  # the code generator below; bump it when it changes


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator, with attribute access (``page.title``) compiled to Python's
    ``getattr`` and only on a miss to Jinja's ``environment.getattr`` (which then tries
    ``page["title"]`` and the undefined), instead of calling ``environment.getattr`` every
    time: about 100 such calls a figure page, each a Python-level call.  Same order, same
    result; the walrus names keep the object so it is evaluated once."""

    @optimizeconst
    def visit_Getattr(self, node: nodes.Getattr, frame: Frame) -> None:
        if self.environment.is_async or self.environment.sandboxed:  # pragma: no cover (not used here)
            return CodeGenerator.visit_Getattr(self, node, frame)
        self.write("(_ct_value if (_ct_value := getattr((_ct_object := ")
        self.visit(node.node, frame)
        self.write(f"), {node.attr!r}, missing)) is not missing else environment.getattr(_ct_object, {node.attr!r}))")

    @optimizeconst
    def visit_Call(self, node: nodes.Call, frame: Frame, forward_caller: bool = False) -> None:
        """A call (``href(x)``, ``urls.figure(id)``, a macro) made directly when the callee is
        plainly callable (as ``_plain_callable`` decides, here inline: no Python-level call), and
        otherwise through ``context.call`` exactly as Jinja compiles it.  The callee and then
        the arguments are evaluated once, in Jinja's order, into names unique to the call."""
        if (forward_caller or self.environment.is_async or self.environment.sandboxed
                or node.dyn_args is not None or node.dyn_kwargs is not None
                or any(is_python_keyword(k.key) for k in node.kwargs)):
            return CodeGenerator.visit_Call(self, node, frame, forward_caller=forward_caller)
        number = self.__dict__["_ct_calls"] = self.__dict__.get("_ct_calls", 0) + 1
        f, a, k = f"_ct_f{number}", f"_ct_a{number}", f"_ct_k{number}"
        spread = f"*{a}, **{k}" if node.kwargs else f"*{a}"
        self.write(f"({f}({spread}) if (({f} := ")
        self.visit(node.node, frame)
        self.write(f"), ({a} := (")
        for arg in node.args:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")
        if node.kwargs:
            self.write(f", ({k} := {{")
            for kwarg in node.kwargs:
                self.write(f"{kwarg.key!r}: ")
                self.visit(kwarg.value, frame)
                self.write(", ")
            self.write("})")
        self.write(f") and (type({f}) is _ct_Macro or type({f}) is _ct_builtin"
                   f" or (type({f}) is _ct_function and 'jinja_pass_arg' not in {f}.__dict__)"
                   f" or (type({f}) is _ct_method and 'jinja_pass_arg' not in getattr({f}.__func__, '__dict__', ())))"
                   f" else context.call({f}, {spread}")
        if frame.loop_frame:
            self.write(", _loop_vars=_loop_vars")
        if frame.block_frame:
            self.write(", _block_vars=_block_vars")
        self.write("))")


class _BuildTemplate(Template):
    """A template whose imported module (``{% from "partials/macros.html" import … %}``) is
    made once per build.

    Jinja keeps an imported template's module, with a snapshot of the globals, for as long as
    the template stays cached, so in a long-running process (the preview, tests) macros would
    see the first build's data and URLs.  Here the modules live in a dict that
    ``make_environment`` empties at the start of every build; this also skips Jinja's check of
    the caller's globals on every import (~0.1 ms an import, 14,000 imports at N = 1,000)."""

    @classmethod
    def _from_namespace(cls, environment: Environment, namespace: Any, globals: Any) -> Template:
        """Jinja's, with the compiled template's ``escape`` (every ``{{ }}`` under autoescape)
        swapped for ``_escape``: the template's functions look it up in this namespace."""
        if _escape_inner is not None:
            namespace["escape"] = _escape
        namespace.update(_ct_Macro=Macro, _ct_builtin=BuiltinFunctionType, _ct_function=FunctionType,
                         _ct_method=MethodType)  # the types visit_Call's code tests
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


def make_environment(root: Path, urls: Urls, globals_: dict[str, Any]) -> Environment:
    """The Jinja environment for a template folder, with this build's globals.

    One environment per folder lives as long as the process, so compiled templates are reused
    by later builds (the preview); Jinja recompiles a template whose file changed."""
    folder = str(template_folder(root))
    env = _ENVIRONMENTS.get(folder)
    if env is None:
        env = _ENVIRONMENTS[folder] = Environment(
            loader=FileSystemLoader(folder), autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True,
            trim_blocks=True, lstrip_blocks=True, cache_size=1000, auto_reload=False)
        env.template_class = _BuildTemplate
        env.code_generator_class = _CodeGenerator
        env.context_class = _FastContext
        base_globals = dict(env.globals)
        env.extend(civictrack_base_globals=base_globals, civictrack_modules={}, civictrack_flat_globals={},
                   civictrack_once={})
    # Jinja's auto_reload would stat a template's file on every extends, import and include
    # (three to four a page); instead every cached template is checked once, here, per build
    if not all(template.is_up_to_date for template in list(env.cache.values())):  # type: ignore[union-attr]
        env.cache.clear()  # type: ignore[union-attr]
    cache = cache_dir(root)
    if cache is not None:  # compiled templates, keyed by name and source: a new process skips compiling
        folder = cache / "jinja" / _COMPILED_BY  # Jinja keys its cache by source alone
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    else:
        env.bytecode_cache = None
    env.globals.clear()
    env.globals.update(env.civictrack_base_globals)  # type: ignore[attr-defined]
    env.globals.update(href=urls.href, abs=urls.absolute, urls=urls, figure_text=figure_text,
                       QUALIFIER_ZH=QUALIFIER_ZH, QUALIFIER_TITLE=QUALIFIER_TITLE, REPORT_KIND_ZH=REPORT_KIND_ZH,
                       COMPARISON_KIND_ZH=COMPARISON_KIND_ZH, CHANGE_KIND_ZH=CHANGE_KIND_ZH, mark_in_quote=mark_in_quote, **globals_)
    env.filters["jsonld"] = jsonld
    env.filters["search_title"] = search_title
    env.globals["once"] = _once_in(env.civictrack_once)  # type: ignore[attr-defined]
    env.civictrack_modules.clear()  # type: ignore[attr-defined]  # see _BuildTemplate
    env.civictrack_flat_globals.clear()  # type: ignore[attr-defined]
    env.civictrack_once.clear()  # type: ignore[attr-defined]
    return env


def _once_in(memo: dict[tuple[Any, ...], Markup]) -> Callable[..., Markup]:
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
