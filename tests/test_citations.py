"""What a journalist cites and follows: every citation names the report's official title, the
issuer, the date, the site and the URL; every "原文" link of a figure lands on the figure itself
in the report's text, marked when targeted; the official original is linked where known and
said to be unknown where not; a figure's breadcrumb continues its item's."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from civictrack.pages.citation import Citation, citations

from .conftest import EXAMPLE_BASE, ROOT
from .sitetools import Node, Server, chromium, parse_html, run_build

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
EDITIONS = {"zh-CN": "", "en": "en/"}
UNKNOWN = {"zh-CN": "官方原文：不详（本站尚未找到发文机关公开发布这份报告的网址）",
           "en": "Official text: Not known (this site has not found where the issuing body published this report)"}


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _data(root: Path) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    config = _yaml(root / "site.yaml")
    reports = {r["id"]: r for r in (_yaml(p) for p in sorted((root / "data" / "reports").glob("*.yaml")))}
    bodies = {b["id"]: b for b in _yaml(root / "data" / "bodies.yaml")}
    return config, reports, bodies


def _named(record: dict[str, Any], field: str, lang: str) -> str:
    return record.get(f"{field}_en") or record[field] if lang == "en" else record[field]


def _cited_pages(site: Path, prefix: str) -> list[tuple[Path, str]]:
    """Every figure, item and report page of an edition, with the id of its report."""
    found = []
    for section in ("figures", "items", "reports"):
        for twin in sorted((site / prefix / section).glob("*/index.json")):
            record = json.loads(twin.read_text(encoding="utf-8"))
            found.append((twin.with_name("index.html"), record.get("report_id") or record["id"]))
    return found


def _check_citations(site: Path, root: Path, base: str) -> int:
    """Each citation format of each figure, item and report page, against the project's data."""
    config, reports, bodies = _data(root)
    checked = 0
    for lang, prefix in EDITIONS.items():
        if lang != "zh-CN" and lang not in config.get("languages", []):
            continue
        site_name = _named(config, "title", lang)
        for page, rid in _cited_pages(site, prefix):
            report = reports[rid]
            where = f"{page.relative_to(site)}"
            doc = parse_html(page.read_text(encoding="utf-8"))
            url = doc.find("link", rel="canonical").get("href")
            assert url and url.startswith(base + prefix), where
            issuer = _named(bodies[report["issuer"]], "name", lang)
            year, month, day = (int(p) for p in report["date"].split("-"))
            gbt, apa, bib = (doc.by_id(f"cite-{k}").text for k in ("gbt", "apa", "bibtex"))
            official = report["title"]  # the title as issued, on every edition
            # GB/T 7714: 责任者. 题名[EB/OL]. 出版者（本站）, (更新日期)[引用日期]. 网址.
            assert gbt.startswith(f"{issuer}. {official}"), (where, gbt)
            assert f"[EB/OL]. {site_name}, ({report['date']})[" in gbt and gbt.endswith(f"]. {url}."), (where, gbt)
            # APA 7: Author. (Year, Month Day). Title. Site. Retrieved …, from URL
            assert apa.startswith(f"{issuer}. ({year}, {MONTHS[month - 1]} {day}). {official}"), (where, apa)
            assert f". {site_name}. Retrieved " in apa and apa.endswith(f", from {url}"), (where, apa)
            # BibTeX
            fields = dict(re.findall(r"(?m)^  (\w+) = (.*?),?$", bib))
            assert fields["author"] == "{{" + issuer + "}}", (where, bib)
            assert fields["title"].startswith("{" + official) and fields["howpublished"] == "{" + site_name + "}"
            assert (fields["year"], fields["month"]) == ("{%d}" % year, BIBTEX_MONTHS[month - 1]), (where, bib)
            assert fields["url"] == "{" + url.replace("#", r"\#").replace("%", r"\%") + "}", (where, bib)
            if lang != "zh-CN" and report.get("title_en"):  # the edition's translation follows, in brackets
                assert f"{official} [{report['title_en']}]" in gbt and f"{official} [{report['title_en']}]" in apa
            # the official original: linked where known, said to be unknown where not
            block = doc.find("section", cls="cite")
            if report.get("source_url"):
                assert report["source_url"] in [a.get("href") for a in block.iter("a")], where
                assert report["source_url"] in fields["note"], (where, bib)
            else:
                assert UNKNOWN[lang] in " ".join(block.text.split()), where
                assert "note" not in fields
            # the note on the citation date says where the date comes from
            note = block.find("p", cls="small").text
            assert ("本站数据中最新的日期" in note or "newest date in this site’s data" in note), (where, note)
            checked += 1
    return checked


def test_every_citation_names_the_official_title_issuer_date_site_and_url(example_site: Path) -> None:
    checked = _check_citations(example_site, ROOT, EXAMPLE_BASE)
    assert checked >= 2 * (64 + 15 + 2)  # both editions: every figure, item and report page


