"""What every page type reads: the data, its indexes, the URLs and the build date, with the
helpers several page types share (labels, figure records, citations, listing pages, dates)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from civictrack import i18n
from civictrack.dataset import Dataset, FigureInfo
from civictrack.i18n import _
from civictrack.index.indexes import Indexes
from civictrack.index.pagination import Pager, listing_rows, page_count
from civictrack.pages.citation import Citation, citations
from civictrack.pages.page import Page
from civictrack.opendata import item_record
from civictrack.render.format import item_number, numbered
from civictrack.tracking import correction_anchor, update_anchor
from civictrack.units import plain
from civictrack.urls import Urls

if TYPE_CHECKING:
    from civictrack.model import Item, Report  # annotations only: a build from the cached data set never imports pydantic


_RECORDS: dict[int, tuple[FigureInfo, str, dict[str, Any]]] = {}
"""figure_record results: id(info) → (info, base URL, record); holding info keeps the id its own."""


def official_title(report: Report) -> str:
    """The report's title as issued (the data's own language): the title official sources give.
    On an edition in another language the edition's translation follows in square brackets."""
    shown, lang = i18n.rendering(report, "title")
    if lang != i18n.language() or shown == report.title:
        return report.title
    return f"{report.title} [{shown}]"


@dataclass
class Site:
    data: Dataset
    ix: Indexes
    urls: Urls
    build_date: str | None  # the citation date pages are written with (replaced client-side by today's)
    root: Path = Path(".")  # the project folder (content/about.md)
    accessed_from: str = "data"  # where build_date comes from: "data" (its newest date) or "epoch" (SOURCE_DATE_EPOCH)
    _rows: dict[str, list[Any]] = field(default_factory=dict, init=False, repr=False)  # listing → rows
    _actions: dict[str, tuple[dict[str, list[tuple[Item, int]]], list[int]]] = field(
        default_factory=dict, init=False, repr=False)  # status listing → actions_by_item()
    _change_dates: dict[str, str] | None = field(default=None, init=False, repr=False)  # "item:<id>" etc. → newest

    def report_of(self, item: Item) -> Report:
        return self.data.reports[item.report]

    def item_label(self, item: Item) -> str:
        """The item's numbered title (二(一)聚焦…), its title in the edition's language."""
        area = self.data.areas[item.area]
        return numbered(item_number(area.number, item.number), i18n.text(item, "title"))

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
            "corrections": [c.model_dump() for c in fig.corrections],
            "url": self.urls.absolute(self.urls.figure(fig.id)),
            "paragraph_url": self.urls.absolute(self.urls.report(info.report), info.paragraph),
            # the report said 截至目前 ("to date"): as_of is the report's own date, not one it stated
            "as_of_is_report_date": fig.as_of == self.data.reports[info.report].date if fig.as_of else None,
        }

    def item_record(self, item: Item) -> dict[str, Any]:
        return item_record(self.data, self.urls, item, self.ix.tracks)

    def cite(self, path: str, part: str | None, report: Report, key: str) -> dict[str, str]:
        """The page's citations: the report's official title (``official_title``), then ``part``
        (the page's measure or figure, as the edition names it); the issuer and the site by
        their names in the edition's language where the data gives them."""
        author = i18n.text(self.data.bodies[report.issuer], "name")
        title = official_title(report)
        if part:
            title = f"{title}: {part}"
        note = _("官方原文：%(url)s") % {"url": report.source_url} if report.source_url else ""
        c = Citation(author=author, title=title, container=i18n.text(self.data.config, "title"),
                     url=self.urls.absolute(path), updated=report.date, accessed=self.build_date, key=key,
                     lang=i18n.language(), note=note)
        return citations(c) | {"url": c.url, "updated": c.updated, "accessed": c.accessed,
                               "accessed_from": self.accessed_from, "source_url": report.source_url or "",
                               "title": title, "container": c.container, "author": author}

    def item_events(self, item: Item) -> list[dict[str, Any]]:
        """The item's updates, follow-ups and corrections (of its actions and figures), in data order."""
        found: list[dict[str, Any]] = []
        for index, action in enumerate(item.actions):
            track = self.ix.track_of(item, index)
            for step in track.later_steps:
                found.append({"date": step.date, "kind": step.kind, "item": item, "index": index,
                              "status": step.status, "step": step, "before": track.steps[step.number - 1],
                              "anchor": update_anchor(action.id, step.number)})
            for k, c in enumerate(action.corrections, start=1):
                found.append({"date": c.date, "kind": "correction", "item": item, "index": index,
                              "status": None, "correction": c, "anchor": correction_anchor(action.id, k)})
        for fig in item.figures:
            for k, c in enumerate(fig.corrections, start=1):
                found.append({"date": c.date, "kind": "correction", "item": item, "index": None, "status": None,
                              "correction": c, "figure": fig, "anchor": correction_anchor(None, k)})
        return found

    def tracking_events(self) -> list[dict[str, Any]]:
        """Every update, follow-up and correction in the data, newest first (the front page
        lists the latest, the change log all of them, beside its hand-written entries)."""
        found = [e for iid in self.ix.tracked_items for e in self.item_events(self.ix.item_by_id[iid])]
        found.sort(key=lambda e: (e["date"], e["item"].id, e["anchor"]), reverse=True)
        return found

    def status_counts(self, items: list[Item]) -> list[tuple[str, int]]:
        """How many of the items' actions are in each status now (current statuses), in scale order."""
        counts = Counter(self.ix.current(item, k) for item in items for k in range(len(item.actions)))
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
            page.title = _("%(title)s · 第 %(n)s 页") % {"title": page.title, "n": pager.number}
            if page.breadcrumbs and page.breadcrumbs[-1][1] is None:
                page.breadcrumbs[-1] = (page.breadcrumbs[-1][0], pager.path)
            page.breadcrumbs.append((_("第 %(n)s 页") % {"n": pager.number}, None))
            page.jsonld = None
        return page

    def last_changed(self, path: str) -> str:
        """The newest change-log date touching the page, else the date of the report it shows."""
        dates = self._change_dates
        if dates is None:  # once per build, not once per page
            dates = self._change_dates = {}
            for change in self.data.changes:
                for key in ([f"report:{r}" for r in change.reports] + [f"item:{i}" for i in change.items]
                            + [f"figure:{f}" for f in change.figures]):
                    dates[key] = max(dates.get(key, ""), change.date)
            for event in self.tracking_events():  # an update, follow-up or correction changes its page
                key = f"figure:{event['figure'].id}" if "figure" in event else f"tracked:{event['item'].id}"
                dates[key] = max(dates.get(key, ""), event["date"])
        section, _sep, rest = self.urls.split_listing_page(path)[0].partition("/")
        ident = rest.rstrip("/")
        if section == "items" and ident in self.ix.item_by_id:
            item = self.ix.item_by_id[ident]
            report = item.report
            keys = [f"item:{ident}"] + [f"figure:{f.id}" for f in item.figures]
            keys.append(f"tracked:{ident}")
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
        else:  # overview, indexes, vocabularies: the newest date anywhere ("" in a project with no data yet)
            return max([c.date for c in self.data.changes] + [r.date for r in self.data.reports.values()], default="")
        keys.append(f"report:{report}")
        return max([dates[k] for k in keys if k in dates] + [self.data.reports[report].date])
