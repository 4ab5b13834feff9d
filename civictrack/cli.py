"""Command line: ``python build.py check|build|schema``."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path
from typing import Any

from typing import TYPE_CHECKING

from .errors import ErrorSink

if TYPE_CHECKING:  # the heavy modules are imported only when a command needs them
    from .dataset import Dataset


def _print_errors(sink: ErrorSink) -> None:
    for error in sink.sorted():
        print(str(error), file=sys.stderr)
    print(f"{len(sink)} error(s); nothing was written.", file=sys.stderr)


def summary(data: Dataset) -> str:
    """The counts `check` prints."""
    actions = sum(len(item.actions) for item in data.items)
    stated, derived = len(data.stated_figures), len(data.derived_figures)
    return (f"{len(data.reports)} reports, {len(data.areas)} areas, {len(data.items)} items, {actions} actions, "
            f"{stated + derived} figures ({stated} stated, {derived} derived); vocabularies: "
            f"{len(data.bodies)} bodies, {len(data.places)} places, {len(data.documents)} documents, "
            f"{len(data.tags)} tags, {len(data.statuses)} statuses")


def _use_parsed_cache(root: Path | None) -> Any:
    from .cachedir import cache_dir
    from .yamlload import use_parsed_cache

    folder = cache_dir(root) if root is not None else None
    return use_parsed_cache(folder / "parsed.marshal" if folder is not None else None)


def load(root: Path) -> Dataset | None:
    from .validate import check_project

    cache = _use_parsed_cache(root)
    sink = ErrorSink()
    data = check_project(root, sink)
    if cache is not None:
        cache.save()
        _use_parsed_cache(None)  # loaded: let its ~7 KB a file go
    if data is None:
        _print_errors(sink)
    return data


def cmd_check(args: argparse.Namespace) -> int:
    data = load(args.root)
    if data is None:
        return 1
    print("OK: " + summary(data))
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .fingerprint import inputs_fingerprint
    from .writer import SiteWriter, is_current, write_site

    out = args.out if args.out is not None else args.root / "site"
    fingerprint = inputs_fingerprint(args.root, {"base_url": args.base_url, "search": args.search})
    if not args.force and is_current(out, fingerprint):
        print(f"nothing changed since the last build of {out}: nothing to do (--force rebuilds)")
        return 0

    from .cachedir import cache_dir
    from .chartrender import start_vega_bundle
    from .datacache import read as read_dataset
    from .datacache import save_in_background

    cache = cache_dir(args.root)
    start_vega_bundle(cache)  # if it is not cached: made meanwhile, on the core this process leaves idle
    data = read_dataset(cache, fingerprint)  # the same inputs as an earlier build: validated then
    if data is None:
        data = load(args.root)
        if data is None:
            return 1
        save_in_background(cache, fingerprint, data)

    from .permalinks import missing_published
    from .search import SearchIndexError, SearchStats, index_site
    from .site import build_site
    started = time.perf_counter()
    stats: dict[str, int] = {}
    writer = SiteWriter(out, fingerprint)  # a staging folder: out is untouched until the end
    try:
        output = build_site(data, base_url=args.base_url or data.config.base_url, root=args.root, stats=stats,
                            sink=writer)
    except BaseException:
        writer.abort()
        raise
    lost = missing_published(args.root, output)
    if lost:
        writer.abort()
        sink = ErrorSink()
        for error in lost:
            sink.add(error.file, error.line, error.column, error.message, error.hint)
        _print_errors(sink)
        return 1
    searched: list[SearchStats] = []
    try:
        written = write_site(output, out, (lambda staging: searched.append(index_site(staging))) if args.search
                             else None, fingerprint=fingerprint, writer=writer)
    except SearchIndexError as error:
        print(f"search index: {error}\nnothing was written.", file=sys.stderr)
        return 1
    print(f"built {len(output.files)} files into {out} in {time.perf_counter() - started:.2f} s "
          f"({written.written} written, {written.linked} unchanged); "
          f"charts: {stats.get('charts', 0)} ({stats.get('charts_rendered', 0)} rendered, "
          f"{stats.get('charts', 0) - stats.get('charts_rendered', 0)} from cache)")
    for s in searched:
        print(f"search: Pagefind {s.version} indexed {s.pages} pages, {s.words} words in {s.seconds:.2f} s")
    print(summary(data))
    return 0


def cmd_urls(args: argparse.Namespace) -> int:
    from .permalinks import update_published
    from .site import build_site

    data = load(args.root)
    if data is None:
        return 1
    added = update_published(args.root, build_site(data, base_url=data.config.base_url, root=args.root))
    print(f"published-urls.txt: {added} new URL(s) recorded")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    _use_parsed_cache(args.root)  # read at start-up; the preview keeps parsed files in memory after
    serve(args.root, port=args.port, host=args.host, base_path=args.base_path)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .schema import write_schemas

    changed = write_schemas(args.root / "schema")
    print(f"schema: {len(changed)} file(s) updated" + (": " + ", ".join(changed) if changed else ""))
    return 0


def main(argv: list[str] | None = None, default_root: Path | None = None, exit_fast: bool = False) -> int:
    """Run one command.  With ``exit_fast`` (``build.py``, never a caller that goes on), a
    one-shot command ends the process at once when done: every file it wrote is closed, and
    tearing down the heap it leaves (0.2-0.3 s at 1,000 items) would change nothing."""
    parser = argparse.ArgumentParser(prog="build.py", description="Static accountability site generator.")
    parser.add_argument("--root", type=Path, default=default_root or Path.cwd(),
                        help="project folder holding site.yaml, data/ and content/ (default: this repository)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="validate the data and print counts").set_defaults(func=cmd_check)
    build = sub.add_parser("build", help="validate, then write the site")
    build.add_argument("--out", type=Path, default=None, help="output folder (default: <root>/site)")
    build.add_argument("--force", action="store_true", help="rebuild even if no input changed")
    build.add_argument("--base-url", default=None, help="absolute URL the site is served at (default: site.yaml)")
    build.add_argument("--no-search", dest="search", action="store_false",
                       help="skip the Pagefind search index (site/pagefind/); the search page then only explains")
    build.set_defaults(func=cmd_build)
    preview = sub.add_parser("serve", help="preview with live reload while you edit")
    preview.add_argument("--port", type=int, default=8000)
    preview.add_argument("--host", default="127.0.0.1")
    preview.add_argument("--base-path", default=None,
                         help="path to serve under, e.g. /repo/ (default: the path of base_url in site.yaml)")
    preview.set_defaults(func=cmd_serve)
    sub.add_parser("urls", help="record the current pages in published-urls.txt").set_defaults(func=cmd_urls)
    sub.add_parser("schema", help="regenerate the JSON Schemas in schema/").set_defaults(func=cmd_schema)
    args = parser.parse_args(argv)
    # A one-shot command keeps what it loads to the end, so the cyclic GC would only re-scan
    # a growing heap (1.1 s of loading alone at 10,000 items); render workers turn it back on.
    pause_gc = args.command in ("check", "build", "urls") and gc.isenabled()
    if pause_gc:
        gc.disable()
    try:
        code = args.func(args)
    finally:
        if pause_gc:
            gc.enable()
    if exit_fast and pause_gc:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code
