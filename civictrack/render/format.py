"""How figures, quotes and report text are shown: labels, the figure as written, highlights.

Used by the pages (titles, descriptions) and by the templates (through the environment's
globals); everything here that returns markup escapes the text it is given.
"""

from __future__ import annotations

import json
import re
from typing import Any

from markupsafe import Markup, escape

from civictrack import i18n
from civictrack.dataset import Dataset, FigureInfo
from civictrack.i18n import N_, Translated, _
from civictrack.units import plain

# tables of labels, named by their keys in the data: each a message (``N_``) read in the edition's
# language when shown (``i18n.Translated``); templates index them as dicts
QUALIFIER_ZH = Translated({"exact": "", "more_than": N_("多于"), "nearly": N_("接近"), "about": N_("约"),
                           "at_least": N_("至少"), "at_most": N_("最多")})
QUALIFIER_TITLE = Translated({"more_than": N_("报告写作“余”或“超”：实际数值多于此数"),
                              "nearly": N_("报告写作“近”：实际数值接近但不到此数"),
                              "about": N_("报告写作“约”：约数"), "at_least": N_("报告写作“至少”"),
                              "at_most": N_("报告写作“最多”：实际数值不超过此数")})
REPORT_KIND_ZH = Translated({"government_response": N_("政府对审议意见研究处理情况的报告"),
                             "review_opinions": N_("人大常委会审议意见"), "government_report": N_("政府工作情况报告")})
CHANGE_KIND_ZH = Translated({"added": N_("新增"), "revised": N_("修订"), "status": N_("状态变化"), "corrected": N_("更正"),
                             "removed": N_("撤下"), "note": N_("说明")})
COMPARISON_KIND_ZH = Translated({"change": N_("较上期变化"), "national_average": N_("与全国平均水平比较"),
                                 "rank": N_("全国排位"), "from_to": N_("调整前后")})


def number(value: Any) -> str:
    """A number of the data (a count, or a value that may be written in words: "两") as the
    edition writes it (``i18n.format_number``); what is not a plain number is left as it is."""
    try:
        return i18n.format_number(value)
    except (ArithmeticError, ValueError, TypeError):
        return str(value)


def report_name(report: Any) -> str:
    """How pages name a report: its short title, else its title, in the edition's language where
    the data gives one (on another edition an English full title beats a Chinese short one)."""
    if report.short_title:
        short, lang = i18n.rendering(report, "short_title")
        if lang == i18n.language():
            return short
        title, title_lang = i18n.rendering(report, "title")
        return title if title_lang == i18n.language() else short
    return i18n.text(report, "title")


def area_label(area: Any) -> str:
    """An area as listings name it: the report's numbering and its title (一、…)."""
    return _("%(number)s、%(title)s") % {"number": i18n.numbering_text(area.number), "title": i18n.text(area, "title")}


def item_number(area_number: str, number: str) -> str:
    """An item's number as pages show it: under its area's (二 + (一) → 二(一), 3 + (a) → 3(a)),
    unless it stands alone as the report writes it (Recommendation 3, 2.1)."""
    return number if number[:1].isalpha() or _WHOLE_NUMBER.match(number) else area_number + number


_WHOLE_NUMBER = re.compile(r"\d+\.\d")
"""A numbering that already holds its parents' (2.1, 2.1.3)."""


def numbered(number: str, title: str) -> str:
    """A numbering of the report's (二(一)) and a title."""
    return _("%(number)s%(title)s") % {"number": i18n.numbering_text(number), "title": title}


def book_title(name: str, lang: str) -> str:
    """A document's name as a title: in 《》 when written in Chinese (on any edition: the marks
    are part of how the name is written), else as the edition writes titles."""
    if lang == i18n.language():
        return _("《%(name)s》") % {"name": name}
    return TITLE_MARKS[0] + name + TITLE_MARKS[1] if lang.startswith("zh") else name


TITLE_MARKS = ("《", "》")
"""The book-title marks around a document's Chinese name (see ``book_title``)."""


