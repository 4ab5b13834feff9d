"""One small invalid project per error kind; each asserts the exact messages with file and line.

A case is a folder under tests/invalid/ whose files are copied over the minimal valid
project in tests/fixtures/minimal/; expected.txt holds the exact lines `check` prints.
Regenerate after a deliberate message change with UPDATE_EXPECTED=1 and review the diff.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from civictrack.errors import ErrorSink
from civictrack.check import check_project

from .conftest import FIXTURES, INVALID, ROOT, overlay

CASES = sorted(p.name for p in INVALID.iterdir() if p.is_dir())


def run_check(project: Path) -> list[str]:
    sink = ErrorSink()
    data = check_project(project, sink)
    assert (data is None) == bool(sink)
    return [str(error) for error in sink.sorted()]


@pytest.mark.parametrize("case", CASES)
def test_invalid_case(case: str, tmp_path: Path) -> None:
    project = overlay(FIXTURES / "minimal", INVALID / case, tmp_path / "project")
    lines = run_check(project)
    expected_file = INVALID / case / "expected.txt"
    if os.environ.get("UPDATE_EXPECTED"):
        expected_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8").splitlines()
    assert lines == expected
    assert lines, "an invalid case must produce at least one error"


def test_minimal_fixture_is_valid(tmp_path: Path) -> None:
    project = overlay(FIXTURES / "minimal", INVALID / "__none__", tmp_path / "project")
    assert run_check(project) == []


def test_cli_prints_errors_without_traceback_and_writes_nothing(tmp_path: Path) -> None:
    """The real command: exit 1, every message on stderr, no traceback, no output folder."""
    project = overlay(FIXTURES / "minimal", INVALID / "unknown-key", tmp_path / "project")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project), "build", "--out", str(out)],
                            capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[:2] == (INVALID / "unknown-key" / "expected.txt").read_text(
        encoding="utf-8").splitlines()[:2]
    assert result.stderr.rstrip().endswith("nothing was written.")
    assert not out.exists()


def test_errors_from_many_files_are_reported_together(tmp_path: Path) -> None:
    """All errors of a run come out at once, not one per run."""
    project = overlay(FIXTURES / "minimal", INVALID / "unknown-key", tmp_path / "project")
    overlay_case = INVALID / "yaml-unquoted-date"
    for path in overlay_case.rglob("*.yaml"):
        dest = project / path.relative_to(overlay_case)
        dest.write_bytes(path.read_bytes())
    lines = run_check(project)
    files = {line.split(":", 1)[0] for line in lines}
    assert files == {"data/items/i1.yaml", "data/reports/r.yaml"}


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    project = overlay(FIXTURES / "minimal", INVALID / "__none__", tmp_path / "project")
    path = project / "data" / "items" / "i1.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert run_check(project) == []


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    project = overlay(FIXTURES / "minimal", INVALID / "__none__", tmp_path / "project")
    path = project / "data" / "items" / "i1.yaml"
    path.write_bytes(path.read_bytes() + b"# " + b"x" * (20 * 1024 * 1024) + b"\n")
    lines = run_check(project)
    assert lines[0].startswith("data/items/i1.yaml:1:1: file is ") and "over the 2 MiB limit" in lines[0]
