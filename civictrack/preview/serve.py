"""``python build.py serve``: a live-reloading preview under the same base path as the site.

Watches site.yaml, data/, content/ and templates/.  On a change it rebuilds in this
process (parsed files and charts come from caches, so only what changed is redone),
writes only the files whose bytes changed, and the open browser page reloads.  A data
error does not stop the server: it is printed as ``file:line:column: message`` and shown
over the page (``assets/preview.js`` reads ``__preview/errors.json``) until fixed; the
last good pages stay in place.
"""

from __future__ import annotations

import gc
import hashlib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from typing import Any

from civictrack.errors import ErrorSink
from civictrack.interrupts import checkpoint, held
from civictrack.preview.incremental import affected_pages
from civictrack.index.indexes import build_indexes
from civictrack.load.loader import ParseCache
from civictrack.resources import template_folders
from civictrack.publish.permalinks import FILE as PUBLISHED_FILE
from civictrack.publish.permalinks import missing_published
from civictrack.pipeline import build_site
from civictrack.check import check_project
from civictrack.preview.watch import FastWatcher
from civictrack.publish.writer import write_file

ERRORS_FILE = "__preview/errors.json"


class Preview:
    """Rebuilds the site into ``serve_root/<base path>`` and remembers what it wrote."""

    def __init__(self, root: Path, serve_root: Path, base_path: str, port: int, host: str):
        self.root = root.resolve()
        self.base_path = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
        self.out = serve_root / self.base_path.strip("/") if self.base_path != "/" else serve_root
        self.base_url = f"http://{host}:{port}{self.base_path}"
        self.cache = ParseCache()
        self.written: dict[str, bytes] = {}
        self.last_seconds = 0.0
        self.ok = False
        self.changed = True
        self.last: tuple[Any, Any, Any, str] | None = None  # dataset, indexes, output, templates+prose digest
        self.last_stats: dict[str, Any] = {}
        self.unsettled = False  # a full build's heap not yet frozen (settle)
        self._published: tuple[Any, list[Any]] = (object(), [])  # (stat of published-urls.txt, what is missing)
        self.reviews: dict[str, str] = {}  # report id → its review page (preview only, under _review/)
        self._drafted: dict[str, tuple[Any, bool]] = {}  # item id → (the item, anything of it unreviewed)

    def _published_stamp(self) -> tuple[int, ...] | None:
        try:
            stat = (self.root / PUBLISHED_FILE).stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)

    def _static_digest(self) -> str:
        """Cheap digest (names, sizes, mtimes) of templates and prose: a change there means a full rebuild."""
        digest = hashlib.blake2b(digest_size=16)
        for folder in (*template_folders(self.root), self.root / "content"):
            for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
                if path.is_file():
                    stat = path.stat()
                    digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        return digest.hexdigest()

    def _write(self, files: dict[str, Any], same_paths: bool = False, only: set[str] | None = None) -> int:
        """Write changed files, remove vanished ones; return how many files were written.

        ``same_paths``: ``files`` has exactly the paths written last time (not checked again);
        ``only``: the paths that may have changed (an incremental build's; the rest are the
        objects written last time)."""
        count = 0
        written = self.written
        for path in files if only is None else sorted(only):
            content = files[path]
            before = written.get(path)
            if before is not content and before != content:  # unchanged files are the same objects
                target = self.out / path
                target.parent.mkdir(parents=True, exist_ok=True)
                write_file(target, content)  # bytes, or a cached chart file to link
                count += 1
        if not same_paths:
            for path in written.keys() - files.keys():
                target = self.out / path
                target.unlink(missing_ok=True)
                _remove_empty_folders(target.parent, self.out)  # a listing's vanished page/<n>/
        self.written = files  # the output is not changed after the build (a later build copies it)
        return count

    def _errors(self, messages: list[str]) -> None:
        target = self.out / ERRORS_FILE
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(messages, ensure_ascii=False), encoding="utf-8")

    def settle(self) -> None:
        """Collect garbage, while the editor is idle; after a full build, also freeze what is
        left (``gc.freeze``): the preview keeps that heap, and every later collection would scan
        it again (1.2 s at 10,000 items, a stall for an edit that comes meanwhile).  Objects an
        edit replaces are still freed by their reference counts; the next full build unfreezes."""
        gc.collect()
        if self.unsettled:
            gc.freeze()
            self.unsettled = False

    def rebuild(self, paths: set[str] | None = None) -> bool:
        """One build; print what happened; never raises for bad data.  ``changed`` tells whether
        anything differed from the last build (if not, nothing was done).  ``paths``: the only
        files that can have changed since the last build, if the watcher saw every event (the
        others are not even looked at); None: any file may have.

        The cyclic garbage collector is paused while an incremental build runs: a full
        collection of the preview's caches takes ~0.1 s, half an edit's rebuild (the caller
        collects when idle, see ``serve``)."""
        collecting = gc.isenabled()
        gc.disable()
        self.cache.unchanged_except = paths
        try:
            return self._rebuild()
        finally:
            self.cache.unchanged_except = None
            if collecting:
                gc.enable()

    def _rebuild(self) -> bool:
        started = time.perf_counter()
        self.changed = True
        sink = ErrorSink()
        data = check_project(self.root, sink, cache=self.cache)
        if data is None:
            checkpoint()  # an interruption inside validation can surface as a wrong error
            messages = [str(e) for e in sink.sorted()]
            for message in messages:
                print(message, file=sys.stderr)
            print(f"{len(messages)} error(s); the preview keeps the last good pages.", file=sys.stderr, flush=True)
            self._errors(messages)
            self.ok = False
            return False
        try:
            static = self._static_digest()
            if self.ok and self.last is not None and data is self.last[0] and static == self.last[3]:
                self.changed = False  # the watcher saw a file that makes no difference (an editor's temp file)
                return True
            ix = build_indexes(data)
            only = None
            if self.last is not None and self.last[3] == static:
                only = affected_pages(self.last[0], data, self.last[1], ix)
            stats: dict[str, Any] = {}
            if only is not None:
                output = build_site(data, base_url=self.base_url, root=self.root, preview=True, stats=stats,
                                    previous=self.last[2], only=only)
            else:
                gc.unfreeze()  # the last full build's objects: collectable again (see settle)
                gc.enable()  # a full build makes much garbage; it may collect as it goes
                output = build_site(data, base_url=self.base_url, root=self.root, preview=True, stats=stats)
                self.unsettled = True
            stats["incremental"] = only is not None
            self.last = (data, ix, output, static)
            self.last_stats = stats
        except Exception as exc:  # a template error while editing templates must not stop the server
            message = f"templates: build failed: {type(exc).__name__}: {exc}"
            print(message, file=sys.stderr, flush=True)
            self._errors([message])
            self.ok = False
            return False
        same_paths = output.files.keys() == self.written.keys()
        published = self._published_stamp()
        if not (same_paths and published == self._published[0]):  # the same pages: the same answer
            self._published = (published, missing_published(self.root, output))
        for error in self._published[1]:
            print(f"warning: {error}", file=sys.stderr)
        for line in self.last_stats.get("glyph_problems", ()):
            print(f"warning: {line}", file=sys.stderr)
        written = self._write(output.files, same_paths, output.replaced if self.last_stats.get("incremental") else None)
        written += self._write_reviews(data)
        self._errors([])
        self.last_seconds = time.perf_counter() - started
        how = (f"{self.last_stats.get('pages_rendered', 0)} page(s) re-rendered" if self.last_stats.get("incremental")
               else "full build")
        print(f"rebuilt in {self.last_seconds:.2f} s ({how}): {written} file(s) changed", flush=True)
        self.ok = True
        checkpoint()
        return True


    def _write_reviews(self, data: Any) -> int:
        """The review page (`build.py review`) of every report with anything still unreviewed, at
        ``_review/<report>.html`` beside the preview's pages, kept current on every rebuild; a
        report's page goes when nothing of it is unreviewed.  Never part of a build."""
        from civictrack.draft.review import review_page

        flags: dict[str, tuple[Any, bool]] = {}
        for item in data.items:  # an unchanged item is the same object: its answer is kept (10,000 items: 2 ms)
            known = self._drafted.get(item.id)
            flags[item.id] = known if known is not None and known[0] is item else \
                (item, item.unreviewed or any(f.unreviewed for f in item.figures))
        self._drafted = flags
        drafted = {item.report for item, flagged in flags.values() if flagged} | \
                  {r.id for r in data.reports.values() if r.unreviewed or any(f.unreviewed for f in r.figures)}
        pages = {rid: review_page(data, data.reports[rid])[0] for rid in sorted(drafted)
                 if rid in data.reports and rid in data.texts}
        folder = self.out / "_review"
        changed = 0
        for rid in self.reviews.keys() - pages.keys():
            (folder / f"{rid}.html").unlink(missing_ok=True)
            changed += 1
        for rid, html in pages.items():
            if self.reviews.get(rid) != html:
                folder.mkdir(parents=True, exist_ok=True)
                (folder / f"{rid}.html").write_text(html, encoding="utf-8")
                changed += 1
                if rid not in self.reviews:
                    print(f"review: {self.base_url}_review/{rid}.html", flush=True)
        self.reviews = pages
        return changed


