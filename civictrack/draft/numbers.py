"""Every number of a paragraph, accounted for: a figure (value, unit, qualifier, written form,
period or as-of date, comparison) or a non-figure with its reason.

Only the rules file (``rules/<lang>.yaml``) says which words are units, qualifiers, dates
or names; this module only applies them, left to right.  How a sentence ends, how words are
delimited and in which order a figure's words stand differ between Chinese (the default) and
English (``Rules.english``): the functions that read them take the rules."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from civictrack.draft.rules import Rules
from civictrack.source import find_token

from civictrack.units import NUMBER as ARABIC  # what `check` counts as a number of the text

SENTENCE_END = "。；;！!？?"
CLAUSE_MARKS = "，,：:"
EN_SENTENCE_END = ".;!?"
_EN_END = re.compile(r"[.;!?](?=[\"”’')\]]*(?:\s|$))")
"""An English sentence ends at . ; ! or ? followed (after closing quotes or brackets) by a space or the end."""
_EN_ABBREVIATIONS = {"e.g", "i.e", "etc", "mr", "mrs", "ms", "dr", "st", "no", "nos", "cf", "vs", "approx", "para",
                     "paras", "cllr", "rt", "hon"}
_EN_LEADING_NUMBER = re.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,3})*\.?|\([a-z]\)|Recommendation\s+\d{1,3}[.:]?)(?=\s|$)")


def sentence_marks(rules: Rules | None) -> str:
    """The marks a sentence ends with, in the rules' language."""
    return EN_SENTENCE_END if rules is not None and rules.english else SENTENCE_END
_OPEN = {"“": "”", "《": "》", "〈": "〉", "(": ")", "（": "）", "「": "」", "『": "』", "‘": "’", "[": "]", "【": "】"}
_NAME_MARKS = {"“", "《", "〈", "「", "『", "‘"}  # numbers inside these are part of a name


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass
class FoundFigure:
    """A figure as read from one paragraph."""

    start: int  # of `written` in the paragraph
    end: int
    value: str
    unit: str
    qualifier: str
    written: str
    quote: Span
    clause: Span
    period: str | None = None
    as_of: str | None = None
    comparison: tuple[str, str] | None = None  # (kind, text)
    occurrence: int = 1


@dataclass
class FoundNonFigure:
    start: int
    end: int
    reason: str


@dataclass
class ParagraphNumbers:
    figures: list[FoundFigure] = field(default_factory=list)
    non_figures: list[FoundNonFigure] = field(default_factory=list)


def bracket_depths(text: str) -> tuple[list[int], list[bool]]:
    """For each character: how deep inside brackets or quotes it is, and whether inside a name
    (“…”, 《…》).  Unbalanced marks close at the end of the paragraph."""
    depth: list[int] = []
    named: list[bool] = []
    stack: list[str] = []
    for char in text:
        if stack and char == _OPEN[stack[-1]] and not (char == "”" and stack[-1] != "“"):
            depth.append(len(stack))
            named.append(any(s in _NAME_MARKS for s in stack))
            stack.pop()
            continue
        if char in _OPEN and not (char == "”"):
            stack.append(char)
        depth.append(len(stack))
        named.append(any(s in _NAME_MARKS for s in stack))
    return depth, named


def sentences(text: str, start: int = 0, rules: Rules | None = None) -> list[Span]:
    """Sentences of ``text[start:]``, each with its closing mark."""
    if rules is not None and rules.english:
        return _english_sentences(text, start)
    depth, _ = bracket_depths(text)
    spans: list[Span] = []
    begin = start
    for i in range(start, len(text)):
        if text[i] in SENTENCE_END and depth[i] == 0:
            if text[begin:i + 1].strip():
                spans.append(Span(begin, i + 1))
            begin = i + 1
    if text[begin:].strip():
        spans.append(Span(begin, len(text)))
    return spans


def _trimmed(text: str, begin: int, end: int) -> Span | None:
    while begin < end and text[begin].isspace():
        begin += 1
    while end > begin and text[end - 1].isspace():
        end -= 1
    return Span(begin, end) if end > begin else None


