"""Published URLs stay: aliases become redirects, and a build that would drop a published URL fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT, overlay
from .sitetools import parse_html, run_build, run_cli

BASE = "https://example.org/test/"  # base_url of the minimal fixture's site.yaml


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return overlay(FIXTURES / "minimal", FIXTURES / "minimal" / "__none__", tmp_path / "project")


def append(path: Path, text: str) -> int:
    """Append ``text`` (one line) to a file; return its line number."""
    content = path.read_text(encoding="utf-8")
    if not content.endswith("\n"):
        content += "\n"
    path.write_text(content + text + "\n", encoding="utf-8")
    return content.count("\n") + 1


def built_paths(site: Path) -> set[str]:
    """What published-urls.txt records for a built site: every page, and every download under data/."""
    pages = {"/" + f.relative_to(site).as_posix()[: -len("index.html")] for f in site.rglob("index.html")}
    data = {"/" + f.relative_to(site).as_posix() for f in (site / "data").rglob("*")
            if f.is_file() and f.name not in ("index.html", "index.json")}  # the page /data/ and its JSON twin
    return pages | data


def recorded(root: Path) -> list[str]:
    lines = (root / "published-urls.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_alias_becomes_a_redirect(project: Path, tmp_path: Path) -> None:
    append(project / "data" / "items" / "i1.yaml", "aliases: [old-i1]")
    out = tmp_path / "site"
    result = run_build(project, out)
    assert result.returncode == 0, result.stderr
    redirect = out / "items" / "old-i1" / "index.html"
    assert redirect.is_file()
    doc = parse_html(redirect.read_text(encoding="utf-8"))
    refresh = [m.get("content") for m in doc.iter("meta", http_equiv="refresh")]
    assert refresh == ["0; url=/test/items/i1/"]
    canonical = [link.get("href") for link in doc.iter("link") if link.get("rel") == "canonical"]
    assert canonical == [f"{BASE}items/i1/"]
    assert [a.get("href") for a in doc.iter("a")] == ["/test/items/i1/"]
    assert any(m.get("name") == "robots" and "noindex" in (m.get("content") or "") for m in doc.iter("meta"))
    assert (out / "items" / "i1" / "index.html").is_file()
    assert "old-i1" not in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_alias_keeps_a_published_url_alive(project: Path, tmp_path: Path) -> None:
    (project / "published-urls.txt").write_text("/\n/items/old-i1/\n", encoding="utf-8")
    result = run_build(project, tmp_path / "without")
    assert result.returncode == 1 and "/items/old-i1/ would disappear" in result.stderr
    append(project / "data" / "items" / "i1.yaml", "aliases: [old-i1]")
    result = run_build(project, tmp_path / "with")
    assert result.returncode == 0, result.stderr


def test_dropping_a_published_url_fails_the_build(project: Path, tmp_path: Path) -> None:
    (project / "published-urls.txt").write_text("# published\n/\n/items/i1/\n/items/gone/\n", encoding="utf-8")
    out = tmp_path / "site"
    result = run_build(project, out)
    assert result.returncode == 1
    assert "published-urls.txt:4:" in result.stderr, result.stderr
    assert "/items/gone/ would disappear" in result.stderr
    assert "published-urls.txt:2:" not in result.stderr and "published-urls.txt:3:" not in result.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]  # no staging folder left either


@pytest.mark.parametrize("case", ["item-own-id", "tag-other-id"])
def test_alias_equal_to_an_existing_id_is_an_error(project: Path, tmp_path: Path, case: str) -> None:
    if case == "item-own-id":
        file, alias = "data/items/i1.yaml", "i1"
        line = append(project / file, "aliases: [i1]")
    else:
        file, alias = "data/tags.yaml", "t1"
        append(project / file, "- id: t2")
        append(project / file, "  name: 第二个主题")
        line = append(project / file, "  aliases: [t1]")
    out = tmp_path / "site"
    result = run_build(project, out)
    assert result.returncode == 1
    errors = [e for e in result.stderr.splitlines() if f"`{alias}`" in e]
    assert errors, result.stderr
    assert errors[0].startswith(f"{file}:{line}:"), errors[0]
    assert "existing" in errors[0]
    assert not out.exists()


def test_urls_command_records_pages_once(project: Path, tmp_path: Path) -> None:
    assert not (project / "published-urls.txt").exists()
    first = run_cli(project, "urls")
    assert first.returncode == 0, first.stderr
    out = tmp_path / "site"
    assert run_build(project, out).returncode == 0
    expected = built_paths(out)
    assert f"{len(expected)} new URL(s)" in first.stdout, first.stdout
    lines = recorded(project)
    assert sorted(lines) == sorted(expected)
    assert len(lines) == len(set(lines))
    assert {"/", "/items/i1/", "/figures/funds-2024/", "/data/figures.csv"} <= set(lines)
    text = (project / "published-urls.txt").read_text(encoding="utf-8")

    second = run_cli(project, "urls")
    assert second.returncode == 0, second.stderr
    assert " 0 new URL(s)" in second.stdout, second.stdout
    assert (project / "published-urls.txt").read_text(encoding="utf-8") == text

    append(project / "data" / "tags.yaml", "- {id: t2, name: 第二个主题}")
    third = run_cli(project, "urls")
    assert " 1 new URL(s)" in third.stdout, third.stdout
    assert recorded(project)[-1] == "/tags/t2/"
    assert (project / "published-urls.txt").read_text(encoding="utf-8").startswith(text)


def test_committed_published_urls_cover_every_page(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run_build(ROOT, out, "https://example.org/repo/")
    assert result.returncode == 0, result.stderr  # nothing published has disappeared
    missing = sorted(built_paths(out) - set(recorded(ROOT)))
    assert missing == [], (f"{len(missing)} page(s) the build makes are not in published-urls.txt "
                           f"(first: {missing[:5]}); run `python build.py urls` and commit published-urls.txt")


def test_later_pages_of_listings_are_not_permalinks(project: Path, tmp_path: Path) -> None:
    """`urls` records a listing's page 1 but never its `…/page/<n>/` pages (they shift as the data
    grows), and a recorded one that no longer exists does not fail the build."""
    append(project / "site.yaml", "listing_page_size: 1")
    out = tmp_path / "site"
    assert run_build(project, out).returncode == 0
    later = {p for p in built_paths(out) if "/page/" in p}
    assert "/figures/page/2/" in later  # the fixture's figures take more than one page
    result = run_cli(project, "urls")
    assert result.returncode == 0, result.stderr
    lines = recorded(project)
    assert not [line for line in lines if "/page/" in line], lines
    assert sorted(lines) == sorted(built_paths(out) - later)
    assert "/figures/" in lines
    append(project / "published-urls.txt", "/figures/page/99/")  # e.g. recorded by hand, or pages gone
    append(project / "published-urls.txt", "/tags/t1/page/7/")
    result = run_build(project, tmp_path / "again")
    assert result.returncode == 0, result.stderr
    append(project / "published-urls.txt", "/figures/page-two/")  # not a listing's page: a real URL
    result = run_build(project, tmp_path / "third")
    assert result.returncode == 1 and "/figures/page-two/ would disappear" in result.stderr
