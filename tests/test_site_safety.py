"""Hostile text in the data never becomes markup: everything from YAML and Markdown is escaped.

Payloads go into the free-text fields the validator does not compare with the report text
(titles, summaries, action texts, labels, names, site settings); quotes and figures are
checked verbatim against the source, so they cannot carry a payload.  The minimal fixture
is copied and edited in tmp_path; the build must succeed and no payload may survive as markup.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import FIXTURES, overlay
from .sitetools import Node, parse_html, run_build

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</script><script>alert(1)</script>",
    "javascript:alert(1)",
    "'><svg onload=alert(1)>",
    "<!--",
]
PAYLOAD = "".join(PAYLOADS)
BASE_PATH = "/test/"
FORBIDDEN = [  # raw forms that would mean a payload became markup
    re.compile(r"<script>alert", re.IGNORECASE),
    re.compile(r"<img src=x", re.IGNORECASE),
    re.compile(r"<svg onload", re.IGNORECASE),
    re.compile(r"""href\s*=\s*["']?\s*javascript:""", re.IGNORECASE),
    re.compile(r"""src\s*=\s*["']?\s*javascript:""", re.IGNORECASE),
]


def read_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write_yaml(path: Path, value: Any) -> None:
    path.write_text(yaml.safe_dump(value, allow_unicode=True, sort_keys=False), encoding="utf-8")


def hostile_project(target: Path) -> Path:
    """The minimal project with PAYLOAD (tagged by field) in every unchecked free-text field."""
    project = overlay(FIXTURES / "minimal", FIXTURES / "minimal" / "__none__", target)

    def tagged(field: str) -> str:
        return f"{field}{PAYLOAD}"

    site = read_yaml(project / "site.yaml")
    site["title"], site["description"] = tagged("站名"), tagged("站点描述")
    site["publisher"] = tagged("编辑")
    write_yaml(project / "site.yaml", site)

    item_file = project / "data" / "items" / "i1.yaml"
    item = read_yaml(item_file)
    item["title"], item["summary"] = tagged("措施标题"), tagged("摘要")
    for action in item["actions"]:
        action["text"] = tagged(f"行动{action['id']}")
    for figure in item["figures"]:
        figure["label"] = tagged(f"标签{figure['id']}")
    item["figures"][-1]["note"] = tagged("推算说明")
    write_yaml(item_file, item)

    for name, fields in (("bodies", ("name", "name_en", "description")), ("tags", ("name", "name_en", "description")),
                         ("statuses", ("name", "description"))):
        entries = read_yaml(project / "data" / f"{name}.yaml")
        for entry in entries:
            for field in fields:
                entry[field] = tagged(f"{name}.{field}")
        write_yaml(project / "data" / f"{name}.yaml", entries)

    report_file = project / "data" / "reports" / "r.yaml"
    report = read_yaml(report_file)
    report["short_title"] = tagged("报告简称")
    report["meeting"] = tagged("会议")
    report["areas"][0]["title"] = tagged("领域标题")
    write_yaml(report_file, report)
    return project


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    project = hostile_project(base / "project")
    out = base / "site"
    result = run_build(project, out)
    assert result.returncode == 0, result.stderr
    return out


def unsafe_markup(text: str) -> list[str]:
    return [m.group(0) for pattern in FORBIDDEN for m in pattern.finditer(text)]


def script_problems(doc: Node) -> list[str]:
    """Elements a payload could have created: handlers, foreign scripts, images, iframes."""
    problems = []
    ui_text_seen = False
    for node in doc.iter():
        handlers = [a for a in node.attrs if a.lower().startswith("on")]
        if handlers:
            problems.append(f"<{node.tag}> with {handlers}")
        if node.tag in ("img", "svg", "iframe", "object", "embed") and node.get("src") == "x":
            problems.append(f"<{node.tag} src=x>")
        if node.tag == "script":
            src = node.get("src") or ""
            if node.get("type") == "application/ld+json":
                continue
            if node.get("type") == "application/json" and node.get("id") == "ui-text" and not src and not ui_text_seen:
                ui_text_seen = True  # the interface's words for the scripts (partials/ui_text.html): inert data
                continue
            if not src.startswith((BASE_PATH + "assets/", BASE_PATH + "pagefind/")) or node.text.strip():
                problems.append(f"unexpected <script src={src!r}>{node.text[:40]}")
        for attr in ("href", "src", "action", "formaction"):
            if (node.get(attr) or "").strip().lower().startswith(("javascript:", "vbscript:", "data:text/html")):
                problems.append(f"<{node.tag} {attr}={node.get(attr)!r}>")
    return problems


JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL | re.IGNORECASE)


def test_payloads_are_escaped_in_every_page(hostile_site: Path) -> None:
    files = sorted(hostile_site.rglob("*.html"))
    assert len(files) > 20
    seen_payload = 0
    for file in files:
        text = file.read_text(encoding="utf-8")
        rel = file.relative_to(hostile_site).as_posix()
        assert unsafe_markup(text) == [], rel
        assert script_problems(parse_html(text)) == [], rel
        seen_payload += "alert(1)" in text
    assert seen_payload >= len(files) - 1  # the site title is on every page (not on redirects)
    for file in sorted(hostile_site.rglob("*.svg")):  # standalone SVG files run their own scripts
        text = file.read_text(encoding="utf-8")
        rel = file.relative_to(hostile_site).as_posix()
        assert unsafe_markup(text) == [], rel
        assert script_problems(parse_html(text)) == [], rel
        assert "<script" not in text.lower(), rel


