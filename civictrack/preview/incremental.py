"""Which pages an edit can touch, so a long-running preview re-renders only those.

Only edits confined to items (their text, actions, references, figure values) are
handled page by page; of a paginated listing, only the page showing the item is
re-rendered, unless the edit changed what the listing holds (then all its pages are, or,
if its number of pages changed, everything); anything else (settings, reports and their text, vocabularies, the
change log, templates, prose, an item or figure added, removed or renamed) asks for a
full rebuild, which is always correct.  A test replays edit sequences and compares the
incremental result with a clean build, byte for byte.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from civictrack.index.indexes import Indexes
from civictrack.pages import pages_showing, same_pages
from civictrack.pages.site import Site
from civictrack.index.pagination import SORTED_BY_STANDING, item_listings, listing_rows, page_count
from civictrack.urls import Urls
from civictrack.dataset import Dataset
from civictrack.tracking import tracking_key

if TYPE_CHECKING:
    from civictrack.model import Item  # annotations only: a build from the cached data set never imports pydantic

def affected_pages(old: Dataset, new: Dataset, old_ix: Indexes, new_ix: Indexes) -> set[str] | None:
    """Page paths to re-render after going from ``old`` to ``new``; ``None`` = rebuild everything.
    Each page type names its pages that show an edited item (``PageType.showing``), before
    and after the edit; the paginated listings are worked out here (``listing_pages``)."""
    same = (old.config == new.config and old.reports == new.reports and old.texts == new.texts
            and old.bodies == new.bodies and old.places == new.places and old.documents == new.documents
            and old.tags == new.tags and old.statuses == new.statuses and old.changes == new.changes)
    if not same:
        return None
    old_items = old_ix.item_by_id  # the preview's parse cache keeps an unchanged file's item: the same object
    changed = [iid for iid, item in new_ix.item_by_id.items()
               if iid in old_items and old_items[iid] is not item and old_items[iid] != item]
    return item_edit_pages(old, new, old_ix, new_ix, changed)


def item_edit_pages(old: Dataset, new: Dataset, old_ix: Indexes, new_ix: Indexes, changed: list[str]) -> set[str] | None:
    """Page paths to re-render when, of everything a build reads, only the items ``changed``
    differ between ``old`` and ``new`` (the caller knows it: ``affected_pages`` compares the
    data; the page cache compares the input files); ``None`` = rebuild everything."""
    if list(old_ix.item_by_id) != list(new_ix.item_by_id) or list(old.figures) != list(new.figures):
        return None  # an item or figure added, removed, renamed or moved
    if not changed:
        return set()
    if any(tracking_key(old_ix.item_by_id[iid]) != tracking_key(new_ix.item_by_id[iid]) for iid in changed):
        return None  # a target, update, follow-up, answer or correction: other items' pages, the tracker's
    old_site, new_site = _site(old, old_ix), _site(new, new_ix)
    if not same_pages(old_site, new_site):
        return None
    paths: set[str] = set()
    for iid in changed:
        was = old_ix.item_by_id[iid]
        for site in (old_site, new_site):
            item = site.ix.item_by_id[iid]
            if list(item.aliases) != list(was.aliases):
                return None
            if [c.id for c in item.charts] != [c.id for c in was.charts]:
                return None  # a chart removed: its files must go (a full build leaves them out)
            paths |= pages_showing(site, item)
    listed = listing_pages(old, new, old_ix, new_ix, changed)
    return None if listed is None else paths | listed


def _site(data: Dataset, ix: Indexes) -> Site:
    """What the page types read, enough to name page paths (no base URL, no build date)."""
    return Site(data, ix, Urls("/"), "")


def listing_pages(old: Dataset, new: Dataset, old_ix: Indexes, new_ix: Indexes, changed: list[str]) -> set[str] | None:
    """The pages of paginated listings that an edit of the ``changed`` items touches: in each
    listing that shows one of them (before or after), the page showing it; every page of a
    listing that one of them joined or left, or whose whole-listing facts it changed; and
    ``None`` if a listing's number of pages changed (a page would appear or vanish: rebuild all).

    Called only when items and figures kept their ids and order (``affected_pages``); items not
    in ``changed`` are equal before and after, so comparing what the changed ones contribute
    to a listing tells whether the listing as a whole changed."""
    size = new.config.listing_page_size
    before = {iid: old_ix.item_by_id[iid] for iid in changed}
    after = {iid: new_ix.item_by_id[iid] for iid in changed}
    listings: dict[str, None] = {}
    for items, ix in ((before, old_ix), (after, new_ix)):
        for item in items.values():
            listings.update(dict.fromkeys(item_listings(item, ix)))
            if item.figures:
                listings["figures/"] = None
    paths: set[str] = set()
    for listing in listings:
        old_rows, new_rows = listing_rows(old, old_ix, listing), listing_rows(new, new_ix, listing)
        pages = page_count(len(new_rows), size)
        if page_count(len(old_rows), size) != pages:
            return None
        if any(_contribution(listing, before[iid], old, old_ix) != _contribution(listing, after[iid], new, new_ix)
               for iid in changed):
            shown: set[int] = set(range(pages))
        else:  # the same rows in the same order: the pages showing the edited items
            shown = {k // size for k in _positions(new_rows, new, [*before.values(), *after.values()], listing)}
        paths.update(Urls.listing_page(listing, number + 1) for number in shown)
    return paths


def _contribution(listing: str, item: Item, data: Dataset, ix: Indexes) -> Any:
    """What an item adds to what every page of a listing says about the whole listing: whether
    it is a row (the rows, their count and order), and its actions' current statuses on an area
    (the status counts) or its actions in a status (their count and numbering), and where it
    stands in a listing sorted by status (``pagination.SORTED_BY_STANDING``)."""
    if listing in ("figures/", "items/"):  # ids and order are unchanged (affected_pages checks)
        return None
    section, ident = listing.split("/")[:2]
    current = [ix.current(item, k) for k in range(len(item.actions))]
    if section == "areas":
        return item.area == ident and sorted(current)
    if section == "status":
        return tuple(k for k, status in enumerate(current) if status == ident)
    shown = listing in item_listings(item, ix)
    return (shown, ix.standing(item, data.statuses)) if section in SORTED_BY_STANDING else shown


def _positions(rows: list[Any], data: Dataset, items: list[Item], listing: str) -> set[int]:
    """Where in a listing the rows showing ``items`` stand (for the figures index: their
    figures, before and after the edit; the ids and their order are the same in both);
    found with list.index, which is quick even on a big site's listings."""
    if listing == "figures/":
        order = list(data.figures)
        return {order.index(fig.id) for item in items for fig in item.figures}
    keys = [row.id for row in rows]
    return {keys.index(item.id) for item in items if item.id in keys}
