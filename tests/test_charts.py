"""Charts: inline SVG on every figure page, comparing item and the overview; files for reuse;
honest encoding; deterministic rendering; the cache."""

from __future__ import annotations

import json
from pathlib import Path

import altair as alt
import jsonschema
import pytest

from civictrack.charts.render import _render_one, prepare_inline_svg
from civictrack.charts.specs import ChartSpec, Row, all_charts
from civictrack.errors import ErrorSink
from civictrack.index.indexes import build_indexes
from civictrack.check import check_project
from civictrack.dataset import Dataset

from .conftest import EXAMPLE_BASE, ROOT
from .sitetools import parse_html, run_build

BASE = EXAMPLE_BASE


@pytest.fixture(scope="module")
def data() -> Dataset:
    result = check_project(ROOT, ErrorSink())
    assert result is not None
    return result


@pytest.fixture(scope="module")
def site(example_site: Path) -> Path:
    return example_site


def charts_on(site: Path, path: str) -> list:
    doc = parse_html((site / path / "index.html").read_text(encoding="utf-8"))
    return doc.find_all("figure", cls="chart")


def check_chart(site: Path, figure) -> None:
    """Inline SVG with a label, a caption stating the numbers, a data table, and linked files."""
    svg = figure.find("svg")
    assert svg is not None and svg.get("role") == "img" and svg.get("aria-label")
    caption = figure.find("figcaption")
    assert caption is not None and figure.find("p", cls="chart-desc").text.strip()
    assert figure.find("details", cls="chart-data").find("table") is not None
    links = {a.get("href") for a in caption.find_all("a")}
    chart_id = figure.get("id").removeprefix("chart-")
    for suffix in (".svg", ".png", ".vl.json"):
        href = f"/repo/charts/{chart_id}{suffix}"
        assert href in links
        assert (site / "charts" / f"{chart_id}{suffix}").stat().st_size > 0
    assert figure.get("data-spec") == f"/repo/charts/{chart_id}.vl.json"


def test_every_figure_page_has_its_chart(site: Path, data: Dataset) -> None:
    for fid in data.figures:
        found = charts_on(site, f"figures/{fid}")
        assert [f.get("id") for f in found] == [f"chart-figure-{fid}"]
        check_chart(site, found[0])
        head = (site / "figures" / fid / "index.html").read_text(encoding="utf-8")
        assert f'<meta property="og:image" content="{BASE}charts/figure-{fid}.png">' in head


def test_comparing_items_and_overview_have_charts(site: Path, data: Dataset) -> None:
    with_charts = {item.id: item for item in data.items if item.charts}
    assert {"cq-2024-edu-preschool", "cq-2024-edu-high-school", "cq-2024-edu-teacher-training",
            "cq-2024-edu-digital-resources"} <= set(with_charts)
    for item in data.items:
        found = charts_on(site, f"items/{item.id}")
        assert [f.get("id") for f in found] == [f"chart-item-{item.id}-{c.id}" for c in item.charts]
        for figure in found:
            check_chart(site, figure)
    overview = charts_on(site, "")
    assert [f.get("id") for f in overview] == ["chart-overview-areas", "chart-overview-statuses", "chart-overview-bodies"]
    for figure in overview:
        check_chart(site, figure)


def test_pages_with_charts_load_the_local_bundle_as_a_module(site: Path) -> None:
    html = (site / "figures" / "cq-edu-transfer-payments-2024" / "index.html").read_text(encoding="utf-8")
    assert '<script type="module" src="/repo/assets/charts.js' in html
    assert 'import "./vega-embed.js"' in (site / "assets" / "charts.js").read_text(encoding="utf-8")
    assert (site / "assets" / "vega-embed.js").stat().st_size > 500_000
    plain = (site / "tags" / "index.html").read_text(encoding="utf-8")
    assert "charts.js" not in plain


def test_png_files_are_png(site: Path) -> None:
    for path in (site / "charts").glob("*.png"):
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_vega_lite_specs_are_valid(site: Path) -> None:
    schema = alt.vegalite.v6.schema.core.load_schema()
    validator = jsonschema.Draft7Validator(schema)
    files = sorted((site / "charts").glob("*.vl.json"))
    assert len(files) >= 64 + 4 + 3
    for path in files:
        spec = json.loads(path.read_text(encoding="utf-8"))
        errors = list(validator.iter_errors(spec))
        assert not errors, (path.name, errors[0].message)


def test_bar_spec_fill_equals_altair(data: Dataset) -> None:
    """Bar specs are filled into a template Altair built once; they must equal Altair's own spec."""
    specs = list(all_charts(data, build_indexes(data)).values())
    rows = [Row("2023年", 0.0, "0个"), Row("2024年", 12345.678, "1.2万余元", True), Row("<b>", 1e9, "超10亿人次")]
    specs += [ChartSpec(f"figure-t{n}", "标题，" * n, unit, rows[:n], "来源：<script>")
              for n in (1, 2, 3) for unit in ("%", "亿元")]
    assert sum(1 for s in specs if s.kind == "bar") >= 60
    for spec in specs:
        assert json.dumps(spec.vegalite(), sort_keys=True) == json.dumps(spec.altair_vegalite(), sort_keys=True), spec.id


