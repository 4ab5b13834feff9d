"""Paginated listings, on the bundled data built with three rows a page (conftest.paged_site).

Every listing that grows with the data (the figures and items indexes, each area and each
vocabulary entry) is walked page by page through its pager: the rows of all its pages,
in order, must be exactly the rows the unpaginated listing shows (the default build,
conftest.example_site, where nothing paginates) and what the open data says belongs there;
every pager link must lead to a page the build wrote; the JSON twins must say the same.
"""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from civictrack.pages.overview import overview_share
from civictrack.index.pagination import Pager, page_count
from civictrack.urls import Urls

from .conftest import PAGE_SIZE
from .sitetools import Node, Server, by_standing, page_path, parse_html

PREFIX = "/repo/"
VOCABS = {"bodies": "bodies", "places": "places", "documents": "documents", "tags": "tags", "status": None}


# --- the pieces -----------------------------------------------------------------------------


def test_page_count() -> None:
    assert [page_count(n, 3) for n in (0, 1, 3, 4, 6, 7)] == [1, 1, 1, 2, 2, 3]
    assert page_count(3000, 100) == 30


def test_listing_page_urls() -> None:
    urls = Urls("https://example.org/repo/")
    assert urls.listing_page("figures/", 1) == "figures/"  # page 1 never gets /page/1/
    assert urls.listing_page("figures/", 2) == "figures/page/2/"
    assert urls.listing_page("areas/a/", 13) == "areas/a/page/13/"
    assert urls.split_listing_page("tags/t/page/3/") == ("tags/t/", 3)
    assert urls.split_listing_page("figures/page/") == ("figures/page/", 1)  # a figure whose id is "page"
    with pytest.raises(ValueError):
        urls.listing_page("figures/", 0)
    # the URL scheme: <section>/page/<n>/ and <section>/<id>/page/<n>/ (n >= 2) are a listing's later
    # pages, whatever the section (a new paginated page type needs no change here); nothing else is
    later = ["figures/page/2/", "items/page/10/", "areas/a/page/2/", "status/done/page/5/", "tags/page/page/2/",
             "years/2024/page/2/", "reports/r/page/2/", "data/page/2/"]
    others = ["figures/page/1/", "figures/page/", "figures/x/", "figures/page/02/", "a/b/c/page/2/",
              "Figures/page/2/", "figures/page-two/", ""]
    assert [p for p in later + others if urls.is_listing_page(p)] == later


@pytest.mark.parametrize("number, pages, shown", [
    (1, 1, [1]),
    (2, 7, [1, 2, 3, 4, 5, 6, 7]),
    (1, 30, [1, 2, None, 30]),
    (2, 30, [1, 2, 3, None, 30]),
    (4, 30, [1, 2, 3, 4, 5, None, 30]),  # a gap of one page shows the page, not "…"
    (15, 30, [1, None, 14, 15, 16, None, 30]),
    (30, 30, [1, None, 29, 30]),
])
def test_pager_numbers(number: int, pages: int, shown: list[int | None]) -> None:
    pager = Pager("figures/", number, pages * 10, 10)
    assert pager.pages == pages
    assert pager.numbers() == shown
    assert (pager.previous, pager.next) == (number - 1 or None, number + 1 if number < pages else None)


# --- the paginated build ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(paged_site: Server) -> Path:
    return paged_site.site


@pytest.fixture(scope="module")
def base(paged_site: Server) -> str:
    return paged_site.base_url


@pytest.fixture(scope="module")
def items(site: Path) -> list[dict[str, Any]]:
    return json.loads((site / "data" / "items.json").read_text(encoding="utf-8"))["items"]


class Listing:
    """One listing, read page by page from the built site by following its pager's 下一页."""

    def __init__(self, site: Path, path: str):
        self.site, self.path = site, path
        self.pages: list[tuple[str, Node]] = []
        current: str | None = path
        while current is not None:
            assert current not in [p for p, _ in self.pages], f"/{path}: the pager goes round in a circle"
            doc = parse_html((site / current / "index.html").read_text(encoding="utf-8"))
            self.pages.append((current, doc))
            nexts = [a.get("href") for a in doc.iter("a", rel="next")]
            assert len(nexts) <= 1, current
            current = site_path(nexts[0]) if nexts else None

    def twin(self, path: str) -> dict[str, Any]:
        return json.loads((self.site / path / "index.json").read_text(encoding="utf-8"))


