"""`build` writes the open data contract, byte-identically, and atomically."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from civictrack.opendata import FIGURE_COLUMNS

from .conftest import FIXTURES, INVALID, ROOT, overlay

CONTRACT = ["figure_id", "indicator", "item_id", "report_id", "label", "value", "unit", "value_normalized",
            "base_unit", "qualifier", "period", "derived", "quote", "url"]


def build(root: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(root), "build", "--out", str(out),
                           *extra], capture_output=True, text=True, encoding="utf-8")


def test_figures_csv_and_items_json(tmp_path: Path) -> None:
    result = build(ROOT, tmp_path / "site", "--base-url", "https://example.org/repo/")
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "site" / "data" / "figures.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0].keys())[: len(CONTRACT)] == CONTRACT
    assert tuple(rows[0].keys()) == FIGURE_COLUMNS
    by_id = {row["figure_id"]: row for row in rows}
    assert len(by_id) == len(rows)
    enrolment = next(r for r in rows if r["value"] == "57.5")
    assert (enrolment["unit"], enrolment["value_normalized"], enrolment["base_unit"]) == ("万名", "575000", "名")
    assert enrolment["url"] == f"https://example.org/repo/figures/{enrolment['figure_id']}/"
    training = next(r for r in rows if r["value"] == "1.4")
    assert (training["unit"], training["qualifier"], training["value_normalized"]) == ("亿元", "more_than", "140000000")
    derived = by_id["cq-edu-transfer-payments-2023"]
    assert (derived["derived"], derived["value"], derived["value_normalized"]) == ("true", "141.99", "14199000000")
    assert {r["derived"] for r in rows} == {"true", "false"}
    assert {r["qualifier"] for r in rows} <= {"exact", "more_than", "nearly", "about", "at_least"}
    items = json.loads((tmp_path / "site" / "data" / "items.json").read_text(encoding="utf-8"))
    assert len(items["items"]) == 15
    figure_ids = {fid for item in items["items"] for fid in item["figure_ids"]}
    assert figure_ids == {r["figure_id"] for r in rows if r["item_id"]}
    for item in items["items"]:
        assert item["url"] == f"https://example.org/repo/items/{item['id']}/"
        assert all(a["status"] and a["quote"] for a in item["actions"])


def pagefind_varies(rel: Path) -> bool:
    """Pagefind 1.5 writes its filter index (the 类型 filter) in hash-map order, so that file, its
    content-hashed name and the two files naming it differ from run to run; the words, fragments
    and scripts do not."""
    name = rel.as_posix()
    return name.startswith("pagefind/filter/") or name == "pagefind/pagefind-entry.json" or (
        name.startswith("pagefind/pagefind.") and name.endswith(".pf_meta"))


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert build(ROOT, tmp_path / name).returncode == 0
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert [f for f in files_a if not pagefind_varies(f)] == [f for f in files_b if not pagefind_varies(f)]
    assert len(files_a) == len(files_b) and any(pagefind_varies(f) for f in files_a)
    for rel in files_a:
        if not pagefind_varies(rel):
            assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_failed_build_leaves_previous_site_untouched(tmp_path: Path) -> None:
    project = overlay(FIXTURES / "minimal", INVALID / "__none__", tmp_path / "project")
    out = tmp_path / "site"
    assert build(project, out).returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    broken = overlay(FIXTURES / "minimal", INVALID / "quote-not-verbatim", tmp_path / "broken")
    result = build(broken, out)
    assert result.returncode == 1 and "quote not found verbatim" in result.stderr
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    # no staging folder left behind; the manifest of the good build is inside it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken", "project", "site"]
