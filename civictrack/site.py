"""Render the whole site into an :class:`Output` (nothing is written here).

load → validate → indexes → pages → render to ``{path: bytes}``; ``writer`` writes.
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
import re
import sys
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .cachedir import cache_dir
from .chartrender import render_charts, vega_bundle
from .charts import all_charts, charts_for
from .incremental import figures_csv as reused_figures_csv
from .incremental import items_json as reused_items_json
from .indexes import VOCAB_SECTIONS, build_indexes
from .interrupts import quiet_worker
from .markdown import load_cache as load_markdown_cache
from .markdown import render_markdown
from .markdown import save_cache as save_markdown_cache
from .opendata import FIGURE_COLUMNS, figures_csv, items_json
from .pages import Page, PageMaker
from .render import make_environment, template_folder
from .units import plain
from .urls import Urls
from .dataset import Dataset, FigureInfo
from .writer import Content, Output, SiteWriter

NAV = (("概览", ""), ("报告原文", "reports/"), ("措施", "items/"), ("数字", "figures/"), ("主题", "tags/"),
       ("数据", "data/"), ("关于", "about/"))

CSV_COLUMN_MEANINGS = {
    "figure_id": "数字的固定编号，也是其页面地址的一部分", "indicator": "指标编号：同一指标的各期数值构成序列",
    "item_id": "所属措施编号（报告开头的数字为空）", "report_id": "所属报告编号", "label": "指标名称",
    "value": "原文数值（照写，不取整）", "unit": "原文单位", "value_normalized": "换算为基本单位的精确值",
    "base_unit": "基本单位", "qualifier": "限定：exact 确数，more_than 多于（余、超），nearly 接近（近），about 约，at_least 至少",
    "period": "所属时期（如 2024）", "derived": "true 表示本站推算、非报告原文陈述", "quote": "原文句子（逐字）",
    "url": "数字页的固定链接", "as_of": "截至日期", "written": "原文写法（含限定词与单位）", "formula": "推算算式",
    "comparison": "原文所述比较", "paragraph_url": "原文段落的固定链接",
}


def xml_escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities, as ``xml.sax.saxutils.escape`` does (which imports
    ``urllib.request``: 45 ms of every build's start)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def nav_current(path: str) -> tuple[str, ...]:
    """The main navigation's entries (their paths) that hold the page at ``path``."""
    return tuple(section for _, section in NAV if path == section or (section and path.startswith(section)))