def _english_sentences(text: str, start: int) -> list[Span]:
    """English sentences: up to . ; ! or ? before a space or the end, not inside brackets or quotes,
    not the paragraph's own numbering (1.1, Recommendation 3:) nor an abbreviation (e.g., No.)."""
    depth, _ = bracket_depths(text)
    numbering = _EN_LEADING_NUMBER.match(text)
    skip = numbering.end() if numbering else 0
    spans: list[Span] = []
    begin = max(start, skip)  # the numbering (1.1, Recommendation 3:) is no part of a sentence
    for match in _EN_END.finditer(text, start):
        i = match.start()
        if i < skip or depth[i]:
            continue
        if text[i] == ".":
            word = re.search(r"([A-Za-z.]+)$", text[begin:i])
            if word and (word.group(1).lower() in _EN_ABBREVIATIONS or re.fullmatch(r"[A-Z]", word.group(1))):
                continue
        if span := _trimmed(text, begin, i + 1):
            spans.append(span)
        begin = i + 1
    if span := _trimmed(text, begin, len(text)):
        spans.append(span)
    return spans


def _english_clauses(text: str, sentence: Span) -> list[Span]:
    """Parts of an English sentence between , : and ; (not a thousands separator: 1,200), trimmed."""
    depth, _ = bracket_depths(text)
    spans: list[Span] = []
    begin = sentence.start
    end = sentence.end - (1 if text[sentence.end - 1] in EN_SENTENCE_END else 0)
    for i in range(sentence.start, end):
        if text[i] in ",:;" and depth[i] == 0 and not (
                text[i] == "," and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()):
            if span := _trimmed(text, begin, i):
                spans.append(span)
            begin = i + 1
    if span := _trimmed(text, begin, end):
        spans.append(span)
    return spans


def clauses(text: str, sentence: Span, rules: Rules | None = None) -> list[Span]:
    """Comma clauses of a sentence, without their marks; brackets and quotes are not split."""
    if rules is not None and rules.english:
        return _english_clauses(text, sentence)
    depth, _ = bracket_depths(text)
    spans: list[Span] = []
    begin = sentence.start
    end = sentence.end - (1 if text[sentence.end - 1] in SENTENCE_END else 0)
    for i in range(sentence.start, end):
        if text[i] in CLAUSE_MARKS and depth[i] == 0:
            if i > begin:
                spans.append(Span(begin, i))
            begin = i + 1
    if end > begin:
        spans.append(Span(begin, end))
    return spans


def _starts_with(text: str, pos: int, words: tuple[tuple[str, str], ...] | tuple[str, ...]) -> str | None:
    for entry in words:
        word = entry[0] if isinstance(entry, tuple) else entry
        if text.startswith(word, pos):
            return word
    return None


def _ends_with(text: str, pos: int, words: tuple[tuple[str, str], ...]) -> tuple[str, str] | None:
    for word, meaning in words:
        if pos >= len(word) and text.startswith(word, pos - len(word)):
            return word, meaning
    return None


def _containing(spans: list[Span], pos: int) -> Span | None:
    return next((s for s in spans if s.start <= pos < s.end), None)


