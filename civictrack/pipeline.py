"""The build, stage by stage: from a validated data set to every file of the site.

``build_site`` runs index → pages → charts → render → publish's other files, handing each
file to an :class:`~civictrack.publish.writer.Output` (and, in a build, straight on to the
writer's staging folder).  Nothing here writes into the output folder; ``publish.writer``
swaps the finished site in.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any, NamedTuple

from civictrack import i18n
from civictrack.charts.render import render_charts, vega_bundle
from civictrack.charts.specs import ChartSpec, all_charts, charts_for
from civictrack.charts.typeface import MissingGlyphs, glyph_problems
from civictrack.dataset import Dataset
from civictrack.index.indexes import build_indexes
from civictrack.opendata import chart_csv
from civictrack.pages import all_pages, pages_for
from civictrack.pages.site import Site
from civictrack.publish.feeds import feed_files, sitemap
from civictrack.publish.files import asset_files, data_files, site_files
from civictrack.publish.writer import Output, SiteWriter
from civictrack.render.environment import make_environment
from civictrack.render.globals import ItemTitles, build_date, build_date_origin, paragraph_labels, template_globals
from civictrack.render.markdown import use_cache as use_markdown_cache
from civictrack.speed.cachedir import cache_dir
from civictrack.speed.pool import forks, render_here, render_pages
from civictrack.speed.rowmemo import Rows, forget_rows
from civictrack.urls import Urls


class Edition(NamedTuple):
    """A language edition, as the templates link to it (language switch, hreflang)."""

    lang: str
    name: str  # the language named in itself
    urls: Urls


_ITEM_OR_FIGURE = re.compile(r"(?:items|figures)/[^/]+/$")


def build_site(data: Dataset, base_url: str, root: Path | None = None, stats: dict[str, Any] | None = None,
               preview: bool = False, previous: Output | None = None, only: set[str] | None = None,
               sink: SiteWriter | None = None, strict: bool = False) -> Output:
    """Every output file of the site, as ``{path: bytes}``; counts go into ``stats`` if given.

    Each language edition of ``site.yaml``'s ``languages`` is built in turn (``build_edition``):
    the first at the root, the others in their folder (``en/``), with the same page paths.

    Incremental mode (``previous`` and ``only`` given, see ``preview.incremental.affected_pages``):
    re-render just the pages at ``only`` (in every edition) with their charts, regenerate the
    data files, and take every other file from ``previous``.

    With a ``sink`` every file is handed to it as soon as it is made, so the pages of a big site
    never sit in memory together; the returned ``Output`` then holds only the paths.

    Before anything is rendered, every chart drawn (every chart of the site, unless an
    incremental build that is not ``strict``) is checked for characters the bundled font lacks:
    one line per such chart in ``stats["glyph_problems"]``; with ``strict`` a chart with any
    raises ``MissingGlyphs`` instead."""
    incremental = previous is not None and only is not None
    stats = stats if stats is not None else {}
    root = root or Path(".")
    ix = build_indexes(data)
    cache = cache_dir(root)
    use_markdown_cache(cache / "markdown" if cache is not None else None)  # item pages render Markdown
    output = Output(sink)
    if incremental:
        output.files = dict(previous.files)
    editions = [Edition(lang, i18n.NAMES[lang], Urls(base_url, Urls.edition_folder(lang, data.config.language)))
                for lang in i18n.editions(data.config)]
    stats["charts"] = stats["charts_rendered"] = stats["pages_rendered"] = 0
    stats["glyph_problems"] = []
    every_chart: dict[str, dict[str, ChartSpec]] = {}
    check_all = not incremental or strict
    if check_all:  # every edition's charts, checked before anything is made
        for edition in editions:
            with i18n.speaking(edition.lang, data.config.language):
                every_chart[edition.lang] = all_charts(data, ix)
            stats["glyph_problems"] += _glyph_problems(every_chart[edition.lang], edition.urls)
        if strict and stats["glyph_problems"]:
            raise MissingGlyphs(stats["glyph_problems"])
    built: list[tuple[str, Urls, list[Any]]] = []
    for edition in editions:
        with i18n.speaking(edition.lang, data.config.language):
            pages = build_edition(data, ix, edition.urls, root, output, stats, preview, incremental, only, sink,
                                  editions, None if incremental else every_chart.pop(edition.lang),
                                  check_glyphs=not check_all)
        built.append((edition.lang, edition.urls, pages))
    if not incremental:
        output.add("sitemap.xml", sitemap(built, ix.as_of))
    return output


def build_edition(data: Dataset, ix: Any, urls: Urls, root: Path, output: Output, stats: dict[str, Any],
                  preview: bool, incremental: bool, only: set[str] | None, sink: SiteWriter | None,
                  editions: list[Edition], specs: dict[str, ChartSpec] | None = None,
                  check_glyphs: bool = False) -> list[Any]:
    """One language edition's pages, charts and feeds (and, for the first of ``editions``, the
    files every edition shares) into ``output``; the language in use (``i18n.use``) is the
    edition's. Returns the edition's pages (for the sitemap).  ``specs``: the edition's charts,
    when ``build_site`` made (and checked) them all already; ``check_glyphs``: check the charts
    an incremental build renders."""
    first = urls is editions[0].urls
    site = Site(data, ix, urls, build_date(data), root, accessed_from=build_date_origin())
    cache = cache_dir(root)
    if incremental:
        pages = pages_for(site, only or set())
        specs = charts_for(data, ix, [cid for page in pages for cid in page.charts])
        if check_glyphs:
            stats["glyph_problems"] += _glyph_problems(specs, urls)
    else:
        pages = all_pages(site)
        specs = specs if specs is not None else all_charts(data, ix)
    rendered = render_charts(specs, cache)
    stats["charts"] += len(rendered)
    stats["charts_rendered"] += sum(1 for r in rendered.values() if r.fresh)
    env, as_of, assets = _environment(site, rendered, preview, incremental, editions)

    if incremental:
        add = output.replace
    else:
        # listing pages first, together: the worker that renders them reuses its memo of table
        # rows from one listing to the next (item and figure pages show few rows of their own)
        pages.sort(key=lambda page: _ITEM_OR_FIGURE.match(page.path) is not None)
        add = output.add
    with_page: list[tuple[str, ...]] = [()] * len(pages)  # a chart's files go with its first page
    placed: set[str] = set()
    if not incremental:
        for k, page in enumerate(pages):
            with_page[k] = tuple(cid for cid in dict.fromkeys(page.charts) if cid in rendered and cid not in placed)
            placed.update(with_page[k])

    def chart_files(cid: str) -> list[tuple[str, Any]]:
        """A chart's SVG, PNG and Vega-Lite JSON, and the CSV of its own rows."""
        files = [(urls.output_file(path), content) for path, content in rendered[cid].files()]
        table = chart_csv(data, ix, urls, rendered[cid].spec).encode("utf-8")  # bytes: a worker may place it
        return files + [(urls.output_file(f"charts/{cid}.csv"), table)]

    def other_files() -> None:
        """Every file that is not a rendered page: made while the workers render the pages."""
        for cid in rendered:
            if cid not in placed:
                for path, content in chart_files(cid):
                    add(path, content)
        if first:
            for path, content in data_files(data, urls, ix, reuse=incremental or preview):  # a preview fills the memo
                add(path, content)
        for path, content in feed_files(site, only if incremental else None):  # a page's feed goes with it
            add(urls.output_file(path), content)
        if not incremental:
            bundle = vega_bundle(cache) if rendered and first else None
            for path, content in site_files(data, urls, env, as_of, assets if first else None, bundle):
                output.add(path, content)

    for path, content in render_pages(env, pages, urls, sink if not incremental else None,
                                      (with_page, chart_files), other_files):
        if isinstance(content, tuple):  # a worker already put it into the staging folder
            output.add_placed(path, *content)
        else:
            add(path, content)
    if preview and not incremental and forks(len(pages)):
        # the workers filled their own memos of table rows; fill this process's now, so that the
        # first edit in the preview is as quick as the next ones (listing pages hold the rows)
        render_here([page for page in pages if not _ITEM_OR_FIGURE.match(page.path)], env, urls)
    stats["pages_rendered"] += len(pages)
    return pages


