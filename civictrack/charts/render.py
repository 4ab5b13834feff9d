"""Render charts to SVG and PNG with vl-convert, cached by content hash, in a spawn pool.

The cache key hashes the chart's data (rows, words, kind, language) together with the source of
``charts.specs``, this module and ``barchart``, the vl-convert version and the digest of the
bundled font the charts are drawn with (``charts.typeface``), so a code or font change
invalidates it.  On a warm cache neither Altair nor vl-convert is imported.  Rendering many
uncached charts uses a ``spawn`` process pool (a forked pool after vl-convert started
can deadlock).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import sys
from pathlib import Path

from markupsafe import Markup, escape

from civictrack.charts import specs as charts_module
from civictrack.charts import typeface
from civictrack.charts.specs import ChartSpec
from civictrack.speed.cachedir import FileRef, note_code, note_unsaved, unsaved_code, write_atomic
from civictrack.speed.children import can_fork, start_child, wait_child
from civictrack.interrupts import quiet_worker
from civictrack.speed.versions import installed

PNG_SCALE = 2
POOL_THRESHOLD = 12  # below this many cache misses, render in-process


class Rendered:
    """A chart's files: Vega-Lite JSON, SVG (also inlined) and PNG.  Taken from the cache, the
    three files are references to the cached files, made when asked for (nothing is read but
    the inline SVG, when a page shows the chart): 30,000 charts at N = 10,000."""

    __slots__ = ("spec", "fresh", "inline", "narrow", "_base", "_key", "_files")

    def __init__(self, spec: ChartSpec, *, base: str = "", key: str = "", files: tuple[str, str, bytes] | None = None,
                 inline: str = "", fresh: bool = False) -> None:
        self.spec = spec
        self.fresh = fresh  # rendered in this build (not taken from the cache)
        self.inline = inline  # the SVG prepared for inlining (see prepare_inline_svg), when not in the cache
        self._base = base  # cached: the files' path without suffix, and the cache key
        self._key = key
        self._files = files  # not cached: (Vega-Lite JSON, SVG, PNG)
        self.narrow: Rendered | None = None  # the phone variant (ChartSpec.narrow_variant): inlined, no files

    def _file(self, index: int) -> str | bytes | FileRef:
        if self._files is not None:
            return self._files[index]
        suffix = SUFFIXES[index]
        return FileRef(self._base + suffix, self._key + suffix)

    @property
    def vl_json(self) -> str | FileRef:
        return self._file(0)  # type: ignore[return-value]

    @property
    def svg(self) -> str | FileRef:
        return self._file(1)  # type: ignore[return-value]

    @property
    def png(self) -> bytes | FileRef:
        return self._file(2)  # type: ignore[return-value]

    def files(self) -> list[tuple[str, str | bytes | FileRef]]:
        """The chart's files in the site, by path."""
        cid = self.spec.id
        return [(f"charts/{cid}.svg", self.svg), (f"charts/{cid}.png", self.png), (f"charts/{cid}.vl.json", self.vl_json)]

    def inline_svg(self) -> Markup:
        if self.inline:
            return Markup(self.inline)
        if self._base:
            with open(self._base + ".inline.svg", "rb") as handle:  # bytes, then decode: half a text file's cost
                return Markup(handle.read().decode("utf-8"))
        return Markup(prepare_inline_svg(self.svg, self.spec.id, self.spec.title))  # type: ignore[arg-type]


def _code_version() -> str:
    sources = [Path(charts_module.__file__).read_bytes(), Path(__file__).read_bytes(),
               Path(__file__).with_name("barchart.py").read_bytes()]
    sources.append(installed("vl_convert", "vl-convert-python").encode())
    sources.append(typeface.digest().encode())  # what the charts are measured and drawn with
    return hashlib.sha256(b"\0".join(sources)).hexdigest()[:16]


def cache_key(spec: ChartSpec, version: str) -> str:
    """The spec's repr (a dataclass of strings, numbers and lists: stable across runs) and the
    code version."""
    return hashlib.sha256((version + repr(spec)).encode("utf-8")).hexdigest()


def _render_one(vl_json: str, png: bool = True) -> tuple[str, bytes]:
    vlc = typeface.vl_convert_with_font()  # measured and drawn with the bundled font
    svg = vlc.vegalite_to_svg(json.loads(vl_json))
    if not png:  # a phone variant is only inlined
        return svg, b""
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