def read_numbers(text: str, rules: Rules, numbering: str = "") -> ParagraphNumbers:
    """Figures and non-figures of one paragraph (``numbering``: its leading 一、 or (一), if any)."""
    found = ParagraphNumbers()
    _, named = bracket_depths(text)
    claimed: list[FoundNonFigure] = []
    own_number = FoundNonFigure(0, len(numbering), rules.numbering_reason) \
        if numbering and ARABIC.search(numbering) else None
    if own_number is not None and not (rules.english and numbering.startswith("Recommendation")):
        claimed.append(own_number)  # (a Recommendation 3 line: its pattern's reason, below)
    numbers = [m.span() for m in ARABIC.finditer(text)] if rules.english else []
    for rule in rules.non_figures:
        for match in rule.pattern.finditer(text):
            if rules.english and any(a < match.start() < b or a < match.end() < b for a, b in numbers):
                continue  # it would cut a number (10 February 2025 in 10 February 20251): no claim
            if match.end() > match.start() and not any(c.start < match.end() and match.start() < c.end
                                                       for c in claimed):
                claimed.append(FoundNonFigure(match.start(), match.end(), rule.reason))
    if own_number is not None and own_number not in claimed and not any(c.start < own_number.end for c in claimed):
        claimed.append(own_number)
    sentence_spans = sentences(text, 0, rules)
    taken_until = 0
    for match in ARABIC.finditer(text):
        if match.start() < taken_until:
            continue
        start, end = match.span()
        rank = _rank(text, start, end, rules)
        if rank is None:
            claim = next((c for c in claimed if c.start <= start and end <= c.end), None)
            if claim is not None:
                found.non_figures.append(claim)
                taken_until = claim.end
                continue
            if named[start]:
                found.non_figures.append(FoundNonFigure(start, end, rules.name_reason))
                continue
        figure = rank or (_english_figure_at if rules.english else _figure_at)(text, start, end, rules)
        if figure is None:
            found.non_figures.append(FoundNonFigure(start, end, rules.no_unit_reason))
            continue
        sentence = _containing(sentence_spans, start) or Span(0, len(text))
        figure.quote = sentence
        figure.clause = _containing(clauses(text, sentence, rules), start) or sentence
        found.figures.append(figure)
        taken_until = figure.end
    for match in re.finditer(r"[两二三四五六七八九十]+(?=" + "|".join(map(re.escape, rules.chinese_numeral_units))
                             + ")" if rules.chinese_numeral_units else r"(?!)", text):
        start = match.start()
        if named[start] or (start and text[start - 1] in "第一二三四五六七八九十两") or \
                any(f.start <= start < f.end for f in found.figures):
            continue
        unit = _starts_with(text, match.end(), rules.chinese_numeral_units) or ""
        sentence = _containing(sentence_spans, start) or Span(0, len(text))
        found.figures.append(FoundFigure(start, match.end() + len(unit), match.group(), unit, "exact",
                                         text[start:match.end() + len(unit)], sentence,
                                         _containing(clauses(text, sentence, rules), start) or sentence))
    found.figures.sort(key=lambda f: f.start)
    for figure in found.figures:
        _occurrence(text, figure)
    _comparisons(text, found.figures, rules)
    return found


def _rank(text: str, start: int, end: int, rules: Rules) -> FoundFigure | None:
    """第3 after 居/位居/排名 (and an optional scope such as 全国): a rank."""
    if start == 0 or text[start - 1] != "第":
        return None
    before = text[max(0, start - 12):start - 1]
    match = re.search("(" + "|".join(map(re.escape, rules.rank_words)) + r")([\u4e00-\u9fff]{0,4}?)$", before)
    if match is None:
        return None
    unit = text[end] if end < len(text) and text[end] in "位名" else ""
    first = start - 1 - len(match.group(0))
    figure = FoundFigure(start - 1, end + len(unit), text[start:end], unit or rules.rank_unit, "exact",
                         text[start - 1:end + len(unit)], Span(0, 0), Span(0, 0))
    figure.comparison = ("rank", text[first:end + len(unit)])
    return figure


def _figure_at(text: str, start: int, end: int, rules: Rules) -> FoundFigure | None:
    """The figure written around the number at ``start:end``, or None if it has no unit."""
    qualifier = "exact"
    begin = start
    if before := _ends_with(text, start, rules.qualifiers_before):
        begin, qualifier = start - len(before[0]), before[1]
    pos = end
    if after := _starts_with(text, pos, rules.qualifiers_after):
        pos += len(after)
        qualifier = dict(rules.qualifiers_after)[after]
    multiplier = _starts_with(text, pos, rules.multipliers) or ""
    pos += len(multiplier)
    if multiplier and (after := _starts_with(text, pos, rules.qualifiers_after)):
        pos += len(after)
        qualifier = dict(rules.qualifiers_after)[after]
    unit = _starts_with(text, pos, rules.units) or ""
    pos += len(unit)
    if not unit and not multiplier:
        return None
    if unit and (after := _starts_with(text, pos, rules.qualifiers_after_unit)):
        pos += len(after)
        qualifier = dict(rules.qualifiers_after_unit)[after]
    return FoundFigure(begin, pos, text[start:end], multiplier + unit, qualifier, text[begin:pos],
                       Span(0, 0), Span(0, 0))


