"""Noticing the editor's saves: Linux inotify where there is one (told at once which file
changed), else polling the files' stats; and the watcher the live-reload server runs."""

from __future__ import annotations

import os
import struct
import sys
import time
from pathlib import Path
from typing import Any

from livereload.watcher import Watcher
from tornado import ioloop


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


class FastWatcher(Watcher):
    """Rebuilds as soon as inotify reports a change (``DEBOUNCE`` later); without inotify,
    compares stats of the watched files every ``poll`` seconds, or less often when a scan
    is slow (at most ~10% of a core).  A save that changes nothing the site shows (an
    editor's temporary file) does not reload the page."""

    def __init__(self, preview: Any, poll: float) -> None:
        super().__init__()
        self.preview = preview
        self.poll = poll
        self.pending = False
        self.scheduled = False
        self.paths: list[Path] = []
        self.changes: set[str] | None = set()  # changed since the last rebuild; None: unknown
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

        if self.notify is not None:
            self._on_inotify(loop, fire)
        else:
            self._poll(loop, fire)
        return True

    def _on_inotify(self, loop: Any, fire: Any) -> None:
        def on_events(fd: int, events: int) -> None:
            changed = self.notify.read() if self.notify is not None else []
            self.note(changed)
            if changed and not self.scheduled:
                self.scheduled = True
                loop.call_later(DEBOUNCE, fire)

        loop.add_handler(self.notify.fd, on_events, loop.READ)  # type: ignore[union-attr]

    def _poll(self, loop: Any, fire: Any) -> None:
        state = {"files": snapshot(self.paths)}

        def scan() -> None:
            began = time.perf_counter()
            files = snapshot(self.paths)
            if files != state["files"]:
                before = state["files"]
                self.note([path for path in files.keys() | before.keys() if files.get(path) != before.get(path)])
                state["files"] = files
                fire()
            spent = time.perf_counter() - began
            loop.call_later(max(self.poll, 10 * spent), scan)

        loop.call_later(self.poll, scan)

    def note(self, paths: list[str]) -> None:
        """Remember changed paths for the next rebuild (``"*"``: events were lost)."""
        if self.changes is not None:
            self.changes = None if "*" in paths else self.changes | set(paths)

    def examine(self):  # type: ignore[no-untyped-def]
        self._changes.clear()  # livereload's reload-after-restart marker: nothing was restarted
        if not self.pending:
            return None, None
        self.pending = False
        changes, self.changes = self.changes, set()
        self.preview.rebuild(changes)
        ioloop.IOLoop.current().call_later(1.0, self.preview.settle)  # while the editor is idle, not in a rebuild
        return ("*" if self.preview.changed else None), None