def site_path(href: str | None) -> str:
    assert href and href.startswith(PREFIX), href
    return href[len(PREFIX):]


def main_of(doc: Node) -> Node:
    main = doc.find("main")
    assert main is not None
    return main


def listed_items(doc: Node) -> list[str]:
    return [site_path(a.get("href")).split("/")[1] for ul in main_of(doc).iter("ul", cls="item-list")
            for a in ul.iter("a")]


def listed_figures(doc: Node) -> list[str]:
    return [tr.get("id") or "" for table in main_of(doc).iter("table", cls="figures") for tr in table.iter("tr")
            if tr.get("id")]


def listed_actions(doc: Node) -> list[str]:
    return [site_path(a.get("href")) for ol in main_of(doc).iter("ol", cls="actions") for a in ol.iter("a")]


def listings(site: Path) -> list[str]:
    """Every paginated listing's page-1 path, found in the built site."""
    paths = ["figures/", "items/"]
    for section in ("areas",) + tuple(VOCABS):
        paths += [f"{section}/{p.parent.name}/" for p in sorted((site / section).glob("*/index.html"))]
    return paths


def rows_of(path: str, doc: Node) -> list[str]:
    return listed_figures(doc) if path == "figures/" else listed_items(doc)


def expected_items(path: str, items: list[dict[str, Any]], status_order: dict[str, int]) -> list[str]:
    """What the open data says a listing of items holds, in report order (bodies and places:
    by current status, ``sitetools.by_standing``)."""
    section, ident = (path.split("/") + [""])[:2]
    if section == "items":
        return [i["id"] for i in items]
    if section == "areas":
        return [i["id"] for i in items if i["area_id"] == ident]
    if section == "status":
        return [i["id"] for i in items if any(a["current_status"] == ident for a in i["actions"])]
    listed = [i for i in items if ident in i[VOCABS[section]]]
    if section in ("bodies", "places"):
        listed = by_standing(listed, status_order)
    return [i["id"] for i in listed]


def test_every_listing_shows_each_row_exactly_once_in_order(site: Path, example_site: Path,
                                                           items: list[dict[str, Any]]) -> None:
    """The rows of all pages, in page order, are the unpaginated listing's rows; and for items,
    the open data's; the number of pages is ceil(total / 3), the first at the listing's URL."""
    paginated = 0
    status_twin = json.loads((site / "status" / "index.json").read_text(encoding="utf-8"))
    status_order = {e["id"]: e["order"] for e in status_twin["entries"]}
    for path in listings(site):
        listing = Listing(site, path)
        rows = [row for _, doc in listing.pages for row in rows_of(path, doc)]
        whole = rows_of(path, parse_html((example_site / path / "index.html").read_text(encoding="utf-8")))
        assert rows == whole, f"/{path}"
        if path != "figures/":
            assert rows == expected_items(path, items, status_order), f"/{path}"
        pages = max(1, math.ceil(len(rows) / PAGE_SIZE))
        assert [p for p, _ in listing.pages] == [Urls.listing_page(path, n) for n in range(1, pages + 1)], f"/{path}"
        assert all(len(rows_of(path, doc)) == PAGE_SIZE for _, doc in listing.pages[:-1]), f"/{path}"
        written = sorted(p.parent.name for p in (site / path / "page").glob("*/index.html"))
        assert written == sorted(str(n) for n in range(2, pages + 1)), f"/{path}: no more and no fewer pages"
        assert not (site / path / "page" / "1").exists()
        paginated += pages > 1
    assert paginated >= 8  # the figures and items indexes, an area, four statuses, a place, a tag


