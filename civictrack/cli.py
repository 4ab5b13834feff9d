"""Command line: ``civictrack new|check|draft|review|build|serve|urls|schema`` (``python build.py …``
in this repository: the same commands, with this repository as the default project)."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path
from typing import Any

from typing import TYPE_CHECKING

from civictrack import interrupts
from civictrack.diskfull import DiskFull, as_full
from civictrack.speed.cachedir import forget_unsaved
from civictrack.speed.children import stop_children
from civictrack.errors import ErrorSink

if TYPE_CHECKING:  # the heavy modules are imported only when a command needs them
    from civictrack.dataset import Dataset
    from civictrack.speed.fingerprint import Inputs
    from civictrack.speed.pagecache import Kept


def _print_errors(sink: ErrorSink) -> None:
    interrupts.checkpoint()  # an interruption inside validation can surface as a wrong error
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
    from civictrack.speed.cachedir import cache_dir
    from civictrack.load.yamlload import use_parsed_cache

    folder = cache_dir(root) if root is not None else None
    return use_parsed_cache(folder / "parsed.marshal" if folder is not None else None)


def load(root: Path) -> Dataset | None:
    from civictrack.check import check_project

    cache = _use_parsed_cache(root)
    sink = ErrorSink()
    data = check_project(root, sink)
    if cache is not None:
        cache.save()
        _use_parsed_cache(None)  # loaded: let its ~7 KB a file go
    if data is None:
        _print_errors(sink)
    return data


def unreviewed_counts(data: Dataset) -> dict[str, int]:
    """What is still marked unreviewed (drafted by `build.py draft`), by kind."""
    counts = {
        "reports": sum(r.unreviewed for r in data.reports.values()),
        "items": sum(i.unreviewed for i in data.items),
        "figures": sum(f.figure.unreviewed for f in data.stated_figures + data.derived_figures),
        "vocabulary entries": sum(e.unreviewed for vocab in (data.bodies, data.places, data.documents, data.tags,
                                                             data.statuses) for e in vocab.values()),
    }
    return {k: v for k, v in counts.items() if v}


def _unreviewed_line(data: Dataset) -> str | None:
    counts = unreviewed_counts(data)
    if not counts:
        return None
    return "unreviewed (marked 待核对 on the site): " + ", ".join(f"{v} {k}" for k, v in counts.items())


def _refuse_unreviewed(data: Dataset, what_happened: str = "") -> int:
    """``--strict`` with something still unreviewed: say what, and fail."""
    print(f"--strict: {_unreviewed_line(data)}; review each and remove its `unreviewed: true` "
          f"(docs/editing.md, \"Start from the text\"){what_happened}", file=sys.stderr)
    return 1


def cmd_check(args: argparse.Namespace) -> int:
    data = load(args.root)
    if data is None:
        return 1
    print("OK: " + summary(data))
    if line := _unreviewed_line(data):
        if args.strict:
            return _refuse_unreviewed(data)
        print(line)
    return 0


def cmd_draft(args: argparse.Namespace) -> int:
    from civictrack.draft import Options, TextProblem, draft_text
    from civictrack.draft.files import Refused, write_draft
    from civictrack.draft.rules import RulesError

    problem = _project_problem(args.root)
    if problem:
        return _fail(problem)
    try:
        raw = args.text.read_bytes().decode("utf-8")
    except OSError as error:
        return _fail(f"{args.text}: cannot read it: {error.strerror}")
    except UnicodeDecodeError:
        return _fail(f"{args.text}: not UTF-8 text; convert it first (e.g. iconv -f GB18030 -t UTF-8)")
    options = Options(args.report_id, responds_to=args.responds_to, issuer=args.issuer, date=args.date,
                      title=args.title)
    try:
        draft, text, vocab = draft_text(args.root, raw, options)
        written = write_draft(args.root, draft, text, vocab)
    except (TextProblem, RulesError, Refused) as error:
        return _fail(f"{args.text}: {error}")
    except DiskFull as full:
        return _fail(f"{full.on(_shown(Path(full.folder)))}; nothing was written")
    except OSError as error:  # a file the draft writes (write_draft writes all of them or none)
        return _fail(f"{error.filename}: cannot write it: {error.strerror}; nothing was written")
    proposed = ", ".join(f"{len(v)} {k}" for k, v in draft.proposed.items() if v) or "none"
    asks = f"{len(draft.report['asks'])} asks, " if draft.report.get("asks") else ""
    print(f"drafted report {draft.report['id']}: {asks}{len(draft.report.get('areas', []))} areas, {len(draft.items)} items, "
          f"{draft.action_count} actions, {draft.figure_count} figures, "
          f"{len(draft.report.get('non_figures', []))} non-figures; new vocabulary entries: {proposed}; "
          f"everything is marked unreviewed")
    for path in written:
        print(f"  wrote {os.path.relpath(path)}")
    print(f"next: {_invocation(args)} review {draft.report['id']} (the text with every number "
          "coloured), fix the data, remove each `unreviewed: true`; `check --strict` passes when none is left")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from civictrack.diskfull import replace_files
    from civictrack.draft.review import review_page

    problem = _project_problem(args.root)
    if problem:
        return _fail(problem)
    data = load(args.root)
    if data is None:
        return 1
    report = data.reports.get(args.report)
    if report is None:
        return _fail(f"no report `{args.report}` (reports: {', '.join(data.reports)})")
    out = args.out or Path(f"review-{report.id}.html")
    html, counts = review_page(data, report)
    try:
        replace_files({out: html})  # never a half-written page, nor an older one cut short
    except DiskFull as full:
        return _fail(f"{full.on(_shown(Path(full.folder)))}; {out} was not written")
    except OSError as error:
        return _fail(f"{out}: cannot write it: {error.strerror}")
    print(f"review of {report.id}: {counts}; open {out}")
    return 0


def _invocation(args: argparse.Namespace) -> str:
    """How the user runs a command on this project: ``civictrack`` (with --root where it is not
    the current folder) or this repository's ``python build.py --root …``."""
    if args.prog == "civictrack":
        return "civictrack" if Path(args.root).resolve() == Path.cwd().resolve() else f"civictrack --root {args.root}"
    return f"python build.py --root {args.root}"


