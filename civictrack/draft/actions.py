"""Measures of a paragraph: each clause that holds a status keyword starts one; the clauses
after it, up to the next keyword or the sentence's end, belong to it.  Its status is the
keyword's (data/statuses.yaml), and the keyword is its status basis."""

from __future__ import annotations

from dataclasses import dataclass

from civictrack.draft.numbers import SENTENCE_END, Span, clauses, sentences
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


def first_keyword(text: str, span: Span, keywords: list[Keyword], rules: Rules) -> Keyword | None:
    """The keyword that starts first in the span (the longest of those starting there)."""
    best: tuple[int, Keyword] | None = None
    segment = text[span.start:span.end]
    for keyword in keywords:
        at = segment.find(keyword.word)
        while at >= 0:
            after = span.start + at + len(keyword.word)
            if not any(text.startswith(w, after) for w in rules.keyword_not_before):
                break
            at = segment.find(keyword.word, at + 1)
        if at >= 0 and (best is None or at < best[0] or (at == best[0] and len(keyword.word) > len(best[1].word))):
            best = (at, keyword)
    return best[1] if best else None


def read_actions(text: str, body_start: int, keywords: list[Keyword], rules: Rules) -> list[FoundAction]:
    """The measures of ``text[body_start:]``."""
    found: list[FoundAction] = []
    for sentence in sentences(text, body_start):
        current: FoundAction | None = None
        pending = None  # lead-in clauses without a keyword, kept for the next measure
        for clause in clauses(text, sentence):
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
            if text[sentence.end - 1] in SENTENCE_END and current.end == sentence.end - 1:
                current.end = sentence.end
            found.append(current)
    return found
