"""The built site in a real browser: Debian's Chromium, driven by Playwright, over HTTP under /repo/.

One page of every type is opened (the home page, both reports, an area, an item with charts and
one without, a stated, a derived and a qualified figure, every index page, an entry of every
vocabulary, the data, about and 404 pages, and any other top-level page the build writes), and
a few pages of paginated listings from the build with three rows a page (conftest.paged_site).  Each
page is visited once at desktop width and once at phone width (360 × 780); the checks then run
over what was recorded:

* no console error and no uncaught page error, and every request goes to the site itself;
* on the desktop, charts are taken over by the vega-embed bundle (``figure.chart.interactive``);
  on the phone each shows its narrow drawing, made at build time (``.chart-narrow``); hovering a
  bar shows a tooltip;
* pressing Tab from the top reaches every visible link and button, in document order, starting
  with the skip link;
* nothing is wider than a 360-pixel phone screen;
* printing hides the header navigation;
* axe-core (WCAG 2.0/2.1 A and AA rules) finds no violation.

One browser for the module; each visit has its own context.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from . import proof
from .conftest import ROOT
from .sitetools import PREFIX, Server, chromium

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VOCABULARIES = ("bodies", "places", "documents", "tags", "status")
SECTIONS = ("reports", "areas", "items", "figures") + VOCABULARIES
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}

# every visible link and button, numbered in document order; the numbers identify focused elements
MARK_TABBABLE = """() => {
  // checkVisibility is false inside display:none, visibility:hidden and closed <details>
  const visible = (el) => el.checkVisibility({visibilityProperty: true}) && !el.closest('[inert]');
  const all = [...document.querySelectorAll('a[href], button')].filter(visible);
  all.forEach((el, i) => { el.dataset.proofTab = String(i); });
  window.__focusLog = [];
  document.addEventListener('focusin', (event) => {
    const el = event.target;
    window.__focusLog.push(el.dataset && el.dataset.proofTab !== undefined ? Number(el.dataset.proofTab)
      : el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + String(el.className).split(' ')[0] : ''));
  });
  const focusable = document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, iframe, [contenteditable], [tabindex]:not([tabindex="-1"])');
  return {count: all.length, focusable: focusable.length,
          labels: all.map((el) => el.tagName.toLowerCase() + ' ' + (el.getAttribute('href') || el.textContent.trim()).slice(0, 60)),
          skip: all.findIndex((el) => el.classList.contains('skip-link'))};
}"""

# a phone keeps each chart's narrow drawing (charts.js embeds the desktop spec on wide screens only)
CHARTS_READY = """() => !matchMedia('(min-width: 40.0625rem)').matches ||
  [...document.querySelectorAll('figure.chart')].every((f) => f.classList.contains('interactive'))"""
NARROW_SHOWN = """() => [...document.querySelectorAll('figure.chart .chart-narrow')].filter((d) => d.checkVisibility()).length"""

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(' '), summary: n.failureSummary, html: n.html.slice(0, 160)}))}));
}"""


@dataclass
class Visit:
    kind: str
    url: str
    status: int = 0
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    charts: int = 0
    interactive: int = 0
    narrow: int = 0  # charts showing their narrow drawing
    tooltip: str | None = None  # the tooltip's text after hovering a bar; None if none appeared
    tabbable: list[str] = field(default_factory=list)  # visible links/buttons, document order
    skip_index: int = -1
    focused: list[int | str] = field(default_factory=list)  # focus order after pressing Tab
    header_nav_on_screen: bool = False
    header_nav_in_print: bool = True
    scroll_width: int = 0
    axe: list[dict] = field(default_factory=list)


