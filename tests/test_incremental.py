"""Incremental rebuilds (the `serve` preview) give exactly what a clean build gives.

Replays a sequence of edits on a scratch copy of the bundled project with the preview's
rebuild (which re-renders only the pages an item edit can touch, and falls back to a full
build for anything else) and compares every output file with a clean build of the same
data, byte for byte.  A second sequence runs with two rows a listing page, so that the
listings are paginated and edits move items between pages, tags and statuses.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from civictrack.errors import ErrorSink
from civictrack.preview.incremental import affected_pages
from civictrack.index.indexes import _build as _build_indexes_afresh
from civictrack.preview.serve import Preview
from civictrack.pipeline import build_site
from civictrack.urls import Urls
from civictrack.check import check_project

from .conftest import ROOT

FUNDING = "data/items/cq-2024-edu-funding.yaml"
PRESCHOOL = "data/items/cq-2024-edu-preschool.yaml"
HIGH_SCHOOL = "data/items/cq-2024-edu-high-school.yaml"


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS = [  # (file, old, new, incremental?)
    (FUNDING, "title: 强化投入责任,落实教育经费", "title: 强化投入责任,落实教育经费（改）", True),
    (FUNDING, "    status: ongoing\n    status_basis: 按月通报", "    status: in-progress\n    status_basis: 按月通报", True),
    (PRESCHOOL, "tags: [preschool, equity]", "tags: [preschool, equity, funding]", True),
    (PRESCHOOL, "    label: 学前教育普惠率\n", "    label: 学前教育普惠率（修订）\n", True),
    (FUNDING, "bodies: [cq-government,", "bodies: [cq-education-commission, cq-government,", True),
    ("data/tags.yaml", "name: 学前教育", "name: 学前教育（主题）", False),  # a vocabulary: full rebuild
    (FUNDING, "title: 强化投入责任,落实教育经费（改）", "title: 强化投入责任,落实教育经费", True),
    (HIGH_SCHOOL, "charts:\n  - id: diversification\n", "charts:\n  - id: diversification-renamed\n", False),
    (HIGH_SCHOOL, "    note: 各项单位不同", "    note: 各项单位（所、个、门）不同", True),  # a chart's note
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    for name in ("site.yaml", "published-urls.txt", "data", "content"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, root / name)
    return root


def replay(project: Path, serve_root: Path, edits: list[tuple[Any, ...]]) -> Preview:
    """Apply ``edits`` one by one, rebuilding incrementally after each, and check every result
    against a clean build: the same files, byte for byte, and nothing else on disk.  An edit's
    fifth field, if any, names the item whose listing rows it changed (not which listings hold
    it): then exactly the listing pages showing that item must have been re-rendered."""
    preview = Preview(project, serve_root, "/repo/", 8000, "127.0.0.1")
    assert preview.rebuild() and not preview.last_stats["incremental"]
    total_pages = preview.last_stats["pages_rendered"]
    for file, old, new, incremental, *row_of in edits:
        before = preview.last
        replace(project / file, old, new)
        assert preview.rebuild(), file
        assert preview.last_stats["incremental"] is incremental, (file, new)
        if incremental:
            assert preview.last_stats["pages_rendered"] < total_pages / 2
        assert preview.last[1] == _build_indexes_afresh(preview.last[0]), (file, new)  # indexes updated in place
        sink = ErrorSink()
        data = check_project(project, sink)
        assert data is not None, sink.errors
        clean = build_site(data, base_url=preview.base_url, root=project, preview=True)
        assert preview.written.keys() == clean.files.keys(), (file, new)
        different = [path for path, content in clean.files.items() if preview.written[path] != content]
        assert different == [], (file, new, different[:5])
        on_disk = {p.relative_to(preview.out).as_posix() for p in preview.out.rglob("*") if p.is_file()}
        assert on_disk - {"__preview/errors.json"} == set(clean.files)
        if row_of:
            only = affected_pages(before[0], preview.last[0], before[1], preview.last[1]) or set()
            assert {p for p in only if is_listing(p)} == pages_showing(clean.files, row_of[0]), (file, new)
    return preview


def is_listing(path: str) -> bool:
    """Whether ``path`` is a page of a paginated listing (figures and items indexes, areas, vocabularies)."""
    listing = Urls.split_listing_page(path)[0]
    return listing in ("figures/", "items/") or (listing.count("/") == 2 and listing.split("/")[0] in (
        "areas", "bodies", "places", "documents", "tags", "status"))


def pages_showing(files: dict[str, Any], item_id: str) -> set[str]:
    """The listing pages whose JSON twins list the item, or one of its figures."""
    found = set()
    for name, content in files.items():
        page = name[:-len("index.json")]
        if name.endswith("index.json") and is_listing(page):
            twin = json.loads(content)
            items = [i["id"] if isinstance(i, dict) else i for i in twin.get("items", [])]  # the index has records
            figures = [f.get("item_id") for f in twin.get("figures", []) if isinstance(f, dict)]  # area: ids only
            if item_id in items or item_id in figures:
                found.add(page)
    return found


def test_incremental_rebuilds_equal_clean_builds(project: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CIVICTRACK_CACHE", str(ROOT / ".cache" / "charts"))
    replay(project, tmp_path / "serve", EDITS)


PAGED_EDITS = [  # (file, old, new, incremental?[, item whose rows alone changed])
    (FUNDING, "title: 强化投入责任,落实教育经费", "title: 强化投入责任,落实教育经费（改）", True, "cq-2024-edu-funding"),
    (PRESCHOOL, "    label: 学前教育普惠率\n", "    label: 学前教育普惠率（修订）\n", True, "cq-2024-edu-preschool"),
    # funding joins in-progress (11 → 12 items, still 6 pages) and keeps an ongoing action: the
    # in-progress and ongoing listings, and its area's status counts, change on every page
    (FUNDING, "    status: ongoing\n    status_basis: 按月通报", "    status: in-progress\n    status_basis: 按月通报", True),
    # preschool moves from tag equity (2 → 1 item) to pilots (7 → 8 items, first): pages stay 1 and 4
    (PRESCHOOL, "tags: [preschool, equity]", "tags: [preschool, pilots]", True),
    # funding leaves ongoing (12 → 11 items) for statement (3 → 4): still 6 and 2 pages
    (FUNDING, "    status: ongoing\n    status_basis: 严格落实", "    status: statement\n    status_basis: 严格落实", True),
    # statement grows to 5 items: a third page appears, so everything is rebuilt
    (PRESCHOOL, "    status: ongoing\n    status_basis: 根据人口出生情况确定",
     "    status: statement\n    status_basis: 根据人口出生情况确定", False),
    (PRESCHOOL, "    status: statement\n    status_basis: 根据人口出生情况确定",
     "    status: ongoing\n    status_basis: 根据人口出生情况确定", False),  # and goes again
    (PRESCHOOL, "tags: [preschool, pilots]", "tags: [preschool, pilots, funding]", False),  # funding: 2 → 3 items
    (FUNDING, "title: 强化投入责任,落实教育经费（改）", "title: 强化投入责任,落实教育经费", True, "cq-2024-edu-funding"),
    ("site.yaml", "listing_page_size: 2", "listing_page_size: 3", False),  # fewer pages: none may be left behind
    (FUNDING, "tags: [funding, governance]", "tags: [governance]", True),  # tag funding: 3 → 2 items, 1 page
]


def test_incremental_rebuilds_of_paginated_listings_equal_clean_builds(project: Path, tmp_path: Path,
                                                                       monkeypatch) -> None:
    """With two rows a page every listing is paginated: an edit re-renders only the page of each
    listing that shows the item, all pages of a listing it joins or leaves, and everything when
    a listing gains or loses a page; the result is always a clean build's."""
    monkeypatch.setenv("CIVICTRACK_CACHE", str(ROOT / ".cache" / "charts"))
    site_yaml = project / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "listing_page_size: 2\n", encoding="utf-8")
    preview = replay(project, tmp_path / "serve", PAGED_EDITS)
    assert (preview.out / "figures" / "page" / "22" / "index.html").is_file()  # 64 figures, 3 a page
    assert not (preview.out / "figures" / "page" / "23").exists()  # its emptied folder went too


