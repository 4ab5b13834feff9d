"""Hostile input: every case is built in a scratch copy of the minimal project, into an output folder
that already holds a good build.  Each case must end one of two ways:

* **built, inert** — the build succeeds and the payload stays text: the affected pages are opened
  in Chromium (over HTTP, under the case's own sub-path), every chart is hovered, and no dialog
  opens, no injected script runs (``window.__pwned`` stays undefined) and no injected element or
  handler exists in the live DOM; or
* **refused** — the build exits 1, prints every problem as ``file:line:column: message`` and no
  Python traceback, and the previous output folder is byte-identical (every file's hash compared)
  with no staging folder left beside it.

Some cases must be refused (ids that could leave the output folder, YAML bombs, wrong encodings);
the rest may end either way.  A table of the cases and how each ended is printed at the end of the
run (tests/proof.py).
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from xml.etree import ElementTree

from . import proof
from .conftest import FIXTURES, overlay
from .sitetools import chromium, run_build, serve

MARK = "__pwned"
# each payload sets window.__pwned and opens a dialog if it ever runs
PAYLOAD = ("<script>window.__pwned=1;alert(1)</script>"
           "\"'><img src=x onerror=\"window.__pwned=2;alert(2)\">"
           "</script><script>window.__pwned=3</script>"
           "<svg onload=\"window.__pwned=4\"></svg>"
           "javascript:window.__pwned=5//"
           "]]><![CDATA[<script>window.__pwned=6</script>"
           "{{7*7}}<!--")
MARKDOWN = f"""\
# 关于本站 {PAYLOAD}

<script>window.__pwned=10;alert(10)</script>

<img src=x onerror="window.__pwned=11">

<a href="javascript:window.__pwned=12">raw link</a>
[md link](javascript:window.__pwned=13) [upper](JAVASCRIPT:window.__pwned=14)
[data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xNTwvc2NyaXB0Pg==)
![img](javascript:window.__pwned=16) <javascript:window.__pwned=17> [ref][bad]

[bad]: javascript:window.__pwned=18

<iframe src="javascript:window.__pwned=19"></iframe>

