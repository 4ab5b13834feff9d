"""Ctrl+C and SIGTERM during a cold build: one line, status 130/143, nothing left behind.

A made-up project big enough for the forked chart and render pools (``synthetic.py``) is built
once; then cold builds (empty cache, ``--force``) into the same folder are interrupted at
several moments, seen from outside as a user would see them: while loading, while charts
render (files appear in the cache), while pages render (pages appear in the staging folder)
and while Pagefind indexes (``pagefind/`` appears there).  Ctrl+C is sent as a terminal sends
it, to the whole process group; SIGTERM to the build process alone, as ``kill`` does.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from civictrack import interrupts
from civictrack.publish.writer import SiteWriter

from .conftest import ROOT
from .synthetic import synthetic_project
from .test_output_folder import snapshot

MINIMAL = ROOT / "tests" / "fixtures" / "minimal"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, bytes | None]]:
    """(project, its built site, the site's files) in a folder of their own."""
    place = tmp_path_factory.mktemp("interrupt")
    project = synthetic_project(place / "project", 110)
    site = place / "site"
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project), "build", "--out",
                             str(site)], capture_output=True, text=True,
                            env={**os.environ, "CIVICTRACK_CACHE": str(place / "warm-cache")})
    assert result.returncode == 0, result.stderr
    return project, site, snapshot(site)


def _staging(site: Path) -> Path | None:
    return next((p for p in site.parent.iterdir() if p.name.startswith(f".{site.name}.new-")), None)


def _charts_rendering(site: Path, cache: Path) -> bool:
    staging = _staging(site)
    return (staging is not None and not (staging / "items").exists()
            and any(p.is_dir() and len(p.name) == 2 and any(p.iterdir()) for p in cache.iterdir()))


def _pages_rendering(site: Path, cache: Path) -> bool:
    staging = _staging(site)
    return staging is not None and (staging / "figures").is_dir() and not (staging / "pagefind").exists()


def _search_running(site: Path, cache: Path) -> bool:
    staging = _staging(site)
    return staging is not None and (staging / "pagefind").is_dir()


def _started(seconds: float) -> Callable[[Path, Path], bool]:
    began = time.monotonic()
    return lambda site, cache: time.monotonic() - began > seconds


MOMENTS = {"loading": None, "charts": _charts_rendering, "pages": _pages_rendering, "search": _search_running}
CASES = [("SIGINT", "group", m) for m in MOMENTS] + [("SIGTERM", "process", m) for m in ("charts", "pages")]


@pytest.mark.parametrize("signame,target,moment", CASES, ids=[f"{s}-{m}" for s, _, m in CASES])
def test_interrupted_build_leaves_the_site_and_nothing_else(
        built: tuple[Path, Path, dict[str, bytes | None]], tmp_path: Path, signame: str, target: str,
        moment: str) -> None:
    project, site, before = built
    cache = tmp_path / "cold-cache"
    cache.mkdir()
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(project), "build", "--force",
                                "--out", str(site)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "CIVICTRACK_CACHE": str(cache)}, start_new_session=True)
    reached = MOMENTS[moment] or _started(0.4)
    deadline = time.monotonic() + 120
    while not reached(site, cache):
        assert process.poll() is None, f"the build ended before the moment '{moment}':\n{process.stderr.read()}"
        assert time.monotonic() < deadline
        time.sleep(0.002)
    group = subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True, text=True).stdout.split()
    if moment in ("charts", "pages"):  # forked pool workers (two cores or more) are there to be stopped
        assert len(group) >= (3 if (os.cpu_count() or 1) >= 2 else 1), group
    signum = getattr(signal, signame)
    if target == "group":
        os.killpg(process.pid, signum)  # what a terminal's Ctrl+C does
    else:
        os.kill(process.pid, signum)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signum, (process.returncode, err)
    assert err == f"interrupted; {site}/ left as it was\n", err
    assert out == ""
    gone = time.monotonic() + 20
    while True:  # every worker and helper process ends with it
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            break
        assert time.monotonic() < gone, subprocess.run(["ps", "-o", "pid,cmd", "-g", str(process.pid)],
                                                       capture_output=True, text=True).stdout
        time.sleep(0.05)
    assert snapshot(site) == before
    assert sorted(p.name for p in site.parent.iterdir()) == ["project", "site", "warm-cache"]
    assert not [p for p in cache.rglob("*") if ".tmp" in p.name]  # no half-written cache file


