"""The change log: /changes/, feed.xml and each page's "last changed" date come from data/changes.yaml."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from .conftest import FIXTURES, INVALID, ROOT, overlay
from .sitetools import parse_html, run_build

ATOM = "{http://www.w3.org/2005/Atom}"


def test_feed_and_changes_page_for_the_bundled_data(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert run_build(ROOT, out, "https://example.org/repo/").returncode == 0
    feed = ET.parse(out / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    changes = json.loads((out / "changes" / "index.json").read_text(encoding="utf-8"))["changes"]
    assert len(entries) == len(changes) >= 1
    for entry, change in zip(entries, changes):
        assert entry.find(f"{ATOM}id").text == f"https://example.org/repo/changes/#{change['id']}"
        assert entry.find(f"{ATOM}updated").text == f"{change['date']}T00:00:00Z"
        assert entry.find(f"{ATOM}link").get("href").startswith("https://example.org/repo/")
    page = parse_html((out / "changes" / "index.html").read_text(encoding="utf-8"))
    assert page.by_id(changes[0]["id"]) is not None
    head = (out / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml" href="/repo/feed.xml"' in head


def test_last_changed_follows_the_log(tmp_path: Path) -> None:
    project = overlay(FIXTURES / "minimal", INVALID / "__none__", tmp_path / "project")
    (project / "data" / "changes.yaml").write_text(
        "- id: fix-funds\n  date: \"2025-03-04\"\n  kind: corrected\n  summary: 更正投入资金的单位。\n"
        "  figures: [funds-2024]\n", encoding="utf-8")
    out = tmp_path / "site"
    result = run_build(project, out)
    assert result.returncode == 0, result.stderr

    def last_changed(path: str) -> str:
        return json.loads((out / path / "index.json").read_text(encoding="utf-8"))["last_changed"]

    assert last_changed("figures/funds-2024") == "2025-03-04"
    assert last_changed("items/i1") == "2025-03-04"  # the item shows that figure
    assert last_changed("figures/schools-2024") == "2024-12-27"  # untouched: the report's date
    html = (out / "figures" / "funds-2024" / "index.html").read_text(encoding="utf-8")
    assert '本页最后更新 <time datetime="2025-03-04">' in html
    feed = ET.parse(out / "feed.xml").getroot()
    assert [e.find(f"{ATOM}category").get("term") for e in feed.findall(f"{ATOM}entry")] == ["corrected"]
