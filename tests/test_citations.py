"""What a journalist follows: every "原文" link of a figure lands on the figure itself in the
report's text, marked when targeted."""

from __future__ import annotations

import json
from pathlib import Path

from .sitetools import Node, Server, chromium, parse_html

EDITIONS = {"zh-CN": "", "en": "en/"}


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