def _word_at(text: str, pos: int, words: tuple[tuple[str, object], ...] | tuple[str, ...]) -> str | None:
    """The first of ``words`` (longest first) written at ``pos`` as a whole word (any case for
    letters, whole-word: not followed by a letter or digit), as the text writes it."""
    for entry in words:
        word = entry[0] if isinstance(entry, tuple) else entry
        piece = text[pos:pos + len(word)]
        if piece.lower() == word.lower() and not (word[-1:].isalnum() and pos + len(word) < len(text)
                                                  and text[pos + len(word)].isalnum()):
            return piece
    return None


def _english_figure_at(text: str, start: int, end: int, rules: Rules) -> FoundFigure | None:
    """An English figure around the number at ``start:end``: [qualifier] [currency sign] number
    [multiplier] [unit] [or more].  Its unit is its written form without the qualifier words and
    the number (£1.2bn → £bn, £45 million → £ million, 12 per cent → per cent); None if it has
    neither a currency sign, nor a multiplier, nor a unit."""
    currencies = dict(rules.currencies)
    begin = start
    currency = ""
    if start and text[start - 1] in currencies:
        currency, begin = text[start - 1], start - 1
    qualifier = "exact"
    window = text[max(0, begin - 40):begin]
    if window[-1:].isspace():
        words = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w, _ in rules.qualifiers_before)
        if words and (match := re.search(r"(?<![A-Za-z])(" + words + r")\s+$", window, re.IGNORECASE)):
            qualifier = dict(rules.qualifiers_before)[" ".join(match.group(1).lower().split())]
            begin -= len(window) - match.start(1)
    pos = end
    multiplier = ""
    for word, _factor in rules.multipliers:
        for gap in ("", " "):
            if text.startswith(gap, pos) and _word_at(text, pos + len(gap), ((word, None),)) is not None:
                multiplier = gap + word
                break
        if multiplier:
            break
    pos += len(multiplier)
    unit = ""
    if text.startswith("%", pos):
        unit = "%"
    elif text.startswith(" ", pos) and (word := _word_at(text, pos + 1, rules.units)):
        unit = " " + word
    pos += len(unit)
    if not (currency or multiplier or unit):
        return None
    if after := next((w for w, _ in rules.qualifiers_after_unit if text.startswith(" ", pos)
                      and _word_at(text, pos + 1, ((w, None),))), None):
        qualifier = dict(rules.qualifiers_after_unit)[after]
        written_end = pos + 1 + len(after)
    else:
        written_end = pos
    written_unit = (currency + text[end:pos]).strip()
    return FoundFigure(begin, written_end, text[start:end], written_unit, qualifier, text[begin:written_end],
                       Span(0, 0), Span(0, 0))


def _occurrence(text: str, figure: FoundFigure) -> None:
    """Which occurrence of `written` in the quote this figure is (as `check` counts them)."""
    quote = text[figure.quote.start:figure.quote.end]
    wanted = figure.start - figure.quote.start
    n = 1
    while (at := find_token(quote, figure.written, n)) >= 0:
        if at == wanted:
            figure.occurrence = n
            return
        n += 1
    figure.quote = Span(figure.start, figure.end)  # cannot happen with find_token's rule; stay checkable
    figure.occurrence = 1


