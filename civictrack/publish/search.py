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

BUNDLE = "pagefind"  # folder of the index and UI inside the site; the templates link to it


class SearchIndexError(RuntimeError):
    """Pagefind is missing, is not the extended build, or failed."""


@dataclass
class SearchStats:
    pages: int
    words: int
    seconds: float
    version: str


def index_site(site: Path) -> SearchStats:
    """Run Pagefind (extended) over ``site``, writing ``site/pagefind/``."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", BUNDLE]
    started = time.perf_counter()
    try:
        result = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace",
                                timeout=600)
    except OSError as error:  # pragma: no cover - the interpreter itself is missing
        raise SearchIndexError(f"could not run Pagefind: {error}") from error
    seconds = time.perf_counter() - started
    log = result.stdout + result.stderr
    if result.returncode != 0:
        if "No module named pagefind" in log or "Could not find pagefind binary" in log:
            raise SearchIndexError("Pagefind is not installed (pip install -e . installs pagefind[extended]); "
                                   "or build with --no-search")
        raise SearchIndexError(f"Pagefind failed (exit {result.returncode}):\n{log.strip()}")
    version = re.search(r"Running Pagefind (v\S+)( \(Extended\))?", log)
    if version is None or not version.group(2):
        raise SearchIndexError("Pagefind is not the extended build, which Chinese text needs "
                               "(pip install 'pagefind[extended]'); or build with --no-search")
    pages = re.search(r"Indexed (\d+) pages?", log)
    words = re.search(r"Indexed (\d+) words?", log)
    if pages is None or int(pages.group(1)) == 0:
        raise SearchIndexError(f"Pagefind indexed no page:\n{log.strip()}")
    return SearchStats(int(pages.group(1)), int(words.group(1)) if words else 0, seconds, version.group(1))
