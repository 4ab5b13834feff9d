"""`build --out` replaces only a folder that is provably a build's own (``outdir.py``).

Each refusal runs the real command in a scratch copy of the bundled project, beside other
folders and files, and checks that it exits 1 with a message naming the folder and the
reason, before any work (the build cache is never created), and that every file of the copy
and of its surroundings is byte-identical afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from civictrack.publish.outdir import MANIFEST, legacy_manifest_path
from civictrack.schema import SchemaRefused, vscode_settings, write_schemas

from .conftest import ROOT
from .sitetools import _env


def make_world(tmp_path: Path) -> Path:
    """``tmp/world``: the project (with a .git), a neighbour project, an unrelated folder of
    documents and a lone file.  Returns the project folder."""
    world = tmp_path / "world"
    project = world / "project"
    project.mkdir(parents=True)
    for name in ("site.yaml", "published-urls.txt", "data", "content", "templates"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, project / name)
    (project / ".git").mkdir()
    (project / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (world / "neighbour").mkdir()
    (world / "neighbour" / "notes.md").write_text("未发表的笔记\n", encoding="utf-8")
    (world / "Documents" / "site").mkdir(parents=True)
    (world / "Documents" / "site" / "index.html").write_text("<p>someone else's page</p>\n", encoding="utf-8")
    (world / "report.pdf").write_bytes(b"%PDF-1.7 not ours\n")
    return project


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (None) under ``folder``, symbolic links as their target."""
    found: dict[str, bytes | None] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[rel] = os.readlink(path).encode()
        else:
            found[rel] = None if path.is_dir() else path.read_bytes()
    return found


def build(project: Path, *args: str, cache: Path | None = None) -> subprocess.CompletedProcess:
    """``python build.py --root . build ARGS`` run inside ``project`` (relative --out as typed)."""
    env = dict(_env(project) or os.environ)
    if cache is not None:
        env["CIVICTRACK_CACHE"] = str(cache)
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", ".", *args], cwd=project,
                          capture_output=True, text=True, encoding="utf-8", env=env)


REFUSED = [
    (".", "it is the project folder"),
    ("data", "it is the project's data/"),
    ("content", "it is the project's content/"),
    ("templates", "it is the project's templates/"),
    ("data/items", "it is inside the project's data/"),
    ("content/reports", "it is inside the project's content/"),
    (".git", "it is the project's .git/"),
    ("site.yaml", "it is the project's site.yaml"),
    ("..", "it contains the project folder"),
    ("../..", "it contains the project folder"),
    ("../Documents/site", "it is not empty (index.html) and no build of civictrack made it"),
    ("../neighbour", "it is not empty (notes.md) and no build of civictrack made it"),
    ("../report.pdf", "it is a file, not a folder"),
]


@pytest.mark.parametrize("out,reason", REFUSED, ids=[case[0] for case in REFUSED])
def test_refused_before_any_work_and_nothing_changes(tmp_path: Path, out: str, reason: str) -> None:
    project = make_world(tmp_path)
    world = project.parent
    cache = tmp_path / "cache"
    before = snapshot(tmp_path)
    result = build(project, "build", "--out", out, cache=cache)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.startswith(f"refusing to build into {out} ("), result.stderr
    assert reason in result.stderr, result.stderr
    assert "choose a new or empty folder" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not cache.exists()  # refused before any work: no cache, no helper process started
    assert snapshot(tmp_path) == before
    assert not [p for p in world.parent.iterdir() if p.name.startswith(".")]  # no staging or old folder


def test_a_symbolic_link_is_judged_by_where_it_points(tmp_path: Path) -> None:
    project = make_world(tmp_path)
    (project / "sitelink").symlink_to(project / "data")
    before = snapshot(tmp_path)
    result = build(project, "build", "--out", "sitelink", cache=tmp_path / "cache")
    assert result.returncode == 1 and "it is the project's data/" in result.stderr, result.stderr
    assert snapshot(tmp_path) == before


def test_the_build_cache_is_never_an_output_folder(tmp_path: Path) -> None:
    project = make_world(tmp_path)
    cache = tmp_path / "box" / "cache"
    cache.mkdir(parents=True)
    (cache / "kept.txt").write_text("cache\n", encoding="utf-8")
    before = snapshot(tmp_path)
    for out, reason in ((tmp_path / "box", "it contains the build cache"), (cache, "it is the build cache"),
                        (cache / "site", "it is inside the build cache")):
        result = build(project, "build", "--out", str(out), cache=cache)
        assert result.returncode == 1 and reason in result.stderr, result.stderr
    assert snapshot(tmp_path) == before


def test_a_manifest_does_not_make_a_source_folder_an_output(tmp_path: Path) -> None:
    project = make_world(tmp_path)
    (project / "data" / MANIFEST).write_text(json.dumps({"inputs": "x", "files": {}}), encoding="utf-8")
    before = snapshot(tmp_path)
    result = build(project, "build", "--out", "data", cache=tmp_path / "cache")
    assert result.returncode == 1 and "it is the project's data/" in result.stderr
    assert snapshot(tmp_path) == before