def test_pager_links_resolve_and_mark_the_current_page(site: Path) -> None:
    checked = 0
    for path in listings(site):
        listing = Listing(site, path)
        count = len(listing.pages)
        for number, (here, doc) in enumerate(listing.pages, start=1):
            navs = doc.find_all("nav", cls="pagination")
            if count == 1:
                assert navs == [], f"/{here}: a single-page listing has no pager"
                continue
            assert len(navs) == 1 and navs[0].get("aria-label") == "分页", f"/{here}"
            nav = navs[0]
            assert nav.get("data-pagefind-ignore") == "all"
            assert f"第 {number} 页，共 {count} 页" in nav.text, f"/{here}"
            links = {a.text.strip(): site_path(a.get("href")) for a in nav.iter("a")}
            for target in links.values():
                assert (site / target / "index.html").is_file(), f"/{here} links to /{target}, which was not written"
            prev = [site_path(a.get("href")) for a in nav.iter("a", rel="prev")]
            nxt = [site_path(a.get("href")) for a in nav.iter("a", rel="next")]
            assert prev == ([Urls.listing_page(path, number - 1)] if number > 1 else []), f"/{here}"
            assert nxt == ([Urls.listing_page(path, number + 1)] if number < count else []), f"/{here}"
            assert links.get("上一页") == (prev[0] if prev else None) and links.get("下一页") == (nxt[0] if nxt else None)
            current = [a for a in nav.iter("a") if a.get("aria-current") == "page"]
            assert len(current) == 1 and current[0].text.strip() == str(number), f"/{here}"
            assert site_path(current[0].get("href")) == here
            numbered = {int(k): v for k, v in links.items() if k.isdigit()}
            assert numbered[1] == path and numbered[count] == Urls.listing_page(path, count), f"/{here}"
            assert all(v == Urls.listing_page(path, k) for k, v in numbered.items())
            if count > 7:
                assert "…" in nav.text and len(numbered) < count, f"/{here}: many pages are elided"
            checked += 1
    assert checked > 40


def test_later_pages_have_their_own_title_and_canonical_url_and_are_not_indexed(site: Path, base: str) -> None:
    for path in listings(site):
        listing = Listing(site, path)
        first = listing.pages[0][1]
        first_main = main_of(first)
        first_title = first.find("title").text  # type: ignore[union-attr]
        for number, (here, doc) in enumerate(listing.pages, start=1):
            canonical = [link.get("href") for link in doc.iter("link") if link.get("rel") == "canonical"]
            assert canonical == [base + here], f"/{here}"
            title = doc.find("title").text  # type: ignore[union-attr]
            main = main_of(doc)
            assert doc.find("h1").text == first.find("h1").text, f"/{here}: the header stays on every page"
            if number == 1:
                assert " 页 · " not in title
                continue
            assert title == first_title.replace(" · ", f" · 第 {number} 页 · ", 1), f"/{here}: {title}"
            assert "data-pagefind-body" not in main.attrs and "data-pagefind-filter" not in main.attrs, f"/{here}"
            assert doc.find_all("script", type="application/ld+json") == [], f"/{here}"
            crumbs = [li.text.strip() for li in doc.find("nav", cls="breadcrumbs").iter("li")]  # type: ignore[union-attr]
            assert crumbs[-1] == f"第 {number} 页", f"/{here}"
        if path.split("/")[0] in ("areas",) + tuple(VOCABS):  # content pages: page 1 stays searchable
            assert "data-pagefind-body" in first_main.attrs, f"/{path}"


def test_json_twins_hold_the_page_and_where_it_stands(site: Path, base: str) -> None:
    for path in listings(site):
        listing = Listing(site, path)
        count = len(listing.pages)
        total = 0
        for number, (here, doc) in enumerate(listing.pages, start=1):
            twin = listing.twin(here)
            if path == "figures/":
                rows = [f["id"] for f in twin["figures"]]
            else:
                rows = [i["id"] if isinstance(i, dict) else i for i in twin["items"]]
            assert rows == rows_of(path, doc), f"/{here}index.json"
            total += len(rows)
            if count == 1:
                assert "pagination" not in twin, f"/{here}index.json"
                continue

            def url(n: int | None) -> str | None:
                return base + Urls.listing_page(path, n) if n else None

            assert twin["pagination"] == {
                "page": number, "pages": count, "total": twin["pagination"]["total"], "page_size": PAGE_SIZE,
                "first": url(1), "prev": url(number - 1 if number > 1 else None),
                "next": url(number + 1 if number < count else None), "last": url(count)}, f"/{here}index.json"
        if count > 1:
            assert listing.twin(path)["pagination"]["total"] == total, f"/{path}"


def test_area_pages_show_the_figures_of_their_items_and_the_whole_areas_status_counts(
        site: Path, items: list[dict[str, Any]]) -> None:
    figures_of = {i["id"]: i["figure_ids"] for i in items}
    for path in [p for p in listings(site) if p.startswith("areas/")]:
        listing = Listing(site, path)
        summaries = set()
        for here, doc in listing.pages:
            shown = listed_items(doc)
            assert listed_figures(doc) == [f for i in shown for f in figures_of[i]], f"/{here}"
            assert listing.twin(here)["figures"] == listed_figures(doc)
            summary = main_of(doc).find("p", cls="status-summary")
            summaries.add(summary.text if summary else "")
            counts = listing.twin(here)["status_counts"]
            area_items = [i for i in items if i["area_id"] == path.split("/")[1]]
            for status in counts:
                assert counts[status] == sum(a["status"] == status for i in area_items for a in i["actions"])
        assert len(summaries) == 1, f"/{path}: the status counts are the whole area's on every page"