def _shown(folder: Path) -> str:
    """A folder as the user knows it: relative to the working folder when inside it, with a /."""
    path = os.path.abspath(folder)
    rel = os.path.relpath(path)
    return (path if rel == ".." or rel.startswith("../") else rel).rstrip("/") + "/"


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def cmd_build(args: argparse.Namespace) -> int:
    from civictrack.speed.cachedir import cache_dir
    from civictrack.speed import pagecache
    from civictrack.speed.fingerprint import read_inputs
    from civictrack.publish.outdir import RefusedOutput, check_ownership, check_placement
    from civictrack.urls import base_url_problem, placeholder_problem, web_url_problem
    from civictrack.publish.writer import is_current

    if args.base_url is not None and base_url_problem(args.base_url):
        return _fail(f"--base-url {args.base_url!r}: {base_url_problem(args.base_url)}; give the address the site "
                     f"is served at, an absolute http:// or https:// URL ending in /, e.g. "
                     f"https://owner.github.io/repo/")
    if args.corrections_url is not None and web_url_problem(args.corrections_url):
        return _fail(f"--corrections-url {args.corrections_url!r}: {web_url_problem(args.corrections_url)}; give "
                     f"where readers report an error, e.g. https://github.com/owner/repo/issues/new or "
                     f"mailto:corrections@example.org")
    out = args.out if args.out is not None else args.root / "site"
    _interrupted_note[0] = f"{_shown(out)} left as it was"
    cache = cache_dir(args.root)
    try:
        target = check_placement(out, args.root, cache)  # before any work, whatever is in the folder
    except RefusedOutput as refused:
        return _fail(str(refused))
    options: dict[str, object] = {"base_url": args.base_url, "search": args.search}
    if args.corrections_url is not None:  # a build without it keeps the fingerprint it had
        options["corrections_url"] = args.corrections_url
    inputs = read_inputs(args.root, options)
    fingerprint = inputs.whole
    if not args.force and not args.strict and is_current(target, fingerprint):  # strict: always look
        print(f"nothing changed since the last build of {out}: nothing to do (--force rebuilds)")
        return 0
    try:
        check_ownership(out, target)
    except RefusedOutput as refused:
        return _fail(str(refused))

    # the last build's pages, read before this build's data set replaces that build's in the cache
    kept = pagecache.read(cache, inputs) if args.page_cache else None
    data = _validated_data(args.root, cache, fingerprint)
    if data is None:
        return 1
    corrections = data.config.corrections_url
    if args.corrections_url is not None and placeholder_problem(corrections):  # a real one in site.yaml stays
        data.config = data.config.model_copy(update={"corrections_url": args.corrections_url})
        corrections = args.corrections_url
    if args.strict and placeholder_problem(corrections):
        return _fail(f"--strict: the corrections address {corrections} is a placeholder "
                     f"({placeholder_problem(corrections)}): set corrections_url in site.yaml to where readers "
                     f"report an error, or pass --corrections-url (the Pages workflow passes the repository's "
                     f"issues page); nothing was written.")
    if args.strict and unreviewed_counts(data):
        return _refuse_unreviewed(data, "; nothing was written.")
    return _build_and_publish(args, data, out, target, inputs, kept)