def _glyph_problems(specs: dict[str, ChartSpec], urls: Urls) -> list[str]:
    """A line for each of an edition's charts with characters the bundled font lacks (``charts.typeface``)."""
    return glyph_problems(specs.values(), lambda cid: urls.output_file(f"charts/{cid}.png"))


def _environment(site: Site, rendered: dict[str, Any], preview: bool, incremental: bool, editions: list[Edition]
                 ) -> tuple[Any, str, dict[str, bytes]]:
    """This build's Jinja environment (with its globals), its as-of date and its static assets."""
    data, urls = site.data, site.urls
    labels = paragraph_labels(data)
    titles = ItemTitles(data, site.ix)
    assets = asset_files(site.root)
    asset_version = hashlib.sha256(b"".join(assets[k] for k in sorted(assets))).hexdigest()[:10]
    as_of = site.ix.as_of  # the data's own date (civictrack.tracking.data_as_of)
    if not incremental:
        forget_rows()  # templates may have changed; an incremental build keeps them
    rows = Rows(data, labels, titles, urls.base_path, site.ix.tracks)
    env = make_environment(site.root, urls, template_globals(
        data, site.ix, labels, titles, as_of=as_of, asset_version=asset_version, charts=rendered, preview=preview,
        editions=editions,
        status_counts=lambda item: site.status_counts([item]),
        overdue_count=lambda item: sum(1 for a in item.actions if site.ix.tracks[(item.id, a.id)].overdue),
        **rows.globals()))
    rows.use(env)
    return env, as_of, assets