def test_honest_encoding(data: Dataset) -> None:
    ix = build_indexes(data)
    specs = all_charts(data, ix)
    transfer = specs["figure-cq-edu-transfer-payments-2024"]
    assert [(r.label, r.value, r.derived) for r in transfer.rows] == [("2023年", 141.99, True), ("2024年", 175.7, False)]
    assert transfer.unit == "亿元"
    assert "较上年增加33.71亿元" in transfer.title and "推算" in transfer.note
    training = specs["figure-cq-edu-teacher-training-funds-2024"]
    assert training.rows[0].text == "1.4亿余元"  # the qualifier stays on the label
    visits = specs["figure-cq-edu-platform-visits-2024"]
    assert visits.rows[0].text == "超4.4亿人次"
    share = specs["figure-cq-edu-high-school-enrolment-plan-share-change-2024"]
    assert share.rows[0].text == "近6个百分点" and share.unit == "个百分点"
    for spec in specs.values():
        vl = spec.vegalite()
        for layer in vl.get("layer", [vl]):
            x = layer["encoding"]["x"]
            if spec.kind in ("bar", "grouped"):
                assert x["scale"].get("zero") is True
            assert x["title"].startswith(spec.unit)
        assert all(r.text in spec.description for r in spec.rows)


def test_rendering_is_deterministic_and_inlines_safely(data: Dataset) -> None:
    ix = build_indexes(data)
    specs = all_charts(data, ix)
    spec = specs["overview-statuses"]
    vl = json.dumps(spec.vegalite(), ensure_ascii=False, sort_keys=True)
    first, second = _render_one(vl), _render_one(vl)
    assert first == second
    inline = prepare_inline_svg(first[0], spec.id, spec.title)
    assert inline.startswith('<svg role="img" aria-label=')
    assert 'role="graphics' not in inline
    for ident in __import__("re").findall(r'id="([^"]+)"', inline):
        assert ident.startswith(spec.id + "-")


def test_warm_cache_renders_nothing(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run_build(ROOT, out, BASE)
    assert result.returncode == 0, result.stderr
    assert "(0 rendered," in result.stdout  # the module fixture's build filled the cache


_RENDER_ALL = """
import dataclasses, json, sys
from pathlib import Path
from civictrack.charts import render as chartrender
from civictrack import cli
from civictrack.charts.specs import all_charts
from civictrack.index.indexes import build_indexes
root, mode, cache = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
if mode == "here":  # every chart in this process, one after the other
    chartrender.FAST_POOL_THRESHOLD = chartrender.POOL_THRESHOLD = chartrender.BIG_SITE_CHARTS = 10 ** 9
data = cli.load(root)
specs = all_charts(data, build_indexes(data))
bars = [s for s in specs.values() if s.kind == "bar"]
specs.update({f"{s.id}-{k}": dataclasses.replace(s, id=f"{s.id}-{k}") for k in range(1, 4) for s in bars})
rendered = chartrender.render_charts(specs, cache)
print(json.dumps({"charts": len(rendered), "fresh": sum(r.fresh for r in rendered.values()),
                  "other": sum(s.kind != "bar" for s in specs.values()), "vl_convert_here": "vl_convert" in sys.modules}))
"""


def test_a_big_site_renders_every_chart_in_one_forked_pool_with_the_same_files(tmp_path: Path) -> None:
    """Hundreds of charts (the bundled ones, bar charts four times over): rendered in a forked
    pool, vl-convert's charts included, vl-convert never starts in the build process, and the
    cached files are those of rendering every chart in one process."""
    import subprocess
    import sys

    from civictrack.charts import render as chartrender

    results = {}
    for mode in ("pool", "here"):
        done = subprocess.run([sys.executable, "-c", _RENDER_ALL, str(ROOT), mode, str(tmp_path / mode)],
                              capture_output=True, text=True, timeout=600, cwd=ROOT)
        assert done.returncode == 0, done.stderr
        results[mode] = json.loads(done.stdout.strip().splitlines()[-1])
    pool, here = results["pool"], results["here"]
    assert pool["charts"] == pool["fresh"] == here["fresh"] > chartrender.FAST_POOL_THRESHOLD and pool["other"] >= 2
    assert pool["vl_convert_here"] is False and here["vl_convert_here"] is True

    def chart_files(cache: Path) -> dict[str, bytes]:
        return {str(p.relative_to(cache)): p.read_bytes() for p in sorted(cache.glob("??/*")) if p.is_file()}

    assert chart_files(tmp_path / "pool") == chart_files(tmp_path / "here")
    # .vl.json, .svg, .png, .inline.svg, for each chart and for its phone variant (ChartSpec.narrow)
    assert len(chart_files(tmp_path / "pool")) == 2 * 4 * pool["charts"]
    assert list((tmp_path / "pool").glob("vega-embed-*.js"))  # the pool made the bundle too


def test_the_vega_bundle_is_made_by_a_child_started_first(tmp_path: Path) -> None:
    """``start_vega_bundle`` forks a child that makes the bundle while the build goes on;
    ``vega_bundle`` waits for it and reads it: vl-convert never starts in the build process."""
    import subprocess
    import sys

    script = ("import sys, time; from pathlib import Path; from civictrack.charts import render as c\n"
              "cache = Path(sys.argv[1]); c.start_vega_bundle(cache); child = c._BUNDLE_MAKER\n"
              "bundle = c.vega_bundle(cache)\n"
              "print(child is not None, len(bundle) > 100_000, 'vl_convert' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "False"]
    assert [p.name for p in tmp_path.glob("*.js")] == [p.name for p in tmp_path.iterdir()]  # no temporary left
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)
    assert done.stdout.split() == ["False", "True", "False"]  # cached: no child