def build_date(data: Dataset) -> str:
    """The date written into pages: SOURCE_DATE_EPOCH if set, else the newest date in the data."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date().isoformat()
    return max([r.date for r in data.reports.values()] + [c.date for c in data.changes])


def paragraph_labels(data: Dataset) -> dict[tuple[str, str], str]:
    """(report, anchor) → how the report numbers it: 二(一), 三、, or 第4段 for unnumbered ones."""
    labels: dict[tuple[str, str], str] = {}
    for rid, text in data.texts.items():
        heading = ""
        plain_count = 0
        for p in text.paragraphs:
            if p.kind == "heading":
                heading = p.number.rstrip("、")
                labels[(rid, p.anchor)] = p.number
            elif p.kind == "section":
                labels[(rid, p.anchor)] = heading + p.number
            elif p.kind == "point":
                labels[(rid, p.anchor)] = labels.get((rid, p.anchor.rsplit("-", 1)[0]), "") + p.number
            else:
                plain_count += 1
                labels[(rid, p.anchor)] = f"第{plain_count}段（无编号）"
    return labels


def datapackage(data: Dataset, urls: Urls) -> str:
    fields = [{"name": c, "type": "string", "description": CSV_COLUMN_MEANINGS[c]} for c in FIGURE_COLUMNS]
    for f in fields:
        if f["name"] == "value_normalized":
            f["type"] = "number"
        if f["name"] == "derived":
            f["type"] = "boolean"
            f["trueValues"], f["falseValues"] = ["true"], ["false"]
    package = {
        "name": "civictrack-figures",
        "title": data.config.title,
        "description": data.config.description,
        "homepage": urls.absolute(""),
        "licenses": [{"name": "CC-BY-4.0" if "BY 4.0" in data.config.data_licence else data.config.data_licence,
                      "path": data.config.data_licence_url, "title": data.config.data_licence}],
        "sources": [{"title": r.title, "path": urls.absolute(urls.report(r.id))} for r in data.reports.values()],
        "resources": [
            {"name": "figures", "path": "figures.csv", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
             "title": "报告中的全部数字", "schema": {"fields": fields, "primaryKey": ["figure_id"]}},
            {"name": "items", "path": "items.json", "format": "json", "mediatype": "application/json",
             "encoding": "utf-8", "title": "全部措施、行动与状态"},
        ],
    }
    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"


def _asset_files(root: Path) -> dict[str, bytes]:
    folder = template_folder(root) / "static"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def build_site(data: Dataset, base_url: str, root: Path | None = None, stats: dict[str, Any] | None = None,
               preview: bool = False, previous: Output | None = None, only: set[str] | None = None,
               sink: SiteWriter | None = None) -> Output:
    """Every output file of the site, as ``{path: bytes}``; counts go into ``stats`` if given.

    Incremental mode (``previous`` and ``only`` given, see ``incremental.affected_pages``):
    re-render just the pages at ``only`` with their charts, regenerate the data files, and
    take every other file from ``previous``.

    With a ``sink`` every file is handed to it as soon as it is made, so the pages of a big site
    never sit in memory together; the returned ``Output`` then holds only the paths."""
    incremental = previous is not None and only is not None
    stats = stats if stats is not None else {}
    root = root or Path(".")
    urls = Urls(base_url)
    ix = build_indexes(data)
    date = build_date(data)
    maker = PageMaker(data, ix, urls, date)
    labels = paragraph_labels(data)
    assets = _asset_files(root)
    asset_version = hashlib.sha256(b"".join(assets[k] for k in sorted(assets))).hexdigest()[:10]
    as_of = max(r.date for r in data.reports.values())

    def status_counts(item: Any) -> list[tuple[str, int]]:
        return maker.status_counts([item])

    def document_title(ident: str) -> str:
        d = data.documents[ident]
        return f"《{d.name}》" if d.kind == "document" else d.name

    def normalized(info: FigureInfo) -> str:
        return plain(info.value_normalized)

    def report_paragraph(report_id: str, anchor: str) -> str | None:
        text = data.texts.get(report_id)
        paragraph = text.get(anchor) if text else None
        return paragraph.text if paragraph else None

    cache = cache_dir(root)
    markdown_cache = cache / "markdown.json" if cache is not None else None
    load_markdown_cache(markdown_cache)  # before the pages: item pages render their Markdown bodies
    if incremental:
        pages = maker.pages_for(only)
        specs = charts_for(data, ix, [cid for page in pages for cid in page.charts])
    else:
        pages = maker.all_pages()
        specs = all_charts(data, ix)
    rendered = render_charts(specs, cache)
    stats["charts"] = len(rendered)
    stats["charts_rendered"] = sum(1 for r in rendered.values() if r.fresh)

    if not incremental:
        _ROW_MEMO.clear()  # templates may have changed; an incremental build keeps them

    def figure_row(info: FigureInfo, show_item: bool) -> Markup:
        """A figures-table row, rendered once and reused on every page and rebuild that shows it."""
        title = item_titles.get(info.item, "") if show_item and info.item else ""
        key = (id(info.figure), info.value_normalized, info.base_unit, info.report, info.paragraph,
               info.item, title, labels.get((info.report, info.paragraph)), show_item, urls.base_path)
        hit = _ROW_MEMO.get(key)
        if hit is not None and hit[0] is info.figure:
            return hit[1]
        html = Markup(row_template.render(info=info, show_item=show_item))
        _ROW_MEMO[key] = (info.figure, html)  # holding the figure keeps its id() from being reused
        return html

    status_names = tuple((sid, status.name) for sid, status in data.statuses.items())

    def memo_row(template: str, held: tuple[Any, ...], key: tuple[Any, ...], **context: Any) -> Markup:
        """A partial rendered once and reused like ``figure_row``: ``held`` are the objects it
        shows (kept, so their id() stays theirs), ``key`` whatever else it shows."""
        full_key = (template, *map(id, held), *key, urls.base_path)
        hit = _ROW_MEMO.get(full_key)
        if hit is not None and all(a is b for a, b in zip(hit[0], held)):
            return hit[1]
        html = Markup(env.get_template(template).render(**context))
        _ROW_MEMO[full_key] = (held, html)
        return html

    def item_row(item: Any) -> Markup:  # an item list's row
        return memo_row("partials/item_row.html", (item,), (data.areas[item.area].number, status_names), item=item)

    def key_figure(item: Any, info: FigureInfo) -> Markup:  # the overview's first figure of an item
        return memo_row("partials/key_figure.html", (item, info), (data.areas[item.area].number,),
                        item=item, info=info)

    def action_row(item: Any, index: int) -> Markup:  # a status page's action
        return memo_row("partials/action_row.html", (item,), (index, data.areas[item.area].number),
                        it=item, index=index)

    item_titles = {i.id: f"{data.areas[i.area].number}{i.number}{i.title}" for i in data.items}
    env = make_environment(root, urls, {
        "site": data.config, "nav": NAV, "as_of": as_of, "asset_version": asset_version, "charts": rendered,
        "preview": preview,
        "bodies": data.bodies, "places": data.places, "documents": data.documents, "tags": data.tags,
        "statuses": data.statuses, "areas": data.areas, "reports": data.reports, "items": data.items,
        "figure_count": len(data.figures), "item_titles": item_titles, "figure_row": figure_row,
        "paragraph_label": lambda rid, anchor: labels.get((rid, anchor), anchor), "status_counts": status_counts,
        "document_title": document_title, "normalized": normalized, "report_paragraph": report_paragraph,
        "items_in_area": lambda aid: len(ix.items_by_area.get(aid, [])),
        "csv_columns": [(c, CSV_COLUMN_MEANINGS[c]) for c in FIGURE_COLUMNS],
        "item_row": item_row, "key_figure": key_figure, "action_row": action_row, "nav_current": nav_current,
    })

    row_template = env.get_template("partials/figure_row.html")
    output = Output(sink)
    if incremental:
        output.files = dict(previous.files)
        add = output.replace
    else:
        pages.append(_about_page(root, urls, env, data))
        # listing pages first, together: the worker that renders them reuses its memo of table
        # rows from one listing to the next (item and figure pages show few rows of their own)
        pages.sort(key=lambda page: _ITEM_OR_FIGURE.match(page.path) is not None)
        add = output.add
    charts_left = {cid: [(f"charts/{cid}.svg", chart.svg), (f"charts/{cid}.png", chart.png),
                         (f"charts/{cid}.vl.json", chart.vl_json)] for cid, chart in rendered.items()}
    with_page: list[list[tuple[str, Any]]] = [[] for _ in pages]  # a chart's files go with its first page
    if not incremental:
        for files, page in zip(with_page, pages):
            for cid in page.charts:
                files += charts_left.pop(cid, ())

    def other_files() -> None:
        """Every file that is not a rendered page: made while the workers render the pages."""
        for files in charts_left.values():
            for path, content in files:
                add(path, content)
        if incremental:  # what an item edit did not change is reused (incremental.py)
            add(urls.data("figures.csv"), reused_figures_csv(data, urls))
            add(urls.data("items.json"), reused_items_json(data, urls))
        else:
            add(urls.data("figures.csv"), figures_csv(data, urls))
            add(urls.data("items.json"), items_json(data, urls))
        add(urls.data("datapackage.json"), datapackage(data, urls))
        if incremental:
            return
        not_found = Page("404.html", "404.html", "找不到页面", "找不到这个页面。", {}, {})
        output.add("404.html", env.get_template("404.html").render(page=not_found))
        _redirects(data, urls, env, output)
        for name, content in assets.items():
            output.add("favicon.svg" if name == "favicon.svg" else f"assets/{name}", content)
        if rendered:
            output.add("assets/vega-embed.js", vega_bundle(cache))
        output.add(".nojekyll", b"")
        if data.config.cname:  # GitHub Pages: the custom domain the site is served at
            output.add("CNAME", data.config.cname + "\n")
        output.add("robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute('sitemap.xml')}\n")
        output.add("sitemap.xml", _sitemap(pages, urls, as_of))
        output.add("feed.xml", atom_feed(data, urls, maker))

    for path, content in render_pages(env, pages, urls, sink if not incremental else None, with_page, other_files):
        if isinstance(content, tuple):  # a worker already put it into the staging folder
            output.add_placed(path, *content)
        else:
            add(path, content)
    if preview and not incremental and _forks(len(pages)):
        # the workers filled their own memos of table rows; fill this process's now, so that the
        # first edit in the preview is as quick as the next ones (listing pages hold the rows)
        _render_range_of([page for page in pages if not _ITEM_OR_FIGURE.match(page.path)], env, urls)
    save_markdown_cache(markdown_cache)
    stats["pages_rendered"] = len(pages)
    return output


_ROW_MEMO: dict[tuple[Any, ...], tuple[Any, Markup]] = {}
_RENDER_STATE: tuple[Any, list[Page], Urls, SiteWriter | None, list[list[tuple[str, Any]]] | None] | None = None
PARALLEL_MIN_PAGES = 400
PageFile = tuple[str, "str | Content | tuple[str, bool]"]  # path, and its content or (digest, linked) once placed


def _render_range(bounds: tuple[int, int], place: bool = False) -> list[PageFile]:
    """Render pages[start:end]: each page's HTML and JSON twin, by output path, followed by
    the files that go with it (its charts' files).  With ``place`` (in a forked worker) the
    files go straight into the writer's staging folder and only their digests travel back."""
    env, pages, urls, sink, with_page = _RENDER_STATE  # type: ignore[misc]
    result: list[PageFile] = []
    templates: dict[str, Any] = {}  # by name: skips get_template's lookup in the shared cache
    for index in range(bounds[0], bounds[1]):
        page = pages[index].ready()
        template = templates.get(page.template)
        if template is None:
            template = templates[page.template] = env.get_template(page.template)
        html = template.render(page=page, **page.context)
        # compact JSON: the C encoder (indent=2 falls back to pure Python, about 10x slower)
        twin = json.dumps(page.twin, ensure_ascii=False, separators=(",", ":"), default=str) + "\n"
        for path, text in ((urls.output_file(page.path), html), (page.path + "index.json", twin)):
            result.append((path, sink.place(path, text.encode("utf-8")) if place and sink else text))
        for path, content in with_page[index] if with_page else ():
            result.append((path, sink.place(path, content) if place and sink else content))
    return result


_ITEM_OR_FIGURE = re.compile(r"(?:items|figures)/[^/]+/$")


def _forks(pages: int) -> bool:
    """Whether ``render_pages`` renders this many pages in forked workers."""
    return (pages >= PARALLEL_MIN_PAGES and (os.cpu_count() or 1) >= 2 and "vl_convert" not in sys.modules
            and "fork" in multiprocessing.get_all_start_methods())


def _chunks(count: int, workers: int) -> list[tuple[int, int]]:
    """Bounds of the runs of pages handed to the workers: at most 200 pages (a run is one
    message each way), shrinking towards the end (down to 25) so that the workers finish
    together instead of one waiting for the other's last long run."""
    chunks: list[tuple[int, int]] = []
    start = 0
    while start < count:
        size = max(25, min(200, (count - start) // (workers * 3)))
        chunks.append((start, min(count, start + size)))
        start += size
    return chunks


def _render_range_of(pages: list[Page], env: Any, urls: Urls) -> None:
    """Render ``pages`` here and drop the result (fills the memos of rendered rows)."""
    global _RENDER_STATE
    _RENDER_STATE = (env, pages, urls, None, None)
    try:
        _render_range((0, len(pages)))
    finally:
        _RENDER_STATE = None


def _worker_start() -> None:
    """A render worker: collect garbage again (this process paused it), stop quietly."""
    gc.enable()
    quiet_worker()


def _render_and_place(bounds: tuple[int, int]) -> list[PageFile]:
    return _render_range(bounds, place=True)


def render_pages(env: Any, pages: list[Page], urls: Urls, sink: SiteWriter | None = None,
                 with_page: list[list[tuple[str, Any]]] | None = None,
                 meanwhile: Callable[[], None] | None = None) -> Iterator[PageFile]:
    """Every page's HTML and JSON twin by output path, in order, as they are rendered, each
    followed by the files ``with_page`` gives for it (made elsewhere, placed here);
    ``meanwhile`` runs in this process while the workers render (else before).  On two
    or more cores, big sites render in forked workers that inherit the environment and pages
    (nothing is pickled on the way in); given the build's ``sink``, the workers write the files
    into its staging folder themselves, so neither the pages nor the writing pass through this
    process.

    Forking is only safe while vl-convert has not started in this process (a forked child
    of a running vl-convert can deadlock); otherwise, and for small sites, one process."""
    global _RENDER_STATE
    _RENDER_STATE = (env, pages, urls, sink, with_page)
    try:
        workers = min(os.cpu_count() or 1, 4)
        if not _forks(len(pages)):
            if meanwhile is not None:
                meanwhile()
            yield from _render_range((0, len(pages)))
            return
        chunks = _chunks(len(pages), workers)
        for name in sorted({page.template for page in pages}):
            env.get_template(name)  # compiled once here, not once per worker
        # the workers' collections skip (and so do not copy) what they inherit; no collection
        # first (0.09 s at N = 1,000): what garbage there is lives as long as the workers anyway
        gc.freeze()
        try:
            with multiprocessing.get_context("fork").Pool(workers, initializer=_worker_start) as pool:
                parts = pool.imap(_render_and_place if sink is not None else _render_range, chunks)
                if meanwhile is not None:
                    meanwhile()
                for part in parts:
                    yield from part
        finally:
            gc.unfreeze()  # a long-running preview collects this build's data once it is replaced
    finally:
        _RENDER_STATE = None


def _about_page(root: Path, urls: Urls, env: Any, data: Dataset) -> Page:
    path = root / "content" / "about.md"
    if not path.exists():
        path = template_folder(root).parent / "content" / "about.md"
    text = path.read_text(encoding="utf-8-sig") if path.exists() else "# 关于本站\n"
    from markupsafe import Markup

    body = Markup(render_markdown(text, urls))
    return Page("about/", "prose.html", "关于本站", "本站的方法、状态等级、许可与纠错方式。",
                {"body": body, "show_statuses": True}, {"title": "关于本站", "markdown": text}, [("关于", None)])


def _redirects(data: Dataset, urls: Urls, env: Any, output: Output) -> None:
    """An HTML redirect (and a JSON pointer) at every former id's URL."""
    targets: list[tuple[str, str]] = []
    for report in data.reports.values():
        targets += [(urls.report(a), urls.report(report.id)) for a in report.aliases]
        for area in report.areas:
            targets += [(urls.page("areas", a), urls.page("areas", area.id)) for a in area.aliases]
    for item in data.items:
        targets += [(urls.item(a), urls.item(item.id)) for a in item.aliases]
    for info in data.figures.values():
        targets += [(urls.figure(a), urls.figure(info.figure.id)) for a in info.figure.aliases]
    for vocab, (section, _) in VOCAB_SECTIONS.items():
        for entry in getattr(data, vocab).values():
            targets += [(urls.page(section, a), urls.page(section, entry.id)) for a in entry.aliases]
    template = env.get_template("redirect.html")
    for old, new in targets:
        output.add(urls.output_file(old), template.render(target=urls.href(new), target_abs=urls.absolute(new)))
        output.add(old + "index.json", json.dumps({"redirect": urls.absolute(new)}, ensure_ascii=False) + "\n")


def atom_feed(data: Dataset, urls: Urls, maker: PageMaker) -> str:
    """An Atom feed of the change log, newest first; dates come from the data."""
    title = xml_escape(data.config.title + " · 更新记录")
    updated = max([c.date for c in data.changes] + [r.date for r in data.reports.values()])
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
             f"  <title>{title}</title>", f"  <id>{xml_escape(urls.absolute('changes/'))}</id>",
             f'  <link rel="self" type="application/atom+xml" href="{xml_escape(urls.absolute("feed.xml"))}"/>',
             f'  <link rel="alternate" type="text/html" href="{xml_escape(urls.absolute("changes/"))}"/>',
             f"  <updated>{updated}T00:00:00Z</updated>",
             f"  <author><name>{xml_escape(data.config.publisher)}</name></author>"]
    for change in data.changes:
        targets = ([urls.report(r) for r in change.reports] + [urls.item(i) for i in change.items]
                   + [urls.figure(f) for f in change.figures])
        content = change.summary + (f"\n{change.details}" if change.details else "")
        lines += ["  <entry>", f"    <title>{xml_escape(change.summary)}</title>",
                  f"    <id>{xml_escape(urls.absolute('changes/', change.id))}</id>",
                  f'    <link rel="alternate" type="text/html" href="{xml_escape(urls.absolute(targets[0]))}"/>',
                  *[f'    <link rel="related" href="{xml_escape(urls.absolute(t))}"/>' for t in targets[1:]],
                  f"    <updated>{change.date}T00:00:00Z</updated>",
                  f'    <category term="{change.kind}"/>',
                  f"    <summary>{xml_escape(content)}</summary>", "  </entry>"]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def _sitemap(pages: list[Page], urls: Urls, as_of: str) -> str:
    rows = [f"  <url><loc>{xml_escape(urls.absolute(p.path))}</loc><lastmod>{p.updated or as_of}</lastmod></url>"
            for p in sorted(pages, key=lambda p: p.path)]
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "\n".join(rows) + "\n</urlset>\n")
