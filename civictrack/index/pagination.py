"""Listings that grow with the data, split into pages of ``listing_page_size`` rows.

The figures index is paginated by figures; the items index, each area page and each
vocabulary entry page by items.  Page 1 stays at the listing's own URL, later pages are at
``<listing>page/<n>/`` (``urls.Urls.listing_page``).  ``listing_rows`` says what a listing
holds and ``item_listings`` which listings show an item, for the pages and for the preview's
incremental rebuilds alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from civictrack.index.indexes import VOCAB_SECTIONS, Indexes
from civictrack.urls import Urls
from civictrack.dataset import Dataset

if TYPE_CHECKING:
    from civictrack.model import Item  # annotations only: a build from the cached data set never imports pydantic

VOCAB_OF_SECTION = {section: vocab for vocab, (section, _) in VOCAB_SECTIONS.items()}


def page_count(total: int, size: int) -> int:
    """Pages a listing of ``total`` rows takes; an empty listing still has its page 1."""
    return max(1, -(-total // size))


@dataclass(frozen=True)
class Pager:
    """Where one page stands in its listing: page ``number`` of ``pages``, rows start…end."""

    path: str  # the listing's own path (its page 1), e.g. "figures/" or "areas/x/"
    number: int
    total: int  # rows in the whole listing
    size: int  # rows a page

    @property
    def pages(self) -> int:
        return page_count(self.total, self.size)

    @property
    def start(self) -> int:
        """Index of this page's first row in the listing (0-based)."""
        return (self.number - 1) * self.size

    @property
    def end(self) -> int:
        """Index after this page's last row."""
        return min(self.start + self.size, self.total)

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None

    def path_of(self, number: int) -> str:
        """Site-relative path of page ``number`` of this listing."""
        return Urls.listing_page(self.path, number)

    def rows(self, rows: list[Any]) -> list[Any]:
        """This page's slice of the listing's rows."""
        return rows[self.start:self.end]

    def numbers(self, around: int = 1) -> list[int | None]:
        """Page numbers the pager links, ``None`` marking a gap (…): all of them when there are
        few, else the first, the last and ``around`` on either side of this page."""
        if self.pages <= 5 + 2 * around:
            return list(range(1, self.pages + 1))
        shown = {1, self.pages} | set(range(max(1, self.number - around), min(self.pages, self.number + around) + 1))
        result: list[int | None] = []
        for n in sorted(shown):
            if result and n - result[-1] == 2:  # a gap of one page: show its number, not "…"
                result.append(n - 1)
            elif result and n - result[-1] > 2:
                result.append(None)
            result.append(n)
        return result

    def twin(self, urls: Urls) -> dict[str, Any]:
        """The page's place in the listing, for its JSON twin (absolute URLs)."""
        def url(number: int | None) -> str | None:
            return urls.absolute(self.path_of(number)) if number is not None else None

        return {"page": self.number, "pages": self.pages, "total": self.total, "page_size": self.size,
                "first": url(1), "prev": url(self.previous), "next": url(self.next), "last": url(self.pages)}


def listing_rows(data: Dataset, ix: Indexes, path: str) -> list[Any]:
    """Every row of the listing at ``path`` (page 1's path), in order: figures for
    ``figures/``, items for the others."""
    if path == "figures/":
        return list(data.figures.values())
    if path == "items/":
        return data.items
    section, ident = path.split("/")[:2]
    if section == "areas":
        return ix.items_by_area.get(ident, [])
    items = ix.items_by[VOCAB_OF_SECTION[section]].get(ident, [])
    if section in SORTED_BY_STANDING:
        return sorted(items, key=lambda item: ix.standing(item, data.statuses))
    return items


SORTED_BY_STANDING = ("bodies", "places")
"""Listings sorted by their items' current statuses (``Indexes.standing``): who is responsible
and where, lagging items first; the others keep report order."""


def item_listings(item: Item, ix: Indexes) -> list[str]:
    """Paths of the listings that show ``item`` as a row (the figures index shows its figures)."""
    paths = ["items/", Urls.page("areas", item.area)]
    for vocab in ("bodies", "places", "documents", "tags"):
        section = VOCAB_SECTIONS[vocab][0]
        paths += [Urls.page(section, ref) for ref in getattr(item, vocab)]
    paths += [Urls.page("status", status) for status in dict.fromkeys(ix.current(item, k) for k in range(len(item.actions)))]
    return paths
