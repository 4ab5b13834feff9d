"""``python build.py serve``: a live-reloading preview under the same base path as the site.

Watches site.yaml, data/, content/ and templates/.  On a change it rebuilds in this
process (parsed files and charts come from caches, so only what changed is redone),
writes only the files whose bytes changed, and the open browser page reloads.  A data
error does not stop the server: it is printed as ``file:line:column: message`` and shown
over the page (``assets/preview.js`` reads ``__preview/errors.json``) until fixed; the
last good pages stay in place.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from .errors import ErrorSink
from .loader import ParseCache
from .permalinks import missing_published
from .site import build_site
from .validate import check_project

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

    def _write(self, files: dict[str, bytes]) -> int:
        """Write changed files, remove vanished ones; return how many files were written."""
        count = 0
        for path, content in files.items():
            if self.written.get(path) != content:
                target = self.out / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
                count += 1
        for path in set(self.written) - set(files):
            (self.out / path).unlink(missing_ok=True)
        self.written = dict(files)
        return count

    def _errors(self, messages: list[str]) -> None:
        target = self.out / ERRORS_FILE
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(messages, ensure_ascii=False), encoding="utf-8")

    def rebuild(self) -> bool:
        """One build; print what happened; never raises for bad data."""
        started = time.perf_counter()
        sink = ErrorSink()
        data = check_project(self.root, sink, cache=self.cache)
        if data is None:
            messages = [str(e) for e in sink.sorted()]
            for message in messages:
                print(message, file=sys.stderr)
            print(f"{len(messages)} error(s); the preview keeps the last good pages.", file=sys.stderr, flush=True)
            self._errors(messages)
            self.ok = False
            return False
        try:
            output = build_site(data, base_url=self.base_url, root=self.root, preview=True)
        except Exception as exc:  # a template error while editing templates must not stop the server
            message = f"templates: build failed: {type(exc).__name__}: {exc}"
            print(message, file=sys.stderr, flush=True)
            self._errors([message])
            self.ok = False
            return False
        lost = missing_published(self.root, output)
        for error in lost:
            print(f"warning: {error}", file=sys.stderr)
        written = self._write(output.files)
        self._errors([])
        self.last_seconds = time.perf_counter() - started
        print(f"rebuilt in {self.last_seconds:.2f} s: {written} file(s) changed", flush=True)
        self.ok = True
        return True


def serve(root: Path, port: int = 8000, host: str = "127.0.0.1", base_path: str | None = None,
          poll: float = 0.1) -> None:
    """Build, then serve with live reload until interrupted."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher
    from tornado import ioloop

    class FastWatcher(Watcher):
        """Polls every ``poll`` seconds (livereload's default is 0.8 s)."""

        def start(self, callback):  # type: ignore[no-untyped-def]
            ioloop.PeriodicCallback(callback, int(poll * 1000)).start()
            return True

    if base_path is None:
        from .loader import load_config_base_url

        configured = load_config_base_url(root)
        base_path = urlsplit(configured).path if configured else "/"
    serve_root = Path(tempfile.mkdtemp(prefix="civictrack-preview-"))
    preview = Preview(root, serve_root, base_path, port, host)
    preview.rebuild()
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0  # reload after every rebuild, however close together
    server = Server(watcher=FastWatcher())
    for name in ("site.yaml", "data", "content", "templates"):
        path = root / name
        if path.exists():
            server.watch(str(path), preview.rebuild, delay=0)
    print(f"preview at {preview.base_url} (Ctrl+C stops; served from {serve_root})", flush=True)
    try:
        server.serve(port=port, host=host, root=str(serve_root), default_filename="index.html")
    finally:
        shutil.rmtree(serve_root, ignore_errors=True)
