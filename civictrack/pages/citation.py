"""Ready-made citations of a page: GB/T 7714-2015, APA 7 and BibTeX.

The cited work is the page on this site (a permalink), attributed to the body that issued the
report and titled by the report's official title (as issued, in its own language: the title a
reader finds in official sources), then the page's part of it (a measure, a figure); the site
that publishes the page is named by its title (GB/T 7714's publisher, APA's site name, BibTeX's
``howpublished``).  The report's date is the update date; the citation date is the date the
build writes (``accessed_from`` says where it comes from), which the reader's browser replaces
with today's.

Each edition cites its own page (``Citation.lang``): the caller gives the author and the site's
name as that edition names them; on an edition in another language than the report's the
official title is followed by the edition's translation in square brackets (APA's rule for a
work in another language).  APA's form is English on every edition (dates "2024, December 27",
"Retrieved … from"); BibTeX's ``language`` is the page's (``chinese``, ``english``); GB/T 7714
is given on every edition too.  Where the data gives the address at which the issuer published
the report (``source_url``), BibTeX's ``note`` names it (the page shows it beside the citations).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_BIBTEX_LANGUAGE = {"zh-CN": "chinese", "en": "english"}
"""BibTeX/biblatex ``language`` of a page in each language (babel's names)."""
_BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@dataclass(frozen=True)
class Citation:
    """Everything a citation needs; dates are ISO ``YYYY-MM-DD``."""

    author: str  # the issuing body, e.g. 重庆市人民政府
    title: str  # the report's official title, then the page's part: 重庆市人民政府关于…的报告: 学前教育毛入园率
    container: str  # the site's title
    url: str  # absolute permalink
    updated: str  # the date of the data shown
    accessed: str  # citation date; replaced client-side by today's
    key: str  # BibTeX key (ASCII)
    lang: str = "zh-CN"  # the language of the cited page (the edition's)
    note: str = ""  # BibTeX's note: where the issuer published the report, if known


def gbt7714(c: Citation) -> str:
    """GB/T 7714-2015 electronic resource: 责任者. 题名[EB/OL]. 出版者, (更新日期)[引用日期]. 网址.
    The publisher is the site (its title): the URL is its."""
    return f"{c.author}. {c.title}[EB/OL]. {c.container}, ({c.updated})[{c.accessed}]. {c.url}."


def apa(c: Citation) -> str:
    """APA 7 web page with a retrieval date (the content is updated over time)."""
    year, month, day = (int(p) for p in c.updated.split("-"))
    ay, am, ad = (int(p) for p in c.accessed.split("-"))
    return (f"{c.author}. ({year}, {_MONTHS[month - 1]} {day}). {c.title}. {c.container}. "
            f"Retrieved {_MONTHS[am - 1]} {ad}, {ay}, from {c.url}")


_BIBTEX_SPECIAL = re.compile(r"([\\{}%&#$_^~])")


def _bibtex_escape(text: str) -> str:
    def repl(match: re.Match[str]) -> str:
        char = match.group(1)
        return {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}.get(char, "\\" + char)

    return _BIBTEX_SPECIAL.sub(repl, text)


def bibtex(c: Citation) -> str:
    """A BibTeX ``@misc`` entry (biblatex-friendly ``url`` and ``urldate`` fields)."""
    year, month, _day = (int(p) for p in c.updated.split("-"))
    key = re.sub(r"[^A-Za-z0-9:-]", "-", c.key)
    fields = [
        ("author", "{" + _bibtex_escape(c.author) + "}"),
        ("title", _bibtex_escape(c.title)),
        ("howpublished", _bibtex_escape(c.container)),
        ("year", str(year)),
        ("month", _BIBTEX_MONTHS[month - 1]),
        ("url", c.url.replace("%", r"\%").replace("#", r"\#")),
        ("urldate", c.accessed),
    ]
    if c.note:
        fields.append(("note", _bibtex_escape(c.note)))
    language = _BIBTEX_LANGUAGE.get(c.lang)
    if language:
        fields.append(("language", language))
    body = ",\n".join(f"  {name} = {value if name == 'month' else '{' + value + '}'}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}"


def citations(c: Citation) -> dict[str, str]:
    """All three styles, keyed gbt, apa, bibtex."""
    return {"gbt": gbt7714(c), "apa": apa(c), "bibtex": bibtex(c)}