<details open ontoggle="window.__pwned=20"><summary>x</summary></details>
"""

ERROR_LINE = re.compile(r"^[^\s:][^:]*:\d+:\d+: \S")
SUMMARY_LINE = re.compile(r"^\d+ error\(s\); nothing was written\.$")


def read_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write_yaml(path: Path, value: Any) -> None:
    path.write_text(yaml.safe_dump(value, allow_unicode=True, sort_keys=False), encoding="utf-8")


def edit_yaml(path: Path, change: Callable[[Any], None]) -> None:
    value = read_yaml(path)
    change(value)
    write_yaml(path, value)


# --- the cases ---------------------------------------------------------------------------------------

def payload_everywhere(p: Path) -> None:
    def site(s: dict) -> None:
        s["title"], s["description"], s["publisher"] = "站名" + PAYLOAD, "描述" + PAYLOAD, "编辑" + PAYLOAD

    def item(i: dict) -> None:
        i["title"], i["summary"] = "标题" + PAYLOAD, "摘要" + PAYLOAD
        i["body"] = "编辑说明 " + PAYLOAD + "\n\n[x](javascript:window.__pwned=30)"
        for action in i["actions"]:
            action["text"] = "行动" + PAYLOAD
            # after the report: an outside source's words are shown as quoted, not checked against a text
            action["updates"] = [{"date": "2025-01-02", "status": "done", "status_basis": "办结",
                                  "quote": "办结" + PAYLOAD, "note": "注" + PAYLOAD,
                                  "source": {"title": "通知" + PAYLOAD, "issuer": "机关" + PAYLOAD,
                                             "date": "2025-01-02", "url": "https://example.org/?a='onmouseover=window.__pwned=50"}}]
            action["corrections"] = [{"date": "2025-01-03", "field": "text", "was": "原" + PAYLOAD,
                                      "reason": "因" + PAYLOAD}]
        for figure in i["figures"]:
            figure["label"] = "标签" + PAYLOAD
            figure["note"] = "说明" + PAYLOAD
            figure["corrections"] = [{"date": "2025-01-03", "field": "label", "was": "旧" + PAYLOAD,
                                      "reason": "因" + PAYLOAD}]
        i["charts"] = [{"id": "c1", "title": "图表" + PAYLOAD, "figures": ["funds-2024", "funds-change-2024"],
                        "note": "注" + PAYLOAD}]

    def report(r: dict) -> None:
        r["short_title"], r["meeting"] = "简称" + PAYLOAD, "会议" + PAYLOAD
        r["areas"][0]["title"] = "领域" + PAYLOAD
        r["areas"][0]["concern"] = "关切" + PAYLOAD
        r["asks"] = [{"id": "ask-1", "number": "一" + PAYLOAD, "title": "意见" + PAYLOAD}]
        r["series"] = "系列" + PAYLOAD

    def vocab(entries: list) -> None:
        for entry in entries:
            entry["name"], entry["name_en"], entry["description"] = "名" + PAYLOAD, "en" + PAYLOAD, "述" + PAYLOAD

    edit_yaml(p / "site.yaml", site)
    edit_yaml(p / "data" / "items" / "i1.yaml", item)
    edit_yaml(p / "data" / "reports" / "r.yaml", report)
    for name in ("bodies", "tags", "statuses"):
        edit_yaml(p / "data" / f"{name}.yaml", vocab)

    def documents(entries: list) -> None:  # a document's name is found in the report text: not free text
        for entry in entries:
            entry["name_en"], entry["description"] = "en" + PAYLOAD, "述" + PAYLOAD
    edit_yaml(p / "data" / "documents.yaml", documents)


def payload_in_markdown(p: Path) -> None:
    (p / "content" / "about.md").write_text(MARKDOWN, encoding="utf-8")


def payload_in_chart_labels(p: Path) -> None:
    """Labels end up in the Vega-Lite specs (JSON fetched by the page), the inline SVG, the SVG files
    and the tooltips; `</script>` and `]]>` try to break out of each."""
    def item(i: dict) -> None:
        for n, figure in enumerate(i["figures"]):
            figure["label"] = f"</script><script>window.__pwned=40</script>]]>{PAYLOAD}</svg><svg onload=alert(41)>"
            figure["period"] = f"{n}</title><script>window.__pwned=42</script>"  # the period labels the bars
    edit_yaml(p / "data" / "items" / "i1.yaml", item)


def javascript_urls(p: Path) -> None:
    edit_yaml(p / "site.yaml", lambda s: s.update(corrections_url="javascript:window.__pwned=50",
                                                   data_licence_url=" JavaScript:alert(51)"))
    edit_yaml(p / "data" / "reports" / "r.yaml", lambda r: r.update(source_url="data:text/html,<script>alert(52)</script>"))


def utf8_bom(p: Path) -> None:
    path = p / "data" / "items" / "i1.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


def item_id(value: str) -> Callable[[Path], None]:
    def change(p: Path) -> None:
        edit_yaml(p / "data" / "items" / "i1.yaml", lambda i: i.update(id=value))
    return change


def figure_id(value: str) -> Callable[[Path], None]:
    def change(p: Path) -> None:
        def item(i: dict) -> None:
            i["figures"][0]["id"] = value
        edit_yaml(p / "data" / "items" / "i1.yaml", item)
    return change


def body_id(value: str) -> Callable[[Path], None]:
    def change(p: Path) -> None:
        edit_yaml(p / "data" / "bodies.yaml", lambda b: b[0].update(id=value))
        edit_yaml(p / "data" / "items" / "i1.yaml", lambda i: i.update(bodies=[value]))
        edit_yaml(p / "data" / "reports" / "r.yaml", lambda r: r.update(issuer=value))
    return change


def tag_id(value: str) -> Callable[[Path], None]:
    def change(p: Path) -> None:
        edit_yaml(p / "data" / "tags.yaml", lambda t: t[0].update(id=value))
        edit_yaml(p / "data" / "items" / "i1.yaml", lambda i: i.update(tags=[value]))
    return change


def item_file_named(name: str) -> Callable[[Path], None]:
    """The item's file renamed (and its id changed to match)."""
    def change(p: Path) -> None:
        source = p / "data" / "items" / "i1.yaml"
        edit_yaml(source, lambda i: i.update(id=Path(name).stem))
        target = p / "data" / "items" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        source.rename(target)
    return change


