"""An item's page (``/items/<id>/``: its actions, figures, charts and citation) and the
index of items (``/items/``, paginated)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from markupsafe import Markup

from civictrack import i18n
from civictrack.i18n import _
from civictrack.pages.page import Page, PageType
from civictrack.pages.site import Site
from civictrack.render.format import area_label
from civictrack.render.markdown import render_markdown

if TYPE_CHECKING:
    from civictrack.model import Item


def item_page(site: Site, item: Item) -> Page:
    """An item's page: everything but its path, charts and dates is made when it is rendered
    (``later``: in a render worker, its Markdown body included)."""
    report = site.report_of(item)
    path = site.urls.item(item.id)
    chart_ids = [f"item-{item.id}-{c.id}" for c in item.charts]

    def later(page: Page) -> None:
        area = site.data.areas[item.area]
        label = site.item_label(item)
        figures = site.ix.figures_by_item.get(item.id, [])
        page.title, page.description = label, i18n.text(item, "summary")
        page.breadcrumbs = [(_("领域"), "areas/"), (area_label(area), site.urls.page("areas", area.id)),
                            (label, None)]  # as its title and the figure pages' breadcrumbs number it (二(一))
        tracks = [site.ix.track_of(item, k) for k in range(len(item.actions))]
        followed = {a.id: next(e.text for e in site.ix.item_by_id[a.follows.item].actions if e.id == a.follows.action)
                    for a in item.actions if a.follows is not None}
        asked = site.data.reports.get(report.responds_to) if report.responds_to else None
        answers = [(asked, ask) for ask in asked.asks if ask.id in item.answers] if asked is not None else []
        page.context = {"item": item, "report": report, "area": area, "figures": figures,
                        "tracks": tracks, "followed": followed, "answers": answers,
                        "body_html": Markup(render_markdown(item.body, site.urls)) if item.body else None,
                        "previous": site.ix.previous.get(item.id), "next": site.ix.next.get(item.id),
                        "chart_ids": chart_ids,
                        "citation": site.cite(path, label, report, item.id)}
        twin = site.item_record(item) | {"figures": [site.figure_record(f) for f in figures]}
        twin["charts"] = [site.urls.absolute(f"charts/{cid}.vl.json") for cid in chart_ids]
        page.twin = twin | page.twin  # what was set meanwhile (last_changed) comes last, as made
        page.jsonld = {"@context": "https://schema.org", "@type": "CreativeWork", "name": label,
                       "inLanguage": i18n.language(), "url": site.urls.absolute(path), "dateModified": report.date,
                       "isBasedOn": site.urls.absolute(site.urls.report(report.id), item.paragraph)}

    return Page(path, "item.html", "", "", {}, {}, [], None, "article", report.date, charts=chart_ids, later=later,
                feed=site.urls.feed(path))


def items_index(site: Site, number: int = 1) -> Page:
    pager = site.pager("items/", number)
    items = pager.rows(site.rows("items/"))
    twin = {"items": [{"id": i.id, "title": i18n.text(i, "title"), "url": site.urls.absolute(site.urls.item(i.id))}
                      for i in items]}
    return site.paged(Page("items/", "items_index.html", _("措施"), _("报告逐项列出的全部措施及其进展。"),
                           {"items": items}, twin, [(_("措施"), None)]), pager)


class Items(PageType):
    section, entries = "items", True

    def all(self, site: Site) -> list[Page]:
        return [item_page(site, item) for item in site.data.items]

    def one(self, site: Site, ident: str, number: int) -> Page:
        return item_page(site, site.ix.item_by_id[ident])

    def showing(self, site: Site, item: Item) -> Iterable[str]:
        """The item, its neighbours (their previous/next links), the items whose figures
        share a series with its figures (their charts show its values), and the items it
        follows up or that follow it up (their timelines name it)."""
        ix = site.ix
        paths = [site.urls.item(item.id)]
        paths += [site.urls.item(a.follows.item) for a in item.actions if a.follows is not None]
        paths += [site.urls.item(later.id) for a in item.actions for later, _ in ix.later.get((item.id, a.id), [])]
        paths += [site.urls.item(n.id) for n in (ix.previous.get(item.id), ix.next.get(item.id)) if n is not None]
        paths += [site.urls.item(point.item) for fig in item.figures for point in ix.series.get(fig.indicator, [])
                  if point.item is not None]
        return paths


class ItemsIndex(PageType):
    section = "items"

    def all(self, site: Site) -> list[Page]:
        return [items_index(site, n) for n in site.numbers("items/")]

    def one(self, site: Site, ident: str, number: int) -> Page:
        return items_index(site, number)
