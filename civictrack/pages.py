"""Every page of the site as a :class:`Page`: path, template, context and JSON twin.

Nothing here renders or writes; ``site.py`` does that.  Each page's JSON twin holds the
same facts as its HTML, for programs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .citation import Citation, citations
from .indexes import VOCAB_SECTIONS, Indexes
from markupsafe import Markup

from .markdown import render_markdown
from .opendata import item_record
from .pagination import Pager, listing_rows, page_count
from .render import QUALIFIER_ZH, figure_text, highlight_paragraph
from .units import plain
from .urls import Urls
from .dataset import Dataset, FigureInfo

if TYPE_CHECKING:
    from .model import Item, Report  # annotations only: a build from the cached data set never imports pydantic


_RECORDS: dict[int, tuple[FigureInfo, str, dict[str, Any]]] = {}
"""figure_record results: id(info) → (info, base URL, record); holding info keeps the id its own."""


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


@dataclass
class Page:
    path: str  # site-relative, directory style: "" or "items/x/"
    template: str
    title: str
    description: str
    context: dict[str, Any]
    twin: dict[str, Any]
    breadcrumbs: list[tuple[str, str | None]] = field(default_factory=list)  # (label, path or None)
    jsonld: dict[str, Any] | None = None
    og_type: str = "website"
    updated: str = ""
    charts: list[str] = field(default_factory=list)  # ids of the charts shown, in order
    last_changed: str = ""  # newest change-log date touching what the page shows
    pager: Pager | None = None  # on a listing's pages: which page of how many
    # what is made only when the page is rendered (its citation, twin and JSON-LD): in a big
    # build that happens in the render workers, two at a time, instead of before they start
    later: Callable[[Page], None] | None = field(default=None, repr=False, compare=False)

    def ready(self) -> Page:
        """The page with everything made: call before reading ``context``, ``twin`` or ``jsonld``."""
        later = self.later
        if later is not None:
            self.later = None
            later(self)
        return self

    @property
    def og_image(self) -> str | None:
        """Site-relative path of the PNG used as og:image (the page's first chart)."""
        return f"charts/{self.charts[0]}.png" if self.charts else None


def overview_share(size: int, areas: int) -> int:
    """Items the overview lists for each area: together at most one listing page's worth
    (``size``), shared equally, but at least one an area."""
    return max(1, size // max(1, areas))


@dataclass
class PageMaker:
    data: Dataset
    ix: Indexes
    urls: Urls
    build_date: str  # citation date written at build time (replaced client-side by today's)
    _rows: dict[str, list[Any]] = field(default_factory=dict, init=False, repr=False)  # listing → rows
    _actions: dict[str, tuple[dict[str, list[tuple[Item, int]]], list[int]]] = field(
        default_factory=dict, init=False, repr=False)  # status listing → actions_by_item()
    _change_dates: dict[str, str] | None = field(default=None, init=False, repr=False)  # "item:<id>" etc. → newest

    # --- shared helpers -----------------------------------------------------------

    def report_of(self, item: Item) -> Report:
        return self.data.reports[item.report]

    def item_label(self, item: Item) -> str:
        area = self.data.areas[item.area]
        return f"{area.number}{item.number}{item.title}"

    def figure_record(self, info: FigureInfo) -> dict[str, Any]:
        """The figure's JSON record; made once per FigureInfo and base URL (a preview's unchanged
        figures keep their FigureInfo), and shared: callers copy it before adding keys."""
        hit = _RECORDS.get(id(info))
        if hit is not None and hit[0] is info and hit[1] == self.urls.base_url:
            return hit[2]
        if len(_RECORDS) > 4 * len(self.data.figures) + 1000:
            _RECORDS.clear()
        record = self._figure_record(info)
        _RECORDS[id(info)] = (info, self.urls.base_url, record)
        return record

    def _figure_record(self, info: FigureInfo) -> dict[str, Any]:
        fig = info.figure
        return {
            "id": fig.id, "indicator": fig.indicator, "label": fig.label, "value": fig.value, "unit": fig.unit,
            "written": fig.written, "qualifier": fig.qualifier, "value_normalized": plain(info.value_normalized),
            "base_unit": info.base_unit, "period": fig.period, "as_of": fig.as_of, "derived": fig.derived,
            "formula": fig.formula, "note": fig.note, "quote": fig.quote, "item_id": info.item,
            "report_id": info.report, "paragraph": info.paragraph,
            "comparison": fig.comparison.model_dump() if fig.comparison else None,
            "url": self.urls.absolute(self.urls.figure(fig.id)),
            "paragraph_url": self.urls.absolute(self.urls.report(info.report), info.paragraph),
        }

    def item_record(self, item: Item) -> dict[str, Any]:
        return item_record(self.data, self.urls, item)

    def cite(self, path: str, title: str, report: Report, key: str) -> dict[str, str]:
        author = self.data.bodies[report.issuer].name
        c = Citation(author=author, title=title, container=self.data.config.title, url=self.urls.absolute(path),
                     updated=report.date, accessed=self.build_date, key=key)
        return citations(c) | {"url": c.url, "updated": c.updated, "accessed": c.accessed}

    def status_counts(self, items: list[Item]) -> list[tuple[str, int]]:
        counts = Counter(a.status for item in items for a in item.actions)
        return [(sid, counts[sid]) for sid in self.data.statuses if counts[sid]]

    # --- paginated listings -----------------------------------------------------------

    @property
    def page_size(self) -> int:
        return self.data.config.listing_page_size

    def rows(self, path: str) -> list[Any]:
        """Every row of the listing at ``path`` (see ``pagination.listing_rows``), made once."""
        rows = self._rows.get(path)
        if rows is None:
            rows = self._rows[path] = listing_rows(self.data, self.ix, path)
        return rows

    def pager(self, path: str, number: int) -> Pager:
        pager = Pager(path, number, len(self.rows(path)), self.page_size)
        if not 1 <= number <= pager.pages:
            raise KeyError(f"{path} has no page {number}")
        return pager

    def actions_by_item(self, path: str) -> tuple[dict[str, list[tuple[Item, int]]], list[int]]:
        """A status page's actions grouped by item id, and how many actions the items before
        each position of the listing have (made once per status)."""
        made = self._actions.get(path)
        if made is None:
            by_item: dict[str, list[tuple[Item, int]]] = {}
            for it, index in self.ix.actions_by_status.get(path.split("/")[1], []):
                by_item.setdefault(it.id, []).append((it, index))
            before = [0]
            for item in self.rows(path):
                before.append(before[-1] + len(by_item.get(item.id, [])))
            made = self._actions[path] = (by_item, before)
        return made

    def numbers(self, path: str) -> range:
        """The page numbers of the listing at ``path``."""
        return range(1, page_count(len(self.rows(path)), self.page_size) + 1)

    def paged(self, page: Page, pager: Pager) -> Page:
        """Page ``pager.number`` of a listing made from its page 1: its own path and title, a
        breadcrumb back to page 1, no second copy of page 1's JSON-LD, and (when the listing has
        more than one page) its place in the listing in the twin."""
        page.pager = pager
        if pager.pages > 1:
            page.twin["pagination"] = pager.twin(self.urls)
        if pager.number > 1:
            page.path = pager.path_of(pager.number)
            page.title = f"{page.title} · 第 {pager.number} 页"
            if page.breadcrumbs and page.breadcrumbs[-1][1] is None:
                page.breadcrumbs[-1] = (page.breadcrumbs[-1][0], pager.path)
            page.breadcrumbs.append((f"第 {pager.number} 页", None))
            page.jsonld = None
        return page

    # --- pages ----------------------------------------------------------------------

    def all_pages(self) -> list[Page]:
        pages = [self.overview()]
        pages += [self.report(r) for r in self.data.reports.values()]
        pages += [self.area(aid, n) for aid in self.data.areas for n in self.numbers(self.urls.page("areas", aid))]
        pages += [self.item(item) for item in self.data.items]
        pages += [self.figure(info) for info in self.data.figures.values()]
        for vocab in VOCAB_SECTIONS:
            pages.append(self.vocab_index(vocab))
            section = VOCAB_SECTIONS[vocab][0]
            pages += [self.vocab_entry(vocab, eid, n) for eid in getattr(self.data, vocab)
                      for n in self.numbers(self.urls.page(section, eid))]
        pages += [self.reports_index(), self.areas_index()]
        pages += [self.items_index(n) for n in self.numbers("items/")]
        pages += [self.figures_index(n) for n in self.numbers("figures/")]
        pages += [self.data_page(), self.search_page(), self.changes_page()]
        for page in pages:
            page.last_changed = self.last_changed(page.path)
            page.twin["last_changed"] = page.last_changed
        return pages

    def pages_for(self, paths: set[str]) -> list[Page]:
        """Only the pages at these paths (for incremental rebuilds); same content as all_pages()."""
        by_section = {section: vocab for vocab, (section, _) in VOCAB_SECTIONS.items()}
        indexes = {"reports": self.reports_index, "areas": self.areas_index, "items": self.items_index,
                   "figures": self.figures_index, "data": self.data_page, "search": self.search_page,
                   "changes": self.changes_page}
        pages = []
        for path in sorted(paths):
            listing, number = self.urls.split_listing_page(path)
            section, _, rest = listing.partition("/")
            ident = rest.rstrip("/")
            if path == "":
                page = self.overview()
            elif listing in ("items/", "figures/"):
                page = self.items_index(number) if section == "items" else self.figures_index(number)
            elif not ident:
                page = indexes[section]() if section in indexes else self.vocab_index(by_section[section])
            elif section == "reports":
                page = self.report(self.data.reports[ident])
            elif section == "areas":
                page = self.area(ident, number)
            elif section == "items":
                page = self.item(self.ix.item_by_id[ident])
            elif section == "figures":
                page = self.figure(self.data.figures[ident])
            else:
                page = self.vocab_entry(by_section[section], ident, number)
            page.last_changed = self.last_changed(page.path)
            page.twin["last_changed"] = page.last_changed
            pages.append(page)
        return pages

    def last_changed(self, path: str) -> str:
        """The newest change-log date touching the page, else the date of the report it shows."""
        dates = self._change_dates
        if dates is None:  # once per build, not once per page
            dates = self._change_dates = {}
            for change in self.data.changes:
                for key in ([f"report:{r}" for r in change.reports] + [f"item:{i}" for i in change.items]
                            + [f"figure:{f}" for f in change.figures]):
                    dates[key] = max(dates.get(key, ""), change.date)
        section, _, rest = self.urls.split_listing_page(path)[0].partition("/")
        ident = rest.rstrip("/")
        if section == "items" and ident in self.ix.item_by_id:
            item = self.ix.item_by_id[ident]
            report = item.report
            keys = [f"item:{ident}"] + [f"figure:{f.id}" for f in item.figures]
        elif section == "figures" and ident in self.data.figures:
            info = self.data.figures[ident]
            report = info.report
            keys = [f"figure:{ident}"] + ([f"item:{info.item}"] if info.item else [])
        elif section == "reports" and ident in self.data.reports:
            report = ident
            keys = [f"item:{i.id}" for i in self.ix.items_by_report.get(ident, [])]
        elif section == "areas" and ident in self.data.areas:
            report = self.data.area_report[ident]
            keys = [f"item:{i.id}" for i in self.ix.items_by_area.get(ident, [])]
        else:  # overview, indexes, vocabularies: the newest date anywhere
            return max([c.date for c in self.data.changes] + [r.date for r in self.data.reports.values()])
        keys.append(f"report:{report}")
        return max([dates[k] for k in keys if k in dates] + [self.data.reports[report].date])

    def changes_page(self) -> Page:
        entries = []
        for change in self.data.changes:
            targets = ([(self.data.reports[r].short_title or self.data.reports[r].title, self.urls.report(r))
                        for r in change.reports]
                       + [(self.item_label(self.ix.item_by_id[i]), self.urls.item(i)) for i in change.items]
                       + [(self.data.figures[f].figure.label, self.urls.figure(f)) for f in change.figures])
            entries.append((change, targets))
        twin = {"changes": [c.model_dump() | {"url": self.urls.absolute("changes/", c.id),
                                              "targets": [self.urls.absolute(p) for _, p in t]} for c, t in entries],
                "feed": self.urls.absolute("feed.xml")}
        return Page("changes/", "changes.html", "更新记录", "本站数据的每一次更新、修订和更正，按日期列出。",
                    {"entries": entries}, twin, [("更新记录", None)])

    def overview(self) -> Page:
        data = self.data
        responses = [r for r in data.reports.values() if self.ix.items_by_report.get(r.id)]
        size = self.page_size
        key_figures = []  # the first stated figure of each item; at most one listing page of them is shown
        for item in data.items:
            stated = [f for f in self.ix.figures_by_item.get(item.id, []) if not f.figure.derived]
            if stated:
                key_figures.append((item, stated[0]))
        key_total, key_figures = len(key_figures), key_figures[:size]
        rows = []
        for area_id, area in data.areas.items():
            counts = self.ix.status_counts_by_area.get(area_id, Counter())
            rows.append((area, self.ix.items_by_area.get(area_id, []), [counts.get(s, 0) for s in data.statuses]))
        totals = [sum(r[2][i] for r in rows) for i in range(len(data.statuses))]
        share = overview_share(size, sum(1 for _, items, _ in rows if items))
        context = {"responses": responses, "key_figures": key_figures, "status_rows": rows, "status_totals": totals,
                   "area_lists": [(area, items[:share], len(items)) for area, items, _ in rows],
                   "key_figures_total": key_total}
        twin = {
            "title": data.config.title, "description": data.config.description,
            "reports": [{"id": r.id, "title": r.title, "date": r.date, "url": self.urls.absolute(self.urls.report(r.id))}
                        for r in data.reports.values()],
            "status_counts_by_area": {area.id: dict(zip(data.statuses, counts)) for area, _, counts in rows},
            "key_figures": [f.figure.id for _, f in key_figures],
        }
        return Page("", "overview.html", data.config.title, data.config.description, context, twin,
                    jsonld={"@context": "https://schema.org", "@type": "WebSite", "name": data.config.title,
                            "url": self.urls.absolute(""), "inLanguage": "zh-CN"},
                    charts=["overview-areas", "overview-statuses", "overview-bodies"])

    def report(self, report: Report) -> Page:
        path = self.urls.report(report.id)
        text = self.data.texts.get(report.id)
        context: dict[str, Any] = {}

        def later(page: Page) -> None:  # the full text, marked up: in the render worker
            paragraphs = []
            if text is not None:
                areas: dict[str, Any] = {}
                for a in self.data.areas.values():
                    if self.data.area_report[a.id] == report.id:
                        areas.setdefault(a.paragraph, a)
                for p in text.paragraphs:
                    spans = [(f.span[0], f.span[1], self.urls.href(self.urls.figure(f.figure.id)), f.figure.id)
                             for f in self.ix.figures_by_paragraph.get((report.id, p.anchor), []) if f.span]
                    paragraphs.append({"anchor": p.anchor, "kind": p.kind, "html": _highlighted(p.text, spans),
                                       "item": self.ix.item_by_paragraph.get((report.id, p.anchor)),
                                       "area": areas.get(p.anchor)})
            answered_by = [r for r in self.data.reports.values() if r.responds_to == report.id]
            documents = [d for d in self.data.documents.values() if d.report == report.id]
            context.update({"report": report, "paragraphs": paragraphs, "answered_by": answered_by,
                            "documents": documents, "items": self.ix.items_by_report.get(report.id, []),
                            "citation": self.cite(path, report.title, report, report.id)})
            twin = report.model_dump(exclude={"areas", "figures", "non_figures"}) | {
                "url": self.urls.absolute(path),
                "areas": [a.id for a in report.areas],
                "items": [i.id for i in self.ix.items_by_report.get(report.id, [])],
                "paragraphs": [{"anchor": p.anchor, "text": p.text, "url": self.urls.absolute(path, p.anchor)}
                               for p in (text.paragraphs if text else ())],
            }
            page.twin = twin | page.twin  # what was set meanwhile (last_changed) comes last, as made

        ld = {"@context": "https://schema.org", "@type": "Report", "name": report.title, "datePublished": report.date,
              "inLanguage": "zh-CN", "url": self.urls.absolute(path),
              "author": {"@type": "GovernmentOrganization", "name": self.data.bodies[report.issuer].name}}
        return Page(path, "report.html", report.short_title or report.title, report.title, context, {},
                    [("报告", "reports/"), (report.short_title or report.title, None)], ld, "article", report.date,
                    later=later)

    def area(self, area_id: str, number: int = 1) -> Page:
        """An area's page ``number``: that page's items and their figures; the status counts
        are the whole area's."""
        area = self.data.areas[area_id]
        report = self.data.reports[self.data.area_report[area_id]]
        path = self.urls.page("areas", area_id)
        all_items = self.rows(path)
        pager = self.pager(path, number)
        items = pager.rows(all_items)
        figures = [f for item in items for f in self.ix.figures_by_item.get(item.id, [])]
        context = {"area": area, "report": report, "items": items, "figures": figures,
                   "status_counts": self.status_counts(all_items)}
        twin = area.model_dump() | {"url": self.urls.absolute(path), "report_id": report.id,
                                    "items": [i.id for i in items], "figures": [f.figure.id for f in figures],
                                    "status_counts": dict(context["status_counts"])}
        title = f"{area.number}、{area.title}"
        return self.paged(Page(path, "area.html", title, f"{report.short_title or report.title}：{title}", context,
                               twin, [("领域", "areas/"), (title, None)], updated=report.date), pager)

    def item(self, item: Item) -> Page:
        report = self.report_of(item)
        area = self.data.areas[item.area]
        path = self.urls.item(item.id)
        label = self.item_label(item)
        figures = self.ix.figures_by_item.get(item.id, [])
        body = Markup(render_markdown(item.body, self.urls)) if item.body else None
        context = {"item": item, "report": report, "area": area, "figures": figures, "body_html": body,
                   "previous": self.ix.previous.get(item.id), "next": self.ix.next.get(item.id)}
        context["chart_ids"] = [f"item-{item.id}-{c.id}" for c in item.charts]

        def later(page: Page) -> None:
            context["citation"] = self.cite(path, f"{report.short_title or report.title}: {label}", report, item.id)
            twin = self.item_record(item) | {"figures": [self.figure_record(f) for f in figures]}
            twin["charts"] = [self.urls.absolute(f"charts/{cid}.vl.json") for cid in context["chart_ids"]]
            page.twin = twin | page.twin  # what was set meanwhile (last_changed) comes last, as made
            page.jsonld = {"@context": "https://schema.org", "@type": "CreativeWork", "name": label,
                           "inLanguage": "zh-CN", "url": self.urls.absolute(path), "dateModified": report.date,
                           "isBasedOn": self.urls.absolute(self.urls.report(report.id), item.paragraph)}

        return Page(path, "item.html", label, item.summary, context, {},
                    [("领域", "areas/"), (f"{area.number}、{area.title}", self.urls.page("areas", area.id)),
                     (f"{item.number}{item.title}", None)], None, "article", report.date, charts=context["chart_ids"],
                    later=later)

    def figure(self, info: FigureInfo) -> Page:
        fig = info.figure
        report = self.data.reports[info.report]
        item = self.ix.item_by_id.get(info.item) if info.item else None
        path = self.urls.figure(fig.id)
        series = self.ix.series[fig.indicator]
        parts = []
        if fig.formula:
            for token in fig.formula.split():
                parts.append({"op": token} if token in "+-" else {"figure": self.data.figures[token]})
        shown = figure_text(info)
        qualifier = QUALIFIER_ZH[fig.qualifier]
        title = f"{fig.label}：{qualifier}{shown}" if qualifier else f"{fig.label}：{shown}"
        when = fig.period or (f"截至{fig.as_of}" if fig.as_of else "")
        description = f"{title}（{when}{'，推算值' if fig.derived else ''}）。原文：{fig.quote}"
        context = {"info": info, "fig": fig, "report": report, "item": item, "series": series, "parts": parts,
                   "comparison_figure": self.data.figures.get(fig.comparison.figure) if fig.comparison and
                   fig.comparison.figure else None}
        crumbs = [("数字", "figures/")]
        if item is not None:
            crumbs = [("措施", "items/"), (f"{self.data.areas[item.area].number}{item.number}{item.title}",
                                         self.urls.item(item.id))]
        crumbs.append((fig.label, None))

        def later(page: Page) -> None:
            context["citation"] = self.cite(path, f"{report.short_title or report.title}: {fig.label}", report,
                                            fig.id)
            twin = self.figure_record(info) | {"series": [self.figure_record(f) for f in series]}
            twin["chart"] = self.urls.absolute(f"charts/figure-{fig.id}.vl.json")
            page.twin = twin | page.twin  # what was set meanwhile (last_changed) comes last, as made
            page.jsonld = {
                "@context": "https://schema.org", "@type": "Dataset", "name": fig.label, "description": description,
                "url": self.urls.absolute(path), "inLanguage": "zh-CN", "dateModified": report.date,
                "license": self.data.config.data_licence_url, "isBasedOn": self.urls.absolute(
                    self.urls.report(report.id), info.paragraph),
                "creator": {"@type": "GovernmentOrganization", "name": self.data.bodies[report.issuer].name},
                "variableMeasured": {"@type": "PropertyValue", "name": fig.label,
                                     "value": plain(info.value_normalized), "unitText": info.base_unit},
                "distribution": [{"@type": "DataDownload", "encodingFormat": "application/json",
                                  "contentUrl": self.urls.absolute(path + "index.json")},
                                 {"@type": "DataDownload", "encodingFormat": "text/csv",
                                  "contentUrl": self.urls.absolute(self.urls.data("figures.csv"))}],
                "image": self.urls.absolute(f"charts/figure-{fig.id}.png")}

        return Page(path, "figure.html", title, description, context, {}, crumbs, None, "article", report.date,
                    charts=[f"figure-{fig.id}"], later=later)

    def vocab_index(self, vocab: str) -> Page:
        section, name = VOCAB_SECTIONS[vocab]
        entries = list(getattr(self.data, vocab).values())
        if vocab == "statuses":
            entries.sort(key=lambda s: s.order)
        rows = [(e, len(self.ix.items_by[vocab].get(e.id, [])),
                 len(self.ix.actions_by_status.get(e.id, [])) if vocab == "statuses" else None) for e in entries]
        context = {"vocab": vocab, "section": section, "name": name, "rows": rows}
        twin = {"title": name, "entries": [e.model_dump() | {"items": count, "url": self.urls.absolute(
            self.urls.page(section, e.id))} for e, count, _ in rows]}
        return Page(f"{section}/", "vocab_index.html", name, f"按{name}浏览报告中的措施。", context, twin, [(name, None)])

    def vocab_entry(self, vocab: str, entry_id: str, number: int = 1) -> Page:
        """A vocabulary entry's page ``number``: the entry's header, that page's items (and, for a
        status, the actions of those items in that status)."""
        section, name = VOCAB_SECTIONS[vocab]
        entry = getattr(self.data, vocab)[entry_id]
        path = self.urls.page(section, entry_id)
        all_items = self.rows(path)
        pager = self.pager(path, number)
        items = pager.rows(all_items)
        actions = self.ix.actions_by_status.get(entry_id, []) if vocab == "statuses" else []
        actions_total, actions_before = len(actions), 0
        if pager.pages > 1 and actions:
            by_item, before = self.actions_by_item(path)
            actions = [a for item in items for a in by_item[item.id]]
            actions_before = before[pager.start]
        context = {"vocab": vocab, "section": section, "name": name, "entry": entry, "items": items,
                   "actions": actions, "actions_start": actions_before + 1, "actions_total": actions_total,
                   "parent": None, "children": [], "report": None}
        if vocab in ("bodies", "places"):
            table = getattr(self.data, vocab)
            context["parent"] = table.get(entry.parent) if entry.parent else None
            context["children"] = [e for e in table.values() if e.parent == entry_id]
        if vocab == "documents" and entry.report:
            context["report"] = self.data.reports[entry.report]
        twin = entry.model_dump() | {"url": self.urls.absolute(path), "items": [i.id for i in items]}
        if vocab == "statuses":
            twin["actions"] = [{"item_id": it.id, "action_id": it.actions[i].id} for it, i in context["actions"]]
        return self.paged(Page(path, "vocab_entry.html", entry.name,
                               f"{name}：{entry.name}，相关措施 {len(all_items)} 项。", context, twin,
                               [(name, f"{section}/"), (entry.name, None)]), pager)

    def reports_index(self) -> Page:
        reports = list(self.data.reports.values())
        twin = {"reports": [{"id": r.id, "title": r.title, "date": r.date,
                             "url": self.urls.absolute(self.urls.report(r.id))} for r in reports]}
        return Page("reports/", "reports_index.html", "报告", "本站收录的报告及其全文。", {"reports": reports}, twin,
                    [("报告", None)])

    def areas_index(self) -> Page:
        groups = [(r, [a for a in r.areas]) for r in self.data.reports.values() if r.areas]
        twin = {"areas": [{"id": a.id, "report_id": r.id, "number": a.number, "title": a.title,
                           "url": self.urls.absolute(self.urls.page("areas", a.id))} for r, areas in groups
                          for a in areas]}
        return Page("areas/", "areas_index.html", "领域", "报告的各个部分（一、二、三……）及其措施。",
                    {"groups": groups}, twin, [("领域", None)])

    def items_index(self, number: int = 1) -> Page:
        pager = self.pager("items/", number)
        items = pager.rows(self.rows("items/"))
        twin = {"items": [{"id": i.id, "title": i.title, "url": self.urls.absolute(self.urls.item(i.id))}
                          for i in items]}
        return self.paged(Page("items/", "items_index.html", "措施", "报告逐项列出的全部措施及其进展。",
                               {"items": items}, twin, [("措施", None)]), pager)

    def figures_index(self, number: int = 1) -> Page:
        pager = self.pager("figures/", number)
        figures = pager.rows(self.rows("figures/"))

        def later(page: Page) -> None:  # the figures' records: in the render worker
            page.twin = {"figures": [self.figure_record(f) for f in figures]} | page.twin

        return self.paged(Page("figures/", "figures_index.html", "数字", "报告中出现的全部数字，每个都有原文出处。",
                               {"figures": figures}, {}, [("数字", None)], later=later), pager)

    def search_page(self) -> Page:
        """The search page: a GET form (``?q=``) that Pagefind's UI, built into ``pagefind/``, answers."""
        kinds = ["报告", "领域", "措施", "数字"] + [name for _, name in VOCAB_SECTIONS.values()]
        twin = {"title": "搜索", "url": self.urls.absolute("search/"), "query_parameter": "q",
                "example": self.urls.absolute("search/") + "?q=%E6%95%99%E5%B8%88",
                "engine": "Pagefind", "bundle": self.urls.absolute("pagefind/"),
                "filters": {"类型": kinds}}
        return Page("search/", "search.html", "搜索", "在本站的措施、数字、报告原文与条目中搜索。", {"kinds": kinds},
                    twin, [("搜索", None)])

    def data_page(self) -> Page:
        files = [("figures.csv", "text/csv", "全部数字，一行一个（UTF-8，含表头）"),
                 ("items.json", "application/json", "全部措施、行动、状态与引用"),
                 ("datapackage.json", "application/json", "Frictionless 数据包描述（字段、许可、来源）")]
        twin = {"files": [{"name": n, "url": self.urls.absolute(self.urls.data(n)), "format": f} for n, f, _ in files],
                "licence": self.data.config.data_licence, "licence_url": self.data.config.data_licence_url}
        return Page("data/", "data.html", "下载数据", "下载本站全部数据：CSV、JSON 与数据包描述。",
                    {"files": files}, twin, [("数据", None)])