def test_new_empty_and_own_folders_are_built_and_rebuilt(tmp_path: Path) -> None:
    project = make_world(tmp_path)
    fresh = project.parent / "out" / "site"  # does not exist, nor does its parent
    result = build(project, "build", "--no-search", "--out", str(fresh))
    assert result.returncode == 0, result.stderr
    manifest = json.loads((fresh / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["generator"] == "civictrack" and "items/cq-2024-edu-funding/index.html" in manifest["files"]
    assert not legacy_manifest_path(fresh).exists()  # nothing written beside the output folder
    assert sorted(p.name for p in fresh.parent.iterdir()) == ["site"]
    first = snapshot(fresh)

    # an earlier build's folder is rebuilt, the same bytes
    result = build(project, "build", "--no-search", "--force", "--out", str(fresh))
    assert result.returncode == 0, result.stderr
    assert snapshot(fresh) == first and sorted(p.name for p in fresh.parent.iterdir()) == ["site"]

    # an empty folder is fine
    empty = project.parent / "empty"
    empty.mkdir()
    assert build(project, "build", "--no-search", "--out", str(empty)).returncode == 0
    assert snapshot(empty) == first

    # the default, site/ in the project
    assert build(project, "build", "--no-search").returncode == 0
    assert snapshot(project / "site") == first


def test_a_file_the_last_build_did_not_write_stops_the_next(tmp_path: Path) -> None:
    project = make_world(tmp_path)
    assert build(project, "build", "--no-search").returncode == 0
    site = project / "site"
    (site / "notes.txt").write_text("mine\n", encoding="utf-8")
    (site / "items" / "mine").mkdir()
    (site / "items" / "mine" / "draft.html").write_text("<p>draft</p>\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = build(project, "build", "--no-search", "--force")
    assert result.returncode == 1
    assert "holds 2 file(s) the last build did not write (items/mine/draft.html, notes.txt)" in result.stderr
    assert snapshot(tmp_path) == before
    (site / "notes.txt").unlink()
    shutil.rmtree(site / "items" / "mine")
    assert build(project, "build", "--no-search", "--force").returncode == 0


def test_pagefind_output_counts_as_the_builds_own(tmp_path: Path) -> None:
    project = make_world(tmp_path)
    assert build(project, "build").returncode == 0
    assert (project / "site" / "pagefind").is_dir()
    assert json.loads((project / "site" / MANIFEST).read_text(encoding="utf-8"))["folders"] == ["pagefind"]
    result = build(project, "build", "--force")
    assert result.returncode == 0, result.stderr


def test_a_site_built_by_an_earlier_version_is_still_its_own(tmp_path: Path) -> None:
    """Before, the manifest sat beside the folder (``.site.manifest.json``): still accepted, and
    replaced by the one inside on the next build."""
    project = make_world(tmp_path)
    assert build(project, "build", "--no-search").returncode == 0
    site = project / "site"
    old = json.loads((site / MANIFEST).read_text(encoding="utf-8"))
    del old["generator"]
    (site / MANIFEST).unlink()
    legacy_manifest_path(site).write_text(json.dumps(old), encoding="utf-8")
    result = build(project, "build", "--no-search")
    assert result.returncode == 0, result.stderr
    assert "0 written" in result.stdout  # the old manifest's digests still let files be linked
    assert (site / MANIFEST).is_file() and not legacy_manifest_path(site).exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)//", "ftp://example.org/", "//example.org/",
                                 "https://example.org", "https://example.org/a b/", "https://user@example.org/"])
def test_a_base_url_on_the_command_line_is_checked(tmp_path: Path, url: str) -> None:
    project = make_world(tmp_path)
    before = snapshot(tmp_path)
    result = build(project, "build", "--base-url", url, cache=tmp_path / "cache")
    assert result.returncode == 1 and result.stderr.startswith(f"--base-url {url!r}: "), result.stderr
    assert "ending in /" in result.stderr
    assert snapshot(tmp_path) == before and not (tmp_path / "cache").exists()


def test_schema_and_urls_write_only_into_a_project(tmp_path: Path) -> None:
    stranger = tmp_path / "stranger"
    stranger.mkdir()
    (stranger / "notes.txt").write_text("x\n", encoding="utf-8")
    for command in ("schema", "urls"):
        result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(stranger), command],
                                capture_output=True, text=True, encoding="utf-8")
        assert result.returncode == 1 and "is not a project folder (it has no site.yaml)" in result.stderr
    assert sorted(p.name for p in stranger.iterdir()) == ["notes.txt"]


def test_schema_keeps_the_editors_own_settings(tmp_path: Path) -> None:
    mine = {"editor.fontSize": 15, "yaml.schemas": {"./other.json": "other/*.yaml"}}
    merged = json.loads(vscode_settings(json.dumps(mine)))
    assert merged["editor.fontSize"] == 15 and merged["yaml.schemas"]["./other.json"] == "other/*.yaml"
    assert merged["yaml.schemas"]["./schema/item.schema.json"] == "data/items/*.yaml"
    assert vscode_settings(vscode_settings()) == vscode_settings()  # the committed file is a fixed point
    project = tmp_path / "p"
    (project / ".vscode").mkdir(parents=True)
    commented = '{\n  // mine\n  "editor.fontSize": 15\n}\n'
    (project / ".vscode" / "settings.json").write_text(commented, encoding="utf-8")
    with pytest.raises(SchemaRefused, match="not plain JSON"):
        write_schemas(project / "schema")
    assert (project / ".vscode" / "settings.json").read_text(encoding="utf-8") == commented
    assert not (project / "schema").exists()