def pick_pages(site: Path) -> dict[str, str]:
    """Page kind → site-relative path, chosen from what the build wrote."""
    pages: dict[str, str] = {"home": "", "404": "404.html"}
    for report in sorted(p.parent.name for p in (site / "reports").glob("*/index.html")):
        pages[f"report {report}"] = f"reports/{report}/"
    pages["area"] = next(f"areas/{p.parent.name}/" for p in sorted((site / "areas").glob("*/index.html")))
    items = sorted((site / "items").glob("*/index.html"))
    with_chart = [p for p in items if 'class="chart' in p.read_text(encoding="utf-8")]
    without = [p for p in items if p not in with_chart]
    pages["item with charts"] = f"items/{with_chart[0].parent.name}/"
    pages["item without charts"] = f"items/{without[0].parent.name}/"
    with open(site / "data" / "figures.csv", encoding="utf-8", newline="") as handle:
        figures = list(csv.DictReader(handle))
    pages["figure stated"] = "figures/{}/".format(next(
        f["figure_id"] for f in figures if f["derived"] == "false" and f["qualifier"] == "exact"))
    pages["figure derived"] = "figures/{}/".format(next(f["figure_id"] for f in figures if f["derived"] == "true"))
    pages["figure qualified"] = "figures/{}/".format(next(
        f["figure_id"] for f in figures if f["derived"] == "false" and f["qualifier"] != "exact"))
    for section in SECTIONS:
        pages[f"index {section}"] = f"{section}/"
    for vocab in VOCABULARIES:
        entry = next(p.parent.name for p in sorted((site / vocab).glob("*/index.html")))
        pages[f"{vocab} entry"] = f"{vocab}/{entry}/"
    pages["year"] = next(f"years/{p.parent.name}/" for p in sorted((site / "years").glob("*/index.html")))
    known = set(SECTIONS) | {"years"}
    for other in sorted(p.parent.name for p in site.glob("*/index.html")):  # data, about, search, …
        if other not in known:
            pages[other] = f"{other}/"
    return pages


class Tab:
    """One reused browser page (one context) at a given viewport; events go to the current visit."""

    def __init__(self, browser: object, viewport: dict[str, int]):
        self.context = browser.new_context(viewport=viewport)  # type: ignore[attr-defined]
        self.page = self.context.new_page()
        self.visit: Visit | None = None
        page = self.page
        page.on("console", lambda m: self.visit.console_errors.append(f"{m.type}: {m.text}")  # type: ignore[union-attr]
                if m.type in ("error", "assert") else None)
        page.on("pageerror", lambda e: self.visit.page_errors.append(str(e)))  # type: ignore[union-attr]
        page.on("request", lambda r: self.visit.requests.append(r.url))  # type: ignore[union-attr]
        page.on("dialog", lambda d: (self.visit.dialogs.append(f"{d.type}: {d.message}"),  # type: ignore[union-attr]
                                     d.dismiss()))

    def open(self, visit: Visit) -> object:
        """Load the visit's page and wait until its charts are interactive (or 15 s passed)."""
        self.visit = visit
        page = self.page
        page.emulate_media(media="screen")
        response = page.goto(visit.url, wait_until="load")
        visit.status = response.status if response else 0
        charts = page.locator("figure.chart").count()
        visit.charts += charts
        if charts:
            try:
                page.wait_for_function(CHARTS_READY, timeout=15000)
            except Exception:  # noqa: BLE001 - recorded below, the test reports it
                pass
        visit.interactive += page.locator("figure.chart.interactive").count()
        visit.narrow += page.evaluate(NARROW_SHOWN)  # type: ignore[attr-defined]
        return page

    def close(self) -> None:
        self.context.close()


def hover_a_bar(page: object) -> str | None:
    bar = page.locator("figure.chart.interactive g.role-mark path").first  # a bar or a point  # type: ignore[attr-defined]
    if bar.count() == 0:
        return None
    bar.scroll_into_view_if_needed()
    bar.hover()
    tip = page.locator("#vg-tooltip-element.visible")  # type: ignore[attr-defined]
    try:
        tip.wait_for(state="visible", timeout=3000)
    except Exception:  # noqa: BLE001
        return None
    return tip.inner_text()


def tab_through(page: object, visit: Visit) -> None:
    marked = page.evaluate(MARK_TABBABLE)  # type: ignore[attr-defined]
    visit.tabbable, visit.skip_index = marked["labels"], marked["skip"]
    # start from the top of the document, as a reader arriving at the page does
    page.evaluate("""() => { const b = document.body; b.tabIndex = -1; b.focus(); b.removeAttribute('tabindex');
                               window.scrollTo(0, 0); window.__focusLog = []; }""")  # type: ignore[attr-defined]
    for _ in range(marked["focusable"] + 5):
        page.keyboard.press("Tab")  # type: ignore[attr-defined]
    log = page.evaluate("() => window.__focusLog")  # type: ignore[attr-defined]
    # stop where focus came round to the start again
    first_pass: list[int | str] = []
    for entry in log:
        if first_pass and entry == first_pass[0]:
            break
        first_pass.append(entry)
    visit.focused = first_pass