def test_the_official_original_is_linked_where_known(minimal: Path, tmp_path: Path) -> None:
    """A report whose ``source_url`` is known: the report page and every citation link it."""
    source = "https://www.cq.gov.cn/zwgk/report-2024.html"  # an address for this made-up fixture
    for path in (minimal / "data" / "reports").glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8") + f"source_url: {source}\n", encoding="utf-8")
    out = tmp_path / "site"
    done = run_build(minimal, out, "https://example.org/test/", "--no-search")
    assert done.returncode == 0, done.stderr
    assert _check_citations(out, minimal, "https://example.org/test/") > 0
    for page in (out / "reports").glob("*/index.html"):
        doc = parse_html(page.read_text(encoding="utf-8"))
        meta = doc.find("dl", cls="meta-list")
        assert [a.get("href") for a in meta.iter("a") if a.get("href") == source] == [source], page


def test_the_citation_date_note_names_the_build_date_when_given(minimal: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    out = tmp_path / "site"
    assert run_build(minimal, out, None, "--no-search").returncode == 0
    page = next((out / "items").glob("*/index.html")).read_text(encoding="utf-8")
    text = re.sub(r'<span class="nw">([^<]*)</span>', r"\1", page)  # dates are kept on one line by a span
    assert "引用日期是本站生成的日期 2026-01-01" in text and 'data-cite-date="2026-01-01"' in page


def test_citation_styles() -> None:
    c = Citation(author="重庆市人民政府", title="关于X的报告: 毛入园率", container="追踪站", url="https://e.org/f/x/",
                 updated="2024-12-27", accessed="2025-01-02", key="x", note="官方原文：https://gov.cn/a_b")
    out = citations(c)
    assert out["gbt"] == "重庆市人民政府. 关于X的报告: 毛入园率[EB/OL]. 追踪站, (2024-12-27)[2025-01-02]. https://e.org/f/x/."
    assert out["apa"] == ("重庆市人民政府. (2024, December 27). 关于X的报告: 毛入园率. 追踪站. "
                          "Retrieved January 2, 2025, from https://e.org/f/x/")
    assert r"  note = {官方原文：https://gov.cn/a\_b}" in out["bibtex"]


# --- "原文" links land on the figure --------------------------------------------------------------


def _report_anchors(site: Path, prefix: str) -> dict[str, dict[str, Node]]:
    """Report id → {id: element} of its page."""
    found = {}
    for page in (site / prefix / "reports").glob("*/index.html"):
        doc = parse_html(page.read_text(encoding="utf-8"))
        found[page.parent.name] = {n.get("id"): n for n in doc.iter(pred=lambda n: bool(n.get("id")))}
    return found


def _figure_links(doc: Node) -> list[tuple[str, Node]]:
    """(figure id, link) for every "原文" link of a figure on the page: the figures tables' source
    links (their row's id is the figure's), and a figure page's quote."""
    links = [(tr.get("id"), a) for tr in doc.iter("tr") for a in tr.iter("a", cls="source-link")]
    quote = doc.by_id("quote-heading")
    if quote is not None:
        hero = doc.find("div", cls="figure-hero")
        links += [(hero.get("id"), a) for a in quote.parent.find("footer").iter("a")]
    return links


def test_every_source_link_of_a_figure_lands_on_the_figure(example_site: Path) -> None:
    figures = {}
    for twin in (example_site / "figures").glob("*/index.json"):
        record = json.loads(twin.read_text(encoding="utf-8"))
        figures[record["id"]] = record
    checked = 0
    for prefix in EDITIONS.values():
        anchors = _report_anchors(example_site, prefix)
        pages = [p for s in ("figures", "items", "areas", "years", "tags") for p in (example_site / prefix / s).rglob("index.html")]
        for page in pages:
            for fid, link in _figure_links(parse_html(page.read_text(encoding="utf-8"))):
                record = figures[fid]
                path, _, anchor = link.get("href").partition("#")
                assert path == f"/repo/{prefix}reports/{record['report_id']}/", (page, fid)
                target = anchors[record["report_id"]].get(anchor)
                assert target is not None, (page, fid, anchor)
                if record["derived"]:  # not written in the text: its paragraph
                    assert anchor == record["paragraph"], (page, fid)
                else:  # the number itself, marked, inside its sentence
                    assert anchor == fid and target.tag == "a" and "fig" in target.classes, (page, fid)
                    assert target.find("mark").text == record["written"], (page, fid)
                    assert any("sentence" in a.classes for a in target.ancestors()), (page, fid)
                checked += 1
    assert checked > 2 * 64 * 2  # each figure from its page and at least one table, in both editions


_STYLE = """(id) => {
  const a = document.getElementById(id), mark = a.querySelector('mark'), sentence = a.closest('.sentence');
  const para = a.closest('.para'), s = (e) => getComputedStyle(e);
  return {mark: [s(mark).backgroundColor, s(mark).outlineStyle, s(mark).outlineWidth],
          sentence: s(sentence).backgroundColor, para: s(para).backgroundColor,
          top: a.getBoundingClientRect().top, height: innerHeight};
}"""


def test_a_targeted_figure_and_its_sentence_are_marked(served_site: Server) -> None:
    """In Chromium: the figure a link lands on is outlined and stronger than the other figures, its
    sentence tinted, and it is in view; in a targeted paragraph the figures keep their highlight."""
    fid, other = "cq-edu-preschool-gross-enrolment-rate-2024", "cq-edu-preschool-inclusive-rate-2024"
    report = served_site.base_url + "reports/cq-2024-edu-response/"
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 800})  # type: ignore[attr-defined]
        page.goto(report + "#" + fid, wait_until="load")
        targeted = page.evaluate(_STYLE, fid)
        untargeted = page.evaluate(_STYLE, other)  # same sentence, not the target
        page.goto(report + "#s2-1", wait_until="load")  # the paragraph, as a paragraph link lands
        in_paragraph = page.evaluate(_STYLE, fid)
        page.goto(report, wait_until="load")
        plain = page.evaluate(_STYLE, fid)
        page.set_viewport_size({"width": 360, "height": 740})
        page.goto(report + "#" + fid, wait_until="load")
        phone = page.evaluate(_STYLE, fid)
        page.close()
    transparent = "rgba(0, 0, 0, 0)"
    assert targeted["mark"][1] == "solid" and targeted["mark"][2] == "3px", targeted
    assert plain["mark"][1] == "none" and untargeted["mark"][1] == "none", (plain, untargeted)
    assert targeted["mark"][0] != plain["mark"][0] and targeted["mark"][0] != untargeted["mark"][0]
    assert targeted["sentence"] != transparent and plain["sentence"] == transparent, (targeted, plain)
    assert targeted["mark"][0] != targeted["sentence"]  # the number stands out of its sentence
    assert in_paragraph["para"] != transparent and in_paragraph["mark"][0] != in_paragraph["para"], in_paragraph
    for shown in (targeted, phone):
        assert 0 < shown["top"] < shown["height"] / 2, shown  # in view, with the lines before it