SERIES_NEW = "data/items/shili-2024-edu-new-schools.yaml"  # followed up by a later report's item
SERIES_DUTIES = "data/items/shili-2024-edu-school-duties.yaml"  # an overdue action, a correction
SERIES_LAYOUT = "data/items/shili-2024-edu-layout-plan.yaml"  # an outside update
SERIES_INSPECTION = "data/items/shili-2025-edu-inspection.yaml"  # follows the overdue action
SERIES_EDITS = [  # examples/series: edits of tracked items; (file, old, new, incremental?)
    # the followed item's title: the follower's timeline names it
    (SERIES_NEW, "title: 新建中小学校", "title: 新建中小学校（改）", True),
    # the follower's title: the followed item's timeline names it
    (SERIES_INSPECTION, "title: 督查机制建设", "title: 督查机制建设（改）", True),
    # the overdue action's words: the front page and the progress page list it
    (SERIES_DUTIES, "    text: 到2025年底前建立进校园事项常态化督查机制", "    text: 到2025年底前建立常态化督查机制", True),
    # an original reading moved under a later update: progress snapshots, status pages, body listings
    (SERIES_LAYOUT, "    status: in-progress\n    status_basis: 正在编制", "    status: planned\n    status_basis: 正在编制", True),
    # a body added to the pending commitment: that body's listing (sorted by status) and feed
    ("data/items/shili-2025-edu-rural-boarding.yaml", "bodies: [shili-government]",
     "bodies: [shili-government, shili-education-commission]", True),
    # what other items and the tracker read: a follow-up's status, an update, a target, a correction
    (SERIES_INSPECTION, "    status: in-progress\n    status_basis: 正在试点", "    status: done\n    status_basis: 正在试点", False),
    (SERIES_LAYOUT, 'date: "2024-12-20"\n        status: done', 'date: "2025-01-20"\n        status: done', False),
    (SERIES_NEW, 'date: "2025-06-30"', 'date: "2025-10-31"', False),
    (SERIES_DUTIES, "reason: 原文为“已印发”", "reason: 原文写作“已印发”", False),
    ("site.yaml", 'as_of: "2026-03-31"', 'as_of: "2025-12-31"', False),
]


