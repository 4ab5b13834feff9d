"""The overview (``/``): the site's front page, with each area's items and the key figures."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from civictrack.pages.page import Page, SinglePage
from civictrack.pages.site import Site

if TYPE_CHECKING:
    from civictrack.model import Item


def overview_share(size: int, areas: int) -> int:
    """Items the overview lists for each area: together at most one listing page's worth
    (``size``), shared equally, but at least one an area."""
    return max(1, size // max(1, areas))


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
    context = {"responses": responses, "key_figures": key_figures, "status_rows": rows, "status_totals": totals,
               "area_lists": [(area, items[:share], len(items)) for area, items, _ in rows],
               "key_figures_total": key_total}
    twin = {
        "title": data.config.title, "description": data.config.description,
        "reports": [{"id": r.id, "title": r.title, "date": r.date, "url": site.urls.absolute(site.urls.report(r.id))}
                    for r in data.reports.values()],
        "status_counts_by_area": {area.id: dict(zip(data.statuses, counts)) for area, _, counts in rows},
        "key_figures": [f.figure.id for _, f in key_figures],
    }
    return Page("", "overview.html", data.config.title, data.config.description, context, twin,
                jsonld={"@context": "https://schema.org", "@type": "WebSite", "name": data.config.title,
                        "url": site.urls.absolute(""), "inLanguage": "zh-CN"},
                charts=["overview-areas", "overview-statuses", "overview-bodies"])


class Overview(SinglePage):
    section = ""
    make = staticmethod(overview_page)

    def showing(self, site: Site, item: Item) -> Iterable[str]:
        return ("",)
