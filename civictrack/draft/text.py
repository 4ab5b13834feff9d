"""A report's text as published or pasted from a web page → the lines kept, and what its
opening lines say (title, date, meeting, addressee)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from civictrack.draft.rules import Rules

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
"""Characters YAML refuses or reads as line breaks (C0 and C1 controls, separators), never in a
report's text; the byte-order mark is allowed only at the very start."""
_EDGE = " \t\u3000\xa0\u200b\ufeff"
_MEETING = re.compile(r"^(?:[(（]|[—–-]{1,2})\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*(?:在(.+?)上)?\s*[)）]?$")
_MEETING_ONLY = re.compile(r"^(?:[(（]|[—–-]{1,2})\s*在(.+?会议)上\s*[)）]?$")
_DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_SALUTATION = re.compile(r"^(.{2,30}?)[:：]$")


class TextProblem(ValueError):
    """The text cannot be drafted as it is; the message says where and why."""


@dataclass(frozen=True)
class Header:
    """What the opening lines state."""

    title: str | None
    date: str | None
    meeting: str | None
    addressee: str | None  # the salutation's words, e.g. 市人大常委会
    byline: str | None = None  # English: the line under the title that dates it (…, published 25 November 2024)


def clean_lines(raw: str, rules: Rules) -> list[str]:
    """The report's lines: stripped of edge spaces, without blank and stray web lines.

    Nothing inside a line is changed, so every quote stays verbatim."""
    text = raw.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines: list[str] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if bad := _CONTROL.search(line):
            raise TextProblem(f"line {number}: control character U+{ord(bad.group()):04X} in the text; remove it")
        line = line.strip(_EDGE)
        if not line or any(p.match(line) for p in rules.stray_lines):
            continue
        lines.append(line)
    if not lines:
        raise TextProblem("the text is empty (or holds only web-page lines such as 来源:…)")
    return lines


def _iso(year: str, month: str, day: str) -> str | None:
    import datetime

    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _meeting(line: str) -> tuple[str | None, str | None] | None:
    """(date, meeting) of a `(2024年12月27日在…会议上)` or `——…在…会议上` line, else None."""
    if match := _MEETING.match(line):
        return _iso(*match.group(1, 2, 3)), (match.group(4) or "").strip() or None
    if match := _MEETING_ONLY.match(line):
        return None, match.group(1).strip()
    return None


def _salutation_after(lines: list[str], index: int) -> tuple[str | None, int]:
    """The salutation (市人大常委会：) at ``index`` or after up to two short lines (a reporter's
    name and office), and the index after it; else (None, index)."""
    for at in range(index, min(index + 3, len(lines))):
        if match := _SALUTATION.match(lines[at]):
            return match.group(1), at + 1
        if len(lines[at]) > 30 or any(c in lines[at] for c in "。；;，,"):
            break
    return None, index


def _title_like(line: str) -> bool:
    return len(line) <= 80 and not line.endswith(("。", ".", "；", ";", "：", ":"))


_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")
_EN_DATE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(_EN_MONTHS) + r")\s+(\d{4})\b")
_EN_DATE_LINE = re.compile(r"^(?:.{0,160}?\b(?i:published|presented|laid|submitted|dated|issued|date)\b[^.]*?|)"
                           r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(_EN_MONTHS) + r")\s+(\d{4})\.?$")
_EN_PRESENTED = re.compile(r"^(?:Presented|Submitted|Sent|Laid before)\s+(?:to\s+)?(.+?)(?:\s+(?:on|in)\s+.*)?$")
_EN_SALUTATION = re.compile(r"^(?:Dear|To)\s+(.{2,60}?)[,:]?$")


def read_english_header(lines: list[str]) -> tuple[Header, int]:
    """The header of an English text: the title is its first line; a line right after it that is
    a date or says when it was published (Published 10 February 2025, Presented to the Committee
    on 10 February 2025, Report of …, published 25 November 2024) gives the date, and whom it was
    presented to the addressee, as a salutation (Dear Chair,) does.  Else a date alone on one of
    the last lines gives the date."""
    title = lines[0] if lines and len(lines[0]) <= 200 and not lines[0].endswith((".", ";")) else None
    index = 1 if title else 0
    date = addressee = byline = None
    for at in range(index, min(index + 4, len(lines))):
        line = lines[at]
        match = _EN_DATE_LINE.match(line)
        salutation = _EN_SALUTATION.match(line)
        if not match and not salutation:
            break
        if match:
            date = _iso(match.group(3), str(_EN_MONTHS.index(match.group(2)) + 1), match.group(1))
            byline = line
            if presented := _EN_PRESENTED.match(line):
                addressee = presented.group(1)
        if salutation:
            addressee = salutation.group(1)
        index = at + 1
    if date is None:
        for line in reversed(lines[-4:]):
            if (match := _EN_DATE.fullmatch(line.rstrip("."))) is not None:
                date = _iso(match.group(3), str(_EN_MONTHS.index(match.group(2)) + 1), match.group(1))
                break
    return Header(title, date, None, addressee, byline), index


def read_header(lines: list[str]) -> tuple[Header, int]:
    """The header and the index of the first line after it (the body's start).

    The date line is looked for in the first lines of the text; when a pasted page repeats it
    (a site's own heading above the report), the one the salutation follows is the report's.
    The title is the one or two lines right before it."""
    found = [(i, m) for i, line in enumerate(lines[:16]) if (m := _meeting(line)) is not None]
    chosen = next(((i, m) for i, m in found if _salutation_after(lines, i + 1)[0] is not None),
                  found[0] if found else None)
    title_lines: list[str] = []
    date = meeting = None
    if chosen is not None:
        at, (date, meeting) = chosen
        index = at + 1
        title_lines = [lines[at - 1]] if at and _title_like(lines[at - 1]) else []
        previous = lines[at - 2] if at > 1 and _title_like(lines[at - 2]) else ""
        if title_lines and previous and (("关于" not in title_lines[0] and "关于" in previous) or  # broken title
                                         (title_lines[0].startswith("关于") and len(previous) <= 30)):  # issuer above
            title_lines.insert(0, previous)
    elif lines and len(lines[0]) <= 120 and not lines[0].endswith(("。", ".", "；", ";")) \
            and not _SALUTATION.match(lines[0]):
        title_lines, index = [lines[0]], 1
    else:
        index = 0
    addressee, index = _salutation_after(lines, index)
    if date is None:
        for line in reversed(lines[-4:]):  # a signature date at the end
            if match := _DATE_LINE.match(line):
                date = _iso(*match.group(1, 2, 3))
                break
    title = "".join(title_lines) or None
    return Header(title, date, meeting, addressee), index