def _comparisons(text: str, figures: list[FoundFigure], rules: Rules) -> None:
    """A comparison clause (较上年增加…, 均高于全国平均水平) belongs to the figures of the clause
    before it; 由…提高到… to the figure it ends at."""
    by_clause: dict[tuple[int, int], list[FoundFigure]] = {}
    for figure in figures:
        by_clause.setdefault((figure.clause.start, figure.clause.end), []).append(figure)
    from_to = next((t for kind, t in rules.comparisons if kind == "from_to"), ())
    for (clause_start, clause_end), group in (by_clause.items() if from_to else ()):
        for prev, figure in zip(group, group[1:]):
            if figure.comparison is None and re.search("到|至", text[prev.end:figure.start]):
                opening = max((text.rfind(t, clause_start, prev.start) for t in from_to), default=-1)
                if opening >= 0:
                    figure.comparison = ("from_to", text[opening:clause_end])
    for figure in figures:
        if figure.comparison is not None:
            continue
        quote_clauses = clauses(text, figure.quote, rules)
        index = next((i for i, c in enumerate(quote_clauses) if c.start <= figure.start < c.end), None)
        if index is None or index + 1 >= len(quote_clauses):
            continue
        following = quote_clauses[index + 1]
        words = text[following.start:following.end]
        for kind, triggers in rules.comparisons:
            if kind == "from_to":
                continue
            if rules.english:
                if any(words.lower().startswith(t.lower()) or (kind != "change" and t.lower() in words.lower())
                       for t in triggers):
                    figure.comparison = (kind, words)
                    break
                continue
            if any(words.lstrip("均并且都").startswith(t) or (kind != "change" and t in words) for t in triggers):
                figure.comparison = (kind, words)
                break


_LABEL_TRIM = ("累计达到", "达到", "达", "共计", "共", "累计", "为", "是", "总计", "合计", "超过", "约", "近")


def _english_label(text: str, figure: FoundFigure) -> str:
    """An English figure's label: the words of its clause, up to 60 characters (for the editor to
    shorten)."""
    clause = text[figure.clause.start:figure.clause.end]
    if figure.clause.start == 0 and (numbering := _EN_LEADING_NUMBER.match(clause)):
        clause = clause[numbering.end():]
    clause = " ".join(clause.split()).rstrip(EN_SENTENCE_END + ",:")
    if len(clause) > 60:
        clause = clause[:60].rsplit(" ", 1)[0] + "…"
    return clause or figure.written


def label_of(text: str, figure: FoundFigure, previous: str | None = None, rules: Rules | None = None) -> str:
    """What is counted, in the report's words: the clause before the figure, else after it."""
    if rules is not None and rules.english:
        return _english_label(text, figure)
    before = text[figure.clause.start:figure.start]
    for mark in "、和及与":
        before = before.rsplit(mark, 1)[-1]
    before = before.strip()
    if figure.comparison and figure.comparison[0] == "from_to" or re.search(r"[由从][^由从]*$", before):
        head = re.split(r"[由从](?=[^由从]*$)", before)[0]  # 持证率由去年的61.5%提高到78.3% → 持证率
        before = head if len(head) >= 2 else before
    changed = True
    while changed:
        changed = False
        for word in _LABEL_TRIM:
            if before.endswith(word) and len(before) > len(word):
                before, changed = before[:-len(word)], True
    after = re.split(r"[、，,；;。和及]", text[figure.end:figure.clause.end], maxsplit=1)[0].strip()
    label = before if len(before) >= 4 else (before + after if len(before + after) >= 2 else "")
    if not label and previous is not None and figure.unit in ("%", "‰"):  # 1284件，占93.2%
        label = f"{previous}占比"
    label = label[:40]
    return label or figure.written


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_EN_DATE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})\b")
_EN_YEAR = re.compile(r"(?<![\d,.£$€])((?:19|20)\d{2}(?:\s*[-–/]\s*(?:19|20)?\d{2}(?!\d))?)(?![\d%]|[.,]\d)")


