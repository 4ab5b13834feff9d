"""The overview (``/``): the site's front page, with each area's items and the key figures."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from civictrack import i18n
from civictrack.pages.page import Page, SinglePage
from civictrack.pages.site import Site
from civictrack.render.format import report_name

if TYPE_CHECKING:
    from civictrack.model import Item


def overview_share(size: int, areas: int) -> int:
    """Items the overview lists for each area: together at most one listing page's worth
    (``size``), shared equally, but at least one an area."""
    return max(1, size // max(1, areas))


RECENT = 10
"""How many of the latest updates, follow-ups and corrections the front page lists."""


def report_groups(site: Site) -> list[tuple[str, list[tuple[str, list[Any]]]]]:
    """The reports by series (``Report.series``; else the series of the report it responds to,
    else its short title), then by year, newest first; each with its item and action counts and
    its actions' current statuses."""
    data, ix = site.data, site.ix

    names: dict[str, str] = {}  # a series → its name as shown (the edition's title of the report it is named after)

    def series(report: Any) -> str:
        if report.series:
            return report.series
        asked = data.reports.get(report.responds_to) if report.responds_to else None
        if asked is not None and asked.series:
            return asked.series
        key = report.short_title or report.title
        names.setdefault(key, report_name(report))
        return key

    overdue: dict[str, int] = {}
    for track in map(ix.tracks.__getitem__, ix.targeted):
        overdue[track.report] = overdue.get(track.report, 0) + track.overdue
    groups: dict[str, dict[str, list[Any]]] = {}
    for report in sorted(data.reports.values(), key=lambda r: (r.date, r.id), reverse=True):
        items = ix.items_by_report.get(report.id, [])
        row = {"report": report, "n_items": len(items), "n_actions": sum(len(i.actions) for i in items),
               "statuses": site.status_counts(items),
               "overdue": overdue.get(report.id, 0)}
        groups.setdefault(series(report), {}).setdefault(report.date[:4], []).append(row)
    return [(names.get(name, name), list(years.items())) for name, years in groups.items()]


def chart_ids(site: Site) -> list[str]:
    """The front page's charts: those of ``charts.specs.overview_charts`` with something to show
    (no chart without a report; none of the bodies while no item names one)."""
    data, ix = site.data, site.ix
    if not data.items:
        return []
    shown = ["overview-areas"]
    if any(ix.status_counts_by_area.values()):
        shown.append("overview-statuses")
    if ix.items_by["bodies"]:
        shown.append("overview-bodies")
    return shown


def overview_page(site: Site) -> Page:
    data = site.data
    responses = [r for r in data.reports.values() if site.ix.items_by_report.get(r.id)]
    size = site.page_size
    key_figures = []  # the first stated figure of each item; at most one listing page of them is shown
    figures_by_item = site.ix.figures_by_item
    for item in data.items:
        first = next((f for f in figures_by_item.get(item.id, ()) if not f.figure.derived), None)
        if first is not None:
            key_figures.append((item, first))
    key_total, key_figures = len(key_figures), key_figures[:size]
    rows = []
    for area_id, area in data.areas.items():
        counts = site.ix.status_counts_by_area.get(area_id, Counter())
        rows.append((area, site.ix.items_by_area.get(area_id, []), [counts.get(s, 0) for s in data.statuses]))
    totals = [sum(r[2][i] for r in rows) for i in range(len(data.statuses))]
    share = overview_share(size, sum(1 for _, items, _ in rows if items))
    overdue = [t for t in map(site.ix.tracks.__getitem__, site.ix.targeted) if t.overdue]
    context = {"responses": responses, "key_figures": key_figures, "status_rows": rows, "status_totals": totals,
               "area_lists": [(area, items[:share], len(items)) for area, items, _ in rows],
               "key_figures_total": key_total, "groups": report_groups(site), "recent": site.tracking_events()[:RECENT],
               "overdue": [(site.ix.item_by_id[t.item], t) for t in overdue[:RECENT]], "overdue_total": len(overdue),
               "targets_total": len(site.ix.targeted),
               "area_report": data.area_report}
    title, description = i18n.text(data.config, "title"), i18n.text(data.config, "description")
    twin = {
        "title": title, "description": description,
        "reports": [{"id": r.id, "title": i18n.text(r, "title"), "date": r.date,
                     "url": site.urls.absolute(site.urls.report(r.id))} for r in data.reports.values()],
        "status_counts_by_area": {area.id: dict(zip(data.statuses, counts)) for area, _, counts in rows},
        "key_figures": [f.figure.id for _, f in key_figures],
        "as_of": site.ix.as_of,
        "overdue": [{"item_id": t.item, "action_id": t.action} for t in overdue],
    }
    return Page("", "overview.html", title, description, context, twin,
                jsonld={"@context": "https://schema.org", "@type": "WebSite", "name": title,
                        "url": site.urls.absolute(""), "inLanguage": i18n.language()},
                charts=chart_ids(site))


class Overview(SinglePage):
    section = ""
    make = staticmethod(overview_page)

    def showing(self, site: Site, item: Item) -> Iterable[str]:
        return ("",)
