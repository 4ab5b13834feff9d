"""Measures of a paragraph: each clause that holds a status keyword starts one; the clauses
after it, up to the next keyword or the sentence's end, belong to it.  Its status is the
keyword's (data/statuses.yaml), and the keyword is its status basis."""

from __future__ import annotations

from dataclasses import dataclass

from civictrack.draft.numbers import Span, clauses, sentence_marks, sentences
from civictrack.draft.rules import Rules


@dataclass(frozen=True)
class Keyword:
    word: str
    status: str


@dataclass
class FoundAction:
    start: int
    end: int  # the quote: text[start:end]
    status: str
    basis: str


def keywords_of(statuses: list[tuple[str, list[str]]]) -> list[Keyword]:
    """(status id, keywords) pairs in scale order → keywords, longest first."""
    found = [Keyword(word, sid) for sid, words in statuses for word in words if word]
    return sorted(found, key=lambda k: -len(k.word))


def _whole_word(text: str, start: int, end: int) -> bool:
    """No letter or digit right before ``start`` or right after ``end`` (English keywords are words)."""
    return not (start and text[start - 1].isalnum()) and not (end < len(text) and text[end].isalnum())


def first_keyword(text: str, span: Span, keywords: list[Keyword], rules: Rules) -> Keyword | None:
    """The keyword that starts first in the span (the longest of those starting there).  In English
    keywords are whole words, matched in any case (Accepted, accepts)."""
    best: tuple[int, Keyword] | None = None
    segment = text[span.start:span.end]
    english = rules.english
    haystack = segment.lower() if english else segment
    for keyword in keywords:
        word = keyword.word.lower() if english else keyword.word
        at = haystack.find(word)
        while at >= 0:
            after = span.start + at + len(word)
            if not any(text.startswith(w, after) for w in rules.keyword_not_before) and (
                    not english or _whole_word(text, span.start + at, after)):
                break
            at = haystack.find(word, at + 1)
        if at >= 0 and (best is None or at < best[0] or (at == best[0] and len(keyword.word) > len(best[1].word))):
            best = (at, keyword)
    if best is None:
        return None
    at, keyword = best
    if english:  # the basis as the text writes it (Accepted), so that it stands in the quote
        return Keyword(segment[at:at + len(keyword.word)], keyword.status)
    return keyword


def read_actions(text: str, body_start: int, keywords: list[Keyword], rules: Rules) -> list[FoundAction]:
    """The measures of ``text[body_start:]``."""
    found: list[FoundAction] = []
    ends = sentence_marks(rules)
    for sentence in sentences(text, body_start, rules):
        current: FoundAction | None = None
        pending = None  # lead-in clauses without a keyword, kept for the next measure
        for clause in clauses(text, sentence, rules):
            keyword = first_keyword(text, clause, keywords, rules)
            if keyword is None:
                if current is not None:
                    current.end = clause.end
                elif pending is None:
                    pending = clause.start
                continue
            if current is not None:
                found.append(current)
            start = pending if pending is not None else clause.start
            current = FoundAction(start, clause.end, keyword.status, keyword.word)
            pending = None
        if current is not None:
            if text[sentence.end - 1] in ends and current.end == sentence.end - 1:
                current.end = sentence.end
            found.append(current)
    return found
