"""Markdown for prose pages (content/*.md): CommonMark with raw HTML off.

markdown-it-py escapes any HTML in the source and refuses ``javascript:``,
``vbscript:``, ``file:`` and most ``data:`` links.  Links that start with ``/`` are
site-internal and get the base path, so ``[状态](/status/)`` works under ``/repo/``.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt

from .urls import Urls


def render_markdown(text: str, urls: Urls) -> str:
    """HTML for ``text``; cached by content (and base path) for the life of the process."""
    return _render(text, urls.base_path)


@lru_cache(maxsize=65536)
def _render(text: str, base_path: str) -> str:
    urls = Urls("http://x" + base_path)
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    default_link = md.renderer.rules.get("link_open")

    def link_open(tokens, idx, options, env):  # type: ignore[no-untyped-def]
        href = tokens[idx].attrGet("href") or ""
        if href.startswith("/") and not href.startswith("//"):
            path, _, anchor = href[1:].partition("#")
            tokens[idx].attrSet("href", urls.href(path, anchor or None))
        if default_link is not None:
            return default_link(tokens, idx, options, env)
        return md.renderer.renderToken(tokens, idx, options, env)

    md.renderer.rules["link_open"] = link_open
    return md.render(text)
