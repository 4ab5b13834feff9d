"""Published URLs never disappear.

``published-urls.txt`` (committed) lists every site-relative page path ever published.
A build that would no longer produce one of them (as a page or as a redirect from an
``aliases`` entry) fails with a message naming it.  ``python build.py urls`` adds the
current pages to the list; it never removes one.

The later pages of a paginated listing (``figures/page/2/``) are not permalinks: what they
show shifts as the data grows, and they come and go with it.  They are never recorded,
and a listed one never counts as missing.
"""

from __future__ import annotations

from pathlib import Path

from civictrack.diskfull import replace_files
from civictrack.errors import DataError
from civictrack.urls import Urls
from civictrack.publish.writer import Output

FILE = "published-urls.txt"
HEADER = ("# Every URL path this site has published, relative to the base URL. Lines are only ever added\n"
          "# (civictrack urls); a build that would drop one fails. Rename an id with `aliases`.\n")


def produced_paths(output: Output) -> set[str]:
    """Directory-style page paths and downloadable files the output provides (a listing's
    later pages excepted: they are not permalinks)."""
    paths = set()
    for name in output.files:
        if name.endswith("/index.html"):
            page = name[: -len("index.html")]
            if not Urls.is_listing_page(page):
                paths.add(page)
        elif name == "index.html":
            paths.add("")
        elif name.startswith("data/") and not name.endswith("index.json"):  # downloads, not JSON twins
            paths.add(name)
    return paths


def read_published(root: Path) -> list[tuple[int, str]]:
    path = root / FILE
    if not path.exists():
        return []
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if line and not line.startswith("#"):
            rows.append((number, "" if line == "/" else line.lstrip("/")))
    return rows


def missing_published(root: Path, output: Output) -> list[DataError]:
    """An error for each published path the build would drop."""
    have = produced_paths(output)
    return [DataError(FILE, number, 1, f"published URL /{path} would disappear",
                      "keep the page, or add the old id to `aliases` of the entry it became so it redirects")
            for number, path in read_published(root) if path not in have and not Urls.is_listing_page(path)]


def update_published(root: Path, output: Output) -> int:
    """Append the current pages to the list; return how many were new."""
    known = {path for _, path in read_published(root)}
    new = sorted(produced_paths(output) - known)
    path = root / FILE
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    if new:
        if not text.endswith("\n"):
            text += "\n"
        text += "".join(f"/{p}\n" for p in new)
        replace_files({path: text})  # all or nothing: the list is never cut short
    return len(new)