def alias_bomb(p: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{n}: &a{n} [{','.join(['*a' + str(n - 1)] * 9)}]" for n in range(1, 10)]
    (p / "data" / "items" / "i1.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def python_tag(p: Path) -> None:
    path = p / "data" / "items" / "i1.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "title: 加强投入", f"title: !!python/object/apply:os.system ['touch {p / 'PWNED'}']", 1)
    path.write_text(text + f"note: !!python/object/new:os.system ['touch {p / 'PWNED2'}']\n", encoding="utf-8")


def duplicate_keys(p: Path) -> None:
    path = p / "data" / "items" / "i1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "summary: 新增学校并增加投入。", "summary: 新增学校并增加投入。\nsummary: <script>window.__pwned=60</script>", 1),
        encoding="utf-8")


def huge_file(p: Path) -> None:
    path = p / "data" / "items" / "i1.yaml"
    line = "# " + "填充" * 40 + "\n"
    padding = line * (20 * 1024 * 1024 // len(line.encode("utf-8")) + 1)
    path.write_text(path.read_text(encoding="utf-8") + padding, encoding="utf-8")
    assert path.stat().st_size > 20 * 1024 * 1024


def gbk_file(p: Path) -> None:
    path = p / "data" / "items" / "i1.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))


def gbk_markdown(p: Path) -> None:
    path = p / "content" / "about.md"
    path.write_bytes("# 关于本站\n\n这是用 GBK 编码保存的说明。\n".encode("gbk"))


def gbk_report_text(p: Path) -> None:
    path = p / "content" / "reports" / "r.txt"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))


def empty_file(p: Path) -> None:
    (p / "data" / "tags.yaml").write_bytes(b"")


def nesting_bomb(p: Path) -> None:
    (p / "data" / "items" / "i1.yaml").write_text("id: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")


def utf16_file(p: Path) -> None:
    path = p / "data" / "items" / "i1.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))


@dataclass(frozen=True)
class Case:
    name: str
    change: Callable[[Path], None]
    expect: str  # "build", "refuse" or "either"
    pages: tuple[str, ...] = ()  # pages to open in the browser if it builds; () = every page
    file: str = ""  # a refusing build must name this file


CASES = [
    Case("payload in every text field", payload_everywhere, "build"),
    Case("payload in about.md Markdown", payload_in_markdown, "build", ("about/",)),
    Case("payload in chart labels (specs, SVG)", payload_in_chart_labels, "build",
         ("", "items/i1/", "figures/funds-2024/", "figures/schools-2024/", "figures/funds-2023/")),
    Case("javascript:/data: in URL fields", javascript_urls, "either"),
    Case("UTF-8 BOM file", utf8_bom, "build", ("items/i1/",)),
    Case("id with ../", item_id("../../evil"), "refuse", file="data/items/i1.yaml"),
    Case("id with /", figure_id("a/b"), "refuse", file="data/items/i1.yaml"),
    Case("id with spaces", body_id("gov office"), "refuse", file="data/bodies.yaml"),
    Case("id non-ASCII", tag_id("测试"), "refuse", file="data/tags.yaml"),
    # a file name cannot hold "/"; one starting with "." is skipped as hidden, so its figures go missing
    Case("file name ..evil.yaml", item_file_named("..evil.yaml"), "refuse", file="content/reports/r.txt"),
    Case("non-ASCII file name and id", item_file_named("措施.yaml"), "refuse", file="data/items/措施.yaml"),
    Case("alias bomb", alias_bomb, "refuse", file="data/items/i1.yaml"),
    Case("!!python/object tags", python_tag, "refuse", file="data/items/i1.yaml"),
    Case("duplicate keys", duplicate_keys, "refuse", file="data/items/i1.yaml"),
    Case("20 MB file", huge_file, "refuse", file="data/items/i1.yaml"),
    Case("GBK data file", gbk_file, "refuse", file="data/items/i1.yaml"),
    Case("UTF-16 data file", utf16_file, "refuse", file="data/items/i1.yaml"),
    Case("GBK report text", gbk_report_text, "refuse", file="content/reports/r.txt"),
    Case("GBK about.md", gbk_markdown, "refuse", file="content/about.md"),
    Case("empty file", empty_file, "refuse", file="data/tags.yaml"),
    Case("nesting bomb (5000 levels)", nesting_bomb, "refuse", file="data/items/i1.yaml"),
]