def _validated_data(root: Path, cache: Path | None, fingerprint: str) -> Dataset | None:
    """The project's validated data: from the data-set cache when an earlier build had the same
    inputs, else loaded and checked (and saved for the next build, by a forked child)."""
    from civictrack.charts.render import start_vega_bundle
    from civictrack.speed.datacache import read as read_dataset
    from civictrack.speed.datacache import save_in_background

    start_vega_bundle(cache)  # if it is not cached: made meanwhile, on the core this process leaves idle
    data = read_dataset(cache, fingerprint)  # the same inputs as an earlier build: validated then
    if data is None:
        data = load(root)
        if data is not None:
            save_in_background(cache, fingerprint, data)
    return data


def _build_and_publish(args: argparse.Namespace, data: Dataset, out: Path, target: Path, inputs: Inputs,
                       kept: Kept | None) -> int:
    """Render the site into a staging folder (only what changed since ``kept``, the last build,
    if given), check the permalinks, index it for search, keep its files for the next build
    and swap it in for ``target``; on any failure or interruption the old site stays."""
    from civictrack.charts.typeface import MissingGlyphs
    from civictrack.publish.permalinks import missing_published
    from civictrack.publish.search import SearchIndexError, SearchStats, index_site
    from civictrack.publish.writer import SiteWriter, write_site
    from civictrack.speed import pagecache
    from civictrack.speed.cachedir import cache_dir

    started = time.perf_counter()
    stats: dict[str, int] = {}
    cache = cache_dir(args.root)
    try:
        writer = SiteWriter(target, inputs.whole)  # a staging folder: the output is untouched until the end
    except DiskFull as full:
        return _fail(_site_full(full, out, target))
    except OSError as error:
        return _fail(f"cannot write beside {out}: {error.strerror} ({error.filename})")
    try:
        only = _kept_pages(kept, data)
        try:
            output = _render(args, data, kept, only, writer, stats)
        except MissingGlyphs as missing:  # --strict: found before any page or chart is made
            writer.abort()
            _print_first("--strict: ", missing.problems)
            return _fail(f"--strict: {len(missing.problems)} chart(s) with characters the bundled chart font "
                         f"cannot draw; write them with characters it has (a rare character's common form), "
                         f"or build without --strict; nothing was written.")
        _print_first("warning: ", stats["glyph_problems"])
        lost = missing_published(args.root, output)
        if lost:
            writer.abort()
            sink = ErrorSink()
            for error in lost:
                sink.add(error.file, error.line, error.column, error.message, error.hint)
            _print_errors(sink)
            return 1
        searched: list[SearchStats] = []
        previous = kept.state if kept is not None else pagecache.read_state(cache, inputs)

        def finish(staging: Path) -> None:
            """The search index, then the files kept for the next build (not Pagefind's)."""
            if args.search:
                searched.append(index_site(staging))
            pagecache.save(cache, inputs, staging, writer.digests, previous)

        try:
            written = write_site(output, target, finish, fingerprint=inputs.whole, writer=writer)
        except SearchIndexError as error:
            print(f"search index: {error}\nnothing was written.", file=sys.stderr)
            return 1
    except DiskFull as full:  # writing the site (here or in a render worker), or Pagefind's index
        writer.abort()
        stop_children()  # the data-set writer, if still running: a full disk is no time to wait for it
        return _fail(_site_full(full, out, target))
    except BaseException:
        if writer.committed:
            _interrupted_note[0] = f"the new site is in {_shown(out)}"
        writer.abort()
        raise
    _interrupted_note[0] = f"the new site is in {_shown(out)}"
    print(f"built {len(output.files)} files into {out} in {time.perf_counter() - started:.2f} s "
          f"({written.written} written, {written.linked} unchanged); "
          f"charts: {stats.get('charts', 0)} ({stats.get('charts_rendered', 0)} rendered, "
          f"{stats.get('charts', 0) - stats.get('charts_rendered', 0)} from cache)" +
          (f"; {stats['pages_rendered']} page(s) rendered, the rest as the last build made them" if only is not None
           else ""))
    for s in searched:
        print(f"search: Pagefind {s.version} indexed {s.pages} pages, {s.words} words in {s.seconds:.2f} s")
    print(summary(data))
    return 0


