"""Helpers for the built-site tests: run a build, parse HTML with the standard library.

``parse_html`` turns a page into a small tree of :class:`Node` (tag, attributes,
children, text) so tests can ask for "the <pre id=cite-gbt>" or "every <a> inside
<ul class=item-list>" without a third-party parser.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
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


# --- serving a built site over HTTP, as a static host (GitHub Pages) does -----------------------

PREFIX = "/repo/"
"""The sub-path a project site is served under; links that forget it leave the site."""


class QuietHandler(SimpleHTTPRequestHandler):
    """A static host like GitHub Pages: index.html for a folder, else 404 (no directory listings);
    text types carry ``charset=utf-8`` as GitHub Pages sends them."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map,
                      ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
                      ".js": "text/javascript; charset=utf-8", ".json": "application/json; charset=utf-8",
                      ".csv": "text/csv; charset=utf-8", ".txt": "text/plain; charset=utf-8",
                      ".xml": "application/xml; charset=utf-8", ".svg": "image/svg+xml"}

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        self.send_error(404, "No index.html in this folder")
        return None

    def end_headers(self) -> None:
        # linkchecker limits itself to 10 requests a second unless the server sends this header
        self.send_header("LinkChecker", "local test server")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature of the base class
        pass


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that closes early (a browser, a checker reading only headers) is no error."""
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` on a free loopback port; yields the origin ``http://127.0.0.1:<port>``."""
    httpd = QuietServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@dataclass
class Server:
    root: Path  # the served folder; the site is root / "repo"
    origin: str  # http://127.0.0.1:<port>

    @property
    def site(self) -> Path:
        return self.root / "repo"

    @property
    def base_url(self) -> str:
        return self.origin + PREFIX


# --- a real browser: Debian's Chromium driven by Playwright --------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@contextmanager
def chromium() -> Iterator[object]:
    """One headless Chromium (a Playwright ``Browser``) for a module's tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def by_standing(items: list[dict], status_order: dict[str, int]) -> list[dict]:
    """Item records (items.json) in the order the body and place pages list them: items with an
    overdue action first, then by their least advanced action's current status, ties in
    report order (the records' order)."""
    return sorted(items, key=lambda i: (not any(a["overdue"] for a in i["actions"]),
                                        max(status_order[a["current_status"]] for a in i["actions"])))