def _remove_empty_folders(folder: Path, top: Path) -> None:
    """Remove ``folder`` and its parents up to (not including) ``top`` while they are empty."""
    while folder != top and top in folder.parents:
        try:
            folder.rmdir()
        except OSError:  # not empty (or already gone)
            return
        folder = folder.parent


def serve(root: Path, port: int = 8000, host: str = "127.0.0.1", base_path: str | None = None,
          poll: float = 0.1) -> None:
    """Build, then serve with live reload until interrupted."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler

    if base_path is None:
        from civictrack.load.loader import load_config_base_url

        configured = load_config_base_url(root)
        base_path = urlsplit(configured).path if configured else "/"
    root = root.resolve()  # the watcher's paths and the loader's are then the same strings
    serve_root = Path(tempfile.mkdtemp(prefix="civictrack-preview-"))
    try:  # Ctrl+C or SIGTERM (``interrupts``), also during the first build: the folder goes
        preview = Preview(root, serve_root, base_path, port, host)
        preview.rebuild()
        preview.settle()
        LiveReloadHandler.DEFAULT_RELOAD_TIME = 0  # reload after every rebuild, however close together
        server = Server(watcher=FastWatcher(preview, poll))
        for name in ("site.yaml", "data", "content", "templates"):
            path = root / name
            if path.exists():
                server.watch(str(path), preview.rebuild, delay=0)
        print(f"preview at {preview.base_url} (Ctrl+C stops; served from {serve_root})", flush=True)
        server.serve(port=port, host=host, root=str(serve_root), default_filename="index.html")
    finally:
        with held():
            shutil.rmtree(serve_root, ignore_errors=True)
