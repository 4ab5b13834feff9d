"""The pages of a year (``/years/<year>/``, paginated): every figure of that year, with the
item it belongs to.  A figure's year is its period when that is a year ("2024"), else the year
of its as-of date; figures of other periods ("调整前") are on no year's page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from civictrack import i18n
from civictrack.dataset import Dataset, FigureInfo
from civictrack.i18n import _, ngettext
from civictrack.index.pagination import Pager
from civictrack.pages.page import Page, PageType
from civictrack.pages.site import Site

if TYPE_CHECKING:
    from civictrack.model import Item


def year_of(info: FigureInfo) -> str | None:
    fig = info.figure
    period = fig.period
    if period and len(period) == 4 and period.isascii() and period.isdigit():
        return period
    return fig.as_of[:4] if fig.as_of else None


_LAST: list[tuple[Dataset, dict[str, list[FigureInfo]], dict[str, int]]] = []  # the data sets last asked about


def _years(site: Site) -> tuple[dict[str, list[FigureInfo]], dict[str, int]]:
    """Year → its figures in site order, years in order; and each figure's place in its year
    (made once per data set; at 10,000 items the preview asks for both after every edit)."""
    for data, found, places in _LAST:
        if data is site.data:
            return found, places
    table: dict[str, list[FigureInfo]] = {}
    places = {}
    for fid, info in site.data.figures.items():
        year = year_of(info)
        if year is not None:
            rows = table.setdefault(year, [])
            places[fid] = len(rows)
            rows.append(info)
    found = dict(sorted(table.items()))
    _LAST[:] = [*_LAST[-1:], (site.data, found, places)]  # the preview compares the last two
    return found, places


def by_year(site: Site) -> dict[str, list[FigureInfo]]:
    """Year → its figures in site order, years in order."""
    return _years(site)[0]


def year_page(site: Site, year: str, number: int = 1) -> Page:
    path = site.urls.page("years", year)
    rows = by_year(site)[year]
    pager = Pager(path, number, len(rows), site.page_size)
    figures = pager.rows(rows)
    twin = {"year": year, "url": site.urls.absolute(path), "figures": [f.figure.id for f in figures],
            "items": list(dict.fromkeys(f.item for f in figures if f.item))}
    title = _("%(year)s 年的数字") % {"year": year}
    description = ngettext("属于 %(year)s 年的 %(num)s 个数字及其原文出处、所属措施。",
                           "属于 %(year)s 年的 %(num)s 个数字及其原文出处、所属措施。", len(rows)) % {
        "year": year, "num": i18n.format_number(len(rows))}
    return site.paged(Page(path, "year.html", title, description,
                           {"year": year, "figures": figures}, twin, [(_("数字"), "figures/"), (title, None)]), pager)


class Years(PageType):
    section, entries = "years", True

    def all(self, site: Site) -> list[Page]:
        return [year_page(site, year, n) for year, rows in by_year(site).items()
                for n in range(1, Pager("", 1, len(rows), site.page_size).pages + 1)]

    def one(self, site: Site, ident: str, number: int) -> Page:
        return year_page(site, ident, number)

    def showing(self, site: Site, item: Item) -> Iterable[str]:
        """The page of each year listing one of the item's figures."""
        places = _years(site)[1]
        for info in site.ix.figures_by_item.get(item.id, []):
            year = year_of(info)
            if year is not None:
                position = places[info.figure.id]
                yield site.urls.listing_page(site.urls.page("years", year), position // site.page_size + 1)

    def same_pages(self, old: Site, new: Site) -> bool:
        return {y: len(r) for y, r in by_year(old).items()} == {y: len(r) for y, r in by_year(new).items()}
