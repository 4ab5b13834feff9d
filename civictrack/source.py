"""The stored source text of a report, split into anchored paragraphs.

The anchors follow the report's own numbering, so they are stable for as long as
the text is: ``一、`` → ``s1``, ``(二)`` under it → ``s1-2``, ``3.`` under that →
``s1-2-3``.  Paragraphs outside the numbering are ``p1``, ``p2``… in order.

A text in English (a project whose ``site.yaml`` says ``language: en``) is numbered the English
way: ``1.`` → ``s1``, ``1.1`` → ``s1-1``, ``1.1.1`` → ``s1-1-1``, ``Recommendation 3`` (or
``Recommendation 3:``) → ``rec3``, and ``(a)`` → the anchor of the paragraph it stands under with
``-a`` (``s2-3-a``, ``rec3-a``).  The language is the project's, passed in; it is never guessed
from the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}

_HEADING = re.compile(r"^([一二三四五六七八九十]+)、")
_SECTION = re.compile(r"^[(（]([一二三四五六七八九十]+)[)）]")
_POINT = re.compile(r"^(\d+)[.．、]")

_EN_SECTION = re.compile(r"^(\d{1,3})\.(\d{1,3})(?:\.(\d{1,3}))?\.?(?=\s|$)")
"""1.1 or 1.1.1 (a trailing point allowed: 1.1.), then a space or the end of the line."""
_EN_HEADING = re.compile(r"^(\d{1,3})\.(?=\s|$)")
"""1. then a space or the end of the line."""
_EN_RECOMMENDATION = re.compile(r"^Recommendation\s+(\d{1,3})(?![\d.,]\d)[.:]?(?=\s|$)")
"""Recommendation 3, Recommendation 3: or Recommendation 3. at the start of the line."""
_EN_POINT = re.compile(r"^\(([a-z])\)(?=\s|$)")
"""(a), (b)… at the start of the line."""


def cn_number(text: str) -> int | None:
    """Value of a Chinese numeral up to 99 (一, 十, 十二, 二十, 九十九), else ``None``."""
    if not text or any(c not in CN_DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        return CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if "十" in ones or len(tens) > 1 or len(ones) > 1:
        return None
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)


@dataclass(frozen=True)
class Paragraph:
    """One line of the source text with its anchor and numbering."""

    anchor: str
    text: str
    line: int
    kind: str  # "heading" (一、 or 1.), "section" ((一) or 1.1), "point" (1. under (一), 1.1.1 or (a)),
    # "recommendation" (Recommendation 3, English only) or "plain"
    number: str = ""  # the numbering as written: 一、 (一) 1. 1.1 Recommendation 3 (a)


@dataclass(frozen=True)
class SourceText:
    """A report's full text as anchored paragraphs."""

    file: str
    paragraphs: tuple[Paragraph, ...]
    by_anchor: dict[str, Paragraph] = field(init=False, repr=False, compare=False)
    full_text: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_anchor", {p.anchor: p for p in self.paragraphs})
        object.__setattr__(self, "full_text", "\n".join(p.text for p in self.paragraphs))

    def get(self, anchor: str) -> Paragraph | None:
        return self.by_anchor.get(anchor)

    @property
    def anchors(self) -> list[str]:
        return [p.anchor for p in self.paragraphs]


