"""Crawl the built site over HTTP under a sub-path (/repo/), as GitHub Pages serves a project site.

The site is built with ``--base-url http://127.0.0.1:<port>/repo/`` into ``<tmp>/repo`` and
served from ``<tmp>`` by a ThreadingHTTPServer, so any link that forgets the base path
(``/items/x/`` instead of ``/repo/items/x/``) lands outside the site and fails.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest

from . import proof
from .sitetools import PREFIX, Node, QuietHandler, Server, page_path, parse_html  # noqa: F401 - re-exported

RESOURCE_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "mask-icon", "preload", "modulepreload",
                 "prefetch", "preconnect", "dns-prefetch", "manifest"}


@pytest.fixture(scope="module")
def server(served_site: Server) -> Iterator[Server]:
    """The bundled site served under /repo/ (built once per run, see conftest.served_site)."""
    yield served_site


@dataclass
class Link:
    source: str  # URL of the page holding the link
    tag: str
    raw: str  # the attribute as written


@dataclass
class Crawl:
    fetched: dict[str, int] = field(default_factory=dict)  # URL (no fragment) → HTTP status
    content_types: dict[str, str] = field(default_factory=dict)
    ids: dict[str, set[str]] = field(default_factory=dict)  # HTML page URL → ids and names
    links: list[tuple[Link, str, str]] = field(default_factory=list)  # (link, target URL, fragment)
    outside: list[Link] = field(default_factory=list)  # same origin but outside /repo/
    external: set[str] = field(default_factory=set)

    @property
    def html_pages(self) -> list[str]:
        return [u for u, t in self.content_types.items() if t.startswith("text/html") and self.fetched[u] == 200]

    @property
    def broken(self) -> list[tuple[Link, str, int]]:
        return [(link, url, self.fetched.get(url, 0)) for link, url, _ in self.links if self.fetched.get(url) != 200]

    @property
    def broken_anchors(self) -> list[tuple[Link, str, str]]:
        bad = []
        for link, url, fragment in self.links:
            if not fragment or self.fetched.get(url) != 200:
                continue
            if url not in self.ids or unquote(fragment) not in self.ids[url]:
                bad.append((link, url, fragment))
        return bad


def link_targets(doc: Node) -> Iterator[tuple[str, str]]:
    """(tag, URL) of every <a href>, <link href>, <script src>, <img src> (and other src=)."""
    for node in doc.iter():
        if node.tag in ("a", "link", "area") and node.get("href"):
            yield node.tag, node.get("href") or ""
        if node.tag in ("script", "img", "iframe", "source", "video", "audio", "embed") and node.get("src"):
            yield node.tag, node.get("src") or ""


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), b""


def crawl(server: Server, seeds: list[str]) -> Crawl:
    result = Crawl()
    queue = list(seeds)
    origin = urlsplit(server.origin)
    while queue:
        url = queue.pop()
        if url in result.fetched:
            continue
        status, ctype, body = fetch(url)
        result.fetched[url] = status
        result.content_types[url] = ctype
        if status != 200 or not ctype.startswith("text/html"):
            continue
        doc = parse_html(body.decode("utf-8"))
        result.ids[url] = {n.get("id") or "" for n in doc.iter() if n.get("id")} | {
            n.get("name") or "" for n in doc.iter("a") if n.get("name")}
        for tag, raw in link_targets(doc):
            link = Link(url, tag, raw)
            absolute, fragment = urldefrag(urljoin(url, raw))
            parts = urlsplit(absolute)
            if parts.scheme not in ("http", "https") or parts.netloc != origin.netloc:
                result.external.add(raw)
                continue
            if not parts.path.startswith(PREFIX):
                result.outside.append(link)
                continue
            target = parts._replace(query="").geturl()
            result.links.append((link, target, fragment))
            if target not in result.fetched:
                queue.append(target)
    return result


@pytest.fixture(scope="module")
def crawled(server: Server) -> Crawl:
    # 404.html is served for any missing URL on GitHub Pages, so its links must work from anywhere
    return crawl(server, [server.base_url, server.base_url + "404.html"])


def test_crawl_finds_no_broken_links_or_anchors(crawled: Crawl) -> None:
    pages = crawled.html_pages
    broken = crawled.broken
    anchors = crawled.broken_anchors
    print(f"\ncrawled {len(crawled.fetched)} URLs ({len(pages)} HTML pages), checked {len(crawled.links)} internal "
          f"links; {len(broken)} broken links, {len(anchors)} broken anchors, {len(crawled.outside)} links outside "
          f"{PREFIX}, {len(crawled.external)} distinct external links")
    for link, url, status in broken[:20]:
        print(f"  broken: {link.raw!r} ({link.tag}) on {link.source} → {url} [{status}]")
    for link, url, fragment in anchors[:20]:
        print(f"  broken anchor: {link.raw!r} on {link.source} → no id {fragment!r} in {url}")
    for link in crawled.outside[:20]:
        print(f"  outside {PREFIX}: {link.raw!r} ({link.tag}) on {link.source}")
    proof.record(crawler_broken=len(broken), crawler_anchors=len(anchors), crawler_links=len(crawled.links),
                 crawler_pages=len(pages))
    assert len(crawled.fetched) > 300
    assert broken == []
    assert anchors == []
    assert crawled.outside == []


def test_series_crawl_finds_no_broken_links_or_anchors(series_site: Server) -> None:
    """The tracked example: timelines link the later reports' paragraphs and the follow-up
    items, items link the asks they answer, the front page and progress page the overdue actions."""
    crawled = crawl(series_site, [series_site.base_url, series_site.base_url + "404.html"])
    assert len(crawled.html_pages) > 40
    assert crawled.broken == [] and crawled.broken_anchors == [] and crawled.outside == []
    fragments = {fragment for _, _, fragment in crawled.links}
    assert {"action-inspection-update-1", "ask-shili-ask-school-places", "correction-1"} <= fragments


def test_no_root_relative_link_leaves_the_base_path(crawled: Crawl, server: Server) -> None:
    for file in sorted(server.site.rglob("*.html")):
        doc = parse_html(file.read_text(encoding="utf-8"))
        for tag, raw in link_targets(doc):
            if raw.startswith("/") and not raw.startswith("//"):
                assert raw.startswith(PREFIX), f"{file.relative_to(server.site)}: <{tag}> {raw}"


def test_every_built_page_is_reachable(crawled: Crawl, server: Server) -> None:
    built = {server.base_url + page_path(server.site, f) for f in server.site.rglob("index.html")}
    reached = set(crawled.html_pages)
    assert built - reached == set(), "pages no link leads to"
    for file in server.site.rglob("index.json"):
        assert server.base_url + file.relative_to(server.site).as_posix() in crawled.fetched, f"orphan {file}"


def test_json_twins_are_served_as_json(crawled: Crawl) -> None:
    twins = [u for u in crawled.fetched if u.endswith("/index.json")]
    assert len(twins) == len(crawled.html_pages) - 1  # every page but 404.html
    assert all(crawled.content_types[u].startswith("application/json") for u in twins)


# --- no resource from another origin ----------------------------------------------------------

CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)""", re.IGNORECASE)
CSS_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?['"]?([^'")\s;]+)""", re.IGNORECASE)
_ABS = r"""((?:https?:)?//[^'"`\s)]+)"""
JS_LOADS = [re.compile(p + _ABS) for p in (  # a script loading something by an absolute URL
    r"""\b(?:fetch|import|importScripts)\s*\(\s*['"`]""",  # fetch("…"), import("…"), importScripts("…")
    r"""\b(?:from|import)\s*['"]""",  # import x from "…", import "…"
    r"""\.(?:src|href)\s*=\s*['"`]""",  # el.src = "…", link.href = "…"
    r"""\bsrc\s*=\s*\\?['"]""",  # '<script src="…">' built as a string
    r"""\.open\(\s*['"][A-Z]+['"]\s*,\s*['"`]""",  # xhr.open("GET", "…")
    r"""url\(\s*\\?['"]?""",  # CSS url(…) set from a script
    r"""@import\s+(?:url\()?\s*\\?['"]?""",
)]