def _english_time(text: str, figure: FoundFigure, rules: Rules, report_date: str) -> tuple[str | None, str | None]:
    """(period, as_of) of an English figure, looked for first in its clause, then in its sentence:
    a date (on 31 December 2024; at the end of March 2025) sets its as-of date, a year or financial
    year (in 2024, 2024-25) its period (not after by, until, before, within: a deadline); else the
    time words of the rules; else the report's date."""
    import calendar

    months = "|".join(_MONTHS)
    future = re.compile(r"(?:by|until|before|from|to|within|due|between|and)\s+(?:the\s+end\s+of\s+)?$",
                        re.IGNORECASE)

    def masked(part: str) -> str:  # names (“…”, brackets) blanked out, positions kept
        return re.sub(r"“[^”]*”|\([^)]*\)", lambda m: " " * len(m.group()), part)

    def date_in(part: str) -> str | None:
        for match in _EN_DATE.finditer(part):
            if not future.search(part[:match.start()]):
                return f"{int(match.group(3)):04d}-{_MONTHS.index(match.group(2)) + 1:02d}-{int(match.group(1)):02d}"
        if match := re.search(r"(?:at|as at|as of)\s+the\s+end\s+of\s+(" + months + r")\s+(\d{4})", part):
            year, month = int(match.group(2)), _MONTHS.index(match.group(1)) + 1
            return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
        return None

    def year_in(part: str) -> str | None:
        part = re.sub(r"(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:" + months + r")\s+\d{4}",
                      lambda m: " " * len(m.group()), part)
        for match in _EN_YEAR.finditer(part):
            if not future.search(part[:match.start()]):
                return re.sub(r"\s*[–/]\s*|\s+-\s+", "-", match.group(1))
        return None

    clause = masked(text[figure.clause.start:figure.clause.end])
    sentence = masked(text[figure.quote.start:figure.quote.end])
    for part in (clause, sentence):
        if as_of := date_in(part):
            return None, as_of
        if period := year_in(part):
            return period, None
    lowered = sentence.lower()
    return _by_time_words(rules, lambda word: re.search(r"(?<![a-z])" + re.escape(word.lower()) + r"(?![a-z])",
                                                        lowered) is not None, report_date)


def _by_time_words(rules: Rules, said: Callable[[str], bool], report_date: str) -> tuple[str | None, str | None]:
    """(period, as_of) from the first time word of the rules that ``said`` finds (今年, this year,
    截至目前, to date…); by default the report's date."""
    for entry in rules.time_words:
        if any(said(word) for word in entry["words"]):
            if entry.get("as_of") == "report":
                return None, report_date
            if entry.get("period") == "report_year":
                return report_date[:4], None
            if entry.get("period") == "previous_year":
                return str(int(report_date[:4]) - 1), None
    return None, report_date


def time_of(text: str, figure: FoundFigure, rules: Rules, report_date: str) -> tuple[str | None, str | None]:
    """(period, as_of) the figure's sentence states; by default it stands at the report's date."""
    if rules.english:
        return _english_time(text, figure, rules, report_date)
    sentence = text[figure.quote.start:figure.quote.end]
    before = sentence[:figure.start - figure.quote.start]
    if match := re.search(r"截至(\d{4})年(\d{1,2})月(底|末)?", sentence):
        import calendar

        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12:
            return None, f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
    if match := re.search(r"截至(\d{4})年(底|末)", sentence):
        return None, f"{match.group(1)}-12-31"
    in_clause = text[figure.clause.start:figure.start]
    if last_digit := re.search(r"\d(?!.*\d)", in_clause):  # only the words after the figure before it
        in_clause = in_clause[last_digit.end():]
    for entry in rules.time_words:  # a time word just before the figure, in its clause, comes first
        if "period" in entry and any(word in in_clause for word in entry["words"]):
            return (report_date[:4] if entry["period"] == "report_year" else str(int(report_date[:4]) - 1)), None
    unnamed = re.sub(r"《[^》]*》|“[^”]*”", "", before)
    if years := re.findall(r"(?<![\d—\-])(\d{4})年(?!\d{1,2}月|\d)", unnamed):
        return years[-1], None
    return _by_time_words(rules, lambda word: word in sentence, report_date)
