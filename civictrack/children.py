"""Forked helper processes that work beside a build: the data-set writer (``datacache``) and
the vega-embed bundle maker (``chartrender``).  One place for what makes such a fork safe."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable


def can_fork() -> bool:
    """Whether this process may fork a child that goes on running Python: it has ``fork``
    and no other thread (a child could inherit a lock some thread holds, and hang on it)."""
    return hasattr(os, "fork") and threading.active_count() == 1


def start_child(work: Callable[[], object]) -> int:
    """Fork a child that runs ``work()`` with its standard streams on /dev/null (whoever waits
    for this process's output does not wait for the child) and leaves with ``os._exit``, 0 or
    1 if ``work`` raised (none of this process's cleanup runs twice).  Returns its pid."""
    sys.stdout.flush()
    sys.stderr.flush()
    child = os.fork()
    if child:
        return child
    code = 0
    try:
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        work()
    except BaseException:  # noqa: BLE001 (the parent does without what the child would have made)
        code = 1
    finally:
        os._exit(code)
