"""The build benchmark: ``python -m bench --items N [--runs 3] [--json FILE] [--peers hugo,eleventy]``.

Takes the peer harness's synthetic data set (``shared/bench-peers/gen.py``), converts it
into a civictrack project on tmpfs (``bench/convert.py``) and measures the real
``build.py``, each measurement in a fresh process, medians over ``--runs``:

* cold, empty caches: no output, no caches;
* cold, warm caches, every page rendered: no output, caches (charts, data set, templates…)
  from an earlier build, ``--no-page-cache``;
* cold, warm caches with rendered pages: the same, with the cache of rendered pages;
* no-op rebuild: build again, nothing changed;
* one-item edit, new process: change one item's title, run ``build`` again;
* one-item edit, deploy: change one item's title, build with no output and warm caches (a
  CI deploy after a push that changed one item);
* one-item edit, watch mode: ``serve`` running, change one item's title, time until that
  item's page file holds the new title;
* peak RSS of the cold builds; page weight of an item page (HTML + CSS; charts are
  inline SVG inside the HTML).

With ``--peers`` it then runs ``shared/bench-peers/run.sh N --peers …`` right after, on
the same machine and N, and prints the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from civictrack.publish.outdir import remove_site

from .convert import convert, edit_one

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "bench-peers"
WORK = Path("/dev/shm/civictrack-bench") if Path("/dev/shm").is_dir() else Path("/tmp/civictrack-bench")


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS in KiB, and output of one command (it must succeed)."""
    start = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    output = process.stdout.read().decode("utf-8", "replace") if process.stdout else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"command failed ({process.returncode}): {' '.join(cmd)}\n{output}")
    return seconds, usage.ru_maxrss, output


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _read(page: Path) -> str:
    try:
        return page.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def watch_edit(project: Path, out_env: dict[str, str], item_id: str, runs: int) -> list[float]:
    """Seconds from writing an item file to its page holding the new title, with `serve` running."""
    port = free_port()
    log = project / "serve.log"
    with open(log, "w", encoding="utf-8") as handle:
        server = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(project), "serve",
                                   "--port", str(port), "--base-path", "/"], stdout=handle, stderr=subprocess.STDOUT,
                                  # TMPDIR: the preview's folder on the tmpfs of everything else measured
                                  env={**out_env, "PYTHONUNBUFFERED": "1", "TMPDIR": str(project.parent)})
    try:
        deadline = time.time() + 900
        while "preview at" not in log.read_text(encoding="utf-8"):
            if server.poll() is not None or time.time() > deadline:
                raise SystemExit("serve did not start:\n" + log.read_text(encoding="utf-8"))
            time.sleep(0.1)
        served = Path(next(line.split("served from ")[1].rstrip(")").strip() for line in log.read_text(
            encoding="utf-8").splitlines() if "served from " in line))
        page = served / "items" / item_id / "index.html"
        times = []
        for n in range(runs):
            marker = f"watch{n}-{time.time_ns()}"
            start = time.perf_counter()
            edit_one(project, item_id, marker)
            while marker not in _read(page):
                if time.perf_counter() - start > 120:
                    raise SystemExit("the edit never reached the page:\n" + log.read_text(encoding="utf-8"))
                time.sleep(0.005)
            times.append(time.perf_counter() - start)
            time.sleep(0.5)
        return times
    finally:
        server.terminate()
        server.wait(timeout=300)  # it removes its folder first: 172,000 files at N = 10,000