def test_payloads_reach_the_pages_as_text(hostile_site: Path) -> None:
    """The escaping keeps the text: a reader sees the payload literally, nothing is dropped."""
    doc = parse_html((hostile_site / "items" / "i1" / "index.html").read_text(encoding="utf-8"))
    h1 = doc.find("h1")
    assert h1 is not None and h1.text.strip().endswith("措施标题" + PAYLOAD)
    lede = doc.find("p", cls="lede")
    assert lede is not None and lede.text == "摘要" + PAYLOAD
    title = doc.find("title")
    assert title is not None and PAYLOAD in title.text
    for meta in doc.iter("meta"):
        if meta.get("property") == "og:title":
            assert meta.get("content") and PAYLOAD in (meta.get("content") or "")


def test_json_ld_cannot_close_its_script(hostile_site: Path) -> None:
    names = []
    for file in sorted(hostile_site.rglob("*.html")):
        text = file.read_text(encoding="utf-8")
        for block in JSON_LD.findall(text):
            assert "</script" not in block.lower(), file
            assert "<" not in block and ">" not in block, file
            assert "<!--" not in block, file
            data = json.loads(block)
            names.append(data.get("name", ""))
    assert any(PAYLOAD in name for name in names), "the payload never reached a JSON-LD block; test is void"
    assert sum(PAYLOAD in name for name in names) >= 3  # site, item, figures, report author…


def test_json_twins_keep_the_payload_as_data(hostile_site: Path) -> None:
    twin = json.loads((hostile_site / "items" / "i1" / "index.json").read_text(encoding="utf-8"))
    assert twin["title"] == "措施标题" + PAYLOAD


# --- URL fields -----------------------------------------------------------------------------------


SCRIPT_URLS = [("data/reports/r.yaml", "source_url", "javascript:alert(1)"),
               ("site.yaml", "corrections_url", " JavaScript:alert(1)"),
               ("site.yaml", "data_licence_url", "data:text/html,<script>alert(1)</script>")]


def test_script_urls_never_become_links(tmp_path: Path) -> None:
    """URL fields holding javascript:/data: URLs are refused by the build, or at least never rendered as links.

    One build for all three fields: a refusing build reports every error of a run at once.
    """
    project = overlay(FIXTURES / "minimal", FIXTURES / "minimal" / "__none__", tmp_path / "project")
    for where, key, url in SCRIPT_URLS:
        value = read_yaml(project / where)
        value[key] = url
        write_yaml(project / where, value)
    out = tmp_path / "site"
    result = run_build(project, out)
    if result.returncode != 0:
        for where, key, _ in SCRIPT_URLS:
            assert where in result.stderr and key in result.stderr, result.stderr
        assert not out.exists()
        return
    problems = []
    for file in sorted(out.rglob("*.html")):
        text = file.read_text(encoding="utf-8")
        problems += [f"{file.relative_to(out)}: {p}" for p in unsafe_markup(text) + script_problems(parse_html(text))]
    assert problems == [], (f"{len(problems)} script URLs from URL fields became links, e.g.:\n"
                            + "\n".join(problems[:8]))


# --- Markdown ------------------------------------------------------------------------------------

HOSTILE_MARKDOWN = """\
# 关于本站

<script>alert(1)</script>

<script>
alert(1)
</script>

<img src=x onerror=alert(1)>

Inline <img src=x onerror=alert(1)> and <a href="javascript:alert(1)">raw</a> HTML.

[link](javascript:alert(1)) · [upper](JAVASCRIPT:alert(1)) · [vb](vbscript:msgbox(1))
· [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) · [entity](javascript&#58;alert(1))
· <javascript:alert(1)> · ![image](javascript:alert(1)) · [ref][bad]

[bad]: javascript:alert(1)

[状态](/status/) stays a working internal link.
"""


def test_markdown_cannot_inject_markup(tmp_path: Path) -> None:
    project = overlay(FIXTURES / "minimal", FIXTURES / "minimal" / "__none__", tmp_path / "project")
    (project / "content" / "about.md").write_text(HOSTILE_MARKDOWN, encoding="utf-8")
    out = tmp_path / "site"
    result = run_build(project, out)
    assert result.returncode == 0, result.stderr
    text = (out / "about" / "index.html").read_text(encoding="utf-8")
    doc = parse_html(text)
    prose = doc.find("div", cls="prose")
    assert prose is not None and "alert(1)" in prose.text  # shown as text, not dropped silently
    assert unsafe_markup(text) == []
    assert script_problems(doc) == []
    assert prose.find("script") is None and prose.find("img") is None
    links = [a.get("href") for a in prose.iter("a")]
    assert all(not (h or "").lower().lstrip().startswith(("javascript", "vbscript", "data:")) for h in links), links
    assert f"{BASE_PATH}status/" in links
