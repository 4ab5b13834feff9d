"""Search: the Pagefind index the build writes, what it indexes, the search page, and real searches
in Chromium over HTTP under a sub-path (/repo/), as GitHub Pages serves a project site.

The site is built once with search (the default); the Pagefind step's time is printed.
"""

from __future__ import annotations

import functools
import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from civictrack.publish.search import SearchIndexError, index_site
from civictrack.render.format import WIDE, search_title, unspace_title

from civictrack import i18n

from .conftest import ROOT
from .sitetools import Node, Server, html_pages, page_path, parse_html, run_build
from .test_links import PREFIX, QuietHandler

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
INDEXED_TEMPLATES = {"items": "措施", "figures": "数字", "reports": "报告", "areas": "领域", "tags": "主题",
                     "bodies": "责任主体", "places": "区县", "documents": "文件与项目", "status": "进展状态"}


@dataclass
class Served(Server):
    build_seconds: float = 0.0
    build_output: str = ""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("search")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        origin = f"http://127.0.0.1:{httpd.server_address[1]}"
        started = time.perf_counter()
        result = run_build(ROOT, root / "repo", origin + PREFIX)
        assert result.returncode == 0, result.stderr
        yield Served(root, origin, time.perf_counter() - started, result.stdout)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def pages(served: Served) -> dict[str, Node]:
    """Site-relative path → parsed HTML of every page."""
    return {page_path(served.site, f): parse_html(f.read_text(encoding="utf-8")) for f in html_pages(served.site)}


def indexed(node: Node) -> bool:
    return "data-pagefind-body" in node.attrs  # a bare attribute: its value is None


def main_of(doc: Node) -> Node:
    main = doc.find("main")
    assert main is not None
    return main


# --- the index ---------------------------------------------------------------------------------

def test_build_writes_the_pagefind_index_and_ui(served: Served, pages: dict[str, Node]) -> None:
    bundle = served.site / "pagefind"
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-entry.json", "pagefind-worker.js"):
        assert (bundle / name).is_file(), name
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    indexed_pages = [p for p, doc in pages.items() if indexed(main_of(doc))]
    # one index per language edition (Pagefind reads <html lang>): the Chinese pages and the /en/ ones
    assert sorted(entry["languages"]) == ["en", "zh-cn"]
    english = [p for p in indexed_pages if p.startswith("en/")]
    assert entry["languages"]["en"]["page_count"] == len(english) == len(indexed_pages) // 2
    assert entry["languages"]["zh-cn"]["page_count"] == len(indexed_pages) - len(english)
    assert list(bundle.glob("index/*.pf_index")) and list(bundle.glob("fragment/*.pf_fragment"))
    assert list(bundle.glob("filter/*.pf_filter")), "the 类型 filter is indexed"
    line = re.search(r"search: Pagefind (v[\d.]+) indexed (\d+) pages, (\d+) words in ([\d.]+) s", served.build_output)
    assert line, served.build_output
    assert int(line.group(2)) == len(indexed_pages)
    print(f"\nPagefind {line.group(1)} (extended): {line.group(2)} pages, {line.group(3)} words in "
          f"{line.group(4)} s; whole build {served.build_seconds:.2f} s; bundle "
          f"{sum(f.stat().st_size for f in bundle.rglob('*') if f.is_file()) / 1e6:.1f} MB")


def test_only_the_main_content_of_content_pages_is_indexed(pages: dict[str, Node]) -> None:
    kinds: dict[str, int] = {}
    english_kinds = i18n.catalog("en")
    for path, doc in pages.items():
        bodies = [n for n in doc.iter() if indexed(n)]
        english = path.startswith("en/")
        path = path[3:] if english else path  # the English edition: the same pages under en/
        section = path.split("/")[0]
        is_content = path.count("/") == 2 and section in INDEXED_TEMPLATES and path != "404.html"
        is_redirect = doc.find("meta", http_equiv="refresh") is not None
        if not is_content or is_redirect:
            assert bodies == [], f"{path} is indexed"
            continue
        assert [n.tag for n in bodies] == ["main"], path
        main = bodies[0]
        kind = INDEXED_TEMPLATES[section]
        if english:
            assert main.get("data-pagefind-filter") == f"Type:{english_kinds[kind]}", path
        else:
            assert main.get("data-pagefind-filter") == f"类型:{kind}", path
            kinds[kind] = kinds.get(kind, 0) + 1
        # navigation and citations inside <main> stay out of the index
        for crumbs in main.iter("nav", cls="breadcrumbs"):
            assert crumbs.get("data-pagefind-ignore") == "all", path
        for cite in main.iter("section", cls="cite"):
            assert cite.get("data-pagefind-ignore") == "all", path
        for pager in main.iter("nav", cls="pager"):
            assert pager.get("data-pagefind-ignore") == "all", path
        for chart in main.iter("figure", cls="chart"):
            assert chart.get("data-pagefind-ignore") == "all", path
        # header and footer are outside <main>, so outside the index
        assert all(main not in list(n.ancestors()) for n in doc.iter("header")), path
    assert kinds["措施"] == 15 and kinds["报告"] == 2 and kinds["领域"] == 5 and kinds["数字"] == 64
    assert set(kinds) == set(INDEXED_TEMPLATES.values())


