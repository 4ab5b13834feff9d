"""The site's feeds and maps for machines: the Atom feed of the site (``feed.xml``: the change
log, every update and correction from the data), one Atom feed per item, body and place
(``items/<id>/feed.xml``…: subscribe to one commitment), ``sitemap.xml`` and ``robots.txt``;
every date comes from the data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from civictrack import i18n
from civictrack.i18n import _
from civictrack.pages.page import Page
from civictrack.render.format import report_name
from civictrack.tracking import CORRECTED_FIELDS
from civictrack.urls import Urls

if TYPE_CHECKING:
    from civictrack.model import Change, Item
    from civictrack.pages.site import Site

def xml_escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities, as ``xml.sax.saxutils.escape`` does (which imports
    ``urllib.request``: 45 ms of every build's start)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def sitemap(editions: list[tuple[str, Urls, list[Page]]], as_of: str | None) -> str:
    """The sitemap of every edition's pages ((language, its Urls, its pages), the root edition
    first); with more than one edition each page names its twins (``xhtml:link`` hreflang)."""
    many = len(editions) > 1
    rows = []
    for _language, urls, pages in editions:
        for p in sorted(pages, key=lambda p: p.path):
            lastmod = p.updated or as_of
            row = f"  <url><loc>{xml_escape(urls.absolute(p.path))}</loc>" + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "")
            if many:
                row += "".join(f'<xhtml:link rel="alternate" hreflang="{lang}" href="{xml_escape(other.absolute(p.path))}"/>'
                               for lang, other, _pages in editions)
                row += f'<xhtml:link rel="alternate" hreflang="x-default" href="{xml_escape(editions[0][1].absolute(p.path))}"/>'
            rows.append(row + "</url>")
    namespaces = ' xmlns:xhtml="http://www.w3.org/1999/xhtml"' if many else ""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
            + namespaces + ">\n" + "\n".join(rows) + "\n</urlset>\n")


def robots(urls: Urls) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute('sitemap.xml')}\n"


@dataclass(frozen=True)
class Entry:
    """One entry of an Atom feed."""

    id: str  # absolute URL, unique and stable
    date: str
    title: str
    link: str  # absolute URL of the page (and anchor) it is about
    summary: str
    category: str


def atom(title: str, feed_id: str, self_url: str, page_url: str, updated: str, author: str,
         entries: Iterable[Entry]) -> str:
    """An Atom 1.0 document in the edition's language; entries as given (newest first)."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{i18n.language()}">',
             f"  <title>{xml_escape(title)}</title>", f"  <id>{xml_escape(feed_id)}</id>",
             f'  <link rel="self" type="application/atom+xml" href="{xml_escape(self_url)}"/>',
             f'  <link rel="alternate" type="text/html" href="{xml_escape(page_url)}"/>',
             f"  <updated>{updated}T00:00:00Z</updated>", f"  <author><name>{xml_escape(author)}</name></author>"]
    for e in entries:
        lines += ["  <entry>", f"    <title>{xml_escape(e.title)}</title>", f"    <id>{xml_escape(e.id)}</id>",
                  f'    <link rel="alternate" type="text/html" href="{xml_escape(e.link)}"/>',
                  f"    <updated>{e.date}T00:00:00Z</updated>", f'    <category term="{e.category}"/>',
                  f"    <summary>{xml_escape(e.summary)}</summary>", "  </entry>"]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def _newest_first(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.date, e.id), reverse=True)


def tracking_entries(site: Site, item: Item) -> list[Entry]:
    """An item's updates, follow-ups and corrections (``Site.item_events``) as entries."""
    urls, data = site.urls, site.data
    label = site.item_label(item)
    entries = []
    for event in site.item_events(item):
        if "figure" in event:  # a figure's correction, on the figure's page
            fig, c = event["figure"], event["correction"]
            link = urls.absolute(urls.figure(fig.id), event["anchor"])
            entries.append(Entry(link, c.date, _("更正：%(what)s") % {"what": i18n.text(fig, "label")}, link,
                                 _("%(field)s原为“%(was)s”，现为“%(now)s”。%(reason)s") % {
                                     "field": CORRECTED_FIELDS[c.field], "was": c.was, "now": getattr(fig, c.field),
                                     "reason": c.reason},
                                 "corrected"))
            continue
        action = item.actions[event["index"]]
        action_text = i18n.text(action, "text")
        link = urls.absolute(urls.item(item.id), event["anchor"])
        if event["kind"] == "correction":
            c = event["correction"]
            was = (i18n.text(data.statuses[c.was], "name") if c.field == "status" and c.was in data.statuses
                   else c.was)
            entries.append(Entry(link, c.date, _("更正：%(item)s：%(action)s") % {"item": label, "action": action_text},
                                 link, _("%(field)s原为“%(was)s”。%(reason)s") % {
                                     "field": CORRECTED_FIELDS[c.field], "was": was, "reason": c.reason},
                                 "corrected"))
            continue
        step, before = event["step"], event["before"]
        if step.source is not None:
            where = _("%(issuer)s《%(title)s》（%(date)s）") % {
                "issuer": step.source.issuer, "title": step.source.title, "date": i18n.format_date(step.source.date)}
        else:
            report = data.reports[step.report or item.report]
            where = _("%(issuer)s《%(title)s》（%(date)s）") % {
                "issuer": i18n.text(data.bodies[report.issuer], "name"), "title": report_name(report),
                "date": i18n.format_date(report.date)}
        now = i18n.text(data.statuses[step.status], "name")
        moved = (_("由“%(before)s”变为“%(after)s”") % {"before": i18n.text(data.statuses[before.status], "name"),
                                                   "after": now}
                 if before.status != step.status else _("仍为“%(status)s”") % {"status": now})
        entries.append(Entry(link, step.date, _("%(item)s：%(action)s，%(moved)s") % {
            "item": label, "action": action_text, "moved": moved}, link,
            _("来源：%(where)s。原文：“%(quote)s”") % {"where": where, "quote": step.quote}, "status"))
    return entries


