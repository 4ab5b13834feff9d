"""Markdown for prose pages (content/*.md): CommonMark with raw HTML off.

markdown-it-py escapes any HTML in the source and refuses ``javascript:``,
``vbscript:``, ``file:`` and most ``data:`` links.  Links that start with ``/`` are
site-internal and get the base path, so ``[状态](/status/)`` works under ``/repo/``.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from civictrack.speed.cachedir import note_unsaved, write_atomic
from civictrack.urls import Urls

_FOLDER: list[str] = [""]  # the build cache's markdown/ folder ("": no cache)


def _key(text: str, base_path: str) -> str:
    return hashlib.blake2b((base_path + "\0" + text).encode("utf-8"), digest_size=16).hexdigest()


def use_cache(folder: Path | None) -> None:
    """Keep rendered Markdown in ``folder`` (a file an entry, named by its content and base path,
    like the chart cache), or nowhere (``None``)."""
    _FOLDER[0] = str(folder) if folder is not None else ""


def render_markdown(text: str, urls: Urls) -> str:
    """HTML for ``text``: remembered in this process (the last 4,096) and in the build cache
    (``use_cache``), where a render worker's new entries are kept for the next build too.
    Nothing is held for the rest: 10,000 item bodies are ~50 MB of text in memory."""
    folder = _FOLDER[0]
    if not folder:
        return _render(text, urls.base_path)
    key = _key(text, urls.base_path)
    path = f"{folder}/{key[:2]}/{key}.html"
    try:
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8")
    except FileNotFoundError:
        pass
    html = _render(text, urls.base_path)
    try:
        os.makedirs(f"{folder}/{key[:2]}", exist_ok=True)
        write_atomic(Path(path), html.encode("utf-8"))
    except OSError as error:  # a read-only cache: render again next time
        note_unsaved(error, folder)  # a full disk: the one warning at the end
    return html


@lru_cache(maxsize=4096)
def _render(text: str, base_path: str) -> str:
    return _parser(base_path).render(text)


@lru_cache(maxsize=8)
def _parser(base_path: str) -> Any:
    """One CommonMark parser per base path (making one costs ~0.4 ms)."""
    from markdown_it import MarkdownIt

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
    return md