def test_result_titles_are_the_page_titles(pages: dict[str, Node]) -> None:
    """The title is indexed with a space between Chinese characters and given back exactly."""
    spaced = re.compile(f"[{WIDE}][{WIDE}]")
    checked = 0
    for path, doc in pages.items():
        main = main_of(doc)
        if not indexed(main):
            continue
        assert main.get("data-pagefind-meta") == "title[data-search-title]"
        as_indexed = main.get("data-search-title") or ""
        title = doc.find("meta", property="og:title")
        assert title is not None
        assert not spaced.search(as_indexed), f"{path}: {as_indexed!r} would be indexed as one long word"
        assert unspace_title(as_indexed) == title.get("content"), path
        checked += 1
    assert checked > 180
    assert search_title("学前教育普惠率：94.61%") == "学 前 教 育 普 惠 率 ：94.61%"
    assert unspace_title(search_title("一(三)强化投入责任，落实“双减” 2024 Chongqing")) == (
        "一(三)强化投入责任，落实“双减” 2024 Chongqing")


# --- the search page and the header box ----------------------------------------------------------

def test_search_page(served: Served, pages: dict[str, Node]) -> None:
    doc = pages["search/"]
    assert doc.find("title").text.startswith("搜索 · ")
    assert doc.find("h1").text == "搜索"
    form = doc.by_id("search-form")
    assert form is not None and form.tag == "form"
    assert form.get("method") == "get" and form.get("action") == PREFIX + "search/"
    field = form.find("input", name="q")
    assert field is not None and field.get("type") == "search"
    label = form.find("label")
    assert label is not None and label.get("for") == field.get("id")
    assert doc.by_id("search-fallback") is not None  # the message shown without JavaScript
    head = doc.find("head")
    assert head.find("link", rel="stylesheet", href=PREFIX + "pagefind/pagefind-ui.css") is not None
    assert head.find("script", src=PREFIX + "pagefind/pagefind-ui.js") is not None
    mount = doc.by_id("search")
    assert mount.get("data-bundle") == PREFIX + "pagefind/" and mount.get("data-base") == PREFIX
    twin = json.loads((served.site / "search" / "index.json").read_text(encoding="utf-8"))
    assert twin["url"] == served.base_url + "search/" and twin["query_parameter"] == "q"
    assert twin["bundle"] == served.base_url + "pagefind/"
    assert "/search/" in (ROOT / "published-urls.txt").read_text(encoding="utf-8").split()


def test_every_page_has_a_labelled_search_box(pages: dict[str, Node]) -> None:
    for path, doc in pages.items():
        if doc.find("meta", http_equiv="refresh") is not None:
            continue  # redirects
        header = doc.find("header", cls="site-header")
        assert header is not None, path
        form = header.find("form", role="search")
        assert form is not None, path
        edition = "en/" if path.startswith("en/") else ""
        assert form.get("method") == "get" and form.get("action") == PREFIX + edition + "search/", path
        assert form.get("aria-label"), path
        field = form.find("input", name="q")
        label = form.find("label")
        assert field is not None and label is not None and label.get("for") == field.get("id"), path
        assert label.text.strip() and form.find("button", type="submit") is not None, path


