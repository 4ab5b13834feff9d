"""Render charts to SVG and PNG with vl-convert, cached by content hash, in a spawn pool.

The cache key hashes the chart's data (rows, words, kind) together with the source of
``charts.py`` and this module and the vl-convert version, so a code change invalidates
it.  On a warm cache neither Altair nor vl-convert is imported.  Rendering many
uncached charts uses a ``spawn`` process pool (a forked pool after vl-convert started
can deadlock).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import multiprocessing
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from markupsafe import Markup, escape

from . import charts as charts_module
from .charts import ChartSpec

PNG_SCALE = 2
POOL_THRESHOLD = 12  # below this many cache misses, render in-process


@dataclass(frozen=True)
class Rendered:
    """A chart's files: Vega-Lite JSON, SVG (also inlined) and PNG."""

    spec: ChartSpec
    vl_json: str
    svg: str
    png: bytes
    inline: str = ""  # the SVG prepared for inlining (see prepare_inline_svg), cached with the rest
    fresh: bool = False  # rendered in this build (not taken from the cache)

    def inline_svg(self) -> Markup:
        return Markup(self.inline or prepare_inline_svg(self.svg, self.spec.id, self.spec.title))


def _code_version() -> str:
    sources = [Path(charts_module.__file__).read_bytes(), Path(__file__).read_bytes()]
    try:
        sources.append(metadata.version("vl-convert-python").encode())
    except metadata.PackageNotFoundError:  # pragma: no cover
        pass
    return hashlib.sha256(b"\0".join(sources)).hexdigest()[:16]


def cache_key(spec: ChartSpec, version: str) -> str:
    payload = json.dumps(dataclasses.asdict(spec), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256((version + payload).encode("utf-8")).hexdigest()


def _render_one(vl_json: str) -> tuple[str, bytes]:
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(json.loads(vl_json))
    png = vlc.svg_to_png(svg, scale=PNG_SCALE)  # from the SVG: 5x faster than running Vega again
    return svg, png


_ID = re.compile(r'\bid="([^"]+)"')


def prepare_inline_svg(svg: str, chart_id: str, label: str) -> str:
    """Make a vl-convert SVG safe to inline in HTML next to other charts.

    Internal ids (clip paths) get the chart's id as prefix so two charts on one page
    never clash; the root becomes one image labelled with the chart's title (the
    figure's caption states every number), and Vega's per-mark ARIA roles are dropped.
    """
    ids = set(_ID.findall(svg))
    for ident in sorted(ids, key=len, reverse=True):
        new = f"{chart_id}-{ident}"
        svg = svg.replace(f'id="{ident}"', f'id="{new}"').replace(f"url(#{ident})", f"url(#{new})")
        svg = svg.replace(f'href="#{ident}"', f'href="#{new}"')
    svg = re.sub(r'\s(?:role|aria-roledescription|aria-label)="[^"]*"', "", svg)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" focusable="false" ', 1)
    return svg


def render_charts(specs: dict[str, ChartSpec], cache_dir: Path | None) -> dict[str, Rendered]:
    """Render every chart, reusing cached files whose key is unchanged."""
    version = _code_version()
    results: dict[str, Rendered] = {}
    todo: list[tuple[str, str, ChartSpec]] = []
    for chart_id, spec in specs.items():
        key = cache_key(spec, version)
        if cache_dir is not None:
            base = cache_dir / key[:2] / key
            try:
                results[chart_id] = Rendered(spec, base.with_suffix(".vl.json").read_text(encoding="utf-8"),
                                             base.with_suffix(".svg").read_text(encoding="utf-8"),
                                             base.with_suffix(".png").read_bytes(),
                                             base.with_suffix(".inline.svg").read_text(encoding="utf-8"))
                continue
            except OSError:
                pass
        todo.append((key, json.dumps(spec.vegalite(), ensure_ascii=False, indent=1, sort_keys=True) + "\n", spec))
    if not todo:
        return results
    jobs = [vl for _, vl, _ in todo]
    if len(jobs) >= POOL_THRESHOLD:
        with multiprocessing.get_context("spawn").Pool(2) as pool:
            outputs = pool.map(_render_one, jobs, chunksize=max(1, len(jobs) // 8))
    else:
        outputs = [_render_one(job) for job in jobs]
    for (key, vl_json, spec), (svg, png) in zip(todo, outputs):
        inline = prepare_inline_svg(svg, spec.id, spec.title)
        results[spec.id] = Rendered(spec, vl_json, svg, png, inline, fresh=True)
        if cache_dir is not None:
            base = cache_dir / key[:2] / key
            base.parent.mkdir(parents=True, exist_ok=True)
            base.with_suffix(".vl.json").write_text(vl_json, encoding="utf-8")
            base.with_suffix(".svg").write_text(svg, encoding="utf-8")
            base.with_suffix(".png").write_bytes(png)
            base.with_suffix(".inline.svg").write_text(inline, encoding="utf-8")
    return results


def vega_bundle(cache_dir: Path | None) -> str:
    """The offline vega-embed bundle (vl-convert's), cached per vl-convert version."""
    version = metadata.version("vl-convert-python")
    path = cache_dir / f"vega-embed-{version}.js" if cache_dir is not None else None
    if path is not None and path.exists():
        return path.read_text(encoding="utf-8")
    import vl_convert as vlc

    bundle = vlc.javascript_bundle()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(bundle, encoding="utf-8")
    return bundle
