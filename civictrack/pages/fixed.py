"""The pages every site has once: open data (``/data/``), search (``/search/``) and the
change log (``/changes/``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from civictrack import i18n
from civictrack.i18n import _
from civictrack.index.indexes import VOCAB_SECTIONS
from civictrack.pages.page import Page, SinglePage
from civictrack.pages.site import Site
from civictrack.render.format import report_name

if TYPE_CHECKING:
    from civictrack.model import Item


def data_page(site: Site) -> Page:
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    files = [("figures.csv", "text/csv", _("全部数字，一行一个（UTF-8，含表头）")),
             ("figures.xlsx", xlsx, _("同 figures.csv，Excel 工作簿：Excel 与 LibreOffice 直接打开，中文不乱码")),
             ("actions.csv", "text/csv", _("全部行动，一行一个：报告时的状态、当前状态、时限与是否逾期（UTF-8，含表头）")),
             ("actions.xlsx", xlsx, _("同 actions.csv，Excel 工作簿")),
             ("updates.csv", "text/csv", _("报告之后各行动的更新与跟进，一行一个（UTF-8，含表头）")),
             ("updates.xlsx", xlsx, _("同 updates.csv，Excel 工作簿")),
             ("items.json", "application/json", _("全部措施、行动、状态与引用")),
             ("datapackage.json", "application/json", _("Frictionless 数据包描述（字段、许可、来源）"))]
    twin = {"files": [{"name": n, "url": site.urls.absolute(site.urls.data(n)), "format": f} for n, f, _what in files],
            "licence": site.data.config.data_licence, "licence_url": site.data.config.data_licence_url}
    return Page("data/", "data.html", _("下载数据"), _("下载本站全部数据：CSV、JSON 与数据包描述。"),
                {"files": files}, twin, [(_("数据"), None)])


def search_page(site: Site) -> Page:
    """The search page: a GET form (``?q=``) that Pagefind's UI, built into ``pagefind/``, answers."""
    kinds = [_("报告"), _("领域"), _("措施"), _("数字")] + [_(name) for _section, name in VOCAB_SECTIONS.values()]
    twin = {"title": _("搜索"), "url": site.urls.absolute("search/"), "query_parameter": "q",
            "example": site.urls.absolute("search/") + "?q=%E6%95%99%E5%B8%88",
            "engine": "Pagefind", "bundle": site.urls.absolute("pagefind/"),
            "filters": {_("类型"): kinds}}
    return Page("search/", "search.html", _("搜索"), _("在本站的措施、数字、报告原文与条目中搜索。"), {"kinds": kinds},
                twin, [(_("搜索"), None)])


def changes_page(site: Site) -> Page:
    entries = []
    for change in site.data.changes:
        targets = ([(report_name(site.data.reports[r]), site.urls.report(r)) for r in change.reports]
                   + [(site.item_label(site.ix.item_by_id[i]), site.urls.item(i)) for i in change.items]
                   + [(i18n.text(site.data.figures[f].figure, "label"), site.urls.figure(f)) for f in change.figures])
        entries.append((change, targets))
    events = site.tracking_events()
    twin = {"changes": [c.model_dump() | {"url": site.urls.absolute("changes/", c.id),
                                          "targets": [site.urls.absolute(p) for _label, p in t]} for c, t in entries],
            "updates": [{"date": e["date"], "kind": e["kind"], "item_id": e["item"].id,
                         "url": site.urls.absolute(site.urls.figure(e["figure"].id) if "figure" in e
                                                   else site.urls.item(e["item"].id), e["anchor"])}
                        for e in events],
            "feed": site.urls.absolute("feed.xml")}
    return Page("changes/", "changes.html", _("更新记录"), _("本站数据的每一次更新、修订和更正，按日期列出。"),
                {"entries": entries, "events": events}, twin, [(_("更新记录"), None)])


class DataPage(SinglePage):
    section = "data"
    make = staticmethod(data_page)


class SearchPage(SinglePage):
    section = "search"
    make = staticmethod(search_page)


class ChangesPage(SinglePage):
    section = "changes"
    make = staticmethod(changes_page)

    def showing(self, site: Site, item: Item) -> Iterable[str]:
        return ("changes/",)  # it names items by their titles