@pytest.fixture
def series_project(tmp_path: Path) -> Path:
    root = tmp_path / "series"
    shutil.copytree(ROOT / "examples" / "series", root)
    return root


def test_incremental_rebuilds_of_a_tracked_project_equal_clean_builds(series_project: Path, tmp_path: Path,
                                                                      monkeypatch) -> None:
    """Targets, updates, follow-ups and corrections tie items together: an edit of an item's own
    words re-renders the pages naming it (its follow-ups' timelines, the tracker's pages); an edit
    of what ties them rebuilds everything; both give a clean build's files."""
    monkeypatch.setenv("CIVICTRACK_CACHE", str(ROOT / ".cache" / "charts"))
    replay(series_project, tmp_path / "serve", SERIES_EDITS)


REVALIDATE = [  # (file, old, new, re-checked incrementally?)
    (FUNDING, "title: 强化投入责任,落实教育经费", "title: 强化投入责任,落实教育经费（改）", True),
    (FUNDING, 'value: "141.99"', 'value: "141.98"', False),  # the formula no longer holds: an error
    (FUNDING, 'value: "141.98"', 'value: "141.99"', False),  # after an error, everything is checked
    (FUNDING, "    written: 33.71亿元\n", "    written: 33.71亿\n", True),  # the figure's span moves: coverage
    (PRESCHOOL, "tags: [preschool, equity]", "tags: [preschool, equity, no-such-tag]", False),  # unknown tag
    (PRESCHOOL, "tags: [preschool, equity, no-such-tag]", "tags: [preschool, equity]", False),
    (PRESCHOOL, "    label: 学前教育普惠率\n", "    label: 学前教育普惠率（修订）\n", True),
    (PRESCHOOL, "order: ", "order: 9", False),  # a new slot: cross-file
    ("data/tags.yaml", "name: 学前教育", "name: 学前教育（主题）", False),  # a vocabulary
    (FUNDING, "    status: ongoing\n    status_basis: 按月通报", "    status: in-progress\n    status_basis: 按月通报", True),
    (FUNDING, "id: cq-edu-transfer-payments-2023\n", "id: cq-edu-transfer-payments-2023x\n", False),  # a figure id
]


def test_incremental_validation_equals_full_validation(project: Path) -> None:
    """A long-running process re-checks only changed item files when nothing else can be
    affected; the result (data set, or every error) is always what a fresh, full check gives."""
    from civictrack.load.loader import ParseCache

    cache = ParseCache()
    assert check_project(project, ErrorSink(), cache) is not None
    for file, old, new, incremental in REVALIDATE:
        replace(project / file, old, new)
        sink, fresh_sink = ErrorSink(), ErrorSink()
        data = check_project(project, sink, cache)
        fresh = check_project(project, fresh_sink)
        assert sink.sorted() == fresh_sink.sorted(), (file, new)
        assert data == fresh, (file, new)
        rechecked = cache.validated.rechecked if cache.validated is not None else None
        assert (rechecked is not None) is incremental, (file, new, rechecked)
    copy = project / "data/items/copy.yaml"  # an item file added (a duplicate), then removed
    copy.write_text((project / FUNDING).read_text(encoding="utf-8").replace("id: cq-2024-edu-funding", "id: copy"),
                    encoding="utf-8")
    for step in ("added", "removed"):
        sink, fresh_sink = ErrorSink(), ErrorSink()
        assert check_project(project, sink, cache) == check_project(project, fresh_sink), step
        assert sink.sorted() == fresh_sink.sorted() and (sink.errors != []) is (step == "added"), step
        copy.unlink(missing_ok=True)
