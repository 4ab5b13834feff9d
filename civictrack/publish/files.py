"""The files of a site that are not pages: open data, the 404 page, redirects, static assets,
the chart bundle, feed, sitemap, robots.txt, and what GitHub Pages reads (.nojekyll, CNAME)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from civictrack.dataset import Dataset
from civictrack.pages.page import Page
from civictrack.i18n import _
from civictrack.publish.feeds import robots
from civictrack.opendata import XLSX_FILES, actions_csv, csv_workbook, datapackage, figures_csv, items_json, updates_csv
from civictrack.publish.redirects import redirects
from civictrack.publish.writer import Content
from civictrack.speed import datafiles
from civictrack.resources import template_folders
from civictrack.index.indexes import Indexes
from civictrack.urls import Urls


def asset_files(root: Path) -> dict[str, bytes]:
    """The static files of the templates (CSS, JavaScript, the favicon), by name: the
    generator's, each replaced by the project's file of the same name (templates/static/)."""
    files: dict[str, bytes] = {}
    for folder in reversed(template_folders(root)):
        static = folder / "static"
        for path in sorted(static.iterdir()) if static.is_dir() else []:
            if path.is_file():
                files[path.name] = path.read_bytes()
    return dict(sorted(files.items()))


def data_files(data: Dataset, urls: Urls, ix: Indexes, reuse: bool = False) -> list[tuple[str, str]]:
    """The open data: figures.csv, items.json, actions.csv, updates.csv, datapackage.json, and
    the CSVs' workbook twins (figures.xlsx, actions.xlsx, updates.xlsx).  With
    ``reuse`` (an item edit in the preview) what the edit did not change is reused
    (``speed.datafiles``: an unchanged item's rows, while the indexes keep their ``epoch``)."""
    tracks, as_of = ix.tracks, ix.as_of
    if reuse:
        items = datafiles.items_json(data, urls, tracks, as_of, ix.epoch)
        actions = datafiles.actions_csv(data, urls, tracks, as_of, ix.epoch)
        figures = datafiles.figures_csv(data, urls)
    else:
        items, actions, figures = items_json(data, urls, tracks, as_of), actions_csv(data, urls, tracks, as_of), \
            figures_csv(data, urls)
    updates = updates_csv(urls, tracks, ix.stepped)
    return [(urls.data("figures.csv"), figures), (urls.data("items.json"), items),
            (urls.data("actions.csv"), actions), (urls.data("updates.csv"), updates),
            (urls.data("datapackage.json"), datapackage(data, urls))] + [
        # each CSV's workbook twin, for spreadsheets that would guess the CSV's encoding wrong
        (urls.data(XLSX_FILES[name]), _workbook(name, text))
        for name, text in (("figures.csv", figures), ("actions.csv", actions), ("updates.csv", updates))]


_WORKBOOKS: dict[str, tuple[str, bytes]] = {}
"""The last workbook made of each CSV, with the CSV's text: a preview's edit that leaves a CSV as
it was does not make its workbook again (0.1 s for 4,000 rows)."""


def _workbook(name: str, text: str) -> bytes:
    last = _WORKBOOKS.get(name)
    if last is not None and last[0] == text:
        return last[1]
    workbook = csv_workbook(text, name.removesuffix(".csv"))
    _WORKBOOKS[name] = (text, workbook)
    return workbook


def site_files(data: Dataset, urls: Urls, env: Any, as_of: str, assets: dict[str, bytes] | None,
               bundle: str | None) -> list[tuple[str, Content | str]]:
    """Every other file of a full build's edition, in the order they are written (the feeds:
    ``feeds.feed_files``; the sitemap, of every edition: ``feeds.sitemap``).  ``assets`` are given
    to the first edition, which also writes the files every edition shares."""
    files: list[tuple[str, Content | str]] = []
    if assets is not None:
        not_found = Page("404.html", "404.html", _("找不到页面"), _("找不到这个页面。"), {}, {})
        files.append(("404.html", env.get_template("404.html").render(page=not_found)))
    files += redirects(data, urls, env)
    if assets is None:
        return files
    files += [("favicon.svg" if name == "favicon.svg" else f"assets/{name}", content) for name, content in assets.items()]
    if bundle is not None:
        files.append(("assets/vega-embed.js", bundle))
    files.append((".nojekyll", b""))
    if data.config.cname:  # GitHub Pages: the custom domain the site is served at
        files.append(("CNAME", data.config.cname + "\n"))
    files.append(("robots.txt", robots(urls)))
    return files