def _change_entry(site: Site, change: Change) -> Entry:
    urls = site.urls
    targets = ([urls.report(r) for r in change.reports] + [urls.item(i) for i in change.items]
               + [urls.figure(f) for f in change.figures])
    title = i18n.text(change, "summary")
    summary = title + (f"\n{change.details}" if change.details else "")
    return Entry(urls.absolute("changes/", change.id), change.date, title, urls.absolute(targets[0]), summary,
                 change.kind)


def item_entries(site: Site, item: Item) -> list[Entry]:
    """Everything dated about one item: its publication, its actions' updates and follow-ups,
    corrections, and the change-log entries naming it."""
    report = site.report_of(item)
    page = site.urls.item(item.id)
    published = Entry(site.urls.absolute(page, "published"), report.date,
                      _("%(item)s（%(report)s）") % {"item": site.item_label(item), "report": report_name(report)},
                      site.urls.absolute(page), i18n.text(item, "summary"), "published")
    changes = [_change_entry(site, c) for c in site.data.changes if item.id in c.items]
    return [published, *tracking_entries(site, item), *changes]


NEVER = "1970-01-01"
"""A feed's ``updated`` where the data has no date at all (a new project, no report yet): Atom
requires the element, and the build never writes its machine's clock into the site."""


def site_feed(site: Site) -> str:
    """``feed.xml``: the change log, and every update, follow-up and correction in the data."""
    data, urls = site.data, site.urls
    entries = [_change_entry(site, c) for c in data.changes]
    entries += [e for iid in site.ix.tracked_items for e in tracking_entries(site, site.ix.item_by_id[iid])]
    entries = _newest_first(entries)
    updated = max([e.date for e in entries] + [r.date for r in data.reports.values()], default=NEVER)
    return atom(_("%(site)s · 更新记录") % {"site": i18n.text(data.config, "title")}, urls.absolute("changes/"),
                urls.absolute("feed.xml"), urls.absolute("changes/"), updated, i18n.text(data.config, "publisher"),
                entries)


def page_feed(site: Site, path: str) -> str:
    """The feed of the item, body or place page at ``path`` (its newest entries, at most a
    listing page's worth)."""
    section, ident = path.split("/")[:2]
    if section == "items":
        item = site.ix.item_by_id[ident]
        items, title = [item], site.item_label(item)
    else:
        vocab = "bodies" if section == "bodies" else "places"
        items = site.ix.items_by[vocab].get(ident, [])
        title = i18n.text(getattr(site.data, vocab)[ident], "name")
    entries = _newest_first([e for item in items for e in item_entries(site, item)])[:site.page_size]
    updated = entries[0].date if entries else max((r.date for r in site.data.reports.values()), default=NEVER)
    config = site.data.config
    return atom(f"{title} · {i18n.text(config, 'title')}", site.urls.absolute(path),
                site.urls.absolute(path + "feed.xml"), site.urls.absolute(path), updated,
                i18n.text(config, "publisher"), entries)


def feed_paths(site: Site) -> list[str]:
    """Every page with its own feed: each item, body and place."""
    return ([site.urls.item(i.id) for i in site.data.items]  # urls.FEED_SECTIONS
            + [site.urls.page("bodies", b) for b in site.data.bodies]
            + [site.urls.page("places", p) for p in site.data.places])


def feed_files(site: Site, only: set[str] | None = None) -> list[tuple[str, str]]:
    """``feed.xml`` and the pages' feeds (``only``: of these page paths, in an incremental
    build: a page's feed is made with its page)."""
    if only is None:
        paths = feed_paths(site)
    else:  # any page of a body's listing shows one of its items: its feed lists them all
        listings = {Urls.split_listing_page(p)[0] for p in only}
        paths = sorted(p for p in listings if Urls.feed(p))
    return [("feed.xml", site_feed(site))] + [(Urls.feed(path), page_feed(site, path)) for path in paths]
