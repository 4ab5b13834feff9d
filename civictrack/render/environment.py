"""The Jinja environment: autoescaping, strict undefined, and the helpers templates use.

Templates never build a URL by hand: they call ``href``/``abs`` (from ``urls.Urls``)
and the helpers of ``render.format``.  Text from the data is escaped by Jinja; the only
markup that reaches a page unescaped is made in ``render.format`` (report text with figure
highlights) and ``render.markdown`` (raw HTML off), and ``jsonld`` cannot close its
``<script>``.  The quicker rendering parts come from ``speed.jinja``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from jinja2.bccache import Bucket

from civictrack import i18n
from civictrack.resources import template_folders
from civictrack.render.format import (CHANGE_KIND_ZH, COMPARISON_KIND_ZH, QUALIFIER_TITLE, QUALIFIER_ZH,
                                      REPORT_KIND_ZH, cited, figure_text, jsonld, mark_in_quote, search_title,
                                      value_in_words, item_number, unbroken)
from civictrack.speed.cachedir import cache_dir, note_unsaved, write_atomic
from civictrack.speed.jinja import COMPILED_BY, BuildTemplate, FastContext, once_in
from civictrack.urls import Urls


_ENVIRONMENTS: dict[tuple[str, ...], Environment] = {}


class BytecodeCache(FileSystemBytecodeCache):
    """Jinja's cache of compiled templates in a folder, where a full disk only means a template
    is not kept (noted for the build's one warning) instead of ending the build."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            write_atomic(Path(self._get_cache_filename(bucket)), bucket.bytecode_to_string())
        except OSError as error:
            if not note_unsaved(error, self.directory):
                raise


def make_environment(root: Path, urls: Urls, globals_: dict[str, Any]) -> Environment:
    """The Jinja environment for a project's template folders, with this build's globals.

    One environment per list of folders lives as long as the process, so compiled templates are reused
    by later builds (the preview); Jinja recompiles a template whose file changed."""
    folders = tuple(str(folder) for folder in template_folders(root))
    env = _ENVIRONMENTS.get(folders)
    if env is None:
        env = _ENVIRONMENTS[folders] = Environment(
            loader=FileSystemLoader(list(folders)), autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True,
            trim_blocks=True, lstrip_blocks=True, cache_size=1000, auto_reload=False,
            extensions=["jinja2.ext.i18n"])
        env.template_class = BuildTemplate
        env.context_class = FastContext
        base_globals = dict(env.globals)
        env.extend(civictrack_base_globals=base_globals, civictrack_modules={}, civictrack_flat_globals={},
                   civictrack_once={})
    # Jinja's auto_reload would stat a template's file on every extends, import and include
    # (three to four a page); instead every cached template is checked once, here, per build
    if not all(template.is_up_to_date for template in list(env.cache.values())):  # type: ignore[union-attr]
        env.cache.clear()  # type: ignore[union-attr]
    cache = cache_dir(root)
    env.bytecode_cache = None
    if cache is not None:  # compiled templates, keyed by name and source: a new process skips compiling
        folder = cache / "jinja" / COMPILED_BY  # Jinja keys its cache by source alone
        try:
            folder.mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = BytecodeCache(str(folder))
        except OSError as error:
            if not note_unsaved(error, folder):  # a full disk: templates compiled, not kept
                raise
    env.globals.clear()
    env.globals.update(env.civictrack_base_globals)  # type: ignore[attr-defined]
    env.globals.update(href=urls.href, abs=urls.absolute, urls=urls, figure_text=figure_text,
                       QUALIFIER_ZH=QUALIFIER_ZH, QUALIFIER_TITLE=QUALIFIER_TITLE, REPORT_KIND_ZH=REPORT_KIND_ZH,
                       COMPARISON_KIND_ZH=COMPARISON_KIND_ZH, CHANGE_KIND_ZH=CHANGE_KIND_ZH, mark_in_quote=mark_in_quote, cited=cited, **globals_)
    # interface text in the edition's language (civictrack.i18n answers in the language in use)
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True, pgettext=i18n.pgettext)  # type: ignore[attr-defined]
    # the same semantics, quicker (i18n.template_gettext); {% trans %} compiles to calls of these too
    env.globals.update(_=i18n.template_gettext, gettext=i18n.template_gettext, ngettext=i18n.template_ngettext,
                       pgettext=i18n.template_pgettext)
    env.globals.update(lang=i18n.language(), data_lang=i18n.source_language(), t=i18n.marked, t_text=i18n.text, foreign=i18n.foreign, numbering=i18n.numbering, value_in_words=value_in_words, item_number=item_number, source_lang=i18n.source_lang_attr)
    env.filters["date"] = lambda value: unbroken(i18n.format_date(value))  # never broken inside
    env.filters["num"] = i18n.format_number
    env.filters["unbroken"] = unbroken
    env.filters["jsonld"] = jsonld
    env.filters["search_title"] = search_title
    env.globals["once"] = once_in(env.civictrack_once)  # type: ignore[attr-defined]
    env.civictrack_modules.clear()  # type: ignore[attr-defined]  # see BuildTemplate
    env.civictrack_flat_globals.clear()  # type: ignore[attr-defined]
    env.civictrack_once.clear()  # type: ignore[attr-defined]
    return env
