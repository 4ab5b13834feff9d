"""The cache of rendered pages (``speed.pagecache``): a build after an item edit renders only the
pages the edit touches and takes the rest from the last build, and its site is byte for byte the
site of a build that renders everything; anything but an item edit renders everything."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from civictrack import cli
from civictrack.speed import pagecache
from civictrack.speed.fingerprint import Inputs, read_inputs

from .conftest import ROOT
from .test_dataset_cache import _saved, read_tree
from .test_incremental import (EDITS, FUNDING, PAGED_EDITS, SERIES_EDITS, project,  # noqa: F401 (fixtures)
                               replace, series_project)

RENDERED = re.compile(r"; (\d+) page\(s\) rendered, the rest as the last build made them")


def build(project: Path, out: Path, cache: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> int | None:
    """Build into a fresh ``out``; the number of pages rendered if the build started from the
    last one, None if it rendered everything."""
    shutil.rmtree(out, ignore_errors=True)
    os.environ["CIVICTRACK_CACHE"] = str(cache)
    try:
        assert cli.main(["--root", str(project), "build", "--no-search", "--out", str(out), *extra]) == 0
    finally:
        del os.environ["CIVICTRACK_CACHE"]
    found = RENDERED.search(capsys.readouterr().out)
    return int(found.group(1)) if found else None


def replay(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], edits: list[tuple]) -> None:
    cache, kept, full = tmp_path / "cache", tmp_path / "kept", tmp_path / "full"
    assert build(project, kept, cache, capsys) is None  # an empty cache: everything rendered
    assert _saved(cache, project) is not None
    total = len(read_tree(kept))
    for file, old, new, incremental, *_ in edits:
        replace(project / file, old, new)
        rendered = build(project, kept, cache, capsys)
        assert _saved(cache, project) is not None  # the next build can start from this one
        assert build(project, full, cache, capsys, "--no-page-cache", "--force") is None
        assert (rendered is not None) is incremental, (file, new, rendered)
        if rendered is not None:
            assert rendered < total / 4, (file, new, rendered)
        assert read_tree(kept) == read_tree(full), (file, new)


def test_builds_after_item_edits_equal_builds_that_render_everything(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    replay(project, tmp_path, capsys, EDITS)


def test_builds_after_edits_of_a_tracked_project_equal_builds_that_render_everything(
        series_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    replay(series_project, tmp_path, capsys, SERIES_EDITS)


def test_builds_after_edits_of_paginated_listings_equal_builds_that_render_everything(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site_yaml = project / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "listing_page_size: 2\n", encoding="utf-8")
    replay(project, tmp_path, capsys, PAGED_EDITS)


def test_the_same_inputs_render_nothing_and_other_inputs_everything(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cache, out = tmp_path / "cache", tmp_path / "out"
    assert build(project, out, cache, capsys) is None
    first = read_tree(out)
    assert _saved(cache, project) is not None
    assert build(project, out, cache, capsys) == 0  # a cold build (no site): every file from the cache
    assert read_tree(out) == first
    objects = cache / pagecache.FOLDER / "objects"
    # a template changed: everything rendered, and the objects of the old pages go
    templates = project / "templates"
    shutil.copytree(ROOT / "templates", templates)
    page = templates / "item.html"
    page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert build(project, out, cache, capsys) is None
    assert len(list(objects.iterdir())) == len(set(read_manifest_digests(out)))
    # an object lost from the cache: the state is not trusted, everything is rendered
    assert _saved(cache, project) is not None
    next(objects.iterdir()).unlink()
    replace(project / FUNDING, "title: 强化投入责任,落实教育经费", "title: 强化投入责任,落实教育经费（改）")
    assert build(project, out, cache, capsys) is None
    # the same inputs again, but an item file more or fewer: every listing changes, nothing is kept
    assert _saved(cache, project) is not None
    inputs = read_inputs(project, {"base_url": None, "search": False})
    assert pagecache.read(cache, inputs) is not None
    more = Inputs(inputs.whole + "x", inputs.context, {**inputs.items, "items/new.yaml": "0"})
    assert pagecache.read(cache, more) is None
    fewer = Inputs(inputs.whole + "x", inputs.context, dict(list(inputs.items.items())[1:]))
    assert pagecache.read(cache, fewer) is None


def read_manifest_digests(out: Path) -> list[str]:
    import json

    return list(json.loads((out / ".civictrack-manifest.json").read_text(encoding="utf-8"))["files"].values())
