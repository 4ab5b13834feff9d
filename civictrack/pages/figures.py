"""A figure's page (``/figures/<id>/``: the value, its series chart, quote and citation) and
the index of figures (``/figures/``, paginated)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from civictrack import i18n
from civictrack.dataset import FigureInfo
from civictrack.i18n import _
from civictrack.pages.page import Page, PageType
from civictrack.pages.site import Site
from civictrack.render.format import QUALIFIER_ZH, area_label, figure_text, value_in_words
from civictrack.units import plain

if TYPE_CHECKING:
    from civictrack.model import Item


def figure_page(site: Site, info: FigureInfo) -> Page:
    """A figure's page: everything but its path, chart and dates is made when it is rendered
    (``later``: in a render worker), so a big site's 30,000 figure pages wait as small objects."""
    report = site.data.reports[info.report]
    path = site.urls.figure(info.figure.id)

    def later(page: Page) -> None:
        fig = info.figure
        item = site.ix.item_by_id.get(info.item) if info.item else None
        series = site.ix.series[fig.indicator]
        parts = []
        if fig.formula:
            for token in fig.formula.split():
                parts.append({"op": token} if token in "+-" else {"figure": site.data.figures[token]})
        shown = figure_text(info)
        qualifier = QUALIFIER_ZH[fig.qualifier]
        if i18n.language() != i18n.source_language():  # a title cannot mark the source's words
            shown, qualifier = value_in_words(info), ""
        label = i18n.text(fig, "label")
        if qualifier:
            title = _("%(label)s：%(qualifier)s%(value)s") % {"label": label, "qualifier": qualifier, "value": shown}
        else:
            title = _("%(label)s：%(value)s") % {"label": label, "value": shown}
        when = i18n.text(fig, "period") or (_("截至%(date)s") % {"date": i18n.format_date(fig.as_of)} if fig.as_of else "")
        words = {"title": title, "when": when, "quote": i18n.text(fig, "quote")}
        if not when:
            description = (_("%(title)s（，推算值）。原文：%(quote)s") if fig.derived
                           else _("%(title)s（）。原文：%(quote)s")) % words
        elif fig.derived:
            description = _("%(title)s（%(when)s，推算值）。原文：%(quote)s") % words
        else:
            description = _("%(title)s（%(when)s）。原文：%(quote)s") % words
        crumbs = [(_("数字"), "figures/")]
        if item is not None:
            area = site.data.areas[item.area]  # the item page's breadcrumb, then the item
            crumbs = [(_("领域"), "areas/"), (area_label(area), site.urls.page("areas", area.id)),
                      (site.item_label(item), site.urls.item(item.id))]
        crumbs.append((label, None))
        page.title, page.description, page.breadcrumbs = title, description, crumbs
        page.context = {"info": info, "fig": fig, "report": report, "item": item, "series": series, "parts": parts,
                        "comparison_figure": site.data.figures.get(fig.comparison.figure) if fig.comparison and
                        fig.comparison.figure else None,
                        "citation": site.cite(path, label, report, fig.id)}
        twin = site.figure_record(info) | {"series": [site.figure_record(f) for f in series]}
        twin["chart"] = site.urls.absolute(f"charts/figure-{fig.id}.vl.json")
        page.twin = twin | page.twin  # what was set meanwhile (last_changed) comes last, as made
        page.jsonld = {
            "@context": "https://schema.org", "@type": "Dataset", "name": label, "description": description,
            "url": site.urls.absolute(path), "inLanguage": i18n.language(), "dateModified": report.date,
            "license": site.data.config.data_licence_url, "isBasedOn": site.urls.absolute(
                site.urls.report(report.id), info.paragraph),
            "creator": {"@type": "GovernmentOrganization", "name": i18n.text(site.data.bodies[report.issuer], "name")},
            "variableMeasured": {"@type": "PropertyValue", "name": label,
                                 "value": plain(info.value_normalized), "unitText": info.base_unit},
            "distribution": [{"@type": "DataDownload", "encodingFormat": "application/json",
                              "contentUrl": site.urls.absolute(path + "index.json")},
                             {"@type": "DataDownload", "encodingFormat": "text/csv",
                              "contentUrl": site.urls.absolute(site.urls.data("figures.csv"))}],
            "image": site.urls.absolute(f"charts/figure-{fig.id}.png")}

    return Page(path, "figure.html", "", "", {}, {}, [], None, "article", report.date,
                charts=[f"figure-{info.figure.id}"], later=later)


def figures_index(site: Site, number: int = 1) -> Page:
    pager = site.pager("figures/", number)
    figures = pager.rows(site.rows("figures/"))

    def later(page: Page) -> None:  # the figures' records: in the render worker
        page.twin = {"figures": [site.figure_record(f) for f in figures]} | page.twin

    return site.paged(Page("figures/", "figures_index.html", _("数字"), _("报告中出现的全部数字，每个都有原文出处。"),
                           {"figures": figures}, {}, [(_("数字"), None)], later=later), pager)


class Figures(PageType):
    section, entries = "figures", True

    def all(self, site: Site) -> list[Page]:
        return [figure_page(site, info) for info in site.data.figures.values()]

    def one(self, site: Site, ident: str, number: int) -> Page:
        return figure_page(site, site.data.figures[ident])

    def showing(self, site: Site, item: Item) -> Iterable[str]:
        """Every figure of a series one of the item's figures is in (each page charts the series)."""
        return [site.urls.figure(point.figure.id) for fig in item.figures
                for point in site.ix.series.get(fig.indicator, [])]


class FiguresIndex(PageType):
    section = "figures"

    def all(self, site: Site) -> list[Page]:
        return [figures_index(site, n) for n in site.numbers("figures/")]

    def one(self, site: Site, ident: str, number: int) -> Page:
        return figures_index(site, number)