def _render(args: argparse.Namespace, data: Dataset, kept: Kept | None, only: set[str] | None, writer: Any,
            stats: dict[str, Any]) -> Any:
    """The site's files: just the pages ``only`` names over the last build's (``kept``), or every
    page, handed to ``writer`` as they are made."""
    from civictrack.pipeline import build_site
    from civictrack.publish.writer import Output

    base_url = args.base_url or data.config.base_url
    if kept is not None and only is not None:
        previous = Output()
        previous.files = dict(kept.files())
        return build_site(data, base_url=base_url, root=args.root, stats=stats, only=only, previous=previous,
                          strict=args.strict)
    return build_site(data, base_url=base_url, root=args.root, stats=stats, sink=writer, strict=args.strict)


SHOWN = 5
"""How many lines of one kind a command prints before it counts the rest."""


def _print_first(prefix: str, lines: list[str]) -> None:
    """The first ``SHOWN`` lines, then how many more there are: readable on one screen."""
    for line in lines[:SHOWN]:
        print(f"{prefix}{line}", file=sys.stderr)
    if len(lines) > SHOWN:
        print(f"{prefix}… and {len(lines) - SHOWN} more like these", file=sys.stderr)


def _site_full(full: DiskFull, out: Path, target: Path) -> str:
    """The one line for a build that ran out of room: the folder, what ran out, the old site kept."""
    folder = Path(full.folder)
    if folder == target or (folder.parent == target.parent and folder.name.startswith(f".{target.name}.")):
        return f"{full.on(_shown(out))}: the build stopped and left that folder as it was"
    return f"{full.on(_shown(folder))}: the build stopped, {_shown(out)} left as it was"


def _kept_pages(kept: Kept | None, data: Dataset) -> set[str] | None:
    """The pages to render when starting from ``kept`` (the last build): those the edited items
    touch; None when everything must be rendered."""
    from civictrack.index.indexes import build_indexes
    from civictrack.preview.incremental import item_edit_pages

    if kept is None:
        return None
    if kept.data is None:  # the same inputs as the last build
        return set()
    return item_edit_pages(kept.data, data, build_indexes(kept.data), build_indexes(data), kept.changed)


def _project_problem(root: Path) -> str | None:
    """Why ``root`` is not a project folder a command may write into, or None."""
    if not (root / "site.yaml").is_file():
        return f"{root} is not a project folder (it has no site.yaml); give the project with --root"
    return None


def cmd_urls(args: argparse.Namespace) -> int:
    from civictrack.publish.permalinks import FILE, update_published
    from civictrack.pipeline import build_site

    problem = _project_problem(args.root)
    if problem is None and (args.root / FILE).exists() and not (args.root / FILE).is_file():
        problem = f"{args.root / FILE} is not a file; it should hold the list of published URLs"
    if problem:
        return _fail(problem)
    data = load(args.root)
    if data is None:
        return 1
    try:
        added = update_published(args.root, build_site(data, base_url=data.config.base_url, root=args.root))
    except DiskFull as full:
        return _fail(f"{full.on(_shown(Path(full.folder)))}; {FILE} left as it was")
    print(f"published-urls.txt: {added} new URL(s) recorded")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from civictrack.preview.serve import serve

    _use_parsed_cache(args.root)  # read at start-up; the preview keeps parsed files in memory after
    _interrupted_note[0] = "preview stopped, its temporary folder removed"
    serve(args.root, port=args.port, host=args.host, base_path=args.base_path)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from civictrack.new import NewOptions, Refused, new_project

    editions = [e.strip() for e in args.editions.split(",")] if args.editions else None
    options = NewOptions(args.folder, language=args.language, title=args.title, base_url=args.base_url,
                         editions=editions, generator=args.generator)
    try:
        written = new_project(options)
    except Refused as refused:
        return _fail(f"civictrack new: {refused}")
    except OSError as error:
        return _fail(f"civictrack new: cannot write {args.folder}: {error.strerror}; nothing was written")
    folder = _shown(args.folder)
    print(f"new project in {folder}: {len(written)} files (reports in {options.language}; editions: "
          f"{', '.join(editions or [options.language])})")
    here = Path(args.folder).resolve() == Path.cwd().resolve()
    print(f"next: {'' if here else f'cd {folder} && '}civictrack check && civictrack build && civictrack serve; to "
          f"add a report: civictrack draft report.txt --id <report-id> (README.md{'' if here else f' in {folder}'} has "
          f"the steps)")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from civictrack.schema import SchemaRefused, write_schemas

    problem = _project_problem(args.root)
    if problem:
        return _fail(problem)
    try:
        changed = write_schemas(args.root / "schema")
    except SchemaRefused as refused:
        return _fail(str(refused))
    except DiskFull as full:
        return _fail(f"{full.on(_shown(Path(full.folder)))}; nothing was written")
    print(f"schema: {len(changed)} file(s) updated" + (": " + ", ".join(changed) if changed else ""))
    return 0


