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
数字, 主题…) and the page title as ``title`` metadata (see ``search_title``).  ``search.js``
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


# Chinese characters and the full-width punctuation written between them (，、：《》“”（）…)
WIDE = "\u2018-\u201f\u2026\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_BETWEEN_WIDE = re.compile(f"(?<=[{WIDE}])(?=[{WIDE}])")
_SPACED = re.compile(f"(?<=[{WIDE}]) (?=[{WIDE}])")


def search_title(title: str) -> str:
    """The result title as Pagefind indexes it: a space between every two Chinese characters.

    Pagefind indexes metadata unsegmented, so a title such as 学前教育普惠率 would become one
    long word; a query for 学前教育 then matches that word by prefix, and Pagefind stops
    looking for 学前 + 教育 in the (segmented) text of every other page, hiding most results.
    No title has a space between two such characters, so ``unspace_title`` (and the same
    regular expression in ``search.js``) gives the title back exactly."""
    return _BETWEEN_WIDE.sub(" ", title)


def unspace_title(indexed: str) -> str:
    return _SPACED.sub("", indexed)


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