# --- machinery ---------------------------------------------------------------------------------------

def tree_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@dataclass
class Served:
    root: Path
    origin: str
    good: Path  # a good build of the untouched minimal project, copied into each case's output folder


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("hostile-served")
    good = tmp_path_factory.mktemp("hostile-good") / "site"
    project = overlay(FIXTURES / "minimal", FIXTURES / "minimal" / "__none__", good.parent / "project")
    with serve(root) as origin:
        result = run_build(project, good, origin + "/good/")
        assert result.returncode == 0, result.stderr
        yield Served(root, origin, good)


@pytest.fixture(scope="module")
def chromium_browser() -> Iterator[object]:
    with chromium() as launched:
        yield launched


INSPECT = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.getAttributeNames()) {
      const value = el.getAttribute(attr) || '';
      if (/^on/i.test(attr)) bad.push(`<${el.localName} ${attr}>`);
      // (Pagefind's own search form carries action="javascript:void(0);")
      if (/^(href|src|action|formaction|xlink:href)$/i.test(attr) && /^\\s*(javascript|vbscript|data:text\\/html)/i.test(value)
          && !/^javascript:void\\(0\\);?$/.test(value))
        bad.push(`<${el.localName} ${attr}="${value.slice(0, 40)}">`);
    }
    // (the interface's words for the scripts: one inert JSON block, see partials/ui_text.html)
    const uiText = el.localName === 'script' && el.type === 'application/json' && el.id === 'ui-text' && !el.src
      && el === document.querySelector('script#ui-text');
    if (el.localName === 'script' && el.type !== 'application/ld+json' && !uiText && !(el.src || '').startsWith(location.origin + BASE))
      bad.push(`<script src="${el.src}">${el.textContent.slice(0, 40)}`);
    if (['iframe', 'object', 'embed'].includes(el.localName)) bad.push(`<${el.localName}>`);
    if (el.localName === 'img' && (el.getAttribute('src') || '') === 'x') bad.push('<img src=x>');
  }
  return {pwned: window.__pwned, bad, text: document.body ? document.body.innerText.includes('__pwned') : false};
}"""


def check_in_browser(browser: Any, base_url: str, paths: list[str], extra: list[str]) -> tuple[list[str], int]:
    """Open each page (and each extra URL, e.g. standalone SVG files); hover every chart mark.
    Returns (problems, pages whose visible text shows the payload)."""
    problems: list[str] = []
    shown = 0
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    base_path = "/" + base_url.split("/", 3)[3]
    try:
        for url in [base_url + p for p in paths] + extra:
            dialogs.clear()
            errors.clear()
            response = page.goto(url, wait_until="load")
            if response is None or response.status != 200:
                problems.append(f"{url}: HTTP {response.status if response else '?'}")
                continue
            if page.locator("figure.chart").count():
                try:
                    page.wait_for_function("() => [...document.querySelectorAll('figure.chart')]"
                                           ".every((f) => f.classList.contains('interactive'))", timeout=15000)
                except Exception:  # noqa: BLE001
                    problems.append(f"{url}: charts never became interactive")
                # the shown (embedded) drawing's marks; a chart's hidden phone drawing is static
                marks = page.locator("figure.chart.interactive g.role-mark path >> visible=true")
                for i in range(min(marks.count(), 12)):
                    marks.nth(i).scroll_into_view_if_needed()
                    marks.nth(i).hover()
                    page.wait_for_timeout(30)
            page.wait_for_timeout(50)
            if url.endswith(".svg"):
                found = page.evaluate("() => ({pwned: window.__pwned, bad: [...document.querySelectorAll("
                                      "'script, foreignObject, [onload], [onerror]')].map((e) => e.localName), "
                                      "text: document.documentElement.textContent.includes('__pwned')})")
            else:
                found = page.evaluate(INSPECT.replace("BASE", repr(base_path)))
            shown += bool(found["text"])
            if found["pwned"] is not None:
                problems.append(f"{url}: injected script ran (window.__pwned = {found['pwned']})")
            problems += [f"{url}: dialog {m!r}" for m in dialogs]
            problems += [f"{url}: injected {b}" for b in found["bad"]]
            problems += [f"{url}: page error {e}" for e in errors]
    finally:
        context.close()
    return problems, shown


def first_error(stderr: str) -> str:
    return next((line for line in stderr.splitlines() if ERROR_LINE.match(line)), stderr.strip()[:100])


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_case(case: Case, served: Served, chromium_browser: Any, tmp_path: Path) -> None:
    slug = f"case{CASES.index(case):02d}-" + re.sub(r"[^a-z0-9]+", "-", case.name.lower()).strip("-")
    out = served.root / slug
    shutil.copytree(served.good, out)
    before = tree_hashes(out)
    project = overlay(FIXTURES / "minimal", FIXTURES / "minimal" / "__none__", tmp_path / "project")
    case.change(project)
    base_url = f"{served.origin}/{slug}/"
    result = run_build(project, out, base_url)
    output = result.stdout + result.stderr
    try:
        assert "Traceback" not in output, f"the build crashed:\n{output[-4000:]}"
        assert result.returncode in (0, 1), output[-2000:]
        if result.returncode == 1:
            assert case.expect != "build", f"expected a build, it was refused:\n{result.stderr[-3000:]}"
            lines = result.stderr.strip().splitlines()
            assert lines and SUMMARY_LINE.match(lines[-1]), result.stderr[-2000:]
            unclear = [line for line in lines[:-1] if not ERROR_LINE.match(line) and not line.startswith("  ")]
            assert unclear == [], "lines that are not file:line:column: messages:\n" + "\n".join(unclear)
            if case.file:
                assert any(line.startswith(case.file + ":") for line in lines), \
                    f"no error names {case.file}:\n{result.stderr}"
            assert tree_hashes(out) == before, "the previous output folder changed"
            assert sorted(p.name for p in served.root.iterdir() if p.name.startswith(f".{slug}.")) == [], \
                "a staging folder was left beside the output"
            assert not (project / "PWNED").exists() and not (project / "PWNED2").exists()
            proof.HOSTILE.append((case.name, "refused", first_error(result.stderr)[:110]))
            return
        assert case.expect != "refuse", f"expected the build to be refused, it succeeded:\n{result.stdout}"
        assert tree_hashes(out) != before
        paths = list(case.pages) or sorted(
            "" if p.relative_to(out).as_posix() == "index.html" else p.relative_to(out).as_posix().removesuffix("index.html")
            for p in out.rglob("*.html"))
        svgs = [base_url + p.relative_to(out).as_posix() for p in sorted((out / "charts").glob("*.svg"))] \
            if case.change is payload_in_chart_labels else []
        problems, shown = check_in_browser(chromium_browser, base_url, paths, svgs)
        assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems[:40])
        if case.change in (payload_everywhere, payload_in_markdown, payload_in_chart_labels):
            assert shown >= 1, "the payload never reached a page as text: the case tested nothing"
        if case.change is payload_everywhere:  # the feeds carry titles, quotes and corrections as XML text
            feeds = [out / "feed.xml", *sorted(out.glob("*/*/feed.xml"))]
            for feed in feeds:
                root = ElementTree.parse(feed).getroot()  # well-formed: every payload escaped
                assert [e.tag for e in root.iter() if e.tag.rsplit("}", 1)[-1] in ("script", "svg", "img")] == [], feed
            assert any("__pwned" in feed.read_text(encoding="utf-8") for feed in feeds[:2])
        proof.HOSTILE.append((case.name, "built, inert", f"{len(paths)} pages{f' + {len(svgs)} SVG files' if svgs else ''} "
                                                          f"in Chromium, payload shown as text on {shown}"))
    except AssertionError as error:
        proof.HOSTILE.append((case.name, "FAILED", str(error).splitlines()[0][:110]))
        raise