def run() -> None:
    """The ``civictrack`` command (a console entry point): the project is the current folder
    unless ``--root`` says otherwise."""
    sys.exit(main(prog="civictrack", exit_fast=True))


def command_line(prog: str, default_root: Path | None) -> argparse.ArgumentParser:
    """Every command and its options (``civictrack`` and this repository's build.py alike)."""
    from civictrack import __version__
    from civictrack.new import LANGUAGES

    parser = argparse.ArgumentParser(prog=prog, description="Static accountability site generator.")
    parser.add_argument("--version", action="version", version=f"civictrack {__version__}")
    parser.add_argument("--root", type=Path, default=default_root or Path.cwd(),
                        help="project folder holding site.yaml, data/ and content/ (default: "
                             + ("this repository)" if default_root is not None else "the current folder)"))
    sub = parser.add_subparsers(dest="command", required=True)
    new = sub.add_parser("new", help="start a project of your own in a new folder")
    new.add_argument("folder", type=Path, metavar="DIR", help="the project's folder: new, or empty")
    new.add_argument("--language", choices=LANGUAGES, default="zh-CN",
                     help="the language the reports are written in (default: zh-CN)")
    new.add_argument("--title", default=None, help="the site's title (default: a plain one in that language)")
    new.add_argument("--base-url", default=None, metavar="URL",
                     help="the address the site will be served at, e.g. https://owner.github.io/repo/")
    new.add_argument("--editions", default=None, metavar="LANGS",
                     help="the site's editions, comma-separated, the reports' language first, e.g. zh-CN,en "
                          "(default: that language alone)")
    new.add_argument("--generator", default=None, metavar="REQUIREMENT",
                     help="what the Pages workflow installs: civictrack==VERSION from the package index (the "
                          "default, this version) or \"civictrack @ URL\" of a tagged release's archive")
    new.set_defaults(func=cmd_new)
    check = sub.add_parser("check", help="validate the data and print counts")
    check.add_argument("--strict", action="store_true",
                       help="also fail while anything is marked unreviewed (drafted and not yet reviewed)")
    check.set_defaults(func=cmd_check)
    draft = sub.add_parser("draft", help="draft a report's data from its plain text (everything marked unreviewed)")
    draft.add_argument("text", type=Path, help="the report's text, UTF-8, one paragraph per line")
    draft.add_argument("--id", dest="report_id", required=True, help="id of the new report, e.g. cq-2025-edu-response")
    draft.add_argument("--responds-to", default=None, metavar="REPORT_ID", help="the report this one answers")
    draft.add_argument("--issuer", default=None, metavar="BODY_ID", help="who issued it (default: read from the title)")
    draft.add_argument("--date", default=None, metavar="YYYY-MM-DD", help="its date, where the text does not say")
    draft.add_argument("--title", default=None, help="its title, where the text's first line is not")
    draft.set_defaults(func=cmd_draft)
    review = sub.add_parser("review", help="write a page showing a report's text with every number coloured by "
                                           "how the data accounts for it")
    review.add_argument("report", help="report id")
    review.add_argument("--out", type=Path, default=None, help="the HTML file (default: review-<id>.html)")
    review.set_defaults(func=cmd_review)
    build = sub.add_parser("build", help="validate, then write the site")
    build.add_argument("--out", type=Path, default=None, metavar="DIR",
                       help="output folder (default: <root>/site).  It is replaced whole, so it must be new, "
                            "empty, or a folder an earlier build made (it holds .civictrack-manifest.json and "
                            "no file that build did not write); never the project, a folder holding it, or "
                            "its site.yaml, data/, content/, templates/ or .git")
    build.add_argument("--force", action="store_true", help="rebuild even if no input changed")
    build.add_argument("--strict", action="store_true",
                       help="refuse to build while anything is marked unreviewed, while a chart has characters "
                            "the bundled chart font cannot draw, or while the corrections address is a placeholder "
                            "(see --corrections-url; the Pages workflow uses it)")
    build.add_argument("--no-page-cache", dest="page_cache", action="store_false",
                       help="render every page, even those the last build made from the same inputs (the cache "
                            "of rendered pages is still filled for the next build)")
    build.add_argument("--base-url", default=None, metavar="URL",
                       help="the address the site is served at, for links and permalinks: an absolute http:// "
                            "or https:// URL ending in /, e.g. https://owner.github.io/repo/ (default: base_url "
                            "in site.yaml)")
    build.add_argument("--corrections-url", default=None, metavar="URL",
                       help="where every page's \"report an error\" link goes while corrections_url in site.yaml is "
                            "still a placeholder (a host reserved for examples, such as example.org, or "
                            "github.com/example/...): an http://, https:// or mailto: address; a real address in "
                            "site.yaml is kept (the Pages workflow passes the repository's issues page)")
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
    return parser


