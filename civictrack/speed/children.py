"""Forked helper processes that work beside a build: the data-set writer (``datacache``) and
the vega-embed bundle maker (``charts.render``).  One place for what makes such a fork safe,
and for stopping them when the build is interrupted (:func:`stop_children`)."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable

from civictrack.interrupts import quiet_worker

_RUNNING: set[int] = set()  # children started here and not yet reaped: their pids cannot be reused


def can_fork() -> bool:
    """Whether this process may fork a child that goes on running Python: it has ``fork``
    and no other thread (a child could inherit a lock some thread holds, and hang on it)."""
    return hasattr(os, "fork") and threading.active_count() == 1


def start_child(work: Callable[[], object]) -> int:
    """Fork a child that runs ``work()`` with its standard streams on /dev/null (whoever waits
    for this process's output does not wait for the child) and leaves with ``os._exit``, 0 or
    1 if ``work`` raised (none of this process's cleanup runs twice).  Ctrl+C is left to this
    process; SIGTERM (from :func:`stop_children`) unwinds ``work`` and ends the child.
    Returns its pid."""
    reap_children()
    sys.stdout.flush()
    sys.stderr.flush()
    child = os.fork()
    if child:
        _RUNNING.add(child)
        return child
    code = 0
    try:
        _RUNNING.clear()
        quiet_worker()
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        work()
    except BaseException:  # noqa: BLE001 (the parent does without what the child would have made)
        code = 1
    finally:
        os._exit(code)


def wait_child(pid: int) -> None:
    """Wait for a child started by :func:`start_child` to end."""
    if pid in _RUNNING:
        _RUNNING.discard(pid)
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


def reap_children() -> None:
    """Collect the children that have ended (no zombies in a long-lived process)."""
    for pid in list(_RUNNING):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            _RUNNING.discard(pid)


def stop_children() -> None:
    """Stop every child still running (an interrupted build) and wait until they are gone."""
    for pid in list(_RUNNING):
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    for pid in list(_RUNNING):
        wait_child(pid)
