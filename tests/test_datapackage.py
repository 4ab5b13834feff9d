"""The built site's data/datapackage.json is a valid Frictionless Data Package describing figures.csv."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import frictionless
import pytest

from civictrack.errors import ErrorSink
from civictrack.opendata import ACTION_COLUMNS, FIGURE_COLUMNS
from civictrack.check import check_project
from civictrack.cli import main

from .conftest import EXAMPLE_BASE, ROOT

BASE = EXAMPLE_BASE
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def site(example_site: Path) -> Path:
    return example_site


@pytest.fixture(scope="module")
def figure_count() -> int:
    sink = ErrorSink()
    data = check_project(ROOT, sink)
    assert data is not None, [str(e) for e in sink.sorted()]
    return len(data.figures)


def test_datapackage_is_valid(site: Path, figure_count: int) -> None:
    descriptor = site / "data" / "datapackage.json"
    report = frictionless.validate(str(descriptor))
    if not report.valid:
        for row in report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"]):
            print(row)
    assert report.valid
    tasks = {task.name: task for task in report.tasks}
    assert set(tasks) == {"figures", "items", "actions", "updates"}
    assert tasks["figures"].stats["rows"] == figure_count == 64
    assert tasks["figures"].stats["fields"] == len(FIGURE_COLUMNS)
    assert tasks["actions"].stats["rows"] == 87  # every action of the bundled report
    assert tasks["actions"].stats["fields"] == len(ACTION_COLUMNS)
    assert tasks["updates"].stats.get("rows", 0) == 0  # nothing published after the report is in the bundled data


def test_series_datapackage_is_valid(tmp_path: Path) -> None:
    """The tracker's files of examples/series validate against their schemas, foreign key included."""
    out = tmp_path / "site"
    assert main(["--root", str(EXAMPLES / "series"), "build", "--out", str(out), "--no-search"]) == 0
    report = frictionless.validate(str(out / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])
    tasks = {task.name: task for task in report.tasks}
    assert tasks["actions"].stats["rows"] == 7 and tasks["updates"].stats["rows"] == 3


def test_datapackage_describes_the_csv(site: Path, figure_count: int) -> None:
    package = json.loads((site / "data" / "datapackage.json").read_text(encoding="utf-8"))
    figures = next(r for r in package["resources"] if r["name"] == "figures")
    assert figures["path"] == "figures.csv"
    assert [f["name"] for f in figures["schema"]["fields"]] == list(FIGURE_COLUMNS)
    assert figures["schema"]["primaryKey"] == ["figure_id"]
    with (site / "data" / "figures.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == figure_count
    assert package["homepage"] == BASE
    assert all(source["path"].startswith(BASE) for source in package["sources"])
    assert package["licenses"] and package["licenses"][0]["path"].startswith("https://")
