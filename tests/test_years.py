"""The year pages (``/years/<year>/``): the page type added to show what adding one takes
(``civictrack/pages/years.py``, ``templates/year.html``, one line in ``pages/__init__.py``)."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

from civictrack.check import check_project
from civictrack.errors import ErrorSink
from civictrack.index.indexes import build_indexes
from civictrack.pages.site import Site
from civictrack.pages.years import Years, by_year
from civictrack.preview.incremental import affected_pages
from civictrack.urls import Urls

from .conftest import PAGE_SIZE, ROOT
from .sitetools import parse_html


def year_of(row: dict[str, str]) -> str | None:
    if re.fullmatch(r"\d{4}", row["period"]):
        return row["period"]
    return row["as_of"][:4] or None


def test_each_year_lists_its_figures_in_order(example_site: Path) -> None:
    with open(example_site / "data" / "figures.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected: dict[str, list[str]] = {}
    for row in rows:
        if year_of(row):
            expected.setdefault(year_of(row), []).append(row["figure_id"])  # type: ignore[arg-type]
    assert sorted(expected) == ["2023", "2024"] and sum(map(len, expected.values())) == 61  # 3 of 64: 调整前/后
    assert sorted(p.name for p in (example_site / "years").iterdir()) == sorted(expected)
    order = {f["figure_id"]: k for k, f in enumerate(rows)}
    for year, ids in expected.items():
        twin = json.loads((example_site / "years" / year / "index.json").read_text(encoding="utf-8"))
        assert sorted(twin["figures"], key=order.get) == sorted(ids, key=order.get)  # the same set
        assert set(twin["figures"]) == set(ids) and twin["year"] == year
        html = parse_html((example_site / "years" / year / "index.html").read_text(encoding="utf-8"))
        assert f"{year} 年的数字" in html.find("h1").text
        linked = [a.get("href") for a in html.find("main").iter("a")]
        for fid in ids:
            assert f"/repo/figures/{fid}/" in linked, (year, fid)


def test_a_figure_page_links_to_its_year(example_site: Path) -> None:
    html = (example_site / "figures" / "cq-edu-transfer-payments-2024" / "index.html").read_text(encoding="utf-8")
    assert 'href="/repo/years/2024/">2024 年的全部数字</a>' in html


def test_year_pages_paginate(paged_site) -> None:  # type: ignore[no-untyped-def]
    site = paged_site.site
    first = json.loads((site / "years" / "2024" / "index.json").read_text(encoding="utf-8"))
    pages, total = first["pagination"]["pages"], first["pagination"]["total"]
    assert total == 59 and pages == -(-total // PAGE_SIZE)
    seen = list(first["figures"])
    for number in range(2, pages + 1):
        twin = json.loads((site / "years" / "2024" / "page" / str(number) / "index.json").read_text(encoding="utf-8"))
        assert twin["pagination"]["page"] == number
        seen += twin["figures"]
    assert len(seen) == len(set(seen)) == total


def test_an_item_edit_re_renders_the_year_page_showing_its_figure(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    for name in ("site.yaml", "published-urls.txt", "data", "content"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copyfile)(ROOT / name, project / name)
    old = check_project(project, ErrorSink())
    item = project / "data" / "items" / "cq-2024-edu-funding.yaml"
    item.write_text(item.read_text(encoding="utf-8").replace("label: 教育专项转移支付资金", "label: 教育专项转移支付资金（改）", 1),
                    encoding="utf-8")
    new = check_project(project, ErrorSink())
    assert old is not None and new is not None
    old_ix, new_ix = build_indexes(old), build_indexes(new)
    pages = affected_pages(old, new, old_ix, new_ix)
    assert pages is not None and "years/2024/" in pages and "years/2023/" in pages  # its 2023 value is derived
    site = Site(new, new_ix, Urls("https://example.org/"), "")
    assert set(Years().showing(site, new_ix.item_by_id["cq-2024-edu-funding"])) == {"years/2023/", "years/2024/"}
    assert list(by_year(site)) == ["2023", "2024"]
