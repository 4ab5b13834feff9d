"""Shared helpers: the repository root and scratch copies of small projects."""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
INVALID = Path(__file__).resolve().parent / "invalid"


def overlay(base: Path, case: Path, target: Path) -> Path:
    """Copy ``base`` to ``target``, then copy the files of ``case`` over it (except expected.txt)."""
    shutil.copytree(base, target)
    for path in sorted(case.rglob("*")):
        if path.is_file() and path.name != "expected.txt":
            dest = target / path.relative_to(case)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
    return target


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A scratch copy of the minimal valid project."""
    return overlay(FIXTURES / "minimal", FIXTURES / "minimal" / "__none__", tmp_path / "project")


EXAMPLE_BASE = "https://example.org/repo/"


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled site, built once for the session with ``--base-url {EXAMPLE_BASE}``.
    Shared by the page, chart and data-package tests; nothing may change it."""
    from .sitetools import run_build

    out = tmp_path_factory.mktemp("example") / "site"
    result = run_build(ROOT, out, EXAMPLE_BASE)
    assert result.returncode == 0, result.stderr
    return out


@contextmanager
def _built_and_served(project: Path, root: Path):
    """``project`` built with ``--base-url http://127.0.0.1:<port>/repo/`` into ``<root>/repo``
    and served from ``root``, as GitHub Pages serves a project site."""
    from .sitetools import Server, run_build, serve

    with serve(root) as origin:
        served = Server(root, origin)
        result = run_build(project, served.site, served.base_url)
        assert result.returncode == 0, result.stderr
        yield served


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory):
    """The bundled site, built once with ``--base-url http://127.0.0.1:<port>/repo/`` and served
    from ``<tmp>`` (the site is ``<tmp>/repo``), as GitHub Pages serves a project site.
    Shared by the crawler, the browser tests and the validators; nothing may change it."""
    with _built_and_served(ROOT, tmp_path_factory.mktemp("served")) as served:
        yield served


@pytest.fixture(scope="session")
def series_site(tmp_path_factory: pytest.TempPathFactory):
    """The made-up tracked project examples/series (targets, updates, follow-ups, asks, a
    correction), built and served like ``served_site``; nothing may change it."""
    with _built_and_served(ROOT / "examples" / "series", tmp_path_factory.mktemp("series-served")) as served:
        yield served


def fresh_project(folder: Path) -> Path:
    """A project holding only the bundled vocabularies: what an editor starts a new report in
    (the same as the drafting benchmark's, bench/draft_compare.py)."""
    from bench.draft_compare import vocabulary_project

    return vocabulary_project(folder)


@pytest.fixture(scope="session")
def drafted_site(tmp_path_factory: pytest.TempPathFactory):
    """A fresh project with the made-up web text tests/fixtures/draft/web-response.txt drafted
    into it (everything unreviewed, marked 待核对), built and served like ``served_site``."""
    from civictrack.cli import main

    project = fresh_project(tmp_path_factory.mktemp("drafted") / "p")
    assert main(["--root", str(project), "draft", str(FIXTURES / "draft" / "web-response.txt"),
                 "--id", "demo-care"]) == 0
    with _built_and_served(project, tmp_path_factory.mktemp("drafted-served")) as served:
        yield served


PAGE_SIZE = 3
"""``listing_page_size`` of the paginated copy of the bundled project (``paged_site``)."""


def paged_project(target: Path, size: int = PAGE_SIZE) -> Path:
    """A copy of the bundled project with ``listing_page_size: size``, so its listings paginate."""
    target.mkdir(parents=True)
    for name in ("published-urls.txt", "data", "content"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, target / name)
    config = (ROOT / "site.yaml").read_text(encoding="utf-8")
    (target / "site.yaml").write_text(config + f"listing_page_size: {size}\n", encoding="utf-8")
    return target


@pytest.fixture(scope="session")
def paged_site(tmp_path_factory: pytest.TempPathFactory):
    """The bundled data with three rows a listing page (every listing of more than three rows
    paginates), built once with ``--base-url http://127.0.0.1:<port>/repo/`` and served like
    ``served_site``.  Shared by the pagination, browser and validator tests; nothing may change it."""
    project = paged_project(tmp_path_factory.mktemp("paged") / "project")
    with _built_and_served(project, tmp_path_factory.mktemp("paged-served")) as served:
        yield served


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One block with what the run proved: pages in the browser, axe, vnu, links, hostile input."""
    from .proof import summary_lines

    lines = summary_lines()
    if lines:
        terminalreporter.write_sep("=", "proof")
        for line in lines:
            terminalreporter.write_line(line)
