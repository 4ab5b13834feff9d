"""The site's feeds and maps for machines: the Atom feed of the site (``feed.xml``: the change
log, every update and correction from the data), one Atom feed per item, body and place
(``items/<id>/feed.xml``…: subscribe to one commitment), ``sitemap.xml`` and ``robots.txt``;
every date comes from the data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from civictrack.pages.page import Page
from civictrack.tracking import CORRECTED_FIELDS
from civictrack.urls import Urls

if TYPE_CHECKING:
    from civictrack.model import Change, Item
    from civictrack.pages.site import Site

def xml_escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities, as ``xml.sax.saxutils.escape`` does (which imports
    ``urllib.request``: 45 ms of every build's start)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def sitemap(pages: list[Page], urls: Urls, as_of: str) -> str:
    rows = [f"  <url><loc>{xml_escape(urls.absolute(p.path))}</loc><lastmod>{p.updated or as_of}</lastmod></url>"
            for p in sorted(pages, key=lambda p: p.path)]
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "\n".join(rows) + "\n</urlset>\n")


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
    """An Atom 1.0 document; entries as given (newest first)."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
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
            entries.append(Entry(link, c.date, f"更正：{fig.label}", link,
                                 f"{CORRECTED_FIELDS[c.field]}原为“{c.was}”，现为“{getattr(fig, c.field)}”。{c.reason}",
                                 "corrected"))
            continue
        action = item.actions[event["index"]]
        link = urls.absolute(urls.item(item.id), event["anchor"])
        if event["kind"] == "correction":
            c = event["correction"]
            was = data.statuses[c.was].name if c.field == "status" and c.was in data.statuses else c.was
            entries.append(Entry(link, c.date, f"更正：{label}：{action.text}", link,
                                 f"{CORRECTED_FIELDS[c.field]}原为“{was}”。{c.reason}", "corrected"))
            continue
        step, before = event["step"], event["before"]
        if step.source is not None:
            where = f"{step.source.issuer}《{step.source.title}》（{step.source.date}）"
        else:
            report = data.reports[step.report or item.report]
            where = f"{data.bodies[report.issuer].name}《{report.short_title or report.title}》（{report.date}）"
        moved = (f"由“{data.statuses[before.status].name}”变为“{data.statuses[step.status].name}”"
                 if before.status != step.status else f"仍为“{data.statuses[step.status].name}”")
        entries.append(Entry(link, step.date, f"{label}：{action.text}，{moved}", link,
                             f"来源：{where}。原文：“{step.quote}”", "status"))
    return entries


def _change_entry(site: Site, change: Change) -> Entry:
    urls = site.urls
    targets = ([urls.report(r) for r in change.reports] + [urls.item(i) for i in change.items]
               + [urls.figure(f) for f in change.figures])
    summary = change.summary + (f"\n{change.details}" if change.details else "")
    return Entry(urls.absolute("changes/", change.id), change.date, change.summary, urls.absolute(targets[0]), summary,
                 change.kind)


def item_entries(site: Site, item: Item) -> list[Entry]:
    """Everything dated about one item: its publication, its actions' updates and follow-ups,
    corrections, and the change-log entries naming it."""
    report = site.report_of(item)
    page = site.urls.item(item.id)
    published = Entry(site.urls.absolute(page, "published"), report.date,
                      f"{site.item_label(item)}（{report.short_title or report.title}）", site.urls.absolute(page),
                      item.summary, "published")
    changes = [_change_entry(site, c) for c in site.data.changes if item.id in c.items]
    return [published, *tracking_entries(site, item), *changes]


def site_feed(site: Site) -> str:
    """``feed.xml``: the change log, and every update, follow-up and correction in the data."""
    data, urls = site.data, site.urls
    entries = [_change_entry(site, c) for c in data.changes]
    entries += [e for iid in site.ix.tracked_items for e in tracking_entries(site, site.ix.item_by_id[iid])]
    entries = _newest_first(entries)
    updated = max([e.date for e in entries] + [r.date for r in data.reports.values()])
    return atom(data.config.title + " · 更新记录", urls.absolute("changes/"), urls.absolute("feed.xml"),
                urls.absolute("changes/"), updated, data.config.publisher, entries)


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
        title = getattr(site.data, vocab)[ident].name
    entries = _newest_first([e for item in items for e in item_entries(site, item)])[:site.page_size]
    updated = entries[0].date if entries else max(r.date for r in site.data.reports.values())
    return atom(f"{title} · {site.data.config.title}", site.urls.absolute(path), site.urls.absolute(path + "feed.xml"),
                site.urls.absolute(path), updated, site.data.config.publisher, entries)


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