def measure(n: int, runs: int, search: bool, cold_runs: int) -> dict[str, object]:
    work = WORK / str(n)
    work.mkdir(parents=True, exist_ok=True)
    gen_dir = work / "gen"
    if not (gen_dir / "items.json").exists():
        subprocess.run([sys.executable, str(SHARED / "gen.py"), str(n), str(gen_dir)], check=True,
                       stdout=subprocess.DEVNULL)
    items = json.loads((gen_dir / "items.json").read_text(encoding="utf-8"))
    project = work / "project"
    started = time.perf_counter()
    counts = convert(items, project)
    convert_seconds = time.perf_counter() - started
    out = work / "site"
    cache = work / "chart-cache"
    env = {**os.environ, "CIVICTRACK_CACHE": str(cache)}
    # Python as installed: it caches compiled modules (__pycache__/), as the peers' pip-installed
    # Python code has them; an environment that turns this off (this sandbox does) would make
    # every build compile civictrack's modules again (about 0.08 s)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    build = [sys.executable, str(REPO / "build.py"), "--root", str(project), "build", "--out", str(out)]
    if not search:
        build.append("--no-search")
    results: dict[str, list[float]] = {k: [] for k in ("cold_empty", "cold_warm_charts", "cold_warm_pages", "noop",
                                                       "edit_process", "edit_deploy")}
    rss: list[int] = []
    for _ in range(cold_runs):
        remove_site(out)  # only a site a build made (outdir.py), like the build itself
        shutil.rmtree(cache, ignore_errors=True)
        seconds, peak, _ = run(build, env)
        results["cold_empty"].append(seconds)
        rss.append(peak)
    settled(project, cache, search)
    for _ in range(runs):
        remove_site(out)
        seconds, peak, _ = run([*build, "--no-page-cache"], env)
        results["cold_warm_charts"].append(seconds)
        rss.append(peak)
    for _ in range(runs):
        remove_site(out)
        seconds, peak, _ = run(build, env)
        results["cold_warm_pages"].append(seconds)
        rss.append(peak)
    for _ in range(runs):
        seconds, _, _ = run(build, env)
        results["noop"].append(seconds)
    item_id = items[len(items) // 2]["id"]
    for k in range(runs):
        edit_one(project, item_id, f"process{k}")
        seconds, _, _ = run(build, env)
        results["edit_process"].append(seconds)
        settled(project, cache, search)
    for k in range(runs):
        edit_one(project, item_id, f"deploy{k}")
        remove_site(out)
        seconds, _, _ = run(build, env)
        results["edit_deploy"].append(seconds)
        settled(project, cache, search)
    results["edit_watch"] = watch_edit(project, env, item_id, runs)
    files = [p for p in out.rglob("*") if p.is_file()]
    html = (out / "items" / item_id / "index.html").read_bytes()
    css = (out / "assets" / "style.css").read_bytes()
    return {
        "items": n, **counts, "runs": runs, "convert_seconds": round(convert_seconds, 3),
        "medians": {k: round(statistics.median(v), 3) for k, v in results.items()},
        "all": {k: [round(x, 3) for x in v] for k, v in results.items()},
        "peak_rss_mib": round(max(rss) / 1024, 1),
        "output_files": len(files), "output_html_pages": sum(1 for p in files if p.suffix == ".html"),
        "item_page_bytes": {"html_with_inline_svg": len(html), "css": len(css), "total": len(html) + len(css)},
        "render_blocking_scripts": html.count(b"<script src=") - html.count(b" defer></script>"),
    }


def settled(project: Path, cache: Path, search: bool) -> None:
    """Wait until the data set of the last build is in the cache (a detached child writes it
    after the build; the next build's page cache starts from it), as it is long before the
    next push in a deploy."""
    from civictrack.speed import datacache
    from civictrack.speed.fingerprint import read_inputs

    fingerprint = read_inputs(project, {"base_url": None, "search": search}).whole
    deadline = time.time() + 300
    while datacache.read(cache, fingerprint) is None:
        if time.time() > deadline:
            raise SystemExit("the data set was never saved")
        time.sleep(0.2)


def peers(n: int, names: str) -> dict[str, object]:
    home = Path(os.environ.get("PEERS_HOME", "/tmp/bench-peers"))
    subprocess.run(["bash", str(SHARED / "run.sh"), str(n), "--peers", names], check=True)
    return json.loads((home / "results" / f"{n}.json").read_text(encoding="utf-8"))


def table(result: dict[str, object], peer: dict[str, object] | None) -> str:
    med = result["medians"]
    rows = [("cold build, empty caches", med["cold_empty"]),
            ("cold build, warm caches, every page rendered (--no-page-cache)", med["cold_warm_charts"]),
            ("cold build, warm caches with the rendered pages", med["cold_warm_pages"]),
            ("no-op rebuild (new process)", med["noop"]),
            ("one-item edit, new process", med["edit_process"]),
            ("one-item edit, deploy (no site, warm caches)", med["edit_deploy"]),
            ("one-item edit, watch mode (edit → page written)", med["edit_watch"])]
    lines = [f"civictrack, N = {result['items']} items ({result['figures']} figures, {result['reports']} reports), "
             f"medians of {result['runs']} runs ({len(result['all']['cold_empty'])} of the empty-cache build)",
             "| measure | seconds |", "|---|---|"]
    lines += [f"| {name} | {value:.3f} |" for name, value in rows]
    lines += [f"| peak RSS | {result['peak_rss_mib']} MiB |",
              f"| output | {result['output_files']} files, {result['output_html_pages']} HTML pages |",
              f"| item page weight (HTML incl. inline SVG + CSS) | {result['item_page_bytes']['total']:,} bytes |",
              f"| render-blocking scripts on an item page | {result['render_blocking_scripts']} |"]
    if peer:
        lines += ["", "Peers, same N, run right after (shared/bench-peers):", "",
                  "| peer | cold build s | civictrack warm caches ÷ peer (every page rendered; with rendered pages) | "
                  "HTML pages | per HTML page: civictrack ÷ peer (every page rendered; with rendered pages) | "
                  "peer one-item rebuild s (edit→written in watch mode where it has one) | civictrack watch edit ÷ peer |",
                  "|---|---|---|---|---|---|---|"]
        for name, data in sorted(peer.get("peers", {}).items()):
            if "cold_median" not in data:
                lines.append(f"| {name} | skipped: {data.get('skipped') or data.get('error')} | | | |")
                continue
            cold = data["cold_median"]
            warm_data = data.get("warm") or {}
            # edit → file written (wall clock) where the peer's harness measured it, as ours is
            walls = warm_data.get("wall_edit_to_log") or []
            warm = round(statistics.median(walls), 3) if walls else warm_data.get("median")
            edit_ratio = f"{med['edit_watch'] / warm:.2f}" if warm else "–"
            pages = data.get("html_files")
            ours = result["output_html_pages"]
            per_page = (f"{(med['cold_warm_charts'] / ours) / (cold / pages):.2f}; "
                        f"{(med['cold_warm_pages'] / ours) / (cold / pages):.2f}" if pages else "–")
            whole = f"{med['cold_warm_charts'] / cold:.2f}; {med['cold_warm_pages'] / cold:.2f}"
            lines.append(f"| {name} | {cold:.2f} | {whole} | {pages or '–'} | {per_page} | "
                         f"{warm if warm is not None else '–'} | {edit_ratio} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, action="append", required=True, help="N; repeat for several sizes")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cold-runs", type=int, default=None,
                        help="runs of the empty-cache build (default: --runs; it renders every chart)")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--peers", default="", help="also run the peer harness, e.g. hugo,eleventy,pelican")
    parser.add_argument("--search", action="store_true", help="include the Pagefind step (peers have no search)")
    args = parser.parse_args(argv)
    all_results = []
    for n in args.items:
        result = measure(n, args.runs, args.search, args.cold_runs or args.runs)
        print(table(result, None), flush=True)
        peer = None
        if args.peers:
            try:
                peer = peers(n, args.peers)
            except (subprocess.CalledProcessError, OSError, ValueError) as error:
                print(f"peer harness failed: {error}", flush=True)
        if peer:
            result["peers"] = peer
            print(table(result, peer), flush=True)
        print()
        all_results.append(result)
    if args.json:
        args.json.write_text(json.dumps(all_results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