def jsonld(value: Any) -> Markup:
    """JSON for a ``<script type="application/ld+json">``: ``<``, ``>`` and ``&`` are escaped
    as ``\\u003c`` etc., so no string in the data can end the script element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
EN_DATE = rf"(?:\d{{1,2}} )?(?:{MONTHS}) \d{{4}}"
"""An English date as the site writes it (25 November 2024) or a month (March 2026)."""
ZH_DATE = r"\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日"
"""A Chinese date (2024年11月25日, 2025年8月, 12月3日): a pattern, not text."""
ZH_YEAR = r"\d{4}年"
_UNBROKEN = re.compile(rf"(?<![#\d])(?:{EN_DATE}|{ZH_DATE}|{ZH_YEAR}|\d{{4}}-\d{{2}}-\d{{2}}|[-+]?\d[\d,.]*\d(?:\s?%)?|\d%?)")
_TAG = re.compile(r"(<[^>]*>)")


def unbroken(text: object) -> Markup:
    """``text`` escaped (Markup as it is), each number and date in its words (17,570,000,000;
    93.06%; 25 November 2024; 2024年11月25日) in a ``<span class="nw">`` that never breaks
    inside; the words around it still wrap."""
    parts = _TAG.split(str(escape(text)))
    for k in range(0, len(parts), 2):  # text between tags (escaped: the lookbehind skips &#39;)
        parts[k] = _UNBROKEN.sub(lambda m: f'<span class="nw">{m.group()}</span>', parts[k])
    return Markup("".join(parts))


_BREAKABLE = re.compile(rf"{ZH_DATE}|\d{{4}}-\d{{2}}-\d{{2}}|{EN_DATE}")
"""Dates a browser may break inside (at a space, a hyphen, between 年 and 月)."""
_RAW = re.compile(r"<(script|style|svg|title|textarea|pre|code)\b.*?</\1>", re.S)
_NW = '<span class="nw">'


def keep_together(html: str) -> str:
    """A page's HTML with every date in its text (not in tags, attributes, scripts, SVG, titles,
    code) that a browser could break inside wrapped in ``<span class="nw">`` (see ``unbroken``):
    the source's own words too (quotes, titles: 2025年8月, March 2026).  Dates already in such
    a span are left as they are."""
    dates = list(_BREAKABLE.finditer(html))
    if not dates:
        return html
    raw = [(m.start(), m.end()) for m in _RAW.finditer(html)]
    out: list[str] = []
    position = 0
    for date in dates:
        start, end = date.span()
        if (html.rfind("<", 0, start) > html.rfind(">", 0, start)  # inside a tag
                or html.endswith(_NW, 0, start) and html.startswith("</span>", end)
                or any(a <= start < b for a, b in raw)):
            continue
        out += [html[position:start], _NW, date.group(), "</span>"]
        position = end
    out.append(html[position:])
    return "".join(out)


def value_in_words(info: FigureInfo) -> str:
    """A figure on an edition other than the source's, where its written form (1.4亿余元) cannot
    be shown in a title: its qualifier and exact normalised value, with the unit where the
    catalogs name it (more than 140,000,000 yuan; 93.06%); never rounded."""
    value = number(plain(info.value_normalized)) if info.value_normalized is not None else number(info.figure.value)
    unit = _UNIT_MESSAGES.get(info.base_unit)
    shown = _(unit) % {"n": value} if unit else value
    qualifier = QUALIFIER_ZH[info.figure.qualifier]
    return _("%(qualifier)s%(value)s") % {"qualifier": qualifier, "value": shown} if qualifier else shown


_UNIT_MESSAGES = {"%": N_("%(n)s%%"), "元": N_("%(n)s元"), "个百分点": N_("%(n)s个百分点")}
"""Base units the English edition can name in a title (others: the number alone, the label says what)."""


def figure_text(info: FigureInfo) -> str:
    """The figure as shown: the written form for stated figures, value + unit for derived ones."""
    fig = info.figure
    return fig.written if fig.written and not fig.derived else f"{number(fig.value)}{fig.unit}"


def cited(text: str) -> Markup:
    """A citation (plain text to copy), escaped; on an edition in another language than a Chinese
    source's, each run of Chinese in it (the report's official title, a name the data gives only
    in Chinese) in a ``<span lang>`` of the source's language."""
    source = i18n.source_language()
    if i18n.language() == source or not source.startswith("zh"):
        return Markup(escape(text))
    return Markup(_CHINESE_RUN.sub(lambda m: f'<span lang="{source}">{m.group(0)}</span>', str(escape(text))))


