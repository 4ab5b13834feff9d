"""The inputs fingerprint: a build with it unchanged does nothing (and takes the validated data
from the cache), so every input must change it, and nothing else may."""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest

import jinja2

from civictrack import cli
from civictrack.speed import versions
from civictrack.speed.fingerprint import inputs_fingerprint

from .conftest import ROOT

MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
OPTIONS = {"base_url": None, "search": False}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "p"
    shutil.copytree(MINIMAL, target)
    return target


def _edit(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("change", [
    "data file", "new nested data file", "content", "own templates", "site.yaml", "published urls",
    "options", "SOURCE_DATE_EPOCH"])
def test_every_input_changes_it(project: Path, change: str, monkeypatch: pytest.MonkeyPatch) -> None:
    before = inputs_fingerprint(project, OPTIONS)
    assert inputs_fingerprint(project, OPTIONS) == before  # the same inputs: the same fingerprint
    options = OPTIONS
    if change == "data file":
        item = project / "data" / "items" / "i1.yaml"
        _edit(item, item.read_text(encoding="utf-8") + "\n")
    elif change == "new nested data file":
        _edit(project / "data" / "items" / "more" / "x.yaml", "id: x\n")
    elif change == "content":
        _edit(project / "content" / "about.md", "# 关于\n")
    elif change == "own templates":
        _edit(project / "templates" / "base.html", "<html></html>")
    elif change == "site.yaml":
        _edit(project / "site.yaml", (project / "site.yaml").read_text(encoding="utf-8") + "# x\n")
    elif change == "published urls":
        _edit(project / "published-urls.txt", "items/i1/\n")
    elif change == "options":
        options = {**OPTIONS, "search": True}
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert inputs_fingerprint(project, options) != before


def test_compiled_python_and_renamed_files_are_told_apart(project: Path) -> None:
    before = inputs_fingerprint(project, OPTIONS)
    _edit(project / "data" / "__pycache__" / "x.pyc", "compiled")  # never an input
    assert inputs_fingerprint(project, OPTIONS) == before
    tags = project / "data" / "tags.yaml"
    tags.rename(project / "data" / "tags2.yaml")  # same bytes, another name
    assert inputs_fingerprint(project, OPTIONS) != before


def test_a_linked_data_folder_is_read_through(tmp_path: Path, project: Path) -> None:
    shutil.move(project / "data", tmp_path / "elsewhere")
    (project / "data").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    before = inputs_fingerprint(project, OPTIONS)
    item = tmp_path / "elsewhere" / "items" / "i1.yaml"
    _edit(item, item.read_text(encoding="utf-8") + "\n")
    assert inputs_fingerprint(project, OPTIONS) != before


def test_a_library_is_told_by_its_version_or_else_its_files(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    _edit(site / "fakelib" / "__init__.py", "VERSION = 1\n")
    _edit(site / "fake_lib_dist-1.2.dist-info" / "METADATA", "Name: fake-lib-dist\n")
    _edit(site / "loose" / "__init__.py", "VERSION = 1\n")
    monkeypatch.syspath_prepend(str(site))
    assert versions.installed("fakelib", "Fake-Lib.Dist") == "1.2"  # names compare normalized
    first = versions.installed("loose", "loose")  # no dist-info: its file's path, size and time
    assert first.startswith(str(site / "loose" / "__init__.py") + ":")
    time.sleep(0.01)
    _edit(site / "loose" / "__init__.py", "VERSION = 22\n")  # an upgrade writes its files anew
    assert versions.installed("loose", "loose") != first
    assert versions.installed("no_such_library_here", "x") == "none"
    assert "fakelib" not in sys.modules and "loose" not in sys.modules  # looked up, never imported
    assert versions.installed("jinja2", "Jinja2") == jinja2.__version__


def test_a_second_build_of_the_same_inputs_does_nothing(project: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    os.environ["CIVICTRACK_CACHE"] = str(tmp_path / "cache")
    try:
        assert cli.main(["--root", str(project), "build", "--no-search", "--out", str(out)]) == 0
        assert "built " in capsys.readouterr().out
        assert cli.main(["--root", str(project), "build", "--no-search", "--out", str(out)]) == 0
        assert "nothing changed" in capsys.readouterr().out
        (out / "items" / "i1" / "index.html").unlink()  # the output lost a file: built again
        assert cli.main(["--root", str(project), "build", "--no-search", "--out", str(out)]) == 0
        assert "built " in capsys.readouterr().out and (out / "items" / "i1" / "index.html").is_file()
    finally:
        del os.environ["CIVICTRACK_CACHE"]
