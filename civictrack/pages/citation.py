"""Ready-made citations of a page: GB/T 7714-2015, APA 7 and BibTeX.

The cited work is the page on this site (a permalink), attributed to the body that
issued the report, with the report's date as its update date and a citation date
that the reader's browser replaces with today's (the build writes a date taken from
the data, so output stays reproducible).

Each edition cites its own page, in its language (``Citation.lang``): the caller gives the
author, title and container as that edition names them (the English edition: the body's and
the site's English names and the English titles where the data has them).  APA's form is
English on every edition (dates "2024, December 27", "Retrieved … from"); BibTeX's ``language``
is the page's (``chinese``, ``english``); GB/T 7714 is given on every edition too, since it cites
a work in the work's own language with the same punctuation (a Chinese reader citing the
English page).
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
    title: str  # the page's title, e.g. 报告名: 二(一) 措施名
    container: str  # the site's title
    url: str  # absolute permalink
    updated: str  # the date of the data shown
    accessed: str  # citation date; replaced client-side by today's
    key: str  # BibTeX key (ASCII)
    lang: str = "zh-CN"  # the language of the cited page (the edition's)


def gbt7714(c: Citation) -> str:
    """GB/T 7714-2015 electronic resource: 责任者. 题名[EB/OL]. (更新日期)[引用日期]. 网址."""
    return f"{c.author}. {c.title}[EB/OL]. ({c.updated})[{c.accessed}]. {c.url}."


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
    language = _BIBTEX_LANGUAGE.get(c.lang)
    if language:
        fields.append(("language", language))
    body = ",\n".join(f"  {name} = {value if name == 'month' else '{' + value + '}'}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}"


def citations(c: Citation) -> dict[str, str]:
    """All three styles, keyed gbt, apa, bibtex."""
    return {"gbt": gbt7714(c), "apa": apa(c), "bibtex": bibtex(c)}
