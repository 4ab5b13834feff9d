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

import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from . import opendata
from .indexes import VOCAB_SECTIONS, Indexes
from .pagination import item_listings, listing_rows, page_count
from .urls import Urls
from .dataset import Dataset

if TYPE_CHECKING:
    from .model import Item  # annotations only: a build from the cached data set never imports pydantic

INDEX_PAGES = ("", "areas/", "changes/") + tuple(f"{s}/" for s, _ in VOCAB_SECTIONS.values())
"""Pages re-rendered on any item edit (besides the paginated listings, see ``listing_pages``)."""


def affected_pages(old: Dataset, new: Dataset, old_ix: Indexes, new_ix: Indexes) -> set[str] | None:
    """Page paths to re-render after going from ``old`` to ``new``; ``None`` = rebuild everything."""
    same = (old.config == new.config and old.reports == new.reports and old.texts == new.texts
            and old.bodies == new.bodies and old.places == new.places and old.documents == new.documents
            and old.tags == new.tags and old.statuses == new.statuses and old.changes == new.changes
            and list(old_ix.item_by_id) == list(new_ix.item_by_id) and list(old.figures) == list(new.figures))
    if not same:
        return None
    changed = [iid for iid, item in new_ix.item_by_id.items() if old_ix.item_by_id[iid] != item]
    if not changed:
        return set()
    paths: set[str] = set(INDEX_PAGES)
    for iid in changed:
        for data, ix in ((old, old_ix), (new, new_ix)):
            item = ix.item_by_id[iid]
            if item.aliases != old_ix.item_by_id[iid].aliases:
                return None
            if [c.id for c in item.charts] != [c.id for c in old_ix.item_by_id[iid].charts]:
                return None  # a chart removed: its files must go (a full build leaves them out)
            paths.add(f"items/{iid}/")
            for neighbour in (ix.previous.get(iid), ix.next.get(iid)):
                if neighbour is not None:
                    paths.add(f"items/{neighbour.id}/")
            paths.add(f"reports/{item.report}/")
            for fig in item.figures:
                for point in ix.series.get(fig.indicator, []):
                    paths.add(f"figures/{point.figure.id}/")
                    if point.item is not None:
                        paths.add(f"items/{point.item}/")
    listed = listing_pages(old, new, old_ix, new_ix, changed)
    return None if listed is None else paths | listed


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
    for item in [*before.values(), *after.values()]:
        listings.update(dict.fromkeys(item_listings(item)))
        if item.figures:
            listings["figures/"] = None
    paths: set[str] = set()
    for listing in listings:
        old_rows, new_rows = listing_rows(old, old_ix, listing), listing_rows(new, new_ix, listing)
        pages = page_count(len(new_rows), size)
        if page_count(len(old_rows), size) != pages:
            return None
        if any(_contribution(listing, before[iid]) != _contribution(listing, after[iid]) for iid in changed):
            shown: set[int] = set(range(pages))
        else:  # the same rows in the same order: the pages showing the edited items
            shown = {k // size for k in _positions(new_rows, new, [*before.values(), *after.values()], listing)}
        paths.update(Urls.listing_page(listing, number + 1) for number in shown)
    return paths


def _contribution(listing: str, item: Item) -> Any:
    """What an item adds to what every page of a listing says about the whole listing: whether
    it is a row (the rows, their count and order), and its actions' statuses on an area (the
    status counts) or its actions in a status (their count and numbering)."""
    if listing in ("figures/", "items/"):  # ids and order are unchanged (affected_pages checks)
        return None
    section, ident = listing.split("/")[:2]
    if section == "areas":
        return item.area == ident and sorted(a.status for a in item.actions)
    if section == "status":
        return tuple(k for k, a in enumerate(item.actions) if a.status == ident)
    return listing in item_listings(item)


def _positions(rows: list[Any], data: Dataset, items: list[Item], listing: str) -> set[int]:
    """Where in a listing the rows showing ``items`` stand (for the figures index: their
    figures, before and after the edit; the ids and their order are the same in both);
    found with list.index, which is quick even on a big site's listings."""
    if listing == "figures/":
        order = list(data.figures)
        return {order.index(fig.id) for item in items for fig in item.figures}
    keys = [row.id for row in rows]
    return {keys.index(item.id) for item in items if item.id in keys}


# --- data files -------------------------------------------------------------------------
# An item edit changes items.json by one record and figures.csv only if a figure changed;
# these give exactly what opendata's functions give, reusing the last result where the
# inputs are the same objects (the preview's caches keep unchanged items and figures).

_ITEM_RECORDS: dict[int, tuple[Any, tuple[Any, ...], str]] = {}
_FIGURES_CSV: tuple[list[Any], str, str] | None = None
_ITEMS_TAIL = '  "items": []\n}\n'


def items_json(data: Dataset, urls: Urls) -> str:
    """``opendata.items_json(data, urls)``, with each item's record serialised once."""
    global _ITEM_RECORDS
    empty = opendata.items_json(replace(data, items=[]), urls)
    if not data.items or not empty.endswith(_ITEMS_TAIL):  # the layout is not the one spliced here
        return opendata.items_json(data, urls)
    key = (urls.base_url, tuple((sid, s.name) for sid, s in data.statuses.items()))
    records: dict[int, tuple[Any, tuple[Any, ...], str]] = {}
    for item in data.items:
        hit = _ITEM_RECORDS.get(id(item))
        if hit is None or hit[0] is not item or hit[1] != key:
            # nested two levels deep under indent=2, every line of the record moves right by 4
            text = json.dumps(opendata.item_record(data, urls, item), ensure_ascii=False, indent=2)
            hit = (item, key, "    " + text.replace("\n", "\n    "))
        records[id(item)] = hit
    _ITEM_RECORDS = records  # holding the items keeps their id() from being reused
    return empty[:-len(_ITEMS_TAIL)] + '  "items": [\n' + ",\n".join(r[2] for r in records.values()) + "\n  ]\n}\n"


def figures_csv(data: Dataset, urls: Urls) -> str:
    """``opendata.figures_csv(data, urls)``, reused while the figures (in order) are equal."""
    global _FIGURES_CSV
    figures = opendata.ordered_figures(data)
    if _FIGURES_CSV is not None and _FIGURES_CSV[1] == urls.base_url and _FIGURES_CSV[0] == figures:
        return _FIGURES_CSV[2]
    text = opendata.figures_csv(data, urls)
    _FIGURES_CSV = (figures, urls.base_url, text)
    return text
