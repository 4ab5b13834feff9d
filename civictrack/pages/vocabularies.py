"""The vocabularies' pages: an index per vocabulary (``/tags/``, ``/bodies/``, ``/places/``,
``/documents/``, ``/status/``) and a page per entry (paginated: its items, and for a status
the actions in it)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from civictrack import i18n
from civictrack.i18n import N_, _, ngettext
from civictrack.index.indexes import VOCAB_SECTIONS
from civictrack.index.pagination import SORTED_BY_STANDING
from civictrack.pages.page import Page, PageType
from civictrack.pages.site import Site

if TYPE_CHECKING:
    from civictrack.model import Item


VOCAB_DESCRIPTIONS = {
    "bodies": N_("按责任主体浏览报告中的措施。"), "places": N_("按区县浏览报告中的措施。"),
    "documents": N_("按文件与项目浏览报告中的措施。"), "tags": N_("按主题浏览报告中的措施。"),
    "statuses": N_("按进展状态浏览报告中的措施。"),
}
"""The description of each vocabulary's index page: a whole sentence each, so that a translation words it freely."""


def vocab_index(site: Site, vocab: str) -> Page:
    section, name = VOCAB_SECTIONS[vocab]
    name = _(name)
    entries = list(getattr(site.data, vocab).values())
    if vocab == "statuses":
        entries.sort(key=lambda s: s.order)
    rows = [(e, len(site.ix.items_by[vocab].get(e.id, [])),
             len(site.ix.actions_by_status.get(e.id, [])) if vocab == "statuses" else None) for e in entries]
    context = {"vocab": vocab, "section": section, "name": name, "rows": rows}
    twin = {"title": name, "entries": [e.model_dump() | {"items": count, "url": site.urls.absolute(
        site.urls.page(section, e.id))} for e, count, _ in rows]}
    description = _(VOCAB_DESCRIPTIONS[vocab])
    return Page(f"{section}/", "vocab_index.html", name, description, context, twin, [(name, None)])


def vocab_entry(site: Site, vocab: str, entry_id: str, number: int = 1) -> Page:
    """A vocabulary entry's page ``number``: the entry's header, that page's items (and, for a
    status, the actions of those items in that status)."""
    section, name = VOCAB_SECTIONS[vocab]
    name = _(name)
    entry = getattr(site.data, vocab)[entry_id]
    entry_name = i18n.text(entry, "name")
    path = site.urls.page(section, entry_id)
    all_items = site.rows(path)
    pager = site.pager(path, number)
    items = pager.rows(all_items)
    actions = site.ix.actions_by_status.get(entry_id, []) if vocab == "statuses" else []
    actions_total, actions_before = len(actions), 0
    if pager.pages > 1 and actions:
        by_item, before = site.actions_by_item(path)
        actions = [a for item in items for a in by_item[item.id]]
        actions_before = before[pager.start]
    context = {"vocab": vocab, "section": section, "name": name, "entry": entry, "items": items,
               "sorted_by_standing": section in SORTED_BY_STANDING,
               "actions": actions, "actions_start": actions_before + 1, "actions_total": actions_total,
               "parent": None, "children": [], "report": None}
    if vocab in ("bodies", "places"):
        table = getattr(site.data, vocab)
        context["parent"] = table.get(entry.parent) if entry.parent else None
        context["children"] = [e for e in table.values() if e.parent == entry_id]
    if vocab == "documents" and entry.report:
        context["report"] = site.data.reports[entry.report]
    twin = entry.model_dump() | {"url": site.urls.absolute(path), "items": [i.id for i in items]}
    if vocab == "statuses":
        twin["actions"] = [{"item_id": it.id, "action_id": it.actions[i].id} for it, i in context["actions"]]
    feed = site.urls.feed(path)
    if feed:
        twin["feed"] = site.urls.absolute(feed)
    count = len(all_items)
    description = ngettext("%(vocab)s：%(name)s，相关措施 %(num)s 项。", "%(vocab)s：%(name)s，相关措施 %(num)s 项。",
                           count) % {"vocab": name, "name": entry_name, "num": i18n.format_number(count)}
    return site.paged(Page(path, "vocab_entry.html", entry_name, description, context, twin,
                           [(name, f"{section}/"), (entry_name, None)], feed=feed), pager)


class VocabularyIndex(PageType):
    def __init__(self, vocab: str) -> None:
        self.vocab = vocab
        self.section = VOCAB_SECTIONS[vocab][0]

    def all(self, site: Site) -> list[Page]:
        return [vocab_index(site, self.vocab)]

    def one(self, site: Site, ident: str, number: int) -> Page:
        return vocab_index(site, self.vocab)

    def showing(self, site: Site, item: Item) -> Iterable[str]:
        return (f"{self.section}/",)  # its counts


class VocabularyEntries(PageType):
    entries = True

    def __init__(self, vocab: str) -> None:
        self.vocab = vocab
        self.section = VOCAB_SECTIONS[vocab][0]

    def all(self, site: Site) -> list[Page]:
        return [vocab_entry(site, self.vocab, eid, n) for eid in getattr(site.data, self.vocab)
                for n in site.numbers(site.urls.page(self.section, eid))]

    def one(self, site: Site, ident: str, number: int) -> Page:
        return vocab_entry(site, self.vocab, ident, number)
