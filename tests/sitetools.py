"""Helpers for the built-site tests: run a build, parse HTML with the standard library.

``parse_html`` turns a page into a small tree of :class:`Node` (tag, attributes,
children, text) so tests can ask for "the <pre id=cite-gbt>" or "every <a> inside
<ul class=item-list>" without a third-party parser.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

from .conftest import ROOT

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


_shared_cache: list[str] = []


def _env(root: Path) -> dict[str, str] | None:
    """Scratch copies of a project share one chart cache for the test run (keys are content
    hashes, so sharing changes no output), instead of each rendering every chart afresh."""
    if Path(root).resolve() == ROOT or "CIVICTRACK_CACHE" in os.environ:
        return None
    if not _shared_cache:
        _shared_cache.append(tempfile.mkdtemp(prefix="civictrack-test-charts-"))
        atexit.register(shutil.rmtree, _shared_cache[0], True)
    return {**os.environ, "CIVICTRACK_CACHE": _shared_cache[0]}


def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    """``python build.py --root ROOT ARGS…``."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(root), *args],
                          capture_output=True, text=True, encoding="utf-8", env=_env(root))


def run_build(root: Path, out: Path | None, base_url: str | None = None, *extra: str) -> subprocess.CompletedProcess:
    """``python build.py --root ROOT build [--out OUT] [--base-url URL]``."""
    args = ["build"]
    if out is not None:
        args += ["--out", str(out)]
    if base_url is not None:
        args += ["--base-url", base_url]
    return run_cli(root, *args, *extra)


class Node:
    """An element (or the document root, tag ``#root``)."""

    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None = None):
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Node | str] = []

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}>"

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    @property
    def text(self) -> str:
        """All text inside, concatenated (raw text of <script>/<style> included)."""
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def iter(self, tag: str | None = None, cls: str | None = None,
             pred: Callable[[Node], bool] | None = None, **attrs: str) -> Iterator[Node]:
        """Descendants (document order) matching tag, a class and exact attribute values."""
        for child in self.children:
            if isinstance(child, str):
                continue
            if ((tag is None or child.tag == tag) and (cls is None or cls in child.classes)
                    and all(child.attrs.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())
                    and (pred is None or pred(child))):
                yield child
            yield from child.iter(tag, cls, pred, **attrs)

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        return list(self.iter(tag, cls, **attrs))

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Node | None:
        return next(self.iter(tag, cls, **attrs), None)

    def by_id(self, ident: str) -> Node | None:
        return next(self.iter(pred=lambda n: n.attrs.get("id") == ident), None)

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]
        self.doctype: str | None = None

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs), self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, dict(attrs), self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def html_pages(site: Path) -> list[Path]:
    """Every HTML file of a built site, sorted."""
    return sorted(site.rglob("*.html"))


def page_path(site: Path, file: Path) -> str:
    """Site-relative URL path of an HTML file: ``items/x/index.html`` → ``items/x/``."""
    rel = file.relative_to(site).as_posix()
    if rel == "index.html":
        return ""
    return rel[: -len("index.html")] if rel.endswith("/index.html") else rel
