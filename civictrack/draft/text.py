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


def read_header(lines: list[str]) -> tuple[Header, int]:
    """The header and the index of the first line after it (the body's start)."""
    title_lines: list[str] = []
    date = meeting = addressee = None
    index = 0
    for index, line in enumerate(lines[:4]):
        if match := _MEETING.match(line):
            date = _iso(*match.group(1, 2, 3))
            meeting = (match.group(4) or "").strip() or None
            index += 1
            break
    else:
        index = 0
    if index:  # the lines before the meeting line are the title
        title_lines = lines[:index - 1]
    elif lines and len(lines[0]) <= 120 and not lines[0].endswith(("。", ".", "；", ";")) \
            and not _SALUTATION.match(lines[0]):
        title_lines, index = [lines[0]], 1
    for skip in range(3):  # a reporter's line (市人民政府副市长 某某) may stand before the salutation
        at = index + skip
        if at < len(lines) and (match := _SALUTATION.match(lines[at])):
            addressee, index = match.group(1), at + 1
            break
        if at >= len(lines) or len(lines[at]) > 30 or any(c in lines[at] for c in "。；;，,"):
            break
    if date is None:
        for line in reversed(lines[-4:]):  # a signature date at the end
            if match := _DATE_LINE.match(line):
                date = _iso(*match.group(1, 2, 3))
                break
    title = "".join(title_lines) or None
    return Header(title, date, meeting, addressee), index
