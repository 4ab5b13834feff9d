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
from collections import Counter
from dataclasses import replace
from typing import Any

from . import opendata
from .indexes import VOCAB_SECTIONS, Indexes
from .pagination import item_listings, listing_rows, page_count
from .urls import Urls
from .validate import Dataset, FigureInfo

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
    listing whose rows, or what each of its pages says about the whole listing, changed; and
    ``None`` if a listing's number of pages changed (a page would appear or vanish: rebuild all).

    Called only when items and figures kept their ids and order (``affected_pages``)."""
    size = new.config.listing_page_size
    ids = set(changed)
    listings: dict[str, None] = {}
    for iid in changed:
        for ix in (old_ix, new_ix):
            item = ix.item_by_id[iid]
            listings.update(dict.fromkeys(item_listings(item)))
            if item.figures:
                listings["figures/"] = None
    paths: set[str] = set()
    for listing in listings:
        before, after = listing_rows(old, old_ix, listing), listing_rows(new, new_ix, listing)
        pages = page_count(len(after), size)
        if page_count(len(before), size) != pages:
            return None
        if _summary(before, old_ix, listing) != _summary(after, new_ix, listing):
            shown: set[int] = set(range(pages))
        else:  # the same rows in the same order: the pages showing the edited items
            shown = {k // size for rows in (before, after) for k, row in enumerate(rows) if _item_of(row) in ids}
        paths.update(Urls.listing_page(listing, number + 1) for number in shown)
    return paths


def _item_of(row: Any) -> str | None:
    """The item a listing row shows (a figure row: the figure's item)."""
    return row.item if isinstance(row, FigureInfo) else row.id


def _summary(rows: list[Any], ix: Indexes, listing: str) -> tuple[Any, ...]:
    """What each page of a listing shows of the whole listing: its rows' ids (so their order
    and count), and an area's status counts or a status's actions (their count and numbering)."""
    if listing in ("figures/", "items/"):  # their ids and order are unchanged (affected_pages checks)
        return (len(rows),)
    keys = tuple(row.id for row in rows)
    section, ident = listing.split("/")[:2]
    if section == "areas":
        return keys, sorted(Counter(a.status for item in rows for a in item.actions).items())
    if section == "status":
        return keys, tuple((item.id, index) for item, index in ix.actions_by_status.get(ident, []))
    return (keys,)


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
