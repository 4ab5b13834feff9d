"""Render a big site's pages in forked workers, two cores at a time.

The workers inherit the environment, the pages and the writer (nothing is pickled on the way
in); each renders runs of pages (``render.pages.render_page``) and, given the build's writer,
puts the files into its staging folder itself, so only paths and digests come back.  Small
sites, one core, or a process where vl-convert has started (a forked child of a running
vl-convert can deadlock) render in this process instead, the same way.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any

from civictrack.interrupts import quiet_worker
from civictrack.pages.page import Page
from civictrack.publish.writer import Content, SiteWriter  # noqa: F401 (Content: in PageFile)
from civictrack.render.pages import render_page
from civictrack.urls import Urls

PARALLEL_MIN_PAGES = 400
PageFile = tuple[str, "str | Content | tuple[str, bool]"]  # path, and its content or (digest, linked) once placed

WithPage = tuple[list[tuple[str, ...]], Callable[[str], list[tuple[str, Any]]]]
"""Files that go with each page: a page's keys (its charts), and the files of a key."""

_STATE: tuple[Any, list[Page], Urls, SiteWriter | None, WithPage | None] | None = None


def _render_range(bounds: tuple[int, int], place: bool = False) -> list[PageFile]:
    """Render pages[start:end]: each page's HTML and JSON twin, by output path, followed by
    the files that go with it (its charts' files).  With ``place`` (in a forked worker) the
    files go straight into the writer's staging folder and only their digests travel back."""
    env, pages, urls, sink, with_page = _STATE  # type: ignore[misc]
    result: list[PageFile] = []
    templates: dict[str, Any] = {}
    for index in range(bounds[0], bounds[1]):
        for path, text in render_page(env, pages[index], urls, templates):
            result.append((path, sink.place(path, text.encode("utf-8")) if place and sink else text))
        for key in with_page[0][index] if with_page else ():
            for path, content in with_page[1](key):
                result.append((path, sink.place(path, content) if place and sink else content))
    return result


def forks(pages: int) -> bool:
    """Whether ``render_pages`` renders this many pages in forked workers."""
    return (pages >= PARALLEL_MIN_PAGES and (os.cpu_count() or 1) >= 2 and "vl_convert" not in sys.modules
            and "fork" in multiprocessing.get_all_start_methods())


def chunks(count: int, workers: int) -> list[tuple[int, int]]:
    """Bounds of the runs of pages handed to the workers: at most 200 pages (a run is one
    message each way), shrinking towards the end (down to 25) so that the workers finish
    together instead of one waiting for the other's last long run."""
    found: list[tuple[int, int]] = []
    start = 0
    while start < count:
        size = max(25, min(200, (count - start) // (workers * 3)))
        found.append((start, min(count, start + size)))
        start += size
    return found


def render_here(pages: list[Page], env: Any, urls: Urls) -> None:
    """Render ``pages`` in this process and drop the result (fills its memos of rendered rows)."""
    global _STATE
    _STATE = (env, pages, urls, None, None)
    try:
        _render_range((0, len(pages)))
    finally:
        _STATE = None


def _worker_start() -> None:
    """A render worker: collect garbage again (this process paused it), stop quietly."""
    gc.enable()
    quiet_worker()


def _render_and_place(bounds: tuple[int, int]) -> list[PageFile]:
    return _render_range(bounds, place=True)


def render_pages(env: Any, pages: list[Page], urls: Urls, sink: SiteWriter | None = None,
                 with_page: WithPage | None = None,
                 meanwhile: Callable[[], None] | None = None) -> Iterator[PageFile]:
    """Every page's HTML and JSON twin by output path, in order, as they are rendered, each
    followed by the files ``with_page`` gives for it (made elsewhere, placed here);
    ``meanwhile`` runs in this process while the workers render (else before).  Given the
    build's ``sink``, forked workers put the files into its staging folder themselves and
    yield (digest, linked) in place of the content."""
    global _STATE
    _STATE = (env, pages, urls, sink, with_page)
    try:
        workers = min(os.cpu_count() or 1, 4)
        if not forks(len(pages)):
            if meanwhile is not None:
                meanwhile()
            yield from _render_range((0, len(pages)))
            return
        for name in sorted({page.template for page in pages}):
            env.get_template(name)  # compiled once here, not once per worker
        # the workers' collections skip (and so do not copy) what they inherit; no collection
        # first (0.09 s at N = 1,000): what garbage there is lives as long as the workers anyway
        gc.freeze()
        try:
            pool = multiprocessing.get_context("fork").Pool(workers, initializer=_worker_start)
            try:
                parts = pool.imap(_render_and_place if sink is not None else _render_range,
                                  chunks(len(pages), workers))
                if meanwhile is not None:
                    meanwhile()
                for part in parts:
                    yield from part
                pool.close()  # done: the workers leave on their own, no signal needed
                pool.join()
            finally:
                pool.terminate()  # an error or an interruption: stop them (SIGTERM)
        finally:
            gc.unfreeze()  # a long-running preview collects this build's data once it is replaced
    finally:
        _STATE = None
