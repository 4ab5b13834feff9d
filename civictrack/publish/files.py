"""The files of a site that are not pages: open data, the 404 page, redirects, static assets,
the chart bundle, feed, sitemap, robots.txt, and what GitHub Pages reads (.nojekyll, CNAME)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from civictrack.dataset import Dataset
from civictrack.pages.page import Page
from civictrack.publish.feeds import robots, sitemap
from civictrack.opendata import actions_csv, datapackage, figures_csv, items_json, updates_csv
from civictrack.publish.redirects import redirects
from civictrack.publish.writer import Content
from civictrack.speed import datafiles
from civictrack.render.environment import template_folder
from civictrack.tracking import ActionKey, Track
from civictrack.urls import Urls


def asset_files(root: Path) -> dict[str, bytes]:
    """The static files of the templates (CSS, JavaScript, the favicon), by name."""
    folder = template_folder(root) / "static"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def data_files(data: Dataset, urls: Urls, tracks: dict[ActionKey, Track], as_of: str,
               reuse: bool = False) -> list[tuple[str, str]]:
    """The open data: figures.csv, items.json, actions.csv, updates.csv, datapackage.json.  With
    ``reuse`` (an item edit in the preview) what the edit did not change is reused
    (``speed.datafiles``)."""
    csv = datafiles.figures_csv if reuse else figures_csv
    items = datafiles.items_json if reuse else items_json
    actions = datafiles.actions_csv if reuse else actions_csv
    return [(urls.data("figures.csv"), csv(data, urls)), (urls.data("items.json"), items(data, urls, tracks, as_of)),
            (urls.data("actions.csv"), actions(data, urls, tracks, as_of)),
            (urls.data("updates.csv"), updates_csv(urls, tracks)),
            (urls.data("datapackage.json"), datapackage(data, urls))]


def site_files(data: Dataset, urls: Urls, env: Any, pages: list[Page], as_of: str, assets: dict[str, bytes],
               bundle: str | None) -> list[tuple[str, Content | str]]:
    """Every other file of a full build, in the order they are written (the feeds: ``feeds.feed_files``)."""
    not_found = Page("404.html", "404.html", "找不到页面", "找不到这个页面。", {}, {})
    files: list[tuple[str, Content | str]] = [("404.html", env.get_template("404.html").render(page=not_found))]
    files += redirects(data, urls, env)
    files += [("favicon.svg" if name == "favicon.svg" else f"assets/{name}", content) for name, content in assets.items()]
    if bundle is not None:
        files.append(("assets/vega-embed.js", bundle))
    files.append((".nojekyll", b""))
    if data.config.cname:  # GitHub Pages: the custom domain the site is served at
        files.append(("CNAME", data.config.cname + "\n"))
    files += [("robots.txt", robots(urls)), ("sitemap.xml", sitemap(pages, urls, as_of))]
    return files
