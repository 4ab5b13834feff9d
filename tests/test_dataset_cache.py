"""The validated data set kept between builds (``datacache``): used only for the same inputs,
written by a detached process that nobody waits for, and changing no output."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from civictrack import cli
from civictrack.speed import datacache

from .conftest import ROOT

MINIMAL = ROOT / "tests" / "fixtures" / "minimal"


def read_tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_read_gives_back_only_what_was_saved_with_that_fingerprint(tmp_path: Path) -> None:
    datacache._write(tmp_path, "f1", {"a": [1, "二"]})
    assert datacache.read(tmp_path, "f1") == {"a": [1, "二"]}
    assert datacache.read(tmp_path, "f2") is None
    assert datacache.read(None, "f1") is None and datacache.read(tmp_path, "") is None
    path = tmp_path / datacache.NAME
    path.write_bytes(path.read_bytes()[:-5])  # truncated: ignored, not an error
    assert datacache.read(tmp_path, "f1") is None
    path.write_bytes(b"garbage")
    assert datacache.read(tmp_path, "f1") is None


def _build(project: Path, out: Path, cache: Path) -> int:
    os.environ["CIVICTRACK_CACHE"] = str(cache)
    try:
        return cli.main(["--root", str(project), "build", "--no-search", "--out", str(out)])
    finally:
        del os.environ["CIVICTRACK_CACHE"]


def test_a_rebuild_with_the_same_inputs_skips_loading_and_writes_the_same_site(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "p"
    shutil.copytree(MINIMAL, project)
    cache, out = tmp_path / "cache", tmp_path / "site"
    assert _build(project, out, cache) == 0
    assert _saved(cache, project) is not None  # in line, or by a detached writer if single-threaded
    first = read_tree(out)
    shutil.rmtree(out)
    loads: list[Path] = []
    real_load = cli.load
    monkeypatch.setattr(cli, "load", lambda root: loads.append(root) or real_load(root))
    assert _build(project, out, cache) == 0
    assert loads == [] and read_tree(out) == first  # from the cache, the same site
    shutil.rmtree(out)
    item = project / "data" / "items" / "i1.yaml"
    item.write_text(item.read_text(encoding="utf-8").replace("title: ", "title: 改", 1), encoding="utf-8")
    assert _build(project, out, cache) == 0
    assert loads == [project]  # an input changed: loaded and validated again
    assert "改" in (out / "items" / "i1" / "index.html").read_text(encoding="utf-8")


def test_an_invalid_project_is_never_taken_from_the_cache(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(MINIMAL, project)
    cache, out = tmp_path / "cache", tmp_path / "site"
    item = project / "data" / "items" / "i1.yaml"
    item.write_text(item.read_text(encoding="utf-8").replace("summary:", "sumary:"), encoding="utf-8")
    assert _build(project, out, cache) == 1
    assert _build(project, out, cache) == 1
    assert not (cache / datacache.NAME).exists()


def test_build_py_saves_it_in_a_detached_process(tmp_path: Path) -> None:
    """A build in its own process forks the writer and does not wait for it; whoever reads the
    build's output (here: pipes) is not held up by it either."""
    project = tmp_path / "p"
    shutil.copytree(MINIMAL, project)
    cache = tmp_path / "cache"
    command = [sys.executable, str(ROOT / "build.py"), "--root", str(project), "build", "--no-search",
               "--out", str(tmp_path / "site")]
    done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", timeout=120,
                          env={**os.environ, "CIVICTRACK_CACHE": str(cache)})
    assert done.returncode == 0, done.stderr
    data = _saved(cache, project)
    assert data is not None and [item.id for item in data.items] == ["i1"]
    assert not list(cache.glob(f".{datacache.NAME}.*.tmp"))


def _saved(cache: Path, project: Path) -> object:
    """The data set saved for the project's current inputs, waiting up to 10 s for the writer."""
    from civictrack.speed.fingerprint import inputs_fingerprint

    fingerprint = inputs_fingerprint(project, {"base_url": None, "search": False})
    for _ in range(200):
        data = datacache.read(cache, fingerprint)
        if data is not None:
            return data
        time.sleep(0.05)
    return None
