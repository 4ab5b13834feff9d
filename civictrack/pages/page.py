"""A page of the site (:class:`Page`) and a kind of page (:class:`PageType`).

A page is data, not markup: its path, template, context and JSON twin (the same facts, for
programs).  ``render`` turns it into bytes.  A page type says which pages of its kind the
site has, makes each, and names the pages that show a given item (so the preview re-renders
only those after an edit); the registry in ``pages/__init__.py`` lists every type.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from civictrack.index.pagination import Pager

if TYPE_CHECKING:
    from civictrack.model import Item
    from civictrack.pages.site import Site


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
    feed: str = ""  # site-relative path of the page's own Atom feed (items, bodies, places), if any
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


class PageType:
    """One kind of page.  A subclass sets ``section`` (the first segment of its paths: ``""``
    for the overview, ``"items"`` for ``items/<id>/``; ``entries`` tells whether its pages are
    ``<section>/<id>/`` or the one ``<section>/``) and makes its pages."""

    section: str = ""
    entries: bool = False  # pages at <section>/<id>/ (else the one page <section>/)
    dated: bool = True  # the page shows (and its twin records) the newest change touching it

    def all(self, site: Site) -> list[Page]:
        """Every page of this type, in site order."""
        raise NotImplementedError

    def one(self, site: Site, ident: str, number: int) -> Page:
        """The page for ``ident`` (``""`` for a type without entries), page ``number`` of it."""
        raise NotImplementedError

    def owns(self, section: str, ident: str) -> bool:
        """Whether the listing path ``<section>/<ident>/`` is one of this type's pages."""
        return section == self.section and bool(ident) == self.entries

    def showing(self, site: Site, item: Item) -> Iterable[str]:
        """Paths of this type's pages that show ``item`` (besides the pages of paginated
        listings, see ``preview.incremental.listing_pages``), to re-render after it is edited."""
        return ()

    def same_pages(self, old: Site, new: Site) -> bool:
        """Whether an item edit from ``old`` to ``new`` kept this type's set of pages (else the
        preview rebuilds everything: a page appears or goes)."""
        return True


class SinglePage(PageType):
    """A page type with one page (the overview, an index, /data/…): ``make(site)`` makes it."""

    def make(self, site: Site) -> Page:
        raise NotImplementedError

    def all(self, site: Site) -> list[Page]:
        return [self.make(site)]

    def one(self, site: Site, ident: str, number: int) -> Page:
        return self.make(site)