def main(argv: list[str] | None = None, default_root: Path | None = None, exit_fast: bool = False,
         prog: str = "build.py") -> int:
    """Run one command.  With ``exit_fast`` (``build.py``, never a caller that goes on), a
    one-shot command ends the process at once when done: every file it wrote is closed, and
    tearing down the heap it leaves (0.2-0.3 s at 1,000 items) would change nothing."""
    args = command_line(prog, default_root).parse_args(argv)
    args.prog = prog
    # A one-shot command keeps what it loads to the end, so the cyclic GC would only re-scan
    # a growing heap (1.1 s of loading alone at 10,000 items); render workers turn it back on.
    pause_gc = args.command in ("check", "build", "urls") and gc.isenabled()
    if pause_gc:
        gc.disable()
    handlers = interrupts.install()
    _interrupted_note[0] = "nothing was written"
    forget_unsaved()
    try:
        code = args.func(args)
        interrupts.checkpoint()
        if code == 0 and args.command != "serve":
            _warn_unsaved_cache(args.root)
    except interrupts.Interrupted as stop:
        code = _stopped(stop.signum)
    except BrokenPipeError:  # whoever read the output stopped reading (`build.py build | head -1`)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        code = 141  # as a command that SIGPIPE ended; what was done stays done
    except (DiskFull, OSError) as error:  # a full disk where no command expected one: still one line
        full = error if isinstance(error, DiskFull) else as_full(error, _folder_of(error))
        if full is None:
            raise
        stop_children()
        print(f"{full.on(_shown(Path(full.folder)))}; {_interrupted_note[0]}", file=sys.stderr)
        code = 1
    except Exception:  # the signal, raised inside C code (pydantic building a schema), came back wrapped
        signum = interrupts.received()
        if signum is None:
            raise
        code = _stopped(signum)
    finally:
        interrupts.restore(handlers)
        if pause_gc:
            gc.enable()
    if exit_fast and pause_gc:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def _stopped(signum: int) -> int:
    """A command stopped by SIGINT or SIGTERM: its helpers stopped, one line, 128 + the signal."""
    stop_children()
    print(f"interrupted; {_interrupted_note[0]}", file=sys.stderr)
    return 128 + signum


_interrupted_note = ["nothing was written"]  # what an interruption leaves, for its one line


def _folder_of(error: OSError) -> Path:
    """The folder a failed write was in: the file's (the second file's for a copy), else here."""
    name = error.filename2 or error.filename
    return Path(os.fsdecode(name)).parent if isinstance(name, (str, bytes)) and name else Path.cwd()


def _warn_unsaved_cache(root: Path) -> None:
    """The one warning for a command that could not save part of the build cache (a full disk)."""
    from civictrack.speed.cachedir import cache_dir, unsaved_warning

    cache = cache_dir(root)
    line = unsaved_warning(cache, _shown(cache) if cache is not None else None)
    if line:
        print(line, file=sys.stderr)