def kept_spans(spans: list[Any]) -> list[Any]:
    """The (start, end, …) spans a paragraph marks, in order: of overlapping ones the first."""
    kept: list[Any] = []
    for span in sorted(spans):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def highlight_paragraph(text: str, spans: list[tuple[int, int, str, str]]) -> Markup:
    """Escape ``text`` and wrap each (start, end, href, id) span in a figure link, and each
    sentence holding one in ``<span class="sentence">``: a link to the figure's anchor (its id)
    lands on the number, and the page's style marks that sentence and, more strongly, the number."""
    kept = kept_spans(spans)
    out: list[str] = []
    position = 0
    index = 0
    for start, end in sentences(text):
        inside = []
        while index < len(kept) and kept[index][0] < end:
            inside.append(kept[index])
            index += 1
        if not inside:
            continue
        end = max(end, inside[-1][1])  # a figure never straddles a sentence's end
        start = min(start, inside[0][0])
        if start < position:  # the sentence before was stretched over this one's start
            start = position
        out.append(str(escape(text[position:start])))
        out.append('<span class="sentence">')
        at = start
        for f_start, f_end, href, ident in inside:
            out.append(str(escape(text[at:f_start])))
            out.append(f'<a class="fig" id="{escape(ident)}" href="{escape(href)}"><mark>'
                       f"{escape(text[f_start:f_end])}</mark></a>")
            at = f_end
        out.append(str(escape(text[at:end])))
        out.append("</span>")
        position = end
    out.append(str(escape(text[position:])))
    return Markup("".join(out))


_SENTENCE_END = re.compile(r"[\u3002\uff01\uff1f\uff1b][\u201d\u2019\u300d\u300f\uff09)]*"
                           r"|[.!?;][\"'\u201d\u2019)]*(?=\s|$)")
"""Where a sentence of a report ends: after a full-width 。！？； (and any closing quote or bracket), or
after . ! ? ; followed by a space or the end (so 1.2 and £1.2bn stay inside one)."""


def sentences(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each sentence of a paragraph, leading spaces left out; together
    with the spaces between them they cover ``text``."""
    found: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        while start < end and text[start].isspace():
            start += 1
        if start < end:
            found.append((start, end))
        start = end
    while start < len(text) and text[start].isspace():
        start += 1
    if start < len(text):
        found.append((start, len(text)))
    return found


def mark_in_quote(quote: str, written: str | None, occurrence: int = 1) -> Markup:
    """The quote, escaped, with the written figure in ``<mark>``."""
    from civictrack.source import find_token

    if not written:
        return Markup(escape(quote))
    start = find_token(quote, written, occurrence)
    if start < 0:
        return Markup(escape(quote))
    end = start + len(written)
    return Markup(f"{escape(quote[:start])}<mark>{escape(quote[start:end])}</mark>{escape(quote[end:])}")


# Chinese characters and the full-width punctuation written between them (，、：《》“”（）…)
WIDE = "\u2018-\u201f\u2026\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_BETWEEN_WIDE = re.compile(f"(?<=[{WIDE}])(?=[{WIDE}])")
_SPACED = re.compile(f"(?<=[{WIDE}]) (?=[{WIDE}])")


_CHINESE_RUN = re.compile(f"[{WIDE}](?:[{WIDE}0-9 ·.,:;()-]*[{WIDE}])?")
"""Chinese text in a citation: from a Chinese character (or full-width mark) to the last one
before anything else (digits, spaces and ASCII marks between them stay inside)."""


def search_title(title: str) -> str:
    """A page title as Pagefind indexes it (``publish.search``): a space between every two Chinese characters.

    Pagefind indexes metadata unsegmented, so a title such as 学前教育普惠率 would become one
    long word; a query for 学前教育 then matches that word by prefix, and Pagefind stops
    looking for 学前 + 教育 in the (segmented) text of every other page, hiding most results.
    No title has a space between two such characters, so ``unspace_title`` (and the same
    regular expression in ``search.js``) gives the title back exactly.

    Measured on the bundled site (2026-12-07): titles unspaced, 学前教育 finds 2 pages of 13;
    titles kept out of the word index altogether (base64), the same pages within one and the
    report ranks lower for its title.  The single characters a query for 毛入园率 marked apart
    came from the browser's query segmentation, not from here (``search.js`` marks words)."""
    return _BETWEEN_WIDE.sub(" ", title)


def unspace_title(indexed: str) -> str:
    return _SPACED.sub("", indexed)


def as_of_is_report_date(data: Dataset, info: FigureInfo) -> bool:
    """Whether the figure's ``as_of`` is its report's date: the date the site reads into 截至目前
    ("to date"), not one the report states for the figure."""
    fig = info.figure
    return bool(fig.as_of) and fig.as_of == data.reports[info.report].date
