"""Ctrl+C and SIGTERM: stop cleanly, never half-way through a swap, and say so in one line.

A one-shot command (``build.py build``, ``check``, …) installs :func:`install`: SIGINT and
SIGTERM then raise :class:`Interrupted` in the main thread, the code unwinds through its
``finally`` and ``except BaseException`` blocks (the writer removes its staging folder,
process pools terminate their workers), and ``cli.main`` prints one line and exits with
128 + the signal's number (130 for Ctrl+C, 143 for SIGTERM).  Later signals are noted but do
not raise again, so cleanup is not itself cut short.

:func:`shielded` holds signals back during a step that must finish once begun (the two
renames that swap a new site in); the interruption is raised as soon as the step is done.
Where Python cannot raise it (inside a callback from C code, such as pydantic's validator,
which then reports a wrong result), it is noted, and :func:`checkpoint` raises it before
that result is used: before data errors are printed, before a new site is swapped in, and
when the command returns.

Worker processes call :func:`quiet_worker` first: Ctrl+C (which a terminal sends to the
whole process group) is left to the parent, and SIGTERM (how a pool is terminated) unwinds
the worker silently, running its ``finally`` blocks (no half-written cache file stays).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """Raised in the main thread by SIGINT or SIGTERM (a KeyboardInterrupt, so code that
    treats Ctrl+C specially treats SIGTERM the same way)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


_state: dict[str, Any] = {"shield": 0, "received": None}


def _handler(signum: int, frame: Any) -> None:
    if _state["received"] is not None:  # already stopping: let the cleanup finish
        return
    _state["received"] = signum
    if not _state["shield"]:
        raise Interrupted(signum)


def _unraisable(hook: Any) -> Any:
    def quiet(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, Interrupted):
            hook(unraisable)
    return quiet


def install() -> tuple[dict[int, Any], Any] | None:
    """Raise :class:`Interrupted` on SIGINT and SIGTERM from now on; return what it replaced
    (for :func:`restore`), or None outside the main thread (nothing installed)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    _state.update(shield=0, received=None)
    previous = {signum: signal.signal(signum, _handler) for signum in SIGNALS}
    hook = sys.unraisablehook
    sys.unraisablehook = _unraisable(hook)  # where Python cannot raise it (see checkpoint)
    return previous, hook


def restore(previous: tuple[dict[int, Any], Any] | None) -> None:
    """Put back what :func:`install` replaced and forget any signal received meanwhile."""
    _state.update(shield=0, received=None)
    if previous is not None:
        for signum, handler in previous[0].items():
            signal.signal(signum, handler)
        sys.unraisablehook = previous[1]


def received() -> int | None:
    """The signal that interrupted this command, if one did."""
    return _state["received"]


def checkpoint() -> None:
    """Raise :class:`Interrupted` if a signal arrived and was not raised: held back by
    :func:`held`, or swallowed where Python could not raise it (a callback from C code such
    as pydantic's validator, a ``__del__``), which may have left a wrong result behind."""
    if _state["received"] is not None and not _state["shield"]:
        raise Interrupted(_state["received"])


@contextmanager
def held() -> Iterator[None]:
    """Run the block to its end even if a signal arrives meanwhile (cleanup: nothing raised after)."""
    _state["shield"] += 1
    try:
        yield
    finally:
        _state["shield"] -= 1


@contextmanager
def shielded() -> Iterator[None]:
    """Run the block to its end even if a signal arrives meanwhile; raise it afterwards."""
    with held():
        yield
    checkpoint()


def _leave(signum: int, frame: Any) -> None:
    """Unwind (a pool worker ends quietly on SystemExit, running its ``finally`` blocks); should
    the exception be swallowed (raised inside a ``__del__`` or a C callback), a timer ends the
    process a moment later anyway, so that whoever terminates it never waits for it forever."""
    signal.signal(signal.SIGALRM, lambda *_: os._exit(128 + signum))
    signal.setitimer(signal.ITIMER_REAL, 0.5)
    raise SystemExit(128 + signum)


def quiet_worker() -> None:
    """For a worker process (a pool's initializer, a forked helper): ignore SIGINT (the
    parent decides) and leave on SIGTERM by unwinding, without a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _leave)
