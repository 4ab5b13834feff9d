"""Charts, tables, numbers and dates on a phone, measured in a real browser (Chromium, Playwright).

For the bundled site (both editions), ``examples/series`` and ``examples/en-response``, the pages
``edition_pages`` picks in each edition (the home page, every top-level page, and in every
section the first page, the first with a chart, the one with most charts and the one with the
longest tables), each at 320, 360 and 1,280 px wide; every ``<details>`` is opened first (the
charts' data tables).  From the rendered boxes
(``getBoundingClientRect``, ``Range.getClientRects``), never by eye:

* the page never scrolls sideways;
* every chart shown (the phone drawing below 40rem, the desktop one, or vega-embed's above) is
  inside the viewport and inside its own box, which does not scroll; every text of it (title,
  source, labels, every value) lies inside its SVG and inside the viewport;
* every table cell is inside the viewport;
* no number (17,570,000,000; 93.06%) and no date (25 November 2024; 2024年11月25日;
  2024-12-27) is broken across two lines, nor outside the viewport (a break between a number
  and the word after it, 2024|年, is a break between words).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import ROOT, _built_and_served
from .sitetools import chromium

WIDTHS = (320, 360, 1280)

MEASURE = r"""() => {
  const W = document.documentElement.clientWidth;
  const problems = [];
  const where = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '');
  const shown = (el) => el.checkVisibility({visibilityProperty: true, opacityProperty: false});
  if (document.documentElement.scrollWidth > W + 1)
    problems.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${W}`);
  let charts = 0, texts = 0, cells = 0, numbers = 0;
  for (const figure of document.querySelectorAll('figure.chart')) {
    for (const holder of figure.querySelectorAll('.chart-svg')) {
      if (!shown(holder)) continue;
      const svg = holder.querySelector('svg');
      if (!svg) { problems.push(`${figure.id}: a shown chart without an SVG`); continue; }
      charts += 1;
      const box = svg.getBoundingClientRect();
      if (box.left < -0.5 || box.right > W + 0.5)
        problems.push(`${figure.id}: chart ${Math.round(box.left)}..${Math.round(box.right)} outside 0..${W}`);
      if (holder.scrollWidth > holder.clientWidth + 1)
        problems.push(`${figure.id}: chart box scrolls (${holder.scrollWidth} > ${holder.clientWidth})`);
      for (const text of svg.querySelectorAll('text')) {
        if (!text.textContent.trim()) continue;
        const r = text.getBoundingClientRect();
        if (!r.width) continue;
        texts += 1;
        if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
          problems.push(`${figure.id}: text "${text.textContent}" outside its SVG`);
        if (r.left < -0.5 || r.right > W + 0.5)
          problems.push(`${figure.id}: text "${text.textContent}" outside the viewport`);
      }
    }
  }
  for (const cell of document.querySelectorAll('main td, main th')) {
    if (!shown(cell) || cell.closest('thead')) continue;
    const r = cell.getBoundingClientRect();
    if (!r.width) continue;
    cells += 1;
    if (r.left < -0.5 || r.right > W + 0.5)
      problems.push(`table cell ${Math.round(r.left)}..${Math.round(r.right)} outside 0..${W}: "${cell.textContent.trim().slice(0, 40)}"`);
  }
  const pattern = /(?:\d{1,2} )?(?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}|\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{4}-\d{2}-\d{2}|\d[\d,.]*\d%?|\d%/g;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('script, style, svg, .visually-hidden, pre, code') || !shown(parent)) continue;
    if (parent.closest('a') && /^https?:/.test(parent.closest('a').textContent.trim())) continue;  // an address
    for (const match of node.data.matchAll(pattern)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0.5);
      if (!rects.length) continue;
      numbers += 1;
      const tops = rects.map((r) => r.top);
      if (Math.max(...tops) - Math.min(...tops) > 2)
        problems.push(`"${match[0]}" breaks across lines in ${where(parent)}`);
      if (Math.min(...rects.map((r) => r.left)) < -0.5 || Math.max(...rects.map((r) => r.right)) > W + 0.5)
        problems.push(`"${match[0]}" outside the viewport in ${where(parent)}`);
    }
  }
  return {problems, charts, texts, cells, numbers};
}"""

CHARTS_READY = """() => [...document.querySelectorAll('figure.chart')].every((f) => f.classList.contains('interactive'))"""


def edition_pages(site: Path) -> list[str]:
    """One edition's pages to measure: the home page, every top-level page (indexes, progress,
    data, about …) and, of every section with pages of its own (reports, areas, items, figures,
    years, every vocabulary), the first page, every page with a chart or a table, and the one
    with the longest tables (every report): so every chart and every table of the site."""
    paths = [""]
    for folder in sorted(p for p in site.iterdir() if p.is_dir() and p.name not in ("en", "assets", "charts", "data", "pagefind")
                         or p.name == "data"):
        if (folder / "index.html").exists():
            paths.append(f"{folder.name}/")
        entries = sorted(folder.glob("*/index.html"))
        entries = [p for p in entries if p.parent.name != "page"]  # a listing's further pages
        if not entries:
            continue
        texts = {p: p.read_text(encoding="utf-8") for p in entries}
        charted = [p for p in entries if '<figure class="chart' in texts[p]]
        tabled = [p for p in entries if "<table" in texts[p]]
        chosen = [entries[0], *charted, *tabled]
        chosen.append(max(entries, key=lambda p: texts[p].count("<tr")))
        if folder.name == "reports":  # every report (the asks table is on one of them)
            chosen += entries
        paths += [f"{folder.name}/{p.parent.name}/" for p in chosen]
    return list(dict.fromkeys(paths))


def phone_pages(site: Path) -> list[str]:
    """Site-relative paths: ``edition_pages`` of every edition."""
    paths = edition_pages(site)
    if (site / "en" / "index.html").exists():
        paths += [f"en/{path}" for path in edition_pages(site / "en")]
    return paths


@pytest.fixture(scope="module")
def phone_browser():
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def en_response_site(tmp_path_factory: pytest.TempPathFactory):
    """examples/en-response (an English source report), built and served like ``served_site``."""
    with _built_and_served(ROOT / "examples" / "en-response", tmp_path_factory.mktemp("en-response")) as served:
        yield served


def measure_site(browser, served) -> tuple[list[str], dict[str, int]]:
    problems: list[str] = []
    totals = {"pages": 0, "charts": 0, "texts": 0, "cells": 0, "numbers": 0}
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 780})
    page = context.new_page()
    try:
        for path in phone_pages(served.site):
            page.goto(served.base_url + path, wait_until="load")
            totals["pages"] += 1
            page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 780})
                if width >= 1024 and page.locator("figure.chart").count():
                    page.wait_for_function(CHARTS_READY, timeout=20000)  # vega-embed's drawing, measured too
                page.wait_for_timeout(50)
                result = page.evaluate(MEASURE)
                problems += [f"/{path} at {width} px: {p}" for p in result["problems"]]
                for key in ("charts", "texts", "cells", "numbers"):
                    totals[key] += result[key]
    finally:
        context.close()
    return problems, totals


def check(browser, served) -> None:
    problems, totals = measure_site(browser, served)
    print(f"\nmeasured at {WIDTHS} px: {totals}")
    assert totals["charts"] and totals["cells"] and totals["numbers"], totals
    assert not problems, f"{len(problems)} problems ({totals}):\n" + "\n".join(problems[:400])


def test_bundled_site_fits_phones(phone_browser, served_site) -> None:
    check(phone_browser, served_site)


def test_series_fits_phones(phone_browser, series_site) -> None:
    check(phone_browser, series_site)


def test_en_response_fits_phones(phone_browser, en_response_site) -> None:
    check(phone_browser, en_response_site)


NAV_ROWS = """() => {
  const rows = new Map();
  for (const li of document.querySelectorAll('.site-nav li')) {
    const top = Math.round(li.getBoundingClientRect().top);
    rows.set(top, [...(rows.get(top) || []), li.textContent.trim()]);
  }
  return [...rows.keys()].sort((a, b) => a - b).map((top) => rows.get(top));
}"""


@pytest.mark.parametrize("edition", ["", "en/"])
def test_no_navigation_entry_wraps_alone(phone_browser, served_site, edition: str) -> None:
    """At 320 and 360 px the header navigation's last line holds more than its last entry (关于)."""
    context = phone_browser.new_context(viewport={"width": 360, "height": 780})
    page = context.new_page()
    try:
        page.goto(served_site.base_url + edition, wait_until="load")
        for width in (320, 360, 414):
            page.set_viewport_size({"width": width, "height": 780})
            rows = page.evaluate(NAV_ROWS)
            assert sum(len(row) for row in rows) >= 6, rows
            assert all(len(row) >= 2 for row in rows), f"{width} px: {rows}"
    finally:
        context.close()


@pytest.mark.parametrize("edition", ["", "en/"])
def test_print_hides_what_does_nothing_on_paper(phone_browser, served_site, edition: str) -> None:
    """Printed, a page has no language switch and no chart download line, and shows each chart
    once (the desktop drawing, whatever the screen was)."""
    context = phone_browser.new_context(viewport={"width": 360, "height": 780})
    page = context.new_page()
    try:
        page.goto(served_site.base_url + edition, wait_until="load")
        page.emulate_media(media="print")
        shown = page.evaluate("""() => {
          const visible = (el) => el.checkVisibility();
          return {switch: [...document.querySelectorAll('.language-switch')].filter(visible).length,
                  links: [...document.querySelectorAll('.chart-links')].filter(visible).length,
                  charts: document.querySelectorAll('figure.chart').length,
                  drawings: [...document.querySelectorAll('figure.chart .chart-svg')].filter(visible).length};
        }""")
        assert shown["charts"] and shown["drawings"] == shown["charts"], shown
        assert shown["switch"] == 0 and shown["links"] == 0, shown
    finally:
        context.close()
