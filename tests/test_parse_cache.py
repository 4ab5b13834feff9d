"""The parse cache (parsed data files kept between builds) changes no result: errors found
in files that come from the cache carry the same file:line:column as without it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

MINIMAL = ROOT / "tests" / "fixtures" / "minimal"


def check(project: Path, cache: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project), "check"],
                          capture_output=True, text=True, encoding="utf-8",
                          env={**os.environ, "CIVICTRACK_CACHE": cache})


def test_errors_in_cached_files_keep_their_positions(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(MINIMAL, project)
    cache = tmp_path / "cache"
    first = check(project, str(cache))
    assert first.returncode == 0, first.stderr
    assert (cache / "parsed.marshal").stat().st_size > 0
    # the item file is unchanged (from the cache); its tag disappears from the vocabulary
    tags = project / "data" / "tags.yaml"
    tags.write_text(tags.read_text(encoding="utf-8").replace("id: t1", "id: t9"), encoding="utf-8")
    (project / "data" / "items" / "i1.yaml").write_text(
        (project / "data" / "items" / "i1.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    cached = check(project, str(cache))
    fresh = check(project, "off")
    assert cached.returncode == fresh.returncode == 1
    assert "data/items/i1.yaml:11:" in fresh.stderr, fresh.stderr
    assert cached.stderr == fresh.stderr


def test_a_changed_file_is_parsed_again(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(MINIMAL, project)
    cache = str(tmp_path / "cache")
    assert check(project, cache).returncode == 0
    item = project / "data" / "items" / "i1.yaml"
    item.write_text(item.read_text(encoding="utf-8").replace("summary:", "sumary:"), encoding="utf-8")
    result = check(project, cache)
    assert result.returncode == 1
    assert "data/items/i1.yaml:7:1: unknown key `sumary` (did you mean `summary`?)" in result.stderr
