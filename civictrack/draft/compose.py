"""A report's text → the project's data for it: the report file, one file per item, and the
vocabulary entries it had to propose, everything marked unreviewed.

Structure: areas from the report's numbering (一、), items from (一) or 1. under them; a text
without such numbering is one area whose items are its paragraphs that state a measure.
Ids come from the report id and the paragraph anchors (``<report>-s2-3``), so they never
clash with another report's."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from civictrack.draft.actions import keywords_of, read_actions
from civictrack.draft.numbers import (FoundFigure, bracket_depths, label_of, read_numbers, sentence_marks, sentences,
                                      time_of)
from civictrack.draft.refs import Vocab, named_in, place_kind, places_in, titles_in
from civictrack.draft.rules import Rules
from civictrack.draft.text import Header, TextProblem
from civictrack.model import ID_PATTERN
from civictrack.source import Paragraph, SourceText

_DATE_ONLY = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
_EN_DATE_ONLY = re.compile(r"^\d{1,2}(?:st|nd|rd|th)?\s+(?:January|February|March|April|May|June|July|August|"
                           r"September|October|November|December)\s+\d{4}$")
_OWN_NUMBER = re.compile(r"^(?:[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|\d{1,2}[.．、](?!\d)|"
                         r"[一二三四五六七八九十]是)")
MAX_REPORT_ID = 48


@dataclass(frozen=True)
class Options:
    """What the command line adds to what the text says."""

    report_id: str
    responds_to: str | None = None
    issuer: str | None = None
    date: str | None = None
    title: str | None = None


@dataclass
class Draft:
    """Everything `draft` writes."""

    report: dict[str, Any]
    items: list[dict[str, Any]]
    proposed: dict[str, list[dict[str, Any]]]

    @property
    def figure_count(self) -> int:
        return len(self.report.get("figures", [])) + sum(len(i.get("figures", [])) for i in self.items)

    @property
    def action_count(self) -> int:
        return sum(len(i["actions"]) for i in self.items)


def _title_split(text: str, numbering: str, rules: Rules | None = None) -> tuple[str, int]:
    """A numbered paragraph's title (up to its first 。; in English its first sentence) and where
    its body starts."""
    if rules is not None and rules.english:
        spans = sentences(text, len(numbering), rules)
        if not spans:
            return "", len(text)
        first = spans[0]
        return text[first.start:first.end].strip().rstrip(".;:!?"), first.end
    depth, _ = bracket_depths(text)
    start = len(numbering)
    for i in range(start, len(text)):
        if text[i] in "。" and depth[i] == 0:
            return text[start:i].strip(), i + 1
    rest = text[start:].strip()
    return rest.rstrip("。；;，,"), len(text)


def _clean_title(title: str, fallback: str) -> str:
    title = title.strip().rstrip("。；;，,：:")
    return title or fallback


def _is_closing(p: Paragraph, rules: Rules) -> bool:
    line = p.text
    date_only = _EN_DATE_ONLY if rules.english else _DATE_ONLY
    return p.kind == "plain" and (line.startswith(rules.closing_lines) or bool(date_only.match(line))
                                  or (len(line) <= 30 and not any(c in line for c in sentence_marks(rules) + "，,")))


def _unique_text(full: str, paragraph: str, start: int, end: int) -> str:
    """``paragraph[start:end]``, widened (never over a digit or a punctuation mark) until it
    occurs once in ``full``, or as far as it can go."""
    stop = set("0123456789。；;，,、：:“”《》()（）")
    while full.count(paragraph[start:end]) > 1 and end < len(paragraph) and paragraph[end] not in stop \
            and end - start < 16:
        end += 1
    while full.count(paragraph[start:end]) > 1 and start > 0 and paragraph[start - 1] not in stop \
            and end - start < 24:
        start -= 1
    return paragraph[start:end]


def _unique_words(full: str, paragraph: str, start: int, end: int) -> str:
    """English: ``paragraph[start:end]``, widened by whole words (never over a word holding a
    digit) until it occurs once in ``full``, or as far as it can go (40 characters)."""
    def next_word(at: int) -> int | None:
        match = re.match(r"\S*\s+[^\s\d]+?(?=[\s,.;:!?)”]|$)", paragraph[at:])
        if match is None or re.search(r"\d", match.group()[len(match.group()) - len(match.group().lstrip()):]):
            return None
        return at + match.end()

    def previous_word(at: int) -> int | None:
        match = re.search(r"(?:^|(?<=\s))[^\s\d]+\s+$", paragraph[:at])
        return match.start() if match else None

    while full.count(paragraph[start:end]) > 1 and end - start < 40:
        if (after := next_word(end)) is not None:
            end = after
        elif (before := previous_word(start)) is not None:
            start = before
        else:
            break
    return paragraph[start:end]


class Composer:
    """Turns one parsed text into a :class:`Draft`."""

    def __init__(self, source: SourceText, header: Header, body_index: int, options: Options, rules: Rules,
                 vocab: Vocab) -> None:
        self.source, self.header, self.body_index = source, header, body_index
        self.options, self.rules, self.vocab = options, rules, vocab
        self.rid = options.report_id
        self.keywords = keywords_of(vocab.statuses())
        scale = vocab.statuses()
        self.fallback_status = scale[-1][0] if scale else None
        self.numbers = {p.anchor: read_numbers(p.text, rules, p.number) for p in source.paragraphs}
        self.date = options.date or header.date or ""
        title = options.title or header.title or source.paragraphs[0].text[:120]
        self.title = title
        # in English the line under the title may say what the report is and whose (Report of the … Committee)
        self.kind = _kind(f"{title} {header.byline or ''}" if rules.english else title, rules)
        self.issuer = options.issuer or self._issuer(title)
        # short names (市政府, 市教委) name the issuer's own city: trusted only for bodies of that city
        self.short_names = rules.english or self._city_bodies()

    # --- figures ------------------------------------------------------------------

    def _figure(self, p: Paragraph, found: FoundFigure, index: int, own_paragraph: str | None) -> dict[str, Any]:
        fid = f"{self.rid}-{p.anchor}-{index}"
        period, as_of = time_of(p.text, found, self.rules, self.date)
        figures = self.numbers[p.anchor].figures
        before = [f for f in figures[:index - 1] if f.quote == found.quote]
        previous = label_of(p.text, before[-1], None, self.rules) if before else None
        figure: dict[str, Any] = {"id": fid, "indicator": fid, "label": label_of(p.text, found, previous, self.rules),
                                  "value": found.value, "unit": found.unit}
        if found.qualifier != "exact":
            figure["qualifier"] = found.qualifier
        figure["written"] = found.written
        if found.occurrence > 1:
            figure["occurrence"] = found.occurrence
        figure["quote"] = p.text[found.quote.start:found.quote.end]
        if p.anchor != own_paragraph:
            figure["paragraph"] = p.anchor
        if period:
            figure["period"] = period
        if as_of:
            figure["as_of"] = as_of
        if found.comparison:
            figure["comparison"] = {"kind": found.comparison[0], "text": found.comparison[1]}
        figure["unreviewed"] = True
        return figure

    def _figures(self, paragraphs: list[Paragraph], own_paragraph: str | None) -> list[dict[str, Any]]:
        figures = []
        for p in paragraphs:
            for index, found in enumerate(self.numbers[p.anchor].figures, start=1):
                figures.append(self._figure(p, found, index, own_paragraph))
        return figures

    # --- actions -------------------------------------------------------------------

    def _actions(self, paragraphs: list[Paragraph], body_start: int, own_paragraph: str) -> list[dict[str, Any]]:
        actions: list[dict[str, Any]] = []
        for k, p in enumerate(paragraphs):
            start = body_start if k == 0 else len(p.number)
            for a in read_actions(p.text, start, self.keywords, self.rules):
                quote = p.text[a.start:a.end]
                action: dict[str, Any] = {"id": f"a{len(actions) + 1}", "text": self._summary(quote),
                                          "status": a.status, "status_basis": a.basis, "quote": quote}
                if p.anchor != own_paragraph:
                    action["paragraph"] = p.anchor
                actions.append(action)
        return actions

    def _summary(self, quote: str) -> str:
        text = quote.rstrip(sentence_marks(self.rules) + "，,")
        for word in self.rules.connectives:
            if text.startswith(word) and len(text) > len(word) + 1 and text[len(word)] in "，,":
                text = text[len(word) + 1:]
        return text.strip() or quote

    def _fallback_action(self, p: Paragraph, body_start: int) -> dict[str, Any] | None:
        """An item with no status keyword still has one measure: its first sentence, read at the
        bottom of the scale, for the editor to review."""
        spans = sentences(p.text, body_start, self.rules) or sentences(p.text, len(p.number), self.rules)
        if not spans or self.fallback_status is None:
            return None
        quote = p.text[spans[0].start:spans[0].end].strip()
        if not quote:
            return None
        return {"id": "a1", "text": self._summary(quote), "status": self.fallback_status, "status_basis": quote,
                "quote": quote}

    # --- references ----------------------------------------------------------------

    def _references(self, text: str) -> dict[str, list[str]]:
        refs: dict[str, list[str]] = {}
        refs["bodies"] = named_in(text, self.vocab.names("bodies", self.short_names))
        for name in places_in(text, self.rules, self.vocab.names("places")):
            if not any(form == name for form, _ in self.vocab.names("places")):
                self._propose("places", {"name": name, "kind": place_kind(name, self.rules)})
        refs["places"] = named_in(text, self.vocab.names("places"))
        for title in titles_in(text):
            if not any(form in (title, f"《{title}》") for form, _ in self.vocab.names("documents")):
                self._propose("documents", {"kind": "document", "name": title})
        full = self.source.full_text
        refs["documents"] = [d for d in named_in(text, self.vocab.names("documents"))
                             if self._document_name(d) in full]
        return {k: v for k, v in refs.items() if v}

    def _city_bodies(self) -> bool:
        """True when the issuer is a known body whose city the vocabulary's short names are of:
        every body with other names is named after the issuer's city (重庆市…)."""
        entry = next((e for e in self.vocab.entries["bodies"] if e.get("id") == self.issuer), None)
        if entry is None:
            return False
        city = re.match(r"^(?:中共)?(.{1,8}?[市省县区])", str(entry.get("name", "")))
        if city is None:
            return False
        named = [str(e.get("name", "")).removeprefix("中共") for e in self.vocab.entries["bodies"]
                 if e.get("other_names")]
        return all(name.startswith(city.group(1)) for name in named)

    def _document_name(self, ident: str) -> str:
        for entry in self.vocab.entries["documents"] + self.vocab.proposed["documents"]:
            if entry.get("id") == ident:
                return str(entry.get("name"))
        return ""

    def _propose(self, vocab: str, entry: dict[str, Any]) -> str:
        short = {"places": "place", "documents": "doc", "bodies": "body"}[vocab]
        n = len(self.vocab.proposed[vocab]) + 1
        ident = f"{self.rid}-{short}-{n}"
        self.vocab.proposed[vocab].append({"id": ident, **entry, "unreviewed": True})
        return ident

    # --- the whole report ----------------------------------------------------------------

    def compose(self) -> Draft:
        paragraphs = list(self.source.paragraphs)
        body = paragraphs[self.body_index:]
        closing: list[Paragraph] = []
        while body and _is_closing(body[-1], self.rules):
            closing.insert(0, body.pop())
        if self.kind == "review_opinions":
            return self._opinions(body)
        structured = any(p.kind == "heading" for p in body)
        # an item starts at (一) or 1.1; in a response that quotes each recommendation
        # (Recommendation 3), at the recommendation: it and the paragraphs answering it are one item
        starts = ("recommendation",) if any(p.kind == "recommendation" for p in body) else ("section",)
        groups: list[tuple[Paragraph | None, list[list[Paragraph]]]] = []  # (area heading, items)
        loose: list[Paragraph] = list(paragraphs[:self.body_index]) + closing  # figures only
        if structured:
            for p in body:
                if p.kind == "heading":
                    groups.append((p, []))
                elif not groups:
                    loose.append(p)
                elif p.kind in starts or not groups[-1][1] or \
                        (p.kind == "plain" and all(q.kind == "plain" for q in groups[-1][1][-1])):
                    groups[-1][1].append([p])
                else:
                    groups[-1][1][-1].append(p)
        else:  # no 一、: a numbered line ((一), 1.) starts an item, the paragraphs after it belong to it
            item_groups: list[list[Paragraph]] = []
            seen_number = False
            for p in body:
                numbered = bool(_OWN_NUMBER.match(p.text))
                if numbered or not seen_number or not item_groups:
                    item_groups.append([p])
                else:
                    item_groups[-1].append(p)
                seen_number = seen_number or numbered
            groups.append((None, item_groups))

        areas: list[dict[str, Any]] = []
        items: list[dict[str, Any]] = []
        report_figures: list[dict[str, Any]] = []
        for order, (heading, item_groups) in enumerate(groups, start=1):
            if heading is not None:
                title, _ = _title_split(heading.text, heading.number, self.rules)
                area = {"id": f"{self.rid}-{heading.anchor}", "order": order,
                        "number": heading.number.rstrip("、."), "title": _clean_title(title, heading.text),
                        "paragraph": heading.anchor}
            else:
                first = item_groups[0][0].anchor if item_groups else (paragraphs[-1].anchor)
                area = {"id": f"{self.rid}-body", "order": order, "number": self.rules.whole_text_number,
                        "title": self.rules.whole_text_title, "paragraph": first}
            area_items: list[dict[str, Any]] = []
            for group in item_groups:
                item = self._item(group, area, len(area_items) + 1, structured)
                if item is None:
                    if area_items:  # a paragraph stating no measure: its figures stay with the item before
                        for fig in self._figures(group, area_items[-1]["paragraph"]):
                            area_items[-1].setdefault("figures", []).append(fig)
                    else:
                        report_figures += self._figures(group, None)
                    continue
                area_items.append(item)
            if heading is not None and not area_items:  # a heading stating measures itself
                item = self._item([heading], area, 1, True)
                if item is not None:
                    area_items.append(item)
            if not area_items and heading is None:
                continue
            areas.append(area)
            items += area_items
        covered = {p.anchor for i in items for p in self._item_paragraphs(i)} | \
                  {f.get("paragraph") for f in report_figures}
        for p in paragraphs:
            if p.anchor not in covered and self.numbers[p.anchor].figures:
                report_figures += self._figures([p], None)
        if not items:
            raise TextProblem("no measure found: the text has no sentence with a status keyword of "
                              "data/statuses.yaml, and no numbered section")
        report = self._report(areas, report_figures)
        return Draft(report, items, self.vocab.proposed)

    def _opinions(self, body: list[Paragraph]) -> Draft:
        """Review opinions: no areas or items (they state no measures), one ask per numbered point
        (the lowest level numbered: (一) under 一、 if there are any), else per paragraph asking.
        Every number of the text is still a figure or a non-figure."""
        numbered = [p for p in body if p.kind == "recommendation"] or [p for p in body if p.kind == "section"] or \
            [p for p in body if p.kind == "heading"]
        points = numbered or [p for p in body if any(w in p.text for w in self.rules.ask_words)]
        asks: list[dict[str, Any]] = []
        for p in points:
            own = _OWN_NUMBER.match(p.text)
            numbering = p.number or (own.group() if own else "")
            title, body_start = _title_split(p.text, numbering, self.rules) if numbering else ("", 0)
            spans = sentences(p.text, body_start, self.rules) or sentences(p.text, len(numbering), self.rules)
            if self.rules.english and p.kind == "recommendation":  # the recommendation is its first sentence
                title, spans = "", sentences(p.text, len(numbering), self.rules)
            asking = [s for s in spans if any(w in p.text[s.start:s.end] for w in self.rules.ask_words)]
            chosen = (asking or spans)[0] if (asking or spans) else None
            quote = p.text[chosen.start:chosen.end].strip() if chosen else ""
            ask: dict[str, Any] = {"id": f"{self.rid}-{p.anchor}"}
            if numbering:
                ask["number"] = numbering.strip("、.．()（）")
            if p.kind == "recommendation":
                ask["number"] = re.sub(r"\D", "", numbering)
            fallback = quote.rstrip(sentence_marks(self.rules)) or p.text
            ask["title"] = _clean_title(title, _short(fallback, self.rules) if self.rules.english else fallback[:40])
            if quote:
                ask["quote"], ask["paragraph"] = quote, p.anchor
            asks.append(ask)
        if not asks:
            raise TextProblem("review opinions, but no numbered point and no sentence asking anything "
                              f"({', '.join(self.rules.ask_words[:4])}…)")
        figures: list[dict[str, Any]] = []
        for p in self.source.paragraphs:
            figures += self._figures([p], None)
        report = self._report([], figures)
        report["asks"] = asks
        return Draft(report, [], self.vocab.proposed)

    def _item_paragraphs(self, item: dict[str, Any]) -> list[Paragraph]:
        anchors = {item["paragraph"]} | {a.get("paragraph") for a in item["actions"]} | \
                  {f.get("paragraph") for f in item.get("figures", [])}
        return [p for p in self.source.paragraphs if p.anchor in anchors]

    def _item(self, group: list[Paragraph], area: dict[str, Any], order: int,
              structured: bool) -> dict[str, Any] | None:
        first = group[0]
        own = _OWN_NUMBER.match(first.text)
        numbering = first.number or (own.group() if own else "")
        numbered_kinds = ("section", "point", "heading", "recommendation")
        if first.kind in numbered_kinds or (own and not structured):
            title, body_start = _title_split(first.text, numbering, self.rules)
        else:
            title, body_start = "", 0
        if first.kind == "recommendation":  # the committee's words: no measure of the response
            body_start = len(first.text)
            if not title and len(group) > 1:  # Recommendation 3 alone on its line: the next one says it
                title = _title_split(group[1].text, group[1].number, self.rules)[0]
        actions = self._actions(group, body_start, first.anchor)
        if not actions:
            if first.kind not in numbered_kinds and not own:
                return None
            fallback = self._fallback_action(first, body_start)
            if fallback is None:
                return None
            actions = [fallback]
        spans = sentences(first.text, body_start, self.rules)
        if not spans and first.kind == "recommendation":  # the response's first sentence
            spans = next((found for p in group[1:] if (found := sentences(p.text, len(p.number), self.rules))), [])
            summary_text = next((p.text for p in group[1:] if sentences(p.text, len(p.number), self.rules)), "")
        else:
            summary_text = first.text
        summary = summary_text[spans[0].start:spans[0].end].strip() if spans else ""
        summary = summary.rstrip(sentence_marks(self.rules)) or title or first.text
        if not title:
            title = _short(summary, self.rules)
        if self.rules.english:
            unnumbered = f"{self.rules.unnumbered_item} {order}"
        else:
            unnumbered = f"第{order}{self.rules.unnumbered_item}"
        item: dict[str, Any] = {
            "id": f"{self.rid}-{first.anchor}", "report": self.rid, "area": area["id"], "order": order,
            "number": (numbering.rstrip("、.．:") if numbering else unnumbered),
            "title": _clean_title(title, first.text[:40]), "summary": summary, "paragraph": first.anchor,
            "unreviewed": True}
        item.update(self._references("\n".join(p.text for p in group)))
        item["actions"] = actions
        figures = self._figures(group, first.anchor)
        if figures:
            item["figures"] = figures
        return item

    def _report(self, areas: list[dict[str, Any]], figures: list[dict[str, Any]]) -> dict[str, Any]:
        title, issuer = self.title, self.issuer
        report: dict[str, Any] = {"id": self.rid, "title": title, "kind": self.kind, "issuer": issuer}
        if self.header.addressee:
            addressee = named_in(self.header.addressee, self.vocab.names("bodies", self.short_names))
            if addressee:
                report["addressee"] = addressee[0]
        report["date"] = self.date
        if self.header.meeting:
            report["meeting"] = self.header.meeting
        if self.options.responds_to:
            report["responds_to"] = self.options.responds_to
        report["text"] = f"reports/{self.rid}.txt"
        report["unreviewed"] = True
        report["areas"] = areas
        if not areas:
            del report["areas"]
        if figures:
            report["figures"] = figures
        non_figures: dict[str, str] = {}
        full = self.source.full_text
        for p in self.source.paragraphs:
            for nf in self.numbers[p.anchor].non_figures:
                text = (_unique_words if self.rules.english else _unique_text)(full, p.text, nf.start, nf.end)
                non_figures.setdefault(text, nf.reason)
        if non_figures:
            report["non_figures"] = [{"text": t, "reason": r} for t, r in non_figures.items()]
        return report

    def _issuer(self, title: str) -> str:
        for form, ident in self.vocab.names("bodies", short=False):
            if title.startswith(form):
                return ident
        byline = self.header.byline if self.rules.english else None
        if byline and (named := named_in(byline, self.vocab.names("bodies"))):
            return named[0]  # Report of the Scrutiny Committee of …, published …
        if self.rules.english:
            before = re.compile(r":|\s[–—-]\s|\s(?:response|reply|report)\b", re.IGNORECASE)
            name = before.split(title, maxsplit=1)[0].strip() if before.search(title) else ""
            kind = "legislature" if re.search(r"committee|parliament|assembly", name, re.I) else "government"
        else:
            name = title.split("关于", 1)[0].strip() if "关于" in title else ""
            kind = "legislature" if "人大" in name or "人民代表大会" in name else \
                "government" if name.endswith("政府") else "department"
        if not name or len(name) > (80 if self.rules.english else 30):
            raise TextProblem("cannot tell who issued the report from its title; pass --issuer BODY_ID")
        existing = [i for form, i in self.vocab.names("bodies") if form == name]
        return existing[0] if existing else self._propose("bodies", {"name": name, "kind": kind})


