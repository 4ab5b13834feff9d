"""A second report, added by following docs/editing.md, builds with no code change: on its own and
together with the bundled data. The sample (tests/fixtures/second-report/) is a made-up 示例市
report with two items and three figures; docs/editing.md uses it as its worked example."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import yaml

from .conftest import FIXTURES, INVALID, ROOT
from .sitetools import parse_html, run_build

SAMPLE = FIXTURES / "second-report"
VOCABULARIES = ("bodies", "places", "documents", "tags", "statuses")
SAMPLE_REPORT = "shili-2024-water"
SAMPLE_ITEMS = ["shili-2024-water-pipes", "shili-2024-water-rural"]
SAMPLE_FIGURES = ["shili-water-pipes-renovated-2024", "shili-water-pipes-renovated-change-2024",
                  "shili-rural-tap-water-rate-2024"]
BUNDLED_REPORT = "cq-2024-edu-response"


def add_sample(project: Path) -> None:
    """What an editor does: the report, its text and items, and the vocabulary entries it lacks."""
    for sub in ("data/reports", "data/items", "content/reports"):
        for file in sorted((SAMPLE / sub).iterdir()):
            assert not (project / sub / file.name).exists(), f"{sub}/{file.name} would overwrite bundled data"
            shutil.copyfile(file, project / sub / file.name)
    for name in VOCABULARIES:
        path = project / "data" / f"{name}.yaml"
        have = {entry["id"] for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []}
        new = [e for e in yaml.safe_load((SAMPLE / "data" / f"{name}.yaml").read_text(encoding="utf-8"))
               if e["id"] not in have]
        if new:
            text = path.read_text(encoding="utf-8").rstrip("\n") + "\n"
            text += yaml.safe_dump(new, allow_unicode=True, sort_keys=False, default_flow_style=False)
            path.write_text(text, encoding="utf-8")


def test_the_sample_builds_on_its_own(tmp_path: Path) -> None:
    project = tmp_path / "sample"
    shutil.copytree(SAMPLE, project)
    out = tmp_path / "site"
    result = run_build(project, out, "https://example.org/sample/", "--no-search")
    assert result.returncode == 0, result.stderr
    assert "1 reports, 1 areas, 2 items, 5 actions, 3 figures (3 stated, 0 derived)" in result.stdout
    for path in [f"reports/{SAMPLE_REPORT}/"] + [f"items/{i}/" for i in SAMPLE_ITEMS] + [
            f"figures/{f}/" for f in SAMPLE_FIGURES]:
        assert (out / path / "index.html").is_file(), path


def test_bundled_data_plus_second_report_build_together(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    for name in ("site.yaml", "published-urls.txt"):
        shutil.copyfile(ROOT / name, project / name)
    for name in ("data", "content"):
        shutil.copytree(ROOT / name, project / name)
    add_sample(project)
    out = tmp_path / "site"
    result = run_build(project, out, "https://example.org/repo/")
    assert result.returncode == 0, result.stderr
    assert "3 reports, 6 areas, 17 items, 92 actions, 67 figures" in result.stdout
    assert re.search(r"search: Pagefind \S+ indexed \d+ pages", result.stdout)

    # both reports, every item and every figure have their pages
    for report in (BUNDLED_REPORT, SAMPLE_REPORT):
        assert (out / "reports" / report / "index.html").is_file()
    items = json.loads((out / "data" / "items.json").read_text(encoding="utf-8"))
    by_report: dict[str, list[str]] = {}
    for item in items["items"]:
        by_report.setdefault(item["report_id"], []).append(item["id"])
        assert (out / "items" / item["id"] / "index.html").is_file()
    assert sorted(by_report[SAMPLE_REPORT]) == SAMPLE_ITEMS and len(by_report[BUNDLED_REPORT]) == 15
    rows = list(csv.DictReader(io.StringIO((out / "data" / "figures.csv").read_text(encoding="utf-8"))))
    assert sorted(r["figure_id"] for r in rows if r["report_id"] == SAMPLE_REPORT) == sorted(SAMPLE_FIGURES)
    assert len([r for r in rows if r["report_id"] == BUNDLED_REPORT]) == 64
    for row in rows:
        assert (out / "figures" / row["figure_id"] / "index.html").is_file()

    # the sample's pages link to each other and to the report text, as the bundled ones do
    report = parse_html((out / "reports" / SAMPLE_REPORT / "index.html").read_text(encoding="utf-8"))
    hrefs = {a.get("href") for a in report.iter("a")}
    assert {f"/repo/items/{i}/" for i in SAMPLE_ITEMS} <= hrefs
    assert {f"/repo/figures/{f}/" for f in SAMPLE_FIGURES} <= hrefs
    index = parse_html((out / "reports" / "index.html").read_text(encoding="utf-8"))
    listed = {a.get("href") for a in index.iter("a")}
    assert {f"/repo/reports/{BUNDLED_REPORT}/", f"/repo/reports/{SAMPLE_REPORT}/"} <= listed
    figure = (out / "figures" / "shili-rural-tap-water-rate-2024" / "index.html").read_text(encoding="utf-8")
    assert "92.5%" in figure and f"/repo/reports/{SAMPLE_REPORT}/#s1-2" in figure


def test_the_guide_quotes_the_real_error_messages() -> None:
    """docs/editing.md explains the messages of every case in tests/invalid/ (at least one message
    of each, verbatim): a changed message must be changed there too."""
    def plain(text: str) -> str:
        return " ".join(text.replace("`", "").split())

    guide = plain((ROOT / "docs" / "editing.md").read_text(encoding="utf-8"))
    missing = []
    for expected in sorted(INVALID.glob("*/expected.txt")):
        messages = [plain(re.sub(r"^[^:]+:\d+:\d+: ", "", line))
                    for line in expected.read_text(encoding="utf-8").splitlines()]
        if not any(m[:50] in guide for m in messages):
            missing.append(f"{expected.parent.name}: {messages[0][:50]}")
    assert missing == []
