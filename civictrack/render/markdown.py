"""Markdown for prose pages (content/*.md): CommonMark with raw HTML off.

markdown-it-py escapes any HTML in the source and refuses ``javascript:``,
``vbscript:``, ``file:`` and most ``data:`` links.  Links that start with ``/`` are
site-internal and get the base path, so ``[状态](/status/)`` works under ``/repo/``.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from civictrack.speed.cachedir import write_atomic
from civictrack.urls import Urls

_stored: dict[str, str] = {}  # content hash → HTML, loaded from and saved to the build cache
_added = False
_loaded: Path | None = None  # the cache file already read into _stored


def _key(text: str, base_path: str) -> str:
    return hashlib.blake2b((base_path + "\0" + text).encode("utf-8"), digest_size=16).hexdigest()


def render_markdown(text: str, urls: Urls) -> str:
    """HTML for ``text``; cached by content and base path (in memory and, see ``load_cache``, on disk)."""
    global _added
    key = _key(text, urls.base_path)
    html = _stored.get(key)
    if html is None:
        html = _stored[key] = _render(text, urls.base_path)
        _added = True
    return html


def load_cache(path: Path | None) -> None:
    """Read the rendered-Markdown cache of earlier builds (a missing or broken file is ignored)."""
    global _loaded
    if path is None or path == _loaded or not path.is_file():
        return  # a long-running preview reads it once
    try:
        _stored.update(json.loads(path.read_text(encoding="utf-8")))
        _loaded = path
    except (OSError, ValueError):
        pass


def save_cache(path: Path | None) -> None:
    """Write the cache back if this build rendered anything new."""
    global _added
    if path is None or not _added:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(_stored, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    _added = False


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