def _short(text: str, rules: Rules) -> str:
    """A title made from a sentence: at most 40 characters (Chinese) or 80 cut at a word (English)."""
    if not rules.english:
        return text if len(text) <= 40 else text[:40] + "…"
    return text if len(text) <= 80 else text[:80].rsplit(" ", 1)[0] + "…"


def _kind(title: str, rules: Rules | None = None) -> str:
    if rules is not None and rules.title_kinds:  # a language whose rules say it (English)
        lowered = title.lower()
        for kind, words in rules.title_kinds:
            if any(word.lower() in lowered for word in words):
                return kind
        return "government_report"
    if "研究处理情况" in title or ("审议意见" in title and "处理" in title):
        return "government_response"
    if "审议意见" in title:
        return "review_opinions"
    return "government_report"


def check_report_id(report_id: str) -> str | None:
    """Why ``report_id`` cannot be a drafted report's id, or None."""
    if not re.match(ID_PATTERN, report_id):
        return f"--id {report_id!r}: an id is lowercase ASCII letters and digits joined by single hyphens"
    if len(report_id) > MAX_REPORT_ID:
        return f"--id {report_id!r}: at most {MAX_REPORT_ID} characters (ids of items and figures add to it)"
    return None


__all__ = ["Composer", "Draft", "Options", "check_report_id"]
