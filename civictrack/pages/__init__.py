"""Pages: every page of the site as a :class:`~civictrack.pages.page.Page`, made by its page type.

``PAGE_TYPES`` lists every kind of page, in the order the site lists them; each type is a
small unit in a module of its own (what it reads from the data, its URL, its template, and
which of its pages show an item).  To add a page type, write its module and template and add
it here (docs/architecture.md shows one being added).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from civictrack.index.indexes import VOCAB_SECTIONS
from civictrack.pages.about import About
from civictrack.pages.areas import Areas, AreasIndex
from civictrack.pages.figures import Figures, FiguresIndex
from civictrack.pages.fixed import ChangesPage, DataPage, SearchPage
from civictrack.pages.items import Items, ItemsIndex
from civictrack.pages.overview import Overview
from civictrack.pages.progress import Progress
from civictrack.pages.page import Page, PageType
from civictrack.pages.reports import Reports, ReportsIndex
from civictrack.pages.site import Site
from civictrack.pages.vocabularies import VocabularyEntries, VocabularyIndex
from civictrack.pages.years import Years

if TYPE_CHECKING:
    from civictrack.model import Item

PAGE_TYPES: tuple[PageType, ...] = (
    Overview(), Reports(), Areas(), Items(), Figures(),
    *[t for vocab in VOCAB_SECTIONS for t in (VocabularyIndex(vocab), VocabularyEntries(vocab))],
    ReportsIndex(), AreasIndex(), ItemsIndex(), FiguresIndex(), DataPage(), SearchPage(), ChangesPage(),
    About(), Years(), Progress(),
)


def _dated(site: Site, page_type: PageType, page: Page) -> Page:
    if page_type.dated:
        page.last_changed = site.last_changed(page.path)
        page.twin["last_changed"] = page.last_changed
    return page


def all_pages(site: Site) -> list[Page]:
    """Every page of the site."""
    return [_dated(site, t, page) for t in PAGE_TYPES for page in t.all(site)]


def type_of(site: Site, path: str) -> tuple[PageType, str, int]:
    """The type of the page at ``path``, the id it shows (``""`` if none) and its page number."""
    listing, number = site.urls.split_listing_page(path)
    section, _, rest = listing.partition("/")
    ident = rest.rstrip("/")
    for page_type in PAGE_TYPES:
        if page_type.owns(section, ident):
            return page_type, ident, number
    raise KeyError(f"no page type makes {path!r}")


def pages_for(site: Site, paths: Iterable[str]) -> list[Page]:
    """Only the pages at these paths (for incremental rebuilds); the same pages as all_pages()."""
    pages = []
    for path in sorted(paths):
        page_type, ident, number = type_of(site, path)
        pages.append(_dated(site, page_type, page_type.one(site, ident, number)))
    return pages


def pages_showing(site: Site, item: Item) -> set[str]:
    """Paths of the pages that show ``item`` (paginated listings aside: see
    ``preview.incremental.listing_pages``)."""
    return {path for page_type in PAGE_TYPES for path in page_type.showing(site, item)}


def same_pages(old: Site, new: Site) -> bool:
    """Whether every page type has the same pages in ``new`` as in ``old`` (an item edit)."""
    return all(page_type.same_pages(old, new) for page_type in PAGE_TYPES)
