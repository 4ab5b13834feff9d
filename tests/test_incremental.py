"""Incremental rebuilds (the `serve` preview) give exactly what a clean build gives.

Replays a sequence of edits on a scratch copy of the bundled project with the preview's
rebuild (which re-renders only the pages an item edit can touch, and falls back to a full
build for anything else) and compares every output file with a clean build of the same
data, byte for byte.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from civictrack.errors import ErrorSink
from civictrack.serve import Preview
from civictrack.site import build_site
from civictrack.validate import check_project

from .conftest import ROOT

FUNDING = "data/items/cq-2024-edu-funding.yaml"
PRESCHOOL = "data/items/cq-2024-edu-preschool.yaml"


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
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    for name in ("site.yaml", "published-urls.txt", "data", "content"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, root / name)
    return root


def test_incremental_rebuilds_equal_clean_builds(project: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CIVICTRACK_CACHE", str(ROOT / ".cache" / "charts"))
    preview = Preview(project, tmp_path / "serve", "/repo/", 8000, "127.0.0.1")
    assert preview.rebuild() and not preview.last_stats["incremental"]
    total_pages = preview.last_stats["pages_rendered"]
    for file, old, new, incremental in EDITS:
        replace(project / file, old, new)
        assert preview.rebuild(), file
        assert preview.last_stats["incremental"] is incremental, (file, new)
        if incremental:
            assert preview.last_stats["pages_rendered"] < total_pages / 2
        sink = ErrorSink()
        data = check_project(project, sink)
        assert data is not None, sink.errors
        clean = build_site(data, base_url=preview.base_url, root=project, preview=True)
        assert preview.written.keys() == clean.files.keys(), (file, new)
        different = [path for path, content in clean.files.items() if preview.written[path] != content]
        assert different == [], (file, new, different[:5])
        on_disk = {p.relative_to(preview.out).as_posix() for p in preview.out.rglob("*") if p.is_file()}
        assert on_disk - {"__preview/errors.json"} == set(clean.files)
