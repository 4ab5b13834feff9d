"""The built site, page type by page type, on the bundled data (built once for the module).

Expectations come from the open data the same build writes (data/items.json,
data/figures.csv) and from the vocabularies in data/*.yaml, so a page that drops
an item, a figure or an action is caught whichever way the count changes.
"""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import EXAMPLE_BASE, ROOT
from .sitetools import Node, by_standing, html_pages, page_path, parse_html

BASE = EXAMPLE_BASE
PREFIX = "/repo/"
RESPONSE = "cq-2024-edu-response"
OPINIONS = "cq-2024-edu-opinions"
FUNDING = "cq-2024-edu-funding"
VOCABS = {  # vocabulary file → (URL section, key in items.json, or None for the status scale)
    "bodies": ("bodies", "bodies"),
    "places": ("places", "places"),
    "documents": ("documents", "documents"),
    "tags": ("tags", "tags"),
    "statuses": ("status", None),
}
ANCHORS = (["p1", "p2", "p3", "p4", "s1", "s1-1", "s1-2", "s1-3", "s2", "s2-1", "s2-2", "s2-3", "s2-4",
            "s3", "s3-1", "s3-2", "s3-3", "s4", "s4-1", "s4-2", "s5", "s5-1", "s5-2", "s5-3", "p5"])


# --- fixtures -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(example_site: Path) -> Path:
    return example_site


@pytest.fixture(scope="module")
def items(site: Path) -> list[dict[str, Any]]:
    return json.loads((site / "data" / "items.json").read_text(encoding="utf-8"))["items"]