def test_a_signal_during_the_swap_waits_until_both_renames_are_done(tmp_path: Path) -> None:
    """The swap is shielded: the interruption is raised after it, never between the renames."""
    out = tmp_path / "site"
    writer = SiteWriter(out, "f1")
    writer.put("index.html", b"<p>one</p>")
    writer.commit(["index.html"])
    writer = SiteWriter(out, "f2")
    writer.put("index.html", b"<p>two</p>")
    previous = interrupts.install()
    real_replace = os.replace
    calls: list[str] = []

    def replace_and_signal(source: object, target: object) -> None:
        calls.append(str(target))
        if len(calls) == 1:  # between the two renames of the swap
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.01)
        real_replace(source, target)

    try:
        os.replace = replace_and_signal  # type: ignore[assignment]
        with pytest.raises(interrupts.Interrupted) as stop:
            writer.commit(["index.html"])
    finally:
        os.replace = real_replace
        interrupts.restore(previous)
    assert stop.value.exit_code == 143 and writer.committed
    assert (out / "index.html").read_bytes() == b"<p>two</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # the old site removed after all


def test_an_interruption_python_could_not_raise_is_raised_at_the_next_checkpoint() -> None:
    previous = interrupts.install()
    try:
        with interrupts.held():  # stands for a C callback that swallowed it
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.01)
        assert interrupts.received() == signal.SIGINT
        with pytest.raises(interrupts.Interrupted) as stop:
            interrupts.checkpoint()
        assert stop.value.exit_code == 130
    finally:
        interrupts.restore(previous)


@pytest.mark.parametrize("signame,wait_for_server", [("SIGINT", False), ("SIGTERM", True)])
def test_the_preview_stops_cleanly_and_removes_its_folder(tmp_path: Path, signame: str, wait_for_server: bool) -> None:
    """``serve`` stopped during its first build (Ctrl+C) or while serving (SIGTERM): one line,
    128 + the signal, and its temporary folder gone."""
    project = synthetic_project(tmp_path / "project", 20)
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "CIVICTRACK_CACHE": str(tmp_path / "cache"), "TMPDIR": str(temp), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(project), "serve", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                               start_new_session=True)
    deadline = time.monotonic() + 60
    while not any(temp.iterdir()):  # the preview's folder: its first build has begun
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)
    if wait_for_server:
        while not any(next(temp.iterdir()).rglob("index.html")):  # its first build is served
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(1)
    signum = getattr(signal, signame)
    os.killpg(process.pid, signum)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signum, (process.returncode, err)
    assert err.splitlines()[-1] == "interrupted; preview stopped, its temporary folder removed", err
    assert "Traceback" not in err
    assert list(temp.iterdir()) == []


def test_a_reader_that_stops_reading_gets_no_traceback(tmp_path: Path) -> None:
    """``build.py build | head -1``: the build finishes, the output the reader left is dropped
    without a traceback, and the status is a SIGPIPE's (141)."""
    project = tmp_path / "project"
    shutil.copytree(MINIMAL, project)
    env = {**os.environ, "CIVICTRACK_CACHE": str(tmp_path / "cache")}
    read, write = os.pipe()
    os.close(read)  # nobody will read
    try:
        done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project), "build", "--no-search"],
                              stdout=write, stderr=subprocess.PIPE, text=True, env=env, timeout=120)
    finally:
        os.close(write)
    assert done.returncode == 141, done.stderr
    assert done.stderr == ""
    assert (project / "site" / "index.html").is_file()