def parse_source(file: str, text: str, language: str = "zh-CN") -> tuple[SourceText, list[tuple[int, str]]]:
    """Split ``text`` into paragraphs; also return (line, problem) pairs for bad numbering.

    ``language`` is the project's (``site.yaml``'s ``language``): it says how the text numbers
    its paragraphs (Chinese 一、(一) 1., or English 1. 1.1 Recommendation 3 (a))."""
    if language == "en":
        return _parse_english(file, text)
    reading = _Reading()
    problems = reading.problems
    heading = section = 0
    plain = 0
    for index, line in _lines(text):
        kind, number = "plain", ""
        if match := _HEADING.match(line):
            value = cn_number(match.group(1))
            if value is None:
                problems.append((index, f"cannot read the numbering {match.group(0)}"))
                continue
            heading, section = value, 0
            anchor, kind, number = f"s{heading}", "heading", match.group(0)
        elif (match := _SECTION.match(line)) and heading:
            value = cn_number(match.group(1))
            if value is None:
                problems.append((index, f"cannot read the numbering {match.group(0)}"))
                continue
            section = value
            anchor, kind, number = f"s{heading}-{section}", "section", match.group(0)
        elif (match := _POINT.match(line)) and heading and section:
            anchor, kind, number = f"s{heading}-{section}-{int(match.group(1))}", "point", match.group(0)
        else:
            plain += 1
            anchor = f"p{plain}"
        reading.add(Paragraph(anchor, line, index, kind, number))
    return SourceText(file, tuple(reading.paragraphs)), problems


def _parse_english(file: str, text: str) -> tuple[SourceText, list[tuple[int, str]]]:
    """An English text: 1. → s1, 1.1 → s1-1, 1.1.1 → s1-1-1, Recommendation 3 → rec3, (a) under a
    paragraph → that paragraph's anchor + -a; anything else p1, p2… counted from the top."""
    reading = _Reading()
    problems = reading.problems
    plain = 0
    parent = ""  # anchor of the last paragraph that is not an (a) point: (a) stands under it
    for index, line in _lines(text):
        kind, number = "plain", ""
        if match := _EN_SECTION.match(line):
            parts = [int(g) for g in match.groups() if g is not None]
            anchor = "s" + "-".join(str(n) for n in parts)
            kind, number = ("section" if len(parts) == 2 else "point"), match.group(0)
        elif match := _EN_HEADING.match(line):
            anchor, kind, number = f"s{int(match.group(1))}", "heading", match.group(0)
        elif match := _EN_RECOMMENDATION.match(line):
            anchor, kind, number = f"rec{int(match.group(1))}", "recommendation", match.group(0)
        elif match := _EN_POINT.match(line):
            if not parent:
                problems.append((index, f"{match.group(0)} stands under no paragraph"))
                continue
            anchor, kind, number = f"{parent}-{match.group(1)}", "point", match.group(0)
        else:
            plain += 1
            anchor = f"p{plain}"
        if reading.add(Paragraph(anchor, line, index, kind, number)) and not _EN_POINT.match(line):
            parent = anchor
    return SourceText(file, tuple(reading.paragraphs)), problems


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) of every line of ``text`` that is not blank."""
    for index, raw_line in enumerate(text.split("\n"), start=1):
        line = raw_line.rstrip("\r")
        if line.strip():
            yield index, line


class _Reading:
    """The paragraphs of a text read so far, and the problems found in its numbering."""

    def __init__(self) -> None:
        self.paragraphs: list[Paragraph] = []
        self.problems: list[tuple[int, str]] = []
        self.seen: set[str] = set()

    def add(self, paragraph: Paragraph) -> bool:
        """Keep ``paragraph``, unless its anchor is taken (a problem then); whether it was kept."""
        if paragraph.anchor in self.seen:
            self.problems.append((paragraph.line, f"numbering repeats: anchor {paragraph.anchor} is already used"))
            return False
        self.seen.add(paragraph.anchor)
        self.paragraphs.append(paragraph)
        return True


def find_token(haystack: str, token: str, occurrence: int = 1) -> int:
    """Start of the ``occurrence``-th match of ``token`` not preceded by a digit or point.

    The boundary keeps ``6所`` from matching inside ``16所``.  Returns -1 if absent.
    """
    start = 0
    seen = 0
    while (index := haystack.find(token, start)) >= 0:
        before = haystack[index - 1] if index else ""
        after_separator = before == "," and index > 1 and haystack[index - 2].isdigit()  # 284 in 1,284
        if not (token[:1].isdigit() and (before.isdigit() or before in (".", "．") or after_separator)):
            seen += 1
            if seen == occurrence:
                return index
        start = index + 1
    return -1