def run_visit(desktop: Tab, phone: Tab, url: str, kind: str) -> Visit:
    visit = Visit(kind, url)
    page = desktop.open(visit)
    if visit.interactive:
        visit.tooltip = hover_a_bar(page)
    page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
    visit.axe = page.evaluate(RUN_AXE, AXE_TAGS)  # type: ignore[attr-defined]
    tab_through(page, visit)
    nav = "() => [...document.querySelectorAll('header nav')].some((n) => n.checkVisibility())"
    visit.header_nav_on_screen = page.evaluate(nav)  # type: ignore[attr-defined]
    page.emulate_media(media="print")  # type: ignore[attr-defined]
    visit.header_nav_in_print = page.evaluate(nav)  # type: ignore[attr-defined]
    narrow = phone.open(visit)  # a second load, as a phone opens the page
    visit.scroll_width = narrow.evaluate("() => document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    return visit


PAGED_PAGES = {  # kind → page of the build with three rows a listing page
    "paginated figures index, page 2": "figures/page/2/",  # 22 pages: the pager elides some
    "paginated status entry, page 3": "status/done/page/3/",
    "paginated items index, last page": "items/page/5/",
    "paginated year, page 2": "years/2024/page/2/",
}


SERIES_PAGES = {  # kind → page of the tracked example (examples/series)
    "tracker home": "",
    "tracked item (timeline, overdue, correction)": "items/shili-2024-edu-school-duties/",
    "review opinions with asks": "reports/shili-2024-edu-opinions/",
    "tracker progress": "progress/",
    "tracked body (sorted by status)": "bodies/shili-education-commission/",
    "corrected figure": "figures/shili-new-school-places-2025/",
    "tracker changes": "changes/",
}


DRAFTED_PAGES = {  # kind → page of a drafted, unreviewed project (tests/fixtures/draft/web-response.txt)
    "drafted item (待核对)": "items/demo-care-s1-2/",
    "drafted figure (待核对)": "figures/demo-care-s2-1-3/",
    "drafted report (待核对)": "reports/demo-care/",
}

ENGLISH_PAGES = {  # kind → page of the bundled site's English edition (/en/)
    "English home": "en/",
    "English item (quotes in Chinese, unofficial translations)": "en/items/cq-2024-edu-preschool/",
    "English figure (chart in English)": "en/figures/cq-edu-preschool-gross-enrolment-rate-2024/",
    "English report (the Chinese text, marked)": "en/reports/cq-2024-edu-response/",
    "English figures index": "en/figures/",
    "English search": "en/search/",
}


@pytest.fixture(scope="module")
def visits(served_site: Server, paged_site: Server, series_site: Server,
           drafted_site: Server) -> Iterator[dict[str, Visit]]:
    assert AXE.is_file(), f"{AXE} is missing: run `npm ci` (scripts/test.sh does)"
    urls = {kind: served_site.base_url + path for kind, path in pick_pages(served_site.site).items()}
    urls |= {kind: paged_site.base_url + path for kind, path in PAGED_PAGES.items()}
    urls |= {kind: series_site.base_url + path for kind, path in SERIES_PAGES.items()}
    urls |= {kind: drafted_site.base_url + path for kind, path in DRAFTED_PAGES.items()}
    urls |= {kind: served_site.base_url + path for kind, path in ENGLISH_PAGES.items()}
    with chromium() as browser:
        desktop, phone = Tab(browser, DESKTOP), Tab(browser, PHONE)
        result = {kind: run_visit(desktop, phone, url, kind) for kind, url in urls.items()}
        desktop.close()
        phone.close()
    proof.record(browser_pages=len(result), axe_pages=len(result),
                 axe_violations=sum(len(v.axe) for v in result.values()))
    yield result


def report(problems: list[str], what: str) -> str:
    return f"{len(problems)} {what}:\n  " + "\n  ".join(problems)


def test_every_page_type_loads(visits: dict[str, Visit]) -> None:
    expected = {"home", "404", "area", "item with charts", "item without charts", "figure stated", "figure derived",
                "figure qualified", "data", "about"} | {f"index {s}" for s in SECTIONS} | {
                f"{v} entry" for v in VOCABULARIES} | set(PAGED_PAGES) | set(SERIES_PAGES) | set(DRAFTED_PAGES) | {
                "progress"}
    assert expected <= set(visits)
    assert sum(k.startswith("report ") for k in visits) >= 2
    print(f"\n{len(visits)} pages in Chromium: " + ", ".join(f"{k} ({v.url.split(PREFIX, 1)[1] or '/'})"
                                                       for k, v in visits.items()))
    assert {k: v.status for k, v in visits.items() if v.status != 200} == {}


def test_no_console_error_and_no_page_error(visits: dict[str, Visit]) -> None:
    problems = [f"{k}: {e}" for k, v in visits.items() for e in v.console_errors + v.page_errors + v.dialogs]
    assert problems == [], report(problems, "errors in the browser")


def test_every_request_goes_to_the_site_itself(visits: dict[str, Visit]) -> None:
    problems, total = [], 0
    for kind, visit in visits.items():
        origin = urlsplit(visit.url)  # the site the page belongs to (the bundled one, or its paginated build)
        for url in visit.requests:
            total += 1
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob"):
                continue
            if (parts.scheme, parts.netloc) != ("http", origin.netloc) or not parts.path.startswith(PREFIX):
                problems.append(f"{kind}: {url}")
    print(f"\n{total} requests from {len(visits)} pages (two loads each)")
    assert total >= 4 * len(visits)  # at least the page, its stylesheet and its script, twice
    assert problems == [], report(problems, "requests outside the site")


def test_charts_become_interactive_and_show_tooltips(visits: dict[str, Visit]) -> None:
    charted = {k: v for k, v in visits.items() if v.charts}
    assert {"home", "item with charts", "figure stated"} <= set(charted)
    problems = []
    for kind, visit in charted.items():
        # counted over both loads: every chart interactive on the desktop, drawn narrow on the phone
        if visit.interactive != visit.charts // 2 or visit.narrow != visit.charts // 2:
            problems.append(f"{kind}: {visit.interactive} of {visit.charts // 2} charts became interactive on the "
                            f"desktop, {visit.narrow} showed their narrow drawing on the phone")
        if not visit.tooltip or not visit.tooltip.strip():
            problems.append(f"{kind}: hovering a bar showed no tooltip")
    print("\n" + "\n".join(f"{k}: {v.charts // 2} chart(s); tooltip {v.tooltip!r}" for k, v in charted.items()))
    assert problems == [], report(problems, "chart problems")


def test_tab_reaches_every_link_and_button_in_order(visits: dict[str, Visit]) -> None:
    problems = []
    for kind, visit in visits.items():
        assert visit.tabbable, f"{kind}: no visible link or button at all"
        if visit.skip_index < 0:
            problems.append(f"{kind}: no visible skip link")
        reached = [f for f in visit.focused if isinstance(f, int)]
        if not visit.focused or visit.focused[0] != visit.skip_index:
            problems.append(f"{kind}: the first Tab lands on {visit.focused[:1]}, not the skip link")
        missing = sorted(set(range(len(visit.tabbable))) - set(reached))
        if missing:
            problems.append(f"{kind}: Tab never reaches {len(missing)} of {len(visit.tabbable)}: "
                            + "; ".join(visit.tabbable[i] for i in missing[:8]))
        if reached != sorted(reached):
            wrong = next(i for i in range(1, len(reached)) if reached[i] < reached[i - 1])
            problems.append(f"{kind}: focus goes back from {visit.tabbable[reached[wrong - 1]]!r} "
                            f"to {visit.tabbable[reached[wrong]]!r}")
        if len(reached) != len(set(reached)):
            problems.append(f"{kind}: an element takes focus twice in one pass")
    print(f"\nTab reached {sum(len(set(f for f in v.focused if isinstance(f, int))) for v in visits.values())} links "
          f"and buttons on {len(visits)} pages")
    assert problems == [], report(problems, "keyboard problems")


def test_nothing_is_wider_than_a_phone(visits: dict[str, Visit]) -> None:
    wide = {k: v.scroll_width for k, v in visits.items() if v.scroll_width > PHONE["width"]}
    assert all(v.scroll_width > 0 for v in visits.values())
    assert wide == {}, f"pages wider than {PHONE['width']} px at phone width (scrollWidth): {wide}"


def test_print_hides_the_header_navigation(visits: dict[str, Visit]) -> None:
    assert all(v.header_nav_on_screen for v in visits.values()), "a page has no visible header navigation on screen"
    printed = [k for k, v in visits.items() if v.header_nav_in_print]
    assert printed == [], f"header navigation still shown when printing: {printed}"


def test_axe_finds_no_wcag_violation(visits: dict[str, Visit]) -> None:
    problems = []
    for kind, visit in visits.items():
        for violation in visit.axe:
            problems.append(f"{kind}: [{violation['impact']}] {violation['id']}: {violation['help']} "
                            f"({len(violation['nodes'])} element(s))")
            for node in violation["nodes"][:3]:
                problems.append(f"    {node['target']}: {node['html']}")
                problems.append("      " + node["summary"].replace("\n", "\n      "))
    print(f"\naxe-core {json.dumps(AXE_TAGS)} on {len(visits)} pages: "
          f"{sum(len(v.axe) for v in visits.values())} violation(s)")
    assert problems == [], report(problems, "lines of axe-core findings")
