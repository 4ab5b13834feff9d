"""Full-text search: run Pagefind over a written site.

Pagefind (https://pagefind.app) reads the built HTML and writes a static index plus its
search UI into ``<site>/pagefind/``; the browser then searches without any server.  Only
the extended build segments Chinese into words (the plain one indexes a run of Chinese
text as one long "word"), so the build refuses to index with anything else.  The Python
package ``pagefind[extended]`` ships that binary and runs it as ``python -m pagefind``.

What gets indexed is decided in the templates (``base.html``, from each page's
``search_kind`` block): ``data-pagefind-body`` on ``<main>`` of the report, area, item, figure
and vocabulary pages (every other page is left out), ``data-pagefind-ignore`` on breadcrumbs,
citations, pagers and charts, a ``类型`` filter naming the kind of page (报告, 领域, 措施,
数字, 主题…) and the page title as ``title`` metadata (see ``render.format.search_title``).  ``search.js``
runs Pagefind's UI on ``/search/`` with the base path and ``?q=``.

Ranking: a page's ``<h1>`` carries ``data-pagefind-weight="10"`` and what names another page (the
kicker above it, a report's 回应 / 对此的回应) ``0.5``, so a page ranks first for its own title;
``search.js`` eases the length penalty (``ranking.pageLength`` 0.3): a report's page holds its
whole text.  Excerpts: the browser splits a Chinese query with its own dictionary (``Intl.Segmenter``:
毛入园率 → 毛 入 园 率), so Pagefind marks single characters all over an excerpt; ``search.js``
marks the query's words instead (runs of two or more of its characters) and drops the ". "
Pagefind joins blocks with from an excerpt's start.

Pagefind 1.5 writes its filter index in hash-map order, so ``pagefind/filter/*`` (and the two
files naming it) differ between otherwise identical builds; everything else is reproducible.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from civictrack.diskfull import DiskFull, exhausted, ran_out

BUNDLE = "pagefind"  # folder of the index and UI inside the site; the templates link to it


class SearchIndexError(RuntimeError):
    """Pagefind is missing, is not the extended build, or failed."""


@dataclass
class SearchStats:
    pages: int
    words: int
    seconds: float
    version: str


TIMEOUT = 600.0  # seconds
WATCH = 0.1  # seconds between two looks at the device's free room while Pagefind runs
_OUT_OF_ROOM = re.compile(r"\(os error (?:28|122)\)")  # how Pagefind's Rust I/O errors say ENOSPC, EDQUOT


def _run(command: list[str], site: Path) -> tuple[int, str]:
    """Run Pagefind; return its exit status and its output.  Pagefind 1.5 does not stop on a
    full disk: it skips a file it cannot write and exits 0 (the index then lacks it), and when
    no inode is left it waits forever.  So the device's free room is watched while it runs and
    after: if space or inodes ran out, it is stopped and :class:`DiskFull` raised."""
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                   encoding="utf-8", errors="replace")
    except OSError as error:  # pragma: no cover - the interpreter itself is missing
        raise SearchIndexError(f"could not run Pagefind: {error}") from error
    deadline = time.monotonic() + TIMEOUT
    try:
        while True:
            try:
                log, _ = process.communicate(timeout=WATCH)
                break
            except subprocess.TimeoutExpired:
                full = exhausted(site)
                if full is not None:
                    raise DiskFull(str(site), full) from None
                if time.monotonic() > deadline:
                    raise SearchIndexError(f"Pagefind did not finish in {TIMEOUT:.0f} s") from None
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    full = exhausted(site)  # a file it could not write leaves the device full
    if full is None and _OUT_OF_ROOM.search(log):
        full = ran_out(site)
    if full is not None:
        raise DiskFull(str(site), full)
    return process.returncode, log


def index_site(site: Path) -> SearchStats:
    """Run Pagefind (extended) over ``site``, writing ``site/pagefind/``; a full disk raises
    :class:`~civictrack.diskfull.DiskFull` naming ``site``."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", BUNDLE]
    started = time.perf_counter()
    returncode, log = _run(command, site)
    seconds = time.perf_counter() - started
    if returncode != 0:
        if "No module named pagefind" in log or "Could not find pagefind binary" in log:
            raise SearchIndexError("Pagefind is not installed (pip install -e . installs pagefind[extended]); "
                                   "or build with --no-search")
        raise SearchIndexError(f"Pagefind failed (exit {returncode}):\n{log.strip()}")
    version = re.search(r"Running Pagefind (v\S+)( \(Extended\))?", log)
    if version is None or not version.group(2):
        raise SearchIndexError("Pagefind is not the extended build, which Chinese text needs "
                               "(pip install 'pagefind[extended]'); or build with --no-search")
    pages = re.search(r"Indexed (\d+) pages?", log)
    words = re.search(r"Indexed (\d+) words?", log)
    if pages is None or int(pages.group(1)) == 0:
        raise SearchIndexError(f"Pagefind indexed no page:\n{log.strip()}")
    return SearchStats(int(pages.group(1)), int(words.group(1)) if words else 0, seconds, version.group(1))
