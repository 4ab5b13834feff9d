"""A placeholder corrections address never reaches a published page: ``build --strict`` refuses
one (a host reserved for examples, or github.com/example/… as ``civictrack new`` writes it), and
``--corrections-url`` (what the Pages workflows pass: the repository's issues page) stands in for
it; a real address in site.yaml is kept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from civictrack.urls import placeholder_problem, web_url_problem

from .sitetools import run_build

ISSUES = "https://github.com/owner/repo/issues/new"


@pytest.mark.parametrize("url", [
    "https://github.com/example/accountability/issues/new", "https://github.com/Example/x/issues/new",
    "mailto:corrections@example.org", "https://example.com/issues", "https://issues.example.net/new",
    "https://tracker.example/new", "http://localhost:8000/issues", "https://x.test/issues",
])
def test_placeholders(url: str) -> None:
    assert placeholder_problem(url)


@pytest.mark.parametrize("url", [
    ISSUES, "mailto:jiucuo@example-news.cn", "https://gitee.com/example/x/issues",
    "https://examples.org/issues", "https://github.com/examples/x/issues/new", "mailto:fix@cq.gov.cn",
])
def test_real_addresses(url: str) -> None:
    assert placeholder_problem(url) is None


def _links(out: Path) -> set[str]:
    text = (out / "index.html").read_text(encoding="utf-8")
    return set(re.findall(r'<a href="([^"]+)" rel="nofollow">发现错误', text))


def test_strict_refuses_a_placeholder_and_the_workflows_address_replaces_it(minimal: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    done = run_build(minimal, out, None, "--strict", "--no-search")  # mailto:corrections@example.org
    assert done.returncode == 1 and not out.exists()
    assert done.stderr.splitlines() == [
        "--strict: the corrections address mailto:corrections@example.org is a placeholder (its host example.org "
        "is reserved for examples): set corrections_url in site.yaml to where readers report an error, or pass "
        "--corrections-url (the Pages workflow passes the repository's issues page); nothing was written."]
    # without --strict (a local preview build) the placeholder is shown as written
    done = run_build(minimal, out, None, "--no-search")
    assert done.returncode == 0, done.stderr
    assert _links(out) == {"mailto:corrections@example.org"}
    # what the Pages workflow passes
    done = run_build(minimal, out, None, "--strict", "--no-search", "--corrections-url", ISSUES)
    assert done.returncode == 0, done.stderr
    assert _links(out) == {ISSUES}
    pages = [p.read_text(encoding="utf-8") for p in out.rglob("*.html")]
    assert not any("corrections@example.org" in page for page in pages)
    # a real address in site.yaml is kept: the workflow's address only replaces a placeholder
    config = minimal / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("mailto:corrections@example.org",
                                                                  "mailto:corrections@cq.gov.cn"), encoding="utf-8")
    done = run_build(minimal, out, None, "--strict", "--no-search", "--corrections-url", ISSUES)
    assert done.returncode == 0, done.stderr
    assert _links(out) == {"mailto:corrections@cq.gov.cn"}


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "https://a b/", "issues/new", 'https://x.org/"'])
def test_corrections_url_is_validated(minimal: Path, tmp_path: Path, bad: str) -> None:
    assert web_url_problem(bad)
    done = run_build(minimal, tmp_path / "site", None, "--no-search", "--corrections-url", bad)
    assert done.returncode == 1 and not (tmp_path / "site").exists()
    assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith(f"--corrections-url {bad!r}: ")
