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
import os
import shutil
import struct
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from typing import Any

from .errors import ErrorSink
from .interrupts import checkpoint, held
from .incremental import affected_pages
from .indexes import build_indexes
from .loader import ParseCache
from .render import template_folder
from .permalinks import FILE as PUBLISHED_FILE
from .permalinks import missing_published
from .site import build_site
from .validate import check_project
from .writer import write_file

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
        self._published: tuple[Any, list[Any]] = (object(), [])  # (stat of published-urls.txt, what is missing)

    def _published_stamp(self) -> tuple[int, ...] | None:
        try:
            stat = (self.root / PUBLISHED_FILE).stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)

    def _static_digest(self) -> str:
        """Cheap digest (names, sizes, mtimes) of templates and prose: a change there means a full rebuild."""
        digest = hashlib.blake2b(digest_size=16)
        for folder in (template_folder(self.root), self.root / "content"):
            for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
                if path.is_file():
                    stat = path.stat()
                    digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        return digest.hexdigest()

    def _write(self, files: dict[str, Any], same_paths: bool = False) -> int:
        """Write changed files, remove vanished ones; return how many files were written.

        ``same_paths``: ``files`` has exactly the paths written last time (not checked again)."""
        count = 0
        written = self.written
        for path, content in files.items():
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

    def rebuild(self) -> bool:
        """One build; print what happened; never raises for bad data.  ``changed`` tells whether
        anything differed from the last build (if not, nothing was done).

        The cyclic garbage collector is paused while an incremental build runs: a full
        collection of the preview's caches takes ~0.1 s, half an edit's rebuild (the caller
        collects when idle, see ``serve``)."""
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._rebuild()
        finally:
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
                gc.enable()  # a full build makes much garbage; it may collect as it goes
                output = build_site(data, base_url=self.base_url, root=self.root, preview=True, stats=stats)
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
        written = self._write(output.files, same_paths)
        self._errors([])
        self.last_seconds = time.perf_counter() - started
        how = (f"{self.last_stats.get('pages_rendered', 0)} page(s) re-rendered" if self.last_stats.get("incremental")
               else "full build")
        print(f"rebuilt in {self.last_seconds:.2f} s ({how}): {written} file(s) changed", flush=True)
        self.ok = True
        checkpoint()
        return True


def _remove_empty_folders(folder: Path, top: Path) -> None:
    """Remove ``folder`` and its parents up to (not including) ``top`` while they are empty."""
    while folder != top and top in folder.parents:
        try:
            folder.rmdir()
        except OSError:  # not empty (or already gone)
            return
        folder = folder.parent


IN_ATTRIB, IN_CLOSE_WRITE, IN_MOVED_FROM, IN_MOVED_TO = 0x4, 0x8, 0x40, 0x80
IN_CREATE, IN_DELETE, IN_DELETE_SELF, IN_MOVE_SELF = 0x100, 0x200, 0x400, 0x800
IN_Q_OVERFLOW, IN_IGNORED, IN_ISDIR, IN_NONBLOCK, IN_CLOEXEC = 0x4000, 0x8000, 0x40000000, 0o4000, 0o2000000
_EVENT = struct.Struct("iIII")  # struct inotify_event: wd, mask, cookie, len (then the name)


def _ignored(name: str) -> bool:
    """Editors' swap, backup and lock files (vim writes and deletes 4913 to test a folder)."""
    return name.endswith(("~", ".swp", ".swx", ".tmp")) or name.startswith(".#") or name == "4913"


class Inotify:
    """Linux inotify through ctypes (no extra dependency): tells at once which watched file was
    written (closed after writing), replaced, created or deleted, so the preview neither waits
    for a poll nor stats every file several times a second.  Raises OSError where unavailable."""

    MASK = (IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_DELETE_SELF
            | IN_MOVE_SELF)

    def __init__(self) -> None:
        import ctypes
        import ctypes.util

        if not sys.platform.startswith("linux"):
            raise OSError("inotify is Linux only")
        self._libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        self.fd = self._libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self.folders: dict[int, tuple[str, frozenset[str] | None]] = {}  # watch → (folder, names of interest)

    def add(self, folder: str, names: frozenset[str] | None = None) -> None:
        """Watch ``folder`` (only ``names`` in it, if given; else all of it, sub-folders included)."""
        if names is not None:
            self._add_one(folder, names)
            return
        for path, subfolders, _ in os.walk(folder):
            self._add_one(path, None)
            subfolders[:] = [d for d in subfolders if not d.startswith(".")]

    def _add_one(self, folder: str, names: frozenset[str] | None) -> None:
        import ctypes

        wd = self._libc.inotify_add_watch(self.fd, os.fsencode(folder), self.MASK)
        if wd < 0:
            raise OSError(ctypes.get_errno(), f"cannot watch {folder}")
        self.folders[wd] = (folder, names)

    def read(self) -> list[str]:
        """Paths that changed since the last call (``"*"``: events were lost, assume anything)."""
        changed: list[str] = []
        while True:
            try:
                buffer = os.read(self.fd, 65536)
            except BlockingIOError:
                return changed
            offset = 0
            while offset < len(buffer):
                wd, mask, _cookie, size = _EVENT.unpack_from(buffer, offset)
                name = buffer[offset + _EVENT.size:offset + _EVENT.size + size].rstrip(b"\0").decode(
                    "utf-8", "surrogateescape")
                offset += _EVENT.size + size
                if mask & IN_Q_OVERFLOW:
                    changed.append("*")
                    continue
                if mask & IN_IGNORED:
                    self.folders.pop(wd, None)
                    continue
                folder, names = self.folders.get(wd, ("", None))
                if not folder or (names is not None and name not in names) or _ignored(name):
                    continue
                path = os.path.join(folder, name) if name else folder
                if mask & IN_ISDIR:
                    if mask & (IN_CREATE | IN_MOVED_TO):
                        try:
                            self.add(path)
                        except OSError:
                            changed.append("*")
                    changed.append(path)
                elif mask & ~IN_CREATE:  # a new file is looked at once it has been written and closed
                    changed.append(path)

    def close(self) -> None:
        os.close(self.fd)