def foreign(ref: str, base: str, origin: str) -> bool:
    ref = ref.strip()
    if not ref or ref.startswith(("data:", "#", "about:blank")):
        return False
    parts = urlsplit(urljoin(base, ref))
    return f"{parts.scheme}://{parts.netloc}" != origin


def js_refs(text: str) -> list[str]:
    return [m.group(1) for pattern in JS_LOADS for m in pattern.finditer(text)]


def css_refs(text: str) -> list[str]:
    return [m.group(2) for m in CSS_URL.finditer(text)] + [m.group(1) for m in CSS_IMPORT.finditer(text)]


def test_no_resource_from_another_origin(server: Server) -> None:
    origin, problems, checked = server.origin, [], 0
    for file in sorted(server.site.rglob("*")):
        if not file.is_file():
            continue
        rel = file.relative_to(server.site).as_posix()
        url = server.base_url + rel
        if file.suffix == ".css":
            for ref in css_refs(file.read_text(encoding="utf-8")):
                checked += 1
                if foreign(ref, url, origin):
                    problems.append(f"{rel}: CSS loads {ref}")
        elif file.suffix == ".js":
            checked += 1
            for ref in js_refs(file.read_text(encoding="utf-8")):
                if foreign(ref, url, origin):
                    problems.append(f"{rel}: script loads {ref}")
        elif file.suffix == ".html":
            doc = parse_html(file.read_text(encoding="utf-8"))
            for node in doc.iter():
                for attr in ("src", "poster", "data", "background"):
                    if node.get(attr) and (attr != "data" or node.tag == "object"):
                        checked += 1
                        if foreign(node.get(attr) or "", url, origin):
                            problems.append(f"{rel}: <{node.tag} {attr}={node.get(attr)}>")
                for candidate in (node.get("srcset") or "").split(","):
                    if candidate.strip():
                        checked += 1
                        if foreign(candidate.split()[0], url, origin):
                            problems.append(f"{rel}: <{node.tag} srcset={candidate}>")
                if node.tag in ("image", "use", "feimage", "script"):  # SVG references load what they name
                    for attr in ("href", "xlink:href"):
                        if node.get(attr):
                            checked += 1
                            if foreign(node.get(attr) or "", url, origin):
                                problems.append(f"{rel}: <{node.tag} {attr}={node.get(attr)}>")
                if node.tag == "link" and RESOURCE_RELS & set((node.get("rel") or "").lower().split()):
                    checked += 1
                    if foreign(node.get("href") or "", url, origin):
                        problems.append(f"{rel}: <link rel={node.get('rel')} href={node.get('href')}>")
                if node.tag == "meta" and (node.get("property") or node.get("name") or "") in (
                        "og:image", "twitter:image"):
                    checked += 1
                    if foreign(node.get("content") or "", url, origin):
                        problems.append(f"{rel}: <meta {node.get('property') or node.get('name')}> from elsewhere")
                styles = [node.get("style") or ""] + ([node.text] if node.tag == "style" else [])
                for style in styles:
                    for ref in css_refs(style):
                        checked += 1
                        if foreign(ref, url, origin):
                            problems.append(f"{rel}: inline style loads {ref}")
                if node.tag == "script" and not node.get("src") and node.get("type") != "application/ld+json":
                    for ref in js_refs(node.text):
                        checked += 1
                        if foreign(ref, url, origin):
                            problems.append(f"{rel}: inline script loads {ref}")
    print(f"\nchecked {checked} resource references; {len(problems)} from another origin")
    assert checked > 2 * 190  # at least a stylesheet, a script and an icon per page
    assert problems == []
