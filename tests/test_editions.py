"""The English edition of the bundled Chinese site: every page has its /en/ twin and back, each
names the other (hreflang), and the English pages hold no Chinese outside elements marked as
Chinese; plus the language machinery itself (catalogs, locale formats, the fallback marking)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from civictrack import i18n
from civictrack.urls import Urls

from .conftest import EXAMPLE_BASE, ROOT
from .sitetools import Node, parse_html, run_build

CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _pages(site: Path) -> dict[str, Path]:
    """Site-relative page path → its file, for every HTML page of the root edition."""
    return {str(p.relative_to(site).parent) + "/" if p.parent != site else "": p
            for p in site.rglob("index.html") if not p.relative_to(site).parts[0] == "en"}


def _en_pages(site: Path) -> dict[str, Path]:
    en = site / "en"
    return {str(p.relative_to(en).parent) + "/" if p.parent != en else "": p for p in en.rglob("index.html")}


def test_every_page_has_its_english_twin_and_back(example_site: Path) -> None:
    zh, en = _pages(example_site), _en_pages(example_site)
    assert len(zh) > 150
    assert set(zh) == set(en), (sorted(set(zh) - set(en))[:5], sorted(set(en) - set(zh))[:5])


def _alternates(doc: Node) -> dict[str, str]:
    return {link.attrs["hreflang"]: link.attrs["href"] for link in doc.iter("link")
            if link.attrs.get("rel") == "alternate" and link.attrs.get("hreflang")}


@pytest.mark.parametrize("path", ["", "items/cq-2024-edu-preschool/", "figures/cq-edu-preschool-gross-enrolment-rate-2024/",
                                  "reports/cq-2024-edu-response/", "tags/", "about/", "search/"])
def test_hreflang_both_ways_and_the_language_switch(example_site: Path, path: str) -> None:
    zh = parse_html((example_site / path / "index.html").read_text("utf-8"))
    en = parse_html((example_site / "en" / path / "index.html").read_text("utf-8"))
    assert zh.find("html").attrs["lang"] == "zh-CN" and en.find("html").attrs["lang"] == "en"
    expected = {"zh-CN": EXAMPLE_BASE + path, "en": EXAMPLE_BASE + "en/" + path, "x-default": EXAMPLE_BASE + path}
    assert _alternates(zh) == expected == _alternates(en)
    for doc, other, other_lang in ((zh, "/repo/en/" + path, "en"), (en, "/repo/" + path, "zh-CN")):
        switch = [a for a in doc.iter("a") if a.attrs.get("hreflang") == other_lang]
        assert switch and switch[0].attrs["href"] == other and switch[0].attrs.get("lang") == other_lang


def _outside_marked(node: Node, inside: bool = False) -> list[str]:
    """Text (and attribute values) holding Chinese outside any element whose lang is zh…"""
    found: list[str] = []
    marked = inside or (node.attrs or {}).get("lang", "").lower().startswith("zh")
    if node.tag in ("script", "style"):
        return found
    if not marked:
        for name, value in (node.attrs or {}).items():
            if value and CJK.search(value) and name not in ("href", "src"):
                found.append(f"<{node.tag} {name}={value[:40]!r}>")
    for child in node.children:
        if isinstance(child, str):
            if not marked and CJK.search(child):
                found.append(f"<{node.tag}> {child.strip()[:60]!r}")
        else:
            found.extend(_outside_marked(child, marked))
    return found


def test_english_pages_hold_no_chinese_outside_marked_elements(example_site: Path) -> None:
    problems = {}
    for path, file in sorted(_en_pages(example_site).items()):
        found = _outside_marked(parse_html(file.read_text("utf-8")))
        if found:
            problems[path] = found[:3]
    assert not problems, f"{len(problems)} pages, e.g. {list(problems.items())[:5]}"


def test_english_pages_show_the_english_data_and_label_translations(example_site: Path) -> None:
    item = yaml.safe_load((ROOT / "data/items/cq-2024-edu-preschool.yaml").read_text("utf-8"))
    page = (example_site / "en/items/cq-2024-edu-preschool/index.html").read_text("utf-8")
    import html

    assert item["title_en"] in html.unescape(page)
    figure = item["figures"][0]
    fig_page = (example_site / f"en/figures/{figure['id']}/index.html").read_text("utf-8")
    doc = parse_html(fig_page)
    quotes = [n for n in doc.iter("blockquote")]
    assert quotes and quotes[0].find("p").attrs.get("lang") == "zh-CN"  # the verbatim quote stays Chinese, marked
    if figure.get("quote_en"):
        assert "Unofficial translation" in fig_page


def test_sitemap_lists_both_editions_with_alternates(example_site: Path) -> None:
    text = (example_site / "sitemap.xml").read_text("utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", text)
    assert EXAMPLE_BASE + "items/cq-2024-edu-preschool/" in locs and EXAMPLE_BASE + "en/items/cq-2024-edu-preschool/" in locs
    assert text.count('hreflang="en"') == len(locs)


def test_each_edition_has_its_own_feed(example_site: Path) -> None:
    import feedparser

    zh = feedparser.parse((example_site / "feed.xml").read_bytes())
    en = feedparser.parse((example_site / "en/feed.xml").read_bytes())
    assert zh.feed.get("language", "zh-CN").lower().startswith("zh")
    assert en.feed.get("language") == "en"
    assert en.feed.link.startswith(EXAMPLE_BASE + "en/")
    assert all(e.link.startswith(EXAMPLE_BASE + "en/") for e in en.entries)


def test_shared_files_are_written_once() -> None:
    urls = Urls("https://x.org/r/", "en/")
    assert urls.href("assets/style.css") == "/r/assets/style.css"
    assert urls.href("data/figures.csv") == "/r/data/figures.csv"
    assert urls.href("data/") == "/r/en/data/"
    assert urls.output_file("data/") == "en/data/index.html"
    assert urls.output_file("charts/x.svg") == "en/charts/x.svg"
    assert urls.absolute("items/a/", "f") == "https://x.org/r/en/items/a/#f"


# catalogs and formats -------------------------------------------------------------------------

def test_catalogs_are_complete_and_current() -> None:
    """Every message of the code and templates is in both catalogs, translated (scripts/catalogs.py --check)."""
    result = subprocess.run([sys.executable, str(ROOT / "scripts/catalogs.py"), "--check"], capture_output=True,
                            text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    zh, en = i18n.catalog("zh-CN"), i18n.catalog("en")
    assert len(zh) > 150 and set(zh) == set(en)
    assert all(v == k.split("\x04")[-1] for k, v in zh.items() if isinstance(v, str))


def test_translations_keep_their_placeholders() -> None:
    placeholder = re.compile(r"%\(\w+\)s|%%")
    for msgid, msgstr in i18n.catalog("en").items():
        for form in (msgstr if isinstance(msgstr, tuple) else (msgstr,)):
            assert set(placeholder.findall(form)) <= set(placeholder.findall(msgid)), (msgid, form)
            assert not CJK.search(form) or msgid.endswith('《%(name)s》'), (msgid, form)  # marks kept around a Chinese name


def test_locale_formats() -> None:
    with i18n.speaking("en", "zh-CN"):
        assert i18n.format_date("2024-12-27") == "27 December 2024"
        assert i18n.format_number(1284) == "1,284"
        assert i18n.format_number("93.06") == "93.06"
        assert i18n.format_number("575000.50") == "575,000.50"  # never rounds, keeps the written places
        assert i18n.gettext("数字") == "Figures" or i18n.gettext("数字") != "数字"
    with i18n.speaking("zh-CN", "zh-CN"):
        assert i18n.format_date("2024-12-27") == "2024-12-27"
        assert i18n.format_number(1284) == "1284"


class _Thing:
    title = "学前教育"
    title_en = None


def test_fallback_is_marked_with_the_source_language() -> None:
    thing = _Thing()
    with i18n.speaking("en", "zh-CN"):
        assert str(i18n.marked(thing, "title")) == '<span lang="zh-CN">学前教育</span>'
        assert i18n.text(thing, "title") == "学前教育"
        thing.title_en = "Preschool <education>"
        assert str(i18n.marked(thing, "title")) == "Preschool &lt;education&gt;"
    with i18n.speaking("zh-CN", "zh-CN"):
        assert str(i18n.marked(thing, "title")) == "学前教育"


def test_a_missing_english_title_falls_back_marked_on_the_page(tmp_path: Path) -> None:
    """An item without title_en: its English page shows the Chinese title inside lang="zh-CN"."""
    project = tmp_path / "p"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns("site", ".git", "node_modules", "tests", "bench",
                                                                   "examples", ".cache", "*.egg-info", "docs"))
    item_file = project / "data/items/cq-2024-edu-preschool.yaml"
    text = item_file.read_text("utf-8")
    item_file.write_text(re.sub(r"(?m)^title_en:.*\n", "", text, count=1), "utf-8")
    out = tmp_path / "out"
    result = run_build(project, out, EXAMPLE_BASE, "--no-search")
    assert result.returncode == 0, result.stderr
    doc = parse_html((out / "en/items/cq-2024-edu-preschool/index.html").read_text("utf-8"))
    h1 = doc.find("h1")
    assert any(isinstance(c, Node) and c.attrs.get("lang") == "zh-CN" and "聚焦" in c.text for c in h1.children), h1.text
    # a <title>, an attribute cannot mark a language: there the original stands unmarked (and so in
    # the breadcrumb, which Python makes as text); everything else on the page is marked
    assert "聚焦" in doc.find("title").text
    crumbs = doc.find("nav", cls="breadcrumbs")
    crumb_texts = {repr(c.text.strip()[:60]) for c in crumbs.iter("span")} if crumbs else set()
    unmarked = [f for f in _outside_marked(doc)
                if not f.startswith(("<title>", "<pre>"))  # titles; citations, plain text to copy
                and not re.match(r"<\w+ [\w-]+=", f)  # attributes
                and f.split("> ", 1)[-1] not in crumb_texts]  # the breadcrumb (text made in Python)
    assert not unmarked, unmarked


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_template_gettext_is_jinjas_newstyle_gettext(lang: str) -> None:
    """The templates' quicker gettext gives what Jinja's newstyle one gives for every message:
    the translation as markup, its variables escaped, %% as %."""
    from markupsafe import Markup

    names = re.compile(r"%\((\w+)\)s")
    with i18n.speaking(lang, "zh-CN"):
        for msgid in i18n.catalog(lang):
            if "\x04" in msgid or isinstance(i18n.catalog(lang)[msgid], tuple):
                continue
            variables = {name: f"<{name}>&\"" for name in names.findall(msgid)}
            expected = Markup(i18n.gettext(msgid)) % variables
            assert i18n.template_gettext(msgid, **variables) == expected, msgid
            if variables:
                safe = {k: Markup("<b>x</b>") for k in variables}
                assert i18n.template_gettext(msgid, **safe) == Markup(i18n.gettext(msgid)) % safe, msgid


# a site in English ---------------------------------------------------------------------------

def test_the_english_example_holds_no_chinese_character(tmp_path: Path) -> None:
    """examples/en-response (language: en): no Chinese character in any page, twin, feed,
    chart or data file it writes; its report's numbering reads the English way."""
    out = tmp_path / "site"
    result = run_build(ROOT / "examples" / "en-response", out, EXAMPLE_BASE, "--no-search")
    assert result.returncode == 0, result.stderr
    found = {}
    texts = [p for p in out.rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".xml", ".svg", ".csv",
                                                                          ".txt", ".js", ".css")]
    assert len(texts) > 150
    for path in texts:
        match = CJK.search(path.read_text("utf-8"))
        if match:
            found[str(path.relative_to(out))] = match.group(0)
    assert not found, found
    doc = parse_html((out / "items/northmoor-bed-and-breakfast/index.html").read_text("utf-8"))
    assert doc.find("html").attrs["lang"] == "en"
    assert doc.find("span", cls="num-label").text == "Recommendation 3"
    report = (out / "reports/northmoor-2025-homes-response/index.html").read_text("utf-8")
    assert 'id="rec3"' in report and 'id="s3-1"' in report
    figure = (out / "figures/northmoor-capital-programme-2035/index.html").read_text("utf-8")
    assert "£1.2bn" in figure and ", 5.2</a>" in figure
    assert not list(out.glob("en/")), "one edition: nothing under en/"