def snapshot(paths: list[Path]) -> dict[str, tuple[int, ...]]:
    """Stat of every file under ``paths`` (the polling fallback compares two of these)."""
    found: dict[str, tuple[int, ...]] = {}
    stack = [str(p) for p in paths]
    while stack:
        path = stack.pop()
        try:
            if os.path.isdir(path):
                with os.scandir(path) as listing:
                    for entry in listing:
                        if entry.is_dir():
                            stack.append(entry.path)
                        elif not _ignored(entry.name):
                            st = entry.stat()
                            found[entry.path] = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
            else:
                st = os.stat(path)
                found[path] = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
        except OSError:
            continue
    return found


DEBOUNCE = 0.003
"""Seconds to wait after a change for the rest of an editor's save (temporary file, rename)."""


def serve(root: Path, port: int = 8000, host: str = "127.0.0.1", base_path: str | None = None,
          poll: float = 0.1) -> None:
    """Build, then serve with live reload until interrupted."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher
    from tornado import ioloop

    class FastWatcher(Watcher):
        """Rebuilds as soon as inotify reports a change (``DEBOUNCE`` later); without inotify,
        compares stats of the watched files every ``poll`` seconds, or less often when a scan
        is slow (at most ~10% of a core).  A save that changes nothing the site shows (an
        editor's temporary file) does not reload the page."""

        def __init__(self) -> None:
            super().__init__()
            self.pending = False
            self.scheduled = False
            self.paths: list[Path] = []
            try:
                self.notify: Inotify | None = Inotify()
            except OSError:
                self.notify = None

        def watch(self, path, func=None, delay=None, ignore=None):  # type: ignore[no-untyped-def]
            super().watch(path, func, delay, ignore)
            self.paths.append(Path(path))
            if self.notify is not None:
                try:
                    if Path(path).is_dir():
                        self.notify.add(path)
                    else:  # watch the folder, for editors that save by replacing the file
                        self.notify.add(str(Path(path).parent), frozenset({Path(path).name}))
                except OSError as exc:  # e.g. the user's inotify watch limit: poll instead
                    print(f"inotify unavailable ({exc}); polling for changes", file=sys.stderr)
                    self.notify.close()
                    self.notify = None

        def start(self, callback):  # type: ignore[no-untyped-def]
            loop = ioloop.IOLoop.current()

            def fire() -> None:
                self.scheduled = False
                self.pending = True
                callback()

            def on_events(fd: int, events: int) -> None:
                if self.notify is not None and self.notify.read() and not self.scheduled:
                    self.scheduled = True
                    loop.call_later(DEBOUNCE, fire)

            if self.notify is not None:
                loop.add_handler(self.notify.fd, on_events, loop.READ)
                return True
            state = {"files": snapshot(self.paths)}

            def scan() -> None:
                began = time.perf_counter()
                files = snapshot(self.paths)
                if files != state["files"]:
                    state["files"] = files
                    fire()
                spent = time.perf_counter() - began
                loop.call_later(max(poll, 10 * spent), scan)

            loop.call_later(poll, scan)
            return True

        def examine(self):  # type: ignore[no-untyped-def]
            self._changes.clear()  # livereload's reload-after-restart marker: nothing was restarted
            if not self.pending:
                return None, None
            self.pending = False
            preview.rebuild()
            ioloop.IOLoop.current().call_later(1.0, gc.collect)  # while the editor is idle, not in a rebuild
            return ("*" if preview.changed else None), None

    if base_path is None:
        from .loader import load_config_base_url

        configured = load_config_base_url(root)
        base_path = urlsplit(configured).path if configured else "/"
    serve_root = Path(tempfile.mkdtemp(prefix="civictrack-preview-"))
    try:  # Ctrl+C or SIGTERM (``interrupts``), also during the first build: the folder goes
        preview = Preview(root, serve_root, base_path, port, host)
        preview.rebuild()
        LiveReloadHandler.DEFAULT_RELOAD_TIME = 0  # reload after every rebuild, however close together
        server = Server(watcher=FastWatcher())
        for name in ("site.yaml", "data", "content", "templates"):
            path = root / name
            if path.exists():
                server.watch(str(path), preview.rebuild, delay=0)
        print(f"preview at {preview.base_url} (Ctrl+C stops; served from {serve_root})", flush=True)
        server.serve(port=port, host=host, root=str(serve_root), default_filename="index.html")
    finally:
        with held():
            shutil.rmtree(serve_root, ignore_errors=True)
