"""The Jinja environment: autoescaping, strict undefined, and the helpers templates use.

Templates never build a URL by hand: they call ``href``/``abs`` (from ``urls.Urls``)
and the page helpers here.  Text from the data is escaped by Jinja; the only markup
that reaches a page unescaped is made here (report text with figure highlights,
Markdown rendered with raw HTML off) and in ``jsonld``, which cannot close its
``<script>``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from types import BuiltinFunctionType, FunctionType, MethodType

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, Template
from jinja2.runtime import Context, Macro, new_context
from markupsafe import Markup, escape

from .cachedir import cache_dir
from .search import search_title
from .urls import Urls
from .validate import FigureInfo

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


class _BuildTemplate(Template):
    """A template whose imported module (``{% from "partials/macros.html" import … %}``) is
    made once per build.

    Jinja keeps an imported template's module, with a snapshot of the globals, for as long as
    the template stays cached, so in a long-running process (the preview, tests) macros would
    see the first build's data and URLs.  Here the modules live in a dict that
    ``make_environment`` empties at the start of every build; this also skips Jinja's check of
    the caller's globals on every import (~0.1 ms an import, 14,000 imports at N = 1,000)."""

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
            trim_blocks=True, lstrip_blocks=True, cache_size=1000)
        env.template_class = _BuildTemplate
        env.context_class = _FastContext
        base_globals = dict(env.globals)
        env.extend(civictrack_base_globals=base_globals, civictrack_modules={}, civictrack_flat_globals={})
    cache = cache_dir(root)
    if cache is not None:  # compiled templates, keyed by name and source: a new process skips compiling
        (cache / "jinja").mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = FileSystemBytecodeCache(str(cache / "jinja"))
    else:
        env.bytecode_cache = None
    env.globals.clear()
    env.globals.update(env.civictrack_base_globals)  # type: ignore[attr-defined]
    env.globals.update(href=urls.href, abs=urls.absolute, urls=urls, figure_text=figure_text,
                       QUALIFIER_ZH=QUALIFIER_ZH, QUALIFIER_TITLE=QUALIFIER_TITLE, REPORT_KIND_ZH=REPORT_KIND_ZH,
                       COMPARISON_KIND_ZH=COMPARISON_KIND_ZH, CHANGE_KIND_ZH=CHANGE_KIND_ZH, mark_in_quote=mark_in_quote, **globals_)
    env.filters["jsonld"] = jsonld
    env.filters["search_title"] = search_title
    env.civictrack_modules.clear()  # type: ignore[attr-defined]  # see _BuildTemplate
    env.civictrack_flat_globals.clear()  # type: ignore[attr-defined]
    return env
