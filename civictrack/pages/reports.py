"""A report's page (``/reports/<id>/``: its full text, figures marked and linked) and the
index of reports (``/reports/``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from civictrack import i18n
from civictrack.i18n import _
from civictrack.pages.page import Page, PageType, SinglePage
from civictrack.pages.site import Site
from civictrack.render.format import highlight_paragraph, report_name

if TYPE_CHECKING:
    from civictrack.model import Item, Report

_HIGHLIGHTED: dict[tuple[str, tuple[Any, ...]], Markup] = {}


def _highlighted(text: str, spans: list[tuple[int, int, str, str]]) -> Markup:
    """``highlight_paragraph``, remembered (a preview re-renders the same report after each edit)."""
    key = (text, tuple(spans))
    html = _HIGHLIGHTED.get(key)
    if html is None:
        if len(_HIGHLIGHTED) > 100_000:
            _HIGHLIGHTED.clear()
        html = _HIGHLIGHTED[key] = highlight_paragraph(text, spans)
    return html


def coverage(site: Site, report: Report) -> dict[str, Any] | None:
    """How the review opinions' asks were answered, for the page of the opinions and of each
    response: each ask with the items answering it (none: unanswered).  Where the opinions'
    asks are not in the data, the response's areas stand in (each answers one concern)."""
    data, ix = site.data, site.ix
    asked = report if report.asks else data.reports.get(report.responds_to) if report.responds_to else None
    if asked is not None and asked.asks:
        rows = [(ask, ix.answered_by.get((asked.id, ask.id), [])) for ask in asked.asks]
        responses = [r for r in data.reports.values() if r.responds_to == asked.id]
        return {"asked": asked, "asks": rows, "unanswered": sum(1 for _ask, items in rows if not items),
                "responses": responses, "areas": []}
    responses = [report] if report.responds_to else [r for r in data.reports.values() if r.responds_to == report.id]
    areas = [(a, ix.items_by_area.get(a.id, [])) for r in responses for a in r.areas]
    if not areas:
        return None
    return {"asked": asked or report, "asks": [], "unanswered": 0, "responses": responses, "areas": areas}


def report_page(site: Site, report: Report) -> Page:
    path = site.urls.report(report.id)
    text = site.data.texts.get(report.id)
    context: dict[str, Any] = {}

    def later(page: Page) -> None:  # the full text, marked up: in the render worker
        paragraphs = []
        if text is not None:
            areas: dict[str, Any] = {}
            for a in site.data.areas.values():
                if site.data.area_report[a.id] == report.id:
                    areas.setdefault(a.paragraph, a)
            for p in text.paragraphs:
                spans = [(f.span[0], f.span[1], site.urls.href(site.urls.figure(f.figure.id)), f.figure.id)
                         for f in site.ix.figures_by_paragraph.get((report.id, p.anchor), []) if f.span]
                paragraphs.append({"anchor": p.anchor, "kind": p.kind, "html": _highlighted(p.text, spans),
                                   "item": site.ix.item_by_paragraph.get((report.id, p.anchor)),
                                   "area": areas.get(p.anchor)})
        answered_by = [r for r in site.data.reports.values() if r.responds_to == report.id]
        documents = [d for d in site.data.documents.values() if d.report == report.id]
        covered = coverage(site, report)
        context.update({"report": report, "paragraphs": paragraphs, "answered_by": answered_by, "coverage": covered,
                        "documents": documents, "items": site.ix.items_by_report.get(report.id, []),
                        "citation": site.cite(path, None, report, report.id)})
        twin = report.model_dump(exclude={"areas", "figures", "non_figures"}) | {
            "url": site.urls.absolute(path),
            "areas": [a.id for a in report.areas],
            "items": [i.id for i in site.ix.items_by_report.get(report.id, [])],
            "paragraphs": [{"anchor": p.anchor, "text": p.text, "url": site.urls.absolute(path, p.anchor)}
                           for p in (text.paragraphs if text else ())],
        }
        twin["asks"] = [a.model_dump() for a in report.asks]
        if covered is not None and covered["asks"]:
            twin["coverage"] = {"asks_report_id": covered["asked"].id, "unanswered": covered["unanswered"],
                                "asks": [{"id": ask.id, "answered_by": [i.id for i in items]}
                                         for ask, items in covered["asks"]]}
        page.twin = twin | page.twin  # what was set meanwhile (last_changed) comes last, as made

    title = i18n.text(report, "title")
    ld = {"@context": "https://schema.org", "@type": "Report", "name": title, "datePublished": report.date,
          "inLanguage": i18n.language(), "url": site.urls.absolute(path),
          "author": {"@type": "GovernmentOrganization", "name": i18n.text(site.data.bodies[report.issuer], "name")}}
    return Page(path, "report.html", report_name(report), title, context, {},
                [(_("报告"), "reports/"), (report_name(report), None)], ld, "article", report.date,
                later=later)


def reports_index(site: Site) -> Page:
    reports = list(site.data.reports.values())
    twin = {"reports": [{"id": r.id, "title": i18n.text(r, "title"), "date": r.date,
                         "url": site.urls.absolute(site.urls.report(r.id))} for r in reports]}
    return Page("reports/", "reports_index.html", _("报告"), _("本站收录的报告及其全文。"), {"reports": reports}, twin,
                [(_("报告"), None)])


class Reports(PageType):
    section, entries = "reports", True

    def all(self, site: Site) -> list[Page]:
        return [report_page(site, r) for r in site.data.reports.values()]

    def one(self, site: Site, ident: str, number: int) -> Page:
        return report_page(site, site.data.reports[ident])

    def showing(self, site: Site, item: Item) -> Iterable[str]:
        """Its report, and the reports whose coverage of review opinions lists it: the
        opinions it answers and their other responses."""
        report = site.data.reports[item.report]
        paths = [site.urls.report(item.report)]
        if report.responds_to:
            paths.append(site.urls.report(report.responds_to))
            paths += [site.urls.report(r.id) for r in site.data.reports.values() if r.responds_to == report.responds_to]
        return paths


class ReportsIndex(SinglePage):
    section = "reports"
    make = staticmethod(reports_index)