def test_status_pages_list_the_actions_of_their_items(site: Path, items: list[dict[str, Any]]) -> None:
    for path in [p for p in listings(site) if p.startswith("status/")]:
        status = path.split("/")[1]
        listing = Listing(site, path)
        actions = []
        for here, doc in listing.pages:
            shown = [i for i in items if i["id"] in set(listed_items(doc))]
            mine = [f"items/{i['id']}/#action-{a['id']}" for i in shown for a in i["actions"] if a["status"] == status]
            assert listed_actions(doc) == mine, f"/{here}"
            lists = main_of(doc).find_all("ol", cls="actions")
            start = int(lists[0].get("start") or 1) if lists else 1
            assert start == len(actions) + 1, f"/{here}: the actions are numbered on from the page before"
            actions += mine
        everything = [f"items/{i['id']}/#action-{a['id']}" for i in items for a in i["actions"] if a["status"] == status]
        assert actions == everything, f"/{path}"


def test_overview_shows_at_most_one_page_of_items_and_of_key_figures(site: Path, items: list[dict[str, Any]]) -> None:
    """The overview's key figures are one page's worth; its areas share one page's worth of items
    (at least one each), each with a link to the area and its total when there are more."""
    main = main_of(parse_html((site / "index.html").read_text(encoding="utf-8")))
    key_figures = main.find("ul", cls="key-figures")
    assert key_figures is not None and len(key_figures.find_all("li")) == PAGE_SIZE
    section = main.find("section", aria_labelledby="areas-heading")
    assert section is not None
    areas = list(dict.fromkeys(i["area_id"] for i in items))
    share = max(1, PAGE_SIZE // len(areas))
    lists = section.find_all("ul", cls="item-list")
    assert len(lists) == len(areas)
    more = {site_path(a.get("href")): a.text for p in section.iter("p", cls="more") for a in p.iter("a")}
    for area, ul in zip(areas, lists):
        in_area = [i["id"] for i in items if i["area_id"] == area]
        assert listed_items(_wrap(ul)) == in_area[:share], area
        if len(in_area) > share:
            assert f"全部 {len(in_area)} 项措施" in more[f"areas/{area}/"], area
        else:
            assert f"areas/{area}/" not in more, area
    assert len(more) == len(areas)  # every area has more than one item


@pytest.mark.parametrize("size, areas, share", [(100, 5, 20), (100, 104, 1), (3, 5, 1), (100, 0, 100), (10, 3, 3)])
def test_overview_share(size: int, areas: int, share: int) -> None:
    assert overview_share(size, areas) == share


def _wrap(node: Node) -> Node:
    """A document holding ``node`` in its <main>, for the helpers that read a page's main."""
    root, main = Node("#root", {}), Node("main", {})
    main.children.append(node)
    root.children.append(main)
    return root


def test_sitemap_lists_every_page_of_every_listing(site: Path, base: str) -> None:
    tree = ET.fromstring((site / "sitemap.xml").read_bytes())
    locs = {loc.text for loc in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    later = {base + page_path(site, f) for f in site.rglob("index.html") if Urls.is_listing_page(page_path(site, f))}
    assert len(later) > 40
    assert later <= locs


def test_the_default_page_size_paginates_nothing_in_the_bundled_site(example_site: Path) -> None:
    """At 100 rows a page the bundled listings (64 figures at most) fit on one page: no page
    folders, no pager, no pagination in the twins."""
    assert not [p for p in example_site.rglob("page") if p.is_dir()]
    for file in example_site.rglob("index.html"):
        assert 'class="pagination"' not in file.read_text(encoding="utf-8"), file
    for file in example_site.rglob("index.json"):
        assert '"pagination"' not in file.read_text(encoding="utf-8"), file
    figures = parse_html((example_site / "figures" / "index.html").read_text(encoding="utf-8"))
    assert len(listed_figures(figures)) == 64
    assert not re.search(r"第 \d+ 页", (example_site / "figures" / "index.html").read_text(encoding="utf-8"))