def test_the_browser_puts_todays_date_into_each_citation(served_site: Server) -> None:
    """The script replaces the citation date in each format and keeps the Chinese of an English
    page's citation marked as Chinese."""
    url = served_site.base_url + "en/figures/cq-edu-preschool-gross-enrolment-rate-2024/"
    with chromium() as browser:
        page = browser.new_page()  # type: ignore[attr-defined]
        page.goto(url, wait_until="load")
        shown = page.evaluate("""() => {
          const d = new Date(), pad = (n) => (n < 10 ? "0" : "") + n;
          return {today: d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()),
                  texts: [...document.querySelectorAll("pre.citation")].map((p) => p.textContent),
                  marked: [...document.querySelectorAll("pre.citation span[lang=zh-CN]")].length};
        }""")
        page.close()
    gbt, apa, bib = shown["texts"]
    today = shown["today"]
    y, m, d = (int(p) for p in today.split("-"))
    assert f"[{today}]. " in gbt and f"Retrieved {MONTHS[m - 1]} {d}, {y}, from " in apa and f"urldate = {{{today}}}" in bib
    assert shown["marked"] >= 3  # the official title, in each format


# --- breadcrumbs --------------------------------------------------------------------------------


def _crumbs(page: Path) -> list[tuple[str, str | None]]:
    nav = parse_html(page.read_text(encoding="utf-8")).find("nav", cls="breadcrumbs")
    return [(" ".join(li.text.split()), (li.find("a") or li).get("href")) for li in nav.iter("li")]


def test_a_figures_breadcrumb_continues_its_items(example_site: Path) -> None:
    for prefix in EDITIONS.values():
        for twin in sorted((example_site / prefix / "figures").glob("*/index.json")):
            item_id = json.loads(twin.read_text(encoding="utf-8"))["item_id"]
            if not item_id:
                continue
            item_page = example_site / prefix / "items" / item_id / "index.html"
            item = _crumbs(item_page)
            figure = _crumbs(twin.with_name("index.html"))
            h1 = parse_html(item_page.read_text(encoding="utf-8")).find("h1").text.replace("待核对", "")
            squeezed = re.sub(r"\s", "", item[-1][0])
            assert squeezed == re.sub(r"\s", "", h1), (item_page, item[-1], h1)  # numbered as titled: 二(一)
            assert figure[:-1] == item[:-1] + [(item[-1][0], f"/repo/{prefix}items/{item_id}/")], (twin, figure, item)
