"""The data a newsroom opens: every CSV and workbook read as pandas (default settings), LibreOffice
(headless, its default import) and Excel on a Chinese system (a CSV without a byte-order mark
decoded as GBK, code page 936; with one, as UTF-8) read them; /data/ links every file of the data
package; a chart's CSV holds that chart's rows and names the report each comes from."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from civictrack.opendata import CHART_COLUMNS, XLSX_FILES

from .conftest import ROOT

CSVS = ("figures.csv", "actions.csv", "updates.csv")
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def rows_of(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def excel_decodes(raw: bytes) -> str:
    """What Excel shows of a CSV on a Chinese Windows: UTF-8 after a BOM, else the system code page."""
    return raw[3:].decode("utf-8") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("gbk")


def workbook_rows(path: Path) -> list[list[str]]:
    """The cells of a one-sheet .xlsx, as text (inline strings: every cell of ours)."""
    with zipfile.ZipFile(path) as archive:
        sheet = ET.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    return [["".join(t.text or "" for t in cell.iter(f"{MAIN}t")) for cell in row.iter(f"{MAIN}c")]
            for row in sheet.iter(f"{MAIN}row")]


def chart_csvs(site: Path) -> list[Path]:
    return sorted(site.glob("charts/*.csv")) + sorted(site.glob("en/charts/*.csv"))


def test_pandas_reads_every_csv_with_its_defaults(example_site: Path) -> None:
    pandas = pytest.importorskip("pandas")
    for path in [example_site / "data" / name for name in CSVS] + chart_csvs(example_site):
        expected = rows_of(path)
        frame = pandas.read_csv(path)  # default settings: what a newsroom's notebook does
        assert list(frame.columns) == expected[0], path.name  # no BOM left on the first name
        for column in ("label", "quote", "text", "chart_title", "report_title", "report_issuer"):
            if column in expected[0]:
                k = expected[0].index(column)
                read = ["" if pandas.isna(v) else str(v) for v in frame[column]]
                assert read == [row[k] for row in expected[1:]], (path.name, column)


def test_excel_on_a_chinese_system(example_site: Path) -> None:
    """The standard CSVs have no BOM, so Excel would decode them as GBK: garbage or an error
    (measured here, and the reason for the workbooks); the workbooks hold the same cells; a
    chart's CSV has a BOM and decodes as written."""
    figures = (example_site / "data" / "figures.csv").read_bytes()
    assert not figures.startswith(b"\xef\xbb\xbf")  # the public contract stays plain UTF-8
    with pytest.raises(UnicodeDecodeError):
        excel_decodes(figures)
    for name in CSVS:
        workbook = example_site / "data" / XLSX_FILES[name]
        assert workbook_rows(workbook) == rows_of(example_site / "data" / name), name
    for path in chart_csvs(example_site):
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), path.name
        assert list(csv.reader(io.StringIO(excel_decodes(raw)))) == rows_of(path), path.name


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing: scripts/test.sh installs libreoffice-calc-nogui")
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def converted(source: Path, out: Path, *infilter: str) -> list[list[str]]:
    """``source`` opened by LibreOffice headless and saved as UTF-8 CSV, read back."""
    out.mkdir(parents=True, exist_ok=True)
    profile = out / "profile"
    result = subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless", *infilter,
                             "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", str(out),
                             str(source)], capture_output=True, text=True, timeout=180)
    target = out / (source.stem + ".csv")
    assert target.exists(), result.stderr
    return list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))


def test_libreoffice_opens_the_workbooks(example_site: Path, tmp_path: Path) -> None:
    """LibreOffice's default CSV import (headless, 7.4) decodes a CSV as Latin-1, BOM or not;
    the workbooks need no guess.  A chart's CSV reads right once UTF-8 is chosen."""
    for name in CSVS:
        read = converted(example_site / "data" / XLSX_FILES[name], tmp_path / name)
        assert read == rows_of(example_site / "data" / name), name
    figures = converted(example_site / "data" / "figures.csv", tmp_path / "plain")
    assert figures != rows_of(example_site / "data" / "figures.csv")  # measured: the reason for the workbooks
    chart = example_site / "charts" / "item-cq-2024-edu-preschool-rates.csv"
    read, expected = converted(chart, tmp_path / "chart", "--infilter=CSV:44,34,76"), rows_of(chart)
    assert read[0] == expected[0]
    for column in ("chart_title", "label", "value_as_written", "quote", "report_title", "report_issuer"):
        k = expected[0].index(column)  # the words intact (the import types true/false as booleans)
        assert [r[k] for r in read] == [r[k] for r in expected], column


