"""An area's pages (``/areas/<id>/``, paginated: its items and their figures) and the index
of areas (``/areas/``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from civictrack import i18n
from civictrack.i18n import _
from civictrack.pages.page import Page, PageType, SinglePage
from civictrack.pages.site import Site
from civictrack.render.format import area_label, report_name

if TYPE_CHECKING:
    from civictrack.model import Item


def area_page(site: Site, area_id: str, number: int = 1) -> Page:
    """An area's page ``number``: that page's items and their figures; the status counts
    are the whole area's."""
    area = site.data.areas[area_id]
    report = site.data.reports[site.data.area_report[area_id]]
    path = site.urls.page("areas", area_id)
    all_items = site.rows(path)
    pager = site.pager(path, number)
    items = pager.rows(all_items)
    figures = [f for item in items for f in site.ix.figures_by_item.get(item.id, [])]
    context = {"area": area, "report": report, "items": items, "figures": figures,
               "status_counts": site.status_counts(all_items)}
    twin = area.model_dump() | {"url": site.urls.absolute(path), "report_id": report.id,
                                "items": [i.id for i in items], "figures": [f.figure.id for f in figures],
                                "status_counts": dict(context["status_counts"])}
    title = area_label(area)
    description = _("%(report)s：%(title)s") % {"report": report_name(report), "title": title}
    return site.paged(Page(path, "area.html", title, description, context,
                           twin, [(_("领域"), "areas/"), (title, None)], updated=report.date), pager)


def areas_index(site: Site) -> Page:
    groups = [(r, [a for a in r.areas]) for r in site.data.reports.values() if r.areas]
    twin = {"areas": [{"id": a.id, "report_id": r.id, "number": a.number, "title": i18n.text(a, "title"),
                       "url": site.urls.absolute(site.urls.page("areas", a.id))} for r, areas in groups
                      for a in areas]}
    return Page("areas/", "areas_index.html", _("领域"), _("报告的各个部分（一、二、三……）及其措施。"),
                {"groups": groups}, twin, [(_("领域"), None)])


class Areas(PageType):
    section, entries = "areas", True

    def all(self, site: Site) -> list[Page]:
        return [area_page(site, aid, n) for aid in site.data.areas for n in site.numbers(site.urls.page("areas", aid))]

    def one(self, site: Site, ident: str, number: int) -> Page:
        return area_page(site, ident, number)


class AreasIndex(SinglePage):
    section = "areas"
    make = staticmethod(areas_index)

    def showing(self, site: Site, item: Item) -> Iterable[str]:
        return ("areas/",)
