"""How figures, quotes and report text are shown: labels, the figure as written, highlights.

Used by the pages (titles, descriptions) and by the templates (through the environment's
globals); everything here that returns markup escapes the text it is given.
"""

from __future__ import annotations

import json
import re
from typing import Any

from markupsafe import Markup, escape

from civictrack.dataset import FigureInfo

QUALIFIER_ZH = {"exact": "", "more_than": "多于", "nearly": "接近", "about": "约", "at_least": "至少"}
QUALIFIER_TITLE = {"more_than": "报告写作“余”或“超”：实际数值多于此数", "nearly": "报告写作“近”：实际数值接近但不到此数",
                   "about": "报告写作“约”：约数", "at_least": "报告写作“至少”"}
REPORT_KIND_ZH = {"government_response": "政府对审议意见研究处理情况的报告", "review_opinions": "人大常委会审议意见",
                  "government_report": "政府工作情况报告"}
CHANGE_KIND_ZH = {"added": "新增", "revised": "修订", "status": "状态变化", "corrected": "更正", "removed": "撤下",
                  "note": "说明"}
COMPARISON_KIND_ZH = {"change": "较上期变化", "national_average": "与全国平均水平比较", "rank": "全国排位",
                      "from_to": "调整前后"}


def jsonld(value: Any) -> Markup:
    """JSON for a ``<script type="application/ld+json">``: ``<``, ``>`` and ``&`` are escaped
    as ``\\u003c`` etc., so no string in the data can end the script element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def figure_text(info: FigureInfo) -> str:
    """The figure as shown: the written form for stated figures, value + unit for derived ones."""
    fig = info.figure
    return fig.written if fig.written and not fig.derived else f"{fig.value}{fig.unit}"


def highlight_paragraph(text: str, spans: list[tuple[int, int, str, str]]) -> Markup:
    """Escape ``text`` and wrap each (start, end, href, id) span in a figure link."""
    out: list[str] = []
    position = 0
    for start, end, href, ident in sorted(spans):
        if start < position:  # overlapping spans: keep the first
            continue
        out.append(str(escape(text[position:start])))
        out.append(f'<a class="fig" id="{escape(ident)}" href="{escape(href)}"><mark>'
                   f"{escape(text[start:end])}</mark></a>")
        position = end
    out.append(str(escape(text[position:])))
    return Markup("".join(out))


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


def search_title(title: str) -> str:
    """A page title as Pagefind indexes it (``publish.search``): a space between every two Chinese characters.

    Pagefind indexes metadata unsegmented, so a title such as 学前教育普惠率 would become one
    long word; a query for 学前教育 then matches that word by prefix, and Pagefind stops
    looking for 学前 + 教育 in the (segmented) text of every other page, hiding most results.
    No title has a space between two such characters, so ``unspace_title`` (and the same
    regular expression in ``search.js``) gives the title back exactly."""
    return _BETWEEN_WIDE.sub(" ", title)


def unspace_title(indexed: str) -> str:
    return _SPACED.sub("", indexed)
