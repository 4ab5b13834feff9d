"""Outside checkers over the whole built site: the Nu HTML Checker (vnu.jar, the W3C validator)
on every HTML file, and LinkChecker crawling the site over HTTP under /repo/ with anchors checked.

Both tools come from package registries (``npm ci`` brings vnu-jar, the test extras bring
linkchecker; scripts/test.sh installs them and Java).  The site is the one the crawler and the
browser tests use (conftest.served_site).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from . import proof
from .conftest import ROOT
from .sitetools import PREFIX, Server, serve

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_nu_html_checker_finds_no_error_in_any_page(served_site: Server, paged_site: Server,
                                                     series_site: Server, drafted_site: Server) -> None:
    """Every page of the bundled site, every page with a pager of its build with three rows a
    listing page (conftest.paged_site), every page of the tracked example (examples/series) and
    the report, item and figure pages of a drafted, unreviewed project (conftest.drafted_site)."""
    site = served_site.site
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 190
    paged = [p for p in sorted(paged_site.site.rglob("index.html")) if 'class="pagination"' in p.read_text("utf-8")]
    assert len(paged) > 40
    paged += sorted(series_site.site.rglob("*.html"))  # checked with the paginated pages
    paged += [p for p in sorted(drafted_site.site.rglob("index.html"))
              if p.parent.parent.name in ("items", "figures", "reports")]
    assert VNU.is_file(), f"{VNU} is missing: run `npm ci` (scripts/test.sh does)"
    java = shutil.which("java")
    assert java, "java is missing: scripts/test.sh installs default-jre-headless"
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html", str(site),
                             *map(str, paged)], capture_output=True, text=True, encoding="utf-8", timeout=600)
    output = result.stderr if "{" in result.stderr else result.stdout  # vnu writes its report to stderr
    start = output.find("{")
    assert start >= 0, f"vnu printed no JSON (exit {result.returncode}):\n{result.stdout}\n{result.stderr}"
    messages = json.loads(output[start:])["messages"]
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    proof.record(vnu_errors=len(errors), vnu_pages=len(pages) + len(paged))
    grouped: dict[str, list[str]] = defaultdict(list)
    for error in errors:
        where = error.get("url", "?").removeprefix("file:").removeprefix(str(site) + "/").removeprefix(
            str(paged_site.site) + "/").removeprefix(str(series_site.site.parent) + "/").removeprefix(
            str(drafted_site.site.parent) + "/")
        grouped[error.get("message", "?")].append(f"{where}:{error.get('lastLine', '?')}:{error.get('firstColumn', '?')}")
    print(f"\nNu HTML Checker on {len(pages)} + {len(paged)} paginated pages: {len(errors)} error(s)")
    lines = []
    for message, places in sorted(grouped.items(), key=lambda kv: -len(kv[1])):
        lines.append(f"{len(places)} × {message}")
        lines += [f"    {p}" for p in places[:5]] + ([f"    … and {len(places) - 5} more"] if len(places) > 5 else [])
    assert errors == [] and result.returncode == 0, "\n".join(lines) or result.stderr


# --- LinkChecker ---------------------------------------------------------------------------------

LINKCHECKER_CONFIG = """\
[checking]
# the test server answers with a "LinkChecker" header, which lifts the default 10 requests a second
maxrequestspersecond=1000
threads=4

[filtering]
checkextern=0

[AnchorCheck]
"""


# linkchecker, started as root, switches to the user nobody, who cannot read this Python's
# installation under /root: its plugins then silently fail to load and AnchorCheck never runs.
# As root, its own entry point is called with that one step turned off.
AS_ROOT = ("import sys, linkcheck.command.linkchecker as cli; cli.drop_privileges = lambda: None; "
           "sys.argv[0] = 'linkchecker'; sys.exit(cli.linkchecker())")


def run_linkchecker(url: str) -> tuple[subprocess.CompletedProcess, list[dict[str, str]]]:
    """Check ``url`` and everything it links to on the same host; (process, CSV rows of every URL)."""
    linkchecker = shutil.which("linkchecker")
    assert linkchecker, "linkchecker is missing: it is in the test extras (pip install -e '.[test]')"
    command = [sys.executable, "-c", AS_ROOT] if os.geteuid() == 0 else [linkchecker]
    with tempfile.TemporaryDirectory(prefix="linkchecker-") as folder:
        config = Path(folder) / "linkcheckerrc"
        config.write_text(LINKCHECKER_CONFIG, encoding="utf-8")
        env = {**os.environ, "HOME": folder, "XDG_CONFIG_HOME": folder, "XDG_DATA_HOME": folder}
        result = subprocess.run([*command, "--config", str(config), "--no-status", "--verbose", "--output", "csv", url],
                                capture_output=True, text=True, encoding="utf-8", timeout=600,
                                stdin=subprocess.DEVNULL, cwd=folder, env=env)
    assert "internal error" not in result.stderr.lower(), result.stderr[-3000:]
    rows = list(csv.DictReader(io.StringIO("\n".join(
        line for line in result.stdout.splitlines() if line and not line.startswith("#"))), delimiter=";"))
    assert rows, f"linkchecker printed no rows (exit {result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result, rows


def is_anchor_warning(row: dict[str, str]) -> bool:
    return "Anchor" in (row["warningstring"] or "")


def test_linkchecker_reports_broken_links_and_anchors(tmp_path: Path) -> None:
    """The checker itself: on a two-page site with one missing page and one missing anchor."""
    (tmp_path / "repo" / "a").mkdir(parents=True)
    page = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{}</title></head><body>{}</body></html>'
    (tmp_path / "repo" / "index.html").write_text(page.format(
        "start", '<a href="a/#there">ok</a> <a href="a/#nowhere">bad anchor</a> <a href="gone/">bad link</a>'))
    (tmp_path / "repo" / "a" / "index.html").write_text(page.format("a", '<p id="there">here</p>'))
    with serve(tmp_path) as origin:
        result, rows = run_linkchecker(origin + PREFIX)
    assert {r["url"].removeprefix(origin + PREFIX) for r in rows if r["valid"] != "True"} == {"gone/"}
    assert [r["url"].removeprefix(origin + PREFIX) for r in rows if is_anchor_warning(r)] == ["a/#nowhere"]
    assert result.returncode == 1


def test_linkchecker_finds_no_broken_link_or_anchor(served_site: Server) -> None:
    result, rows = run_linkchecker(served_site.base_url)
    broken = [r for r in rows if r["valid"] != "True"]
    anchors = [r for r in rows if is_anchor_warning(r)]
    warnings = [r for r in rows if r["warningstring"] and r not in anchors]
    urls = {r["url"] for r in rows}
    inside = {u for u in urls if u.startswith(served_site.base_url)}
    proof.record(linkchecker_broken=len(broken), linkchecker_anchors=len(anchors), linkchecker_urls=len(urls))
    print(f"\nlinkchecker checked {len(rows)} links to {len(urls)} URLs ({len(inside)} inside {PREFIX}): "
          f"{len(broken)} broken, {len(anchors)} broken anchors, {len(warnings)} other warnings")
    for r in (broken + anchors + warnings)[:30]:
        print(f"  {r['url']} (on {r['parentname']}:{r['line']}): {r['result']} {r['warningstring']}")
    assert len(inside) > 300  # pages, JSON twins, charts, data files
    assert sum("#" in u for u in urls) > 50  # links with anchors, each checked by AnchorCheck
    assert broken == []
    assert anchors == []
    assert warnings == []
    assert result.returncode == 0, result.stderr[-3000:]