BIG_SITE_CHARTS = 200  # from this many charts, vl-convert only ever runs in a child process
FAST_POOL_THRESHOLD = 200  # bar charts take a few ms each: a forked pool pays from a few hundred
SUFFIXES = (".vl.json", ".svg", ".png")  # the cached files a chart's output links to


def fast_renderable(spec: ChartSpec) -> bool:
    """Plain bar charts are drawn by ``barchart`` (same layout as Vega's, ~2 ms instead of ~100)."""
    return spec.kind == "bar"


Job = tuple[str, ChartSpec, "Path | None"]  # cache key, spec, cache folder


JobResult = tuple[str, str | None, str | None, bytes | None, int]


def _render_job(job: Job) -> JobResult:
    """Render one chart (in a worker or here), store it in the cache if there is one, and return
    its inline SVG, plus the files themselves when there is no cache to link them from (or the
    cache's device is full: the chart is then not cached), and ``unsaved_code()``."""
    key, spec, cache_dir = job
    if spec.narrow and fast_renderable(spec):  # drawn by barchart alone, shown inline only
        vl_json = "{}\n"
    else:
        vl_json = json.dumps(spec.vegalite(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if fast_renderable(spec):
        from civictrack.charts.barchart import render_bar

        svg, png = render_bar(spec)
    elif spec.narrow:
        svg, png = _render_one(vl_json, png=False)
    else:
        svg, png = _render_one(vl_json)
    inline = prepare_inline_svg(svg, spec.id, spec.title)
    if cache_dir is None:
        return inline, vl_json, svg, png, 0
    folder = cache_dir / key[:2]
    done: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for suffix, content in ((".vl.json", vl_json), (".svg", svg), (".png", png), (".inline.svg", inline)):
            # never a half-written cache file; .inline.svg last
            write_atomic(folder / (key + suffix), content.encode("utf-8") if isinstance(content, str) else content)
            done.append(folder / (key + suffix))
    except OSError as error:
        if not note_unsaved(error, folder):
            raise
        for path in done:  # the room is better used by the site
            path.unlink(missing_ok=True)
        return inline, vl_json, svg, png, unsaved_code()  # the chart as if there were no cache
    return "", None, None, None, 0  # the page reads the cached inline SVG itself


def _bundle_job(cache_dir: Path) -> int:
    vega_bundle(cache_dir)
    return unsaved_code()


def _run(jobs: list[Job], context: str | None, workers: int, cache_dir: Path | None) -> list[JobResult]:
    if context is None or not jobs:
        return [_render_job(job) for job in jobs]
    pool = multiprocessing.get_context(context).Pool(min(workers, len(jobs)), initializer=quiet_worker)
    try:
        # the vega-embed bundle, unless a child started earlier is making it (start_vega_bundle)
        bundle = pool.apply_async(_bundle_job, (cache_dir,)) if cache_dir and _BUNDLE_MAKER is None else None
        results = pool.map(_render_job, jobs, chunksize=max(1, len(jobs) // (workers * 8)))
        if bundle is not None:  # vl-convert is running there anyway: cache its vega-embed bundle too
            note_code(bundle.get())
        pool.close()  # done: the workers leave on their own, no signal needed
        pool.join()
        return results
    finally:
        pool.terminate()  # an error or an interruption: stop them (SIGTERM)


def render_charts(specs: dict[str, ChartSpec], cache_dir: Path | None) -> dict[str, Rendered]:
    """Render every chart, reusing cached files whose key is unchanged.

    Plain bar charts (one per figure) are drawn by ``barchart``, a few milliseconds each, in a
    forked pool when there are hundreds; the rest go to vl-convert, in a spawn pool when there
    are many or the site is big (vl-convert must not start in a process that forks later)."""
    version = _code_version()
    results: dict[str, Rendered] = {}
    todo: list[Job] = []
    variants = {f"{chart_id}-narrow": spec.narrow_variant() for chart_id, spec in specs.items()}
    for chart_id, spec in [*specs.items(), *variants.items()]:
        key = cache_key(spec, version)
        if cache_dir is not None:
            base = f"{cache_dir}/{key[:2]}/{key}"
            if os.path.exists(base + ".inline.svg"):  # written last: if it is there, so are the others
                results[chart_id] = Rendered(spec, base=base, key=key)
                continue
        todo.append((key, spec, cache_dir))
    if not todo:
        return _with_variants(results, specs)
    fast = [job for job in todo if fast_renderable(job[1])]
    slow = [job for job in todo if not fast_renderable(job[1])]
    cores = os.cpu_count() or 1
    can_fork = cores > 1 and "vl_convert" not in sys.modules and "fork" in multiprocessing.get_all_start_methods()
    if can_fork and len(fast) >= FAST_POOL_THRESHOLD:
        # one forked pool for every chart (the vl-convert ones first, spread over the workers,
        # and the vega-embed bundle): vl-convert may start in a forked worker, which never
        # forks, just not in this process.  A spawn pool of its own would start after the bar
        # charts, importing everything again (5 s of the 25 at N = 1,000 on a slow day).
        jobs = slow + fast
        for lang in sorted({job[1].lang for job in fast}):  # Altair's spec for bar charts, built once here,
            charts_module._bar_template(lang)  # not in each worker
        done = list(zip(jobs, _run(jobs, "fork", 2, cache_dir)))
    else:
        done = list(zip(fast, _run(fast, None, 2, cache_dir)))
        use_spawn = len(slow) >= POOL_THRESHOLD or len(specs) >= BIG_SITE_CHARTS
        done += list(zip(slow, _run(slow, "spawn" if use_spawn else None, 2, cache_dir)))
    for (key, spec, _), (inline, vl_json, svg, png, unsaved) in done:
        note_code(unsaved)  # from a spawned worker, which shares no memory with this process
        if cache_dir is None or vl_json is not None:
            results[spec.id] = Rendered(spec, files=(vl_json or "", svg or "", png or b""), inline=inline, fresh=True)
        else:
            results[spec.id] = Rendered(spec, base=f"{cache_dir}/{key[:2]}/{key}", key=key, fresh=True)
    return _with_variants(results, specs)


def _with_variants(results: dict[str, Rendered], specs: dict[str, ChartSpec]) -> dict[str, Rendered]:
    """The charts by id, each with its phone variant attached (``Rendered.narrow``)."""
    for chart_id in specs:
        results[chart_id].narrow = results[f"{chart_id}-narrow"]
    return {chart_id: results[chart_id] for chart_id in specs}


def _bundle_path(cache_dir: Path) -> Path:
    version = installed("vl_convert", "vl-convert-python")
    if not re.fullmatch(r"[\w.+-]+", version):  # no dist-info: a stamp with a path, not a file name
        version = hashlib.sha256(version.encode()).hexdigest()[:16]
    return cache_dir / f"vega-embed-{version}.js"


_BUNDLE_MAKER: int | None = None  # the forked child making the bundle (start_vega_bundle), until waited for


def start_vega_bundle(cache_dir: Path | None) -> None:
    """If the vega-embed bundle is not in the cache, start making it now in a forked child.

    vl-convert takes about 3 s (4.5 s of CPU) to bundle it, once per vl-convert version; a
    build that starts it first makes it while this process loads and validates the data and
    builds the pages, one core's work.  Only from a process without threads (a fork could
    inherit a held lock) in which vl-convert has not started; ``vega_bundle`` waits for it."""
    global _BUNDLE_MAKER
    if (cache_dir is None or _BUNDLE_MAKER is not None or "vl_convert" in sys.modules or not can_fork()
            or (os.cpu_count() or 1) < 2 or _bundle_path(cache_dir).exists()):
        return
    _BUNDLE_MAKER = start_child(lambda: vega_bundle(cache_dir))


def _wait_for_bundle_maker() -> None:
    global _BUNDLE_MAKER
    if _BUNDLE_MAKER is not None:
        wait_child(_BUNDLE_MAKER)  # in a forked worker, not its child: nothing to wait for
        _BUNDLE_MAKER = None


def vega_bundle(cache_dir: Path | None) -> str:
    """The offline vega-embed bundle (vl-convert's), cached per vl-convert version."""
    _wait_for_bundle_maker()
    path = _bundle_path(cache_dir) if cache_dir is not None else None
    if path is not None and path.exists():
        return path.read_text(encoding="utf-8")
    import vl_convert as vlc

    bundle = vlc.javascript_bundle()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, bundle.encode("utf-8"))
        except OSError as error:
            if not note_unsaved(error, path.parent):  # a full disk: made again next time
                raise
    return bundle
