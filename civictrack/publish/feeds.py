"""The site's feeds and maps for machines: the Atom feed of the change log, ``sitemap.xml``
and ``robots.txt``; every date comes from the data."""

from __future__ import annotations

from civictrack.dataset import Dataset
from civictrack.pages.page import Page
from civictrack.urls import Urls


def xml_escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities, as ``xml.sax.saxutils.escape`` does (which imports
    ``urllib.request``: 45 ms of every build's start)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def atom_feed(data: Dataset, urls: Urls) -> str:
    """An Atom feed of the change log, newest first; dates come from the data."""
    title = xml_escape(data.config.title + " · 更新记录")
    updated = max([c.date for c in data.changes] + [r.date for r in data.reports.values()])
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
             f"  <title>{title}</title>", f"  <id>{xml_escape(urls.absolute('changes/'))}</id>",
             f'  <link rel="self" type="application/atom+xml" href="{xml_escape(urls.absolute("feed.xml"))}"/>',
             f'  <link rel="alternate" type="text/html" href="{xml_escape(urls.absolute("changes/"))}"/>',
             f"  <updated>{updated}T00:00:00Z</updated>",
             f"  <author><name>{xml_escape(data.config.publisher)}</name></author>"]
    for change in data.changes:
        targets = ([urls.report(r) for r in change.reports] + [urls.item(i) for i in change.items]
                   + [urls.figure(f) for f in change.figures])
        content = change.summary + (f"\n{change.details}" if change.details else "")
        lines += ["  <entry>", f"    <title>{xml_escape(change.summary)}</title>",
                  f"    <id>{xml_escape(urls.absolute('changes/', change.id))}</id>",
                  f'    <link rel="alternate" type="text/html" href="{xml_escape(urls.absolute(targets[0]))}"/>',
                  *[f'    <link rel="related" href="{xml_escape(urls.absolute(t))}"/>' for t in targets[1:]],
                  f"    <updated>{change.date}T00:00:00Z</updated>",
                  f'    <category term="{change.kind}"/>',
                  f"    <summary>{xml_escape(content)}</summary>", "  </entry>"]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def sitemap(pages: list[Page], urls: Urls, as_of: str) -> str:
    rows = [f"  <url><loc>{xml_escape(urls.absolute(p.path))}</loc><lastmod>{p.updated or as_of}</lastmod></url>"
            for p in sorted(pages, key=lambda p: p.path)]
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "\n".join(rows) + "\n</urlset>\n")


def robots(urls: Urls) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute('sitemap.xml')}\n"