def test_data_page_links_every_file(example_site: Path) -> None:
    package = json.loads((example_site / "data" / "datapackage.json").read_text(encoding="utf-8"))
    files = [r["path"] for r in package["resources"]] + ["datapackage.json"] + list(XLSX_FILES.values())
    for page in ("data/index.html", "en/data/index.html"):
        hrefs = set(re.findall(r'<a href="([^"]+)"', (example_site / page).read_text(encoding="utf-8")))
        for name in files:
            assert any(h and h.endswith(f"/data/{name}") and "/en/" not in h for h in hrefs), (page, name)
            assert (example_site / "data" / name).is_file()


def test_chart_csv_holds_the_charts_rows(example_site: Path) -> None:
    reports = {}
    for path in sorted((ROOT / "data" / "reports").glob("*.yaml")):
        import yaml

        report = yaml.safe_load(path.read_text(encoding="utf-8"))
        reports[report["id"]] = report
    checked = 0
    for edition in ("", "en/"):
        for spec_file in sorted((example_site / edition / "charts").glob("*.vl.json")):
            chart_id = spec_file.name.removesuffix(".vl.json")
            spec = json.loads(spec_file.read_text(encoding="utf-8"))
            values = spec["data"]["values"] if "data" in spec else spec["datasets"][next(iter(spec["datasets"]))]
            rows = rows_of(example_site / edition / "charts" / f"{chart_id}.csv")
            assert tuple(rows[0]) == CHART_COLUMNS
            body = [dict(zip(rows[0], r)) for r in rows[1:]]
            assert [r["label"] for r in body] == [v["label"] for v in values], chart_id
            assert [r["value_as_written"] for r in body] == [v["text"] for v in values], chart_id
            for row in body:
                assert row["chart_id"] == chart_id and row["report_id"], (chart_id, row["label"])
                report = reports[row["report_id"]]
                title = report["title"] if not edition else report["title_en"]
                assert (row["report_title"], row["report_date"]) == (title, report["date"]), chart_id
                assert row["report_issuer"]
                if chart_id.startswith(("figure-", "item-")):
                    assert row["figure_id"] and row["quote"], chart_id
            checked += 1
    assert checked >= 2 * (64 + 4 + 3)
    page = (example_site / "items" / "cq-2024-edu-preschool" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="[^"]*/charts/item-cq-2024-edu-preschool-rates\.csv" download>数据 CSV<', page)
    assert 'data/figures.csv">数据 CSV' not in page


def test_an_as_of_the_report_did_not_state_is_marked(example_site: Path) -> None:
    """截至目前 ("to date") is read as the report's date: the CSV, the JSON twin and the pages say
    so; a date the report states (the opinions' 2024-06-18) stays as it is."""
    rows = {r["figure_id"]: r for r in csv.DictReader(io.StringIO(
        (example_site / "data" / "figures.csv").read_text(encoding="utf-8")))}
    rate, gaps = "cq-edu-preschool-gross-enrolment-rate-2024", "cq-2024-edu-opinions-gap-areas"
    assert (rows[rate]["as_of"], rows[rate]["as_of_is_report_date"]) == ("2024-12-27", "true")
    assert (rows[gaps]["as_of"], rows[gaps]["as_of_is_report_date"]) == ("2024-06-18", "false")
    twin = json.loads((example_site / "figures" / rate / "index.json").read_text(encoding="utf-8"))
    assert json.dumps(twin, ensure_ascii=False).count('"as_of_is_report_date": true') >= 1
    def text(path: Path) -> str:  # dates stand in a no-wrap span (they never break inside)
        return re.sub(r'<span class="nw">([^<]*)</span>', r"\1", path.read_text(encoding="utf-8"))

    page = text(example_site / "figures" / rate / "index.html")
    assert "截至报告日（2024-12-27）" in page and "截至 2024-12-27" not in page
    assert "截至 2024-06-18" in text(example_site / "figures" / gaps / "index.html")
    english = (example_site / "en" / "figures" / rate / "index.html").read_text(encoding="utf-8")
    assert "As of the report&#39;s date" in english or "As of the report's date" in english