@pytest.fixture(scope="module")
def figures(site: Path) -> list[dict[str, str]]:
    with (site / "data" / "figures.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def vocabularies() -> dict[str, list[dict[str, Any]]]:
    return {name: yaml.safe_load((ROOT / "data" / f"{name}.yaml").read_text(encoding="utf-8")) for name in VOCABS}


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "site.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[str, Node]:
    """Every HTML page, parsed, by site-relative path ("" for the home page, "404.html")."""
    return {page_path(site, f): parse_html(f.read_text(encoding="utf-8")) for f in html_pages(site)}


def subdirs(site: Path, section: str) -> set[str]:
    return {p.name for p in (site / section).iterdir() if p.is_dir()}


def main_of(doc: Node) -> Node:
    main = doc.find("main")
    assert main is not None
    return main


def hrefs(node: Node) -> list[str]:
    return [a.get("href") or "" for a in node.iter("a")]


# --- every page type exists ---------------------------------------------------------------


def test_every_page_type_exists(site: Path, items: list[dict[str, Any]], figures: list[dict[str, str]],
                                vocabularies: dict[str, list[dict[str, Any]]]) -> None:
    def page(path: str) -> None:
        assert (site / path / "index.html").is_file(), f"missing page /{path}"

    page("")
    assert subdirs(site, "reports") == {RESPONSE, OPINIONS}
    assert len(subdirs(site, "areas")) == 5
    assert subdirs(site, "areas") == {i["area_id"] for i in items}
    assert len(subdirs(site, "items")) == 15
    assert subdirs(site, "items") == {i["id"] for i in items}
    assert len(subdirs(site, "figures")) == 64
    assert subdirs(site, "figures") == {f["figure_id"] for f in figures}
    for vocab, (section, _) in VOCABS.items():
        page(f"{section}/")
        assert subdirs(site, section) == {e["id"] for e in vocabularies[vocab]}, section
    for index in ("reports/", "areas/", "items/", "figures/", "data/", "about/"):
        page(index)
    for name in ("404.html", "sitemap.xml", "robots.txt", ".nojekyll", "favicon.svg", "data/figures.csv",
                 "data/items.json", "data/datapackage.json"):
        assert (site / name).is_file(), f"missing {name}"


def test_every_html_page_has_a_json_twin(site: Path) -> None:
    checked = 0
    for file in site.rglob("index.html"):
        twin = file.with_name("index.json")
        assert twin.is_file(), f"no JSON twin beside /{page_path(site, file)}"
        assert isinstance(json.loads(twin.read_text(encoding="utf-8")), dict), twin
        checked += 1
    assert checked >= 1 + 2 + 5 + 15 + 64


# --- item page ----------------------------------------------------------------------------------


def test_item_page_content(pages: dict[str, Node], items: list[dict[str, Any]]) -> None:
    doc = pages[f"items/{FUNDING}/"]
    main = main_of(doc)
    h1s = doc.find_all("h1")
    assert len(h1s) == 1 and "强化投入责任" in h1s[0].text

    item = next(i for i in items if i["id"] == FUNDING)
    entries = main.find("ol", cls="actions").find_all("li")
    assert len(entries) == len(item["actions"]) == 3
    for li, action in zip(entries, item["actions"]):
        assert li.get("id") == f"action-{action['id']}"
        badge = li.find("a", cls="status")
        assert badge is not None and "badge" in badge.classes, action["id"]
        assert badge.get("href") == f"{PREFIX}status/{action['status']}/"
        assert badge.text.strip() == action["status_name"]
        quote = li.find("blockquote")
        assert quote is not None and quote.find("p").text == action["quote"]

    row = main.by_id("cq-edu-transfer-payments-2024")
    assert row is not None and row.tag == "tr"
    assert "175.7亿元" in row.text
    derived = main.by_id("cq-edu-transfer-payments-2023")
    assert derived is not None and derived.tag == "tr"
    assert "141.99亿元" in derived.text
    badge = derived.find("span", cls="badge-derived")
    assert badge is not None and badge.text == "推算"

    assert f"{PREFIX}reports/{RESPONSE}/#s1-3" in hrefs(main)

    ordered = [i["id"] for i in items]
    position = ordered.index(FUNDING)
    prev = main.find("a", rel="prev")
    nxt = main.find("a", rel="next")
    assert prev is not None and prev.get("href") == f"{PREFIX}items/{ordered[position - 1]}/"
    assert nxt is not None and nxt.get("href") == f"{PREFIX}items/{ordered[position + 1]}/"

    permalink = f"{BASE}items/{FUNDING}/"
    gbt = main.by_id("cite-gbt").text
    assert "[EB/OL]" in gbt and permalink in gbt and "强化投入责任" in gbt
    apa = main.by_id("cite-apa").text
    assert permalink in apa and "Retrieved" in apa
    bibtex = main.by_id("cite-bibtex").text
    assert bibtex.startswith("@misc{") and f"url = {{{permalink}}}" in bibtex
    assert permalink in hrefs(main)


def test_first_and_last_item_have_one_pager_link(pages: dict[str, Node], items: list[dict[str, Any]]) -> None:
    first, last = main_of(pages[f"items/{items[0]['id']}/"]), main_of(pages[f"items/{items[-1]['id']}/"])
    assert first.find("a", rel="prev") is None and first.find("a", rel="next") is not None
    assert last.find("a", rel="next") is None and last.find("a", rel="prev") is not None


def test_every_item_page_shows_its_actions_and_figures(pages: dict[str, Node], items: list[dict[str, Any]]) -> None:
    for item in items:
        main = main_of(pages[f"items/{item['id']}/"])
        shown = [li.get("id") for li in main.find("ol", cls="actions").find_all("li")]
        assert shown == [f"action-{a['id']}" for a in item["actions"]], item["id"]
        rows = [tr.get("id") for tr in main.iter("tr") if tr.get("id")]
        assert rows == item["figure_ids"], item["id"]
        assert f"{PREFIX}reports/{item['report_id']}/#{item['paragraph']}" in hrefs(main), item["id"]


# --- figure pages ----------------------------------------------------------------------------


def hero(pages: dict[str, Node], figure_id: str) -> Node:
    node = pages[f"figures/{figure_id}/"].by_id(figure_id)
    assert node is not None and "figure-hero" in node.classes, figure_id
    return node


@pytest.mark.parametrize("written, word", [("1.4亿余元", "多于"), ("超4.4亿人次", "多于"), ("近6个百分点", "接近")])
def test_figure_page_shows_the_qualifier(pages: dict[str, Node], figures: list[dict[str, str]], written: str,
                                         word: str) -> None:
    figure = next(f for f in figures if f["written"] == written)
    node = hero(pages, figure["figure_id"])
    assert written in node.text
    badge = node.find(cls="badge-qualifier")
    assert badge is not None and badge.text == word


def test_every_qualified_figure_shows_its_qualifier(pages: dict[str, Node], figures: list[dict[str, str]]) -> None:
    words = {"exact": None, "more_than": "多于", "nearly": "接近", "about": "约", "at_least": "至少"}
    for figure in figures:
        badge = hero(pages, figure["figure_id"]).find(cls="badge-qualifier")
        if words[figure["qualifier"]] is None:
            assert badge is None, figure["figure_id"]
        else:
            assert badge is not None and badge.text == words[figure["qualifier"]], figure["figure_id"]


def test_derived_figure_pages(pages: dict[str, Node], figures: list[dict[str, str]]) -> None:
    derived = [f for f in figures if f["derived"] == "true"]
    assert len(derived) == 3
    for figure in derived:
        doc = pages[f"figures/{figure['figure_id']}/"]
        assert "推算" in hero(pages, figure["figure_id"]).text
        formula = doc.find("p", cls="formula")
        assert formula is not None, figure["figure_id"]
        operands = [t for t in figure["formula"].split() if t not in "+-"]
        assert operands and [a.get("href") for a in formula.iter("a")] == [f"{PREFIX}figures/{t}/" for t in operands]
        assert f"{figure['value']}{figure['unit']}" in formula.text


def test_figure_quote_marks_the_written_figure(pages: dict[str, Node], figures: list[dict[str, str]]) -> None:
    for figure in figures:
        main = main_of(pages[f"figures/{figure['figure_id']}/"])
        quote = main.find("blockquote")
        assert quote is not None and figure["quote"] in quote.text, figure["figure_id"]
        marks = [m.text for m in quote.iter("mark")]
        if figure["derived"] == "true":
            assert marks == [], figure["figure_id"]
            assert quote.get("cite") == figure["paragraph_url"]  # not in the text: its paragraph
        else:
            assert marks == [figure["written"]], figure["figure_id"]
            # the figure itself in the report's text (tests/test_citations.py follows every such link)
            assert quote.get("cite") == figure["paragraph_url"].split("#")[0] + "#" + figure["figure_id"]


# --- report pages -----------------------------------------------------------------------------


def test_report_page_anchors(pages: dict[str, Node]) -> None:
    text = (ROOT / "content" / "reports" / f"{RESPONSE}.txt").read_text(encoding="utf-8").splitlines()
    assert len([line for line in text if line.strip()]) == len(ANCHORS)
    doc = pages[f"reports/{RESPONSE}/"]
    for anchor in ANCHORS:
        node = doc.by_id(anchor)
        assert node is not None, f"no element with id {anchor}"
        assert node.find("a", cls="anchor", href=f"#{anchor}") is not None, anchor


def test_report_page_links_every_stated_figure(pages: dict[str, Node], figures: list[dict[str, str]]) -> None:
    doc = pages[f"reports/{RESPONSE}/"]
    links = {a.get("id"): a for a in doc.iter("a", cls="fig")}
    stated = [f for f in figures if f["derived"] == "false" and f["report_id"] == RESPONSE]
    assert len(stated) == 61
    for figure in stated:
        fid = figure["figure_id"]
        link = links.get(fid)
        assert link is not None, f"figure {fid} ({figure['written']}) has no <a class=fig> on the report page"
        assert link.get("href") == f"{PREFIX}figures/{fid}/"
        assert link.text == figure["written"], fid
        assert link.find("mark") is not None, fid
        paragraph = next(n for n in link.ancestors() if n.get("id"))
        assert figure["paragraph_url"].endswith(f"#{paragraph.get('id')}"), fid
    assert set(links) == {f["figure_id"] for f in stated}


def test_report_section_paragraphs_link_to_their_items(pages: dict[str, Node], items: list[dict[str, Any]]) -> None:
    doc = pages[f"reports/{RESPONSE}/"]
    for item in items:
        paragraph = doc.by_id(item["paragraph"])
        assert paragraph is not None, item["paragraph"]
        assert paragraph.find("a", cls="to-item", href=f"{PREFIX}items/{item['id']}/") is not None, item["id"]


def test_report_metadata_pages(pages: dict[str, Node]) -> None:
    response, opinions = main_of(pages[f"reports/{RESPONSE}/"]), main_of(pages[f"reports/{OPINIONS}/"])
    assert f"{PREFIX}reports/{OPINIONS}/" in hrefs(response)
    assert f"{PREFIX}reports/{RESPONSE}/" in hrefs(opinions)


# --- overview --------------------------------------------------------------------------------


def test_overview_status_counts(pages: dict[str, Node], items: list[dict[str, Any]],
                                vocabularies: dict[str, list[dict[str, Any]]]) -> None:
    table = pages[""].find("table", cls="status-table")
    assert table is not None
    statuses = [s["id"] for s in vocabularies["statuses"]]
    head = [th.text for th in table.find("thead").iter("th")][2:]
    assert head == [s["name"] for s in vocabularies["statuses"]]

    def numbers(row: Node) -> list[int]:
        return [int(td.text) for td in row.iter("td")]

    rows = table.find("tbody").find_all("tr")
    expected: dict[str, Counter] = {}
    for item in items:
        expected.setdefault(item["area_id"], Counter()).update(a["status"] for a in item["actions"])
    assert len(rows) == len(expected) == 5
    for row in rows:
        area = row.find("a").get("href").removeprefix(f"{PREFIX}areas/").rstrip("/")
        counts = numbers(row)
        assert counts[0] == sum(1 for i in items if i["area_id"] == area), area
        assert counts[1:] == [expected[area][s] for s in statuses], area
    total = numbers(table.find("tfoot").find("tr"))
    assert total[0] == len(items) == 15
    assert total[1:] == [sum(numbers(r)[k] for r in rows) for k in range(1, len(statuses) + 1)]
    assert sum(total[1:]) == sum(len(i["actions"]) for i in items) == 87


def test_overview_lists_every_area(pages: dict[str, Node], items: list[dict[str, Any]]) -> None:
    links = hrefs(main_of(pages[""]))
    for area in {i["area_id"] for i in items}:
        assert f"{PREFIX}areas/{area}/" in links, area
    for item in items:
        assert f"{PREFIX}items/{item['id']}/" in links, item["id"]


# --- vocabularies -----------------------------------------------------------------------------


def test_vocab_entry_pages_list_exactly_the_items_that_reference_them(
        pages: dict[str, Node], items: list[dict[str, Any]], vocabularies: dict[str, list[dict[str, Any]]]) -> None:
    checked = 0
    for vocab, (section, key) in VOCABS.items():
        index = main_of(pages[f"{section}/"])
        for entry in vocabularies[vocab]:
            if key is None:
                expected = [i["id"] for i in items if any(a["current_status"] == entry["id"] for a in i["actions"])]
            elif section in ("bodies", "places"):  # sorted by current status
                order = {s["id"]: s["order"] for s in vocabularies["statuses"]}
                expected = [i["id"] for i in by_standing([i for i in items if entry["id"] in i[key]], order)]
            else:
                expected = [i["id"] for i in items if entry["id"] in i[key]]
            main = main_of(pages[f"{section}/{entry['id']}/"])
            listed = [a.get("href") for ul in main.iter("ul", cls="item-list") for a in ul.iter("a")]
            assert listed == [f"{PREFIX}items/{i}/" for i in expected], f"/{section}/{entry['id']}/"
            assert f"（{len(expected)} 项）" in main.text
            assert f"{PREFIX}{section}/{entry['id']}/" in hrefs(index), f"{section} index misses {entry['id']}"
            checked += 1
    assert checked == sum(len(v) for v in vocabularies.values())


def test_status_pages_list_every_action(pages: dict[str, Node], items: list[dict[str, Any]],
                                        vocabularies: dict[str, list[dict[str, Any]]]) -> None:
    for status in vocabularies["statuses"]:
        main = main_of(pages[f"status/{status['id']}/"])
        expected = [f"{PREFIX}items/{i['id']}/#action-{a['id']}" for i in items for a in i["actions"]
                    if a["status"] == status["id"]]
        listed = [a.get("href") for ol in main.iter("ol", cls="actions") for a in ol.iter("a")]
        assert listed == expected, status["id"]


# --- every page ----------------------------------------------------------------------------------


def test_every_html_page_has_the_common_head(site: Path, pages: dict[str, Node], config: dict[str, Any]) -> None:
    assert len(pages) >= 190
    for path, doc in pages.items():
        where = f"/{path}"
        html = doc.find("html")
        assert html is not None and html.get("lang") == ("en" if path.startswith("en/") else "zh-CN"), where
        assert len(doc.find_all("h1")) == 1, where
        canonical = [link.get("href") for link in doc.iter("link") if link.get("rel") == "canonical"]
        if path == "404.html":
            assert canonical == [], where
        else:
            assert canonical == [BASE + path], where
        og = [m.get("content") for m in doc.iter("meta", property="og:title")]
        assert len(og) == 1 and og[0], where
        assert config["corrections_url"] in hrefs(doc), f"{where} has no link to the corrections URL"
        title = doc.find("title")
        assert title is not None and title.text.strip(), where


def test_every_json_ld_block_parses(pages: dict[str, Node]) -> None:
    types: dict[str, str] = {}
    for path, doc in pages.items():
        blocks = doc.find_all("script", type="application/ld+json")
        assert len(blocks) <= 1, path
        for block in blocks:
            data = json.loads(block.text)
            assert data["@context"] == "https://schema.org", path
            types[path] = data["@type"]
    for path in pages:
        if re.fullmatch(r"figures/[^/]+/", path):
            assert types.get(path) == "Dataset", path
        if re.fullmatch(r"reports/[^/]+/", path):
            assert types.get(path) == "Report", path


def test_figure_json_ld_points_at_the_figure(pages: dict[str, Node], figures: list[dict[str, str]]) -> None:
    for figure in figures:
        block = pages[f"figures/{figure['figure_id']}/"].find("script", type="application/ld+json")
        data = json.loads(block.text)
        assert data["url"] == figure["url"]
        assert data["isBasedOn"] == figure["paragraph_url"]
        assert data["variableMeasured"]["value"] == figure["value_normalized"]


# --- sitemap and robots -------------------------------------------------------------------------


def test_sitemap_lists_every_page(site: Path) -> None:
    root = ET.fromstring((site / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text for loc in root.findall("s:url/s:loc", ns)]
    assert len(locs) == len(set(locs))
    expected = {BASE + page_path(site, f) for f in site.rglob("index.html")}
    assert set(locs) == expected
    assert all(loc.startswith(BASE) for loc in locs)
    assert BASE + "404.html" not in locs
    for lastmod in root.findall("s:url/s:lastmod", ns):
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", lastmod.text or "")


def test_robots_points_to_the_sitemap(site: Path) -> None:
    lines = (site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert f"Sitemap: {BASE}sitemap.xml" in lines
    assert "User-agent: *" in lines
    assert "Disallow: /" not in lines