def test_indexing_refuses_a_pagefind_that_cannot_segment_chinese(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The plain Pagefind binary indexes a run of Chinese text as one word: the build refuses it,
    and a failed run stops the build, rather than publish a search that finds nothing."""
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'Running Pagefind v1.5.2'\necho 'Indexed 3 pages'\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    with pytest.raises(SearchIndexError, match="not the extended build"):
        index_site(tmp_path)
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    (tmp_path / "empty").mkdir()
    with pytest.raises(SearchIndexError, match=r"(?s)Pagefind failed \(exit 1\).*not able to build an index"):
        index_site(tmp_path / "empty")


def test_without_search_the_build_writes_no_index(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run_build(ROOT, out, "https://example.org/repo/", "--no-search")
    assert result.returncode == 0, result.stderr
    assert "search:" not in result.stdout
    assert not (out / "pagefind").exists()
    assert (out / "search" / "index.html").is_file()


# --- in the browser ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def chromium(served: Served) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def tab(chromium: object, served: Served) -> Iterator[object]:
    context = chromium.new_context(viewport={"width": 1100, "height": 900})  # type: ignore[attr-defined]
    opened = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    opened.on("request", lambda request: requests.append(request.url))
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    origin = urlsplit(served.origin)
    assert [u for u in requests if (urlsplit(u).scheme, urlsplit(u).netloc) != ("http", origin.netloc)] == [], \
        "requests to another origin"
    assert [u for u in requests if not urlsplit(u).path.startswith(PREFIX)] == [], "requests outside the site"
    assert errors == []


def results(tab: object) -> list[str]:
    """Every result link Pagefind UI shows: it waits for the UI's count ("找到 N 个结果"), then
    presses "load more" until that many results are on the page (on a busy machine the button
    can appear after the first results do, so the count, not the button, says when to stop)."""
    tab.wait_for_function(  # type: ignore[attr-defined]
        "(m => m && /\\d/.test(m.textContent))(document.querySelector('.pagefind-ui__message'))", timeout=15000)
    total = int(re.search(r"\d+", tab.text_content(".pagefind-ui__message") or "").group())  # type: ignore[attr-defined, union-attr]
    while True:
        count = len(tab.query_selector_all(".pagefind-ui__result"))  # type: ignore[attr-defined]
        if count >= total:
            break
        more = tab.wait_for_selector(".pagefind-ui__button", timeout=15000)  # type: ignore[attr-defined]
        more.click()
        tab.wait_for_function(f"document.querySelectorAll('.pagefind-ui__result').length > {count}")  # type: ignore[attr-defined]
    tab.wait_for_function(  # every result's link is filled in (results load their data one by one)
        f"document.querySelectorAll('.pagefind-ui__result-link').length >= {total}")  # type: ignore[attr-defined]
    return tab.eval_on_selector_all(  # type: ignore[attr-defined]
        ".pagefind-ui__result-link", "links => links.map(a => a.getAttribute('href'))")


SEARCHES = {
    "学前教育": ["items/cq-2024-edu-preschool/", "figures/cq-edu-preschool-gross-enrolment-rate-2024/",
             "figures/cq-edu-preschool-inclusive-rate-2024/", "tags/preschool/"],
    "教师": ["items/cq-2024-edu-teacher-training/", "items/cq-2024-edu-teacher-rotation/",
           "figures/cq-edu-teachers-trained-2024/", "tags/teachers/"],
    "转移支付": ["items/cq-2024-edu-funding/", "figures/cq-edu-transfer-payments-2024/",
             "figures/cq-edu-transfer-payments-2023/"],
    "Preschool": ["tags/preschool/", "figures/cq-edu-preschool-gross-enrolment-rate-2024/"],
    "Chongqing": ["places/chongqing/", "bodies/cq-government/", "figures/cq-edu-sichuan-chongqing-shared-courses-2024/"],
}


@pytest.mark.parametrize("query", list(SEARCHES))
def test_typing_a_query_finds_the_right_pages(tab: object, served: Served, query: str) -> None:
    tab.goto(served.base_url + "search/")  # type: ignore[attr-defined]
    field = tab.wait_for_selector(".pagefind-ui__search-input")  # type: ignore[attr-defined]
    assert tab.is_hidden("#search-form") and tab.is_hidden("#search-fallback")  # type: ignore[attr-defined]
    field.fill(query)
    found = results(tab)
    assert all(href.startswith(PREFIX) for href in found), found
    paths = [href[len(PREFIX):].split("#")[0] for href in found]
    missing = [p for p in SEARCHES[query] if p not in paths]
    assert missing == [], f"{query}: {paths}"
    # titles read as the pages' own titles, typed
    first = tab.text_content(".pagefind-ui__result-link")  # type: ignore[attr-defined]
    assert re.match(r"^(措施|数字|报告|领域|主题|责任主体|区县|文件与项目|进展状态) · \S", first or ""), first
    assert "  " not in (first or "") and not re.search(f"[{WIDE}] [{WIDE}]", first or "")
    assert f"q={quote(query)}" in tab.url  # the address can be shared  # type: ignore[attr-defined]


def test_query_parameter_runs_the_search_without_typing(tab: object, served: Served) -> None:
    tab.goto(served.base_url + "search/?q=" + quote("教师"))  # type: ignore[attr-defined]
    found = results(tab)
    assert PREFIX + "items/cq-2024-edu-teacher-training/" in found
    assert tab.input_value(".pagefind-ui__search-input") == "教师"  # type: ignore[attr-defined]
    # a result leads to its page on this site
    tab.click(".pagefind-ui__result-link")  # type: ignore[attr-defined]
    tab.wait_for_load_state()  # type: ignore[attr-defined]
    assert urlsplit(tab.url).path.startswith(PREFIX) and tab.title()  # type: ignore[attr-defined]


def test_header_box_searches_from_any_page(tab: object, served: Served) -> None:
    tab.goto(served.base_url + "items/cq-2024-edu-funding/")  # type: ignore[attr-defined]
    tab.fill("#site-search-q", "转移支付")  # type: ignore[attr-defined]
    tab.press("#site-search-q", "Enter")  # type: ignore[attr-defined]
    tab.wait_for_url("**/repo/search/?q=*")  # type: ignore[attr-defined]
    assert PREFIX + "figures/cq-edu-transfer-payments-2024/" in results(tab)


def test_without_javascript_the_form_stays_and_explains(chromium: object, served: Served) -> None:
    context = chromium.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    try:
        plain = context.new_page()
        plain.goto(served.base_url + "search/?q=" + quote("教师"))
        assert plain.is_visible("#search-form") and plain.is_visible("#search-fallback")
        assert "需要启用 JavaScript" in plain.text_content("#search-message")
        plain.fill("#search-q", "学前教育")
        plain.press("#search-q", "Enter")
        plain.wait_for_url("**/repo/search/?q=*")
        assert plain.url.endswith("?q=" + quote("学前教育"))
    finally:
        context.close()


ENGLISH_SEARCHES = {
    "kindergartens": ["en/items/cq-2024-edu-preschool/", "en/figures/cq-edu-preschool-gross-enrolment-rate-2024/"],
    "teachers": ["en/items/cq-2024-edu-teacher-training/", "en/tags/teachers/"],
}


@pytest.mark.parametrize("query", list(ENGLISH_SEARCHES))
def test_the_english_search_page_searches_the_english_pages(tab: object, served: Served, query: str) -> None:
    """/en/search/ searches the English edition's index (Pagefind picks it by <html lang>): an
    English word of a title finds the English pages, and only English pages."""
    tab.goto(served.base_url + "en/search/")  # type: ignore[attr-defined]
    field = tab.wait_for_selector(".pagefind-ui__search-input")  # type: ignore[attr-defined]
    field.fill(query)
    found = results(tab)
    paths = [href[len(PREFIX):].split("#")[0] for href in found]
    assert paths and all(p.startswith("en/") for p in paths), paths
    missing = [p for p in ENGLISH_SEARCHES[query] if p not in paths]
    assert missing == [], f"{query}: {paths}"
    first = tab.text_content(".pagefind-ui__result-link") or ""  # type: ignore[attr-defined]
    assert re.match(r"^[A-Z][a-z]+(?: [a-z]+)* · \S", first) and not re.search(f"[{WIDE}]", first), first


REPORT = "reports/cq-2024-edu-response/"


@pytest.mark.parametrize("query", ["基础教育扩优提质", "研究处理情况", "基础教育扩优提质审议意见研究处理情况的报告"])
def test_the_full_report_ranks_first_for_its_own_title_words(tab: object, served: Served, query: str) -> None:
    """The report's page holds its whole text; Pagefind's default length penalty put it below
    pages that only name it (seventh, behind "load more").  Page titles weigh most, references
    to another page (kickers, 回应) little, and the penalty is eased (search.js)."""
    tab.goto(served.base_url + "search/?q=" + quote(query))  # type: ignore[attr-defined]
    found = [href[len(PREFIX):].split("#")[0] for href in results(tab)]
    assert found[0] == REPORT, f"{query}: {found}"


@pytest.mark.parametrize("query", ["毛入园率", "普惠率", "转移支付"])
def test_excerpts_mark_whole_words_and_start_with_the_text(tab: object, served: Served, query: str) -> None:
    """The browser splits a Chinese query by its own dictionary (毛入园率 → 毛 入 园 率), so
    Pagefind marked every 园 and 率 of an excerpt apart; excerpts could start with the ". "
    Pagefind joins blocks with.  Marks are now runs of the query of two or more characters."""
    tab.goto(served.base_url + "search/?q=" + quote(query))  # type: ignore[attr-defined]
    results(tab)
    excerpts = tab.eval_on_selector_all(  # type: ignore[attr-defined]
        ".pagefind-ui__result-excerpt", "es => es.map(e => [e.textContent, [...e.querySelectorAll('mark')].map(m => m.textContent)])")
    assert excerpts
    for text, marked in excerpts:
        assert not re.match(r"[\s.。,，、;；:：]", text), text
        assert all(len(m) >= 2 and m in query for m in marked), (text, marked)
    assert any(query in marked for _text, marked in excerpts), excerpts  # the word itself, marked whole
