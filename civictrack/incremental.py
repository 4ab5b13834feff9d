"""Which pages an edit can touch, so a long-running preview re-renders only those.

Only edits confined to items (their text, actions, references, figure values) are
handled page by page; anything else (settings, reports and their text, vocabularies, the
change log, templates, prose, an item or figure added, removed or renamed) asks for a
full rebuild, which is always correct.  A test replays edit sequences and compares the
incremental result with a clean build, byte for byte.
"""

from __future__ import annotations

from .indexes import VOCAB_SECTIONS, Indexes
from .validate import Dataset

INDEX_PAGES = ("", "items/", "figures/", "areas/", "changes/") + tuple(f"{s}/" for s, _ in VOCAB_SECTIONS.values())


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
            paths.add(f"items/{iid}/")
            for neighbour in (ix.previous.get(iid), ix.next.get(iid)):
                if neighbour is not None:
                    paths.add(f"items/{neighbour.id}/")
            paths.add(f"areas/{item.area}/")
            paths.add(f"reports/{item.report}/")
            for fig in item.figures:
                for point in ix.series.get(fig.indicator, []):
                    paths.add(f"figures/{point.figure.id}/")
                    if point.item is not None:
                        paths.add(f"items/{point.item}/")
            for vocab in ("bodies", "places", "documents", "tags"):
                section = VOCAB_SECTIONS[vocab][0]
                paths.update(f"{section}/{ref}/" for ref in getattr(item, vocab))
            paths.update(f"status/{action.status}/" for action in item.actions)
    return paths
