"""The review view: a report's text with every number coloured by how the data accounts for
it (a figure, a non-figure with its reason, or nothing) and every status basis underlined in
its status's colour, so a draft's mistakes show on one screen.  One self-contained HTML file
(``build.py review REPORT``)."""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import TYPE_CHECKING, Any

from civictrack.draft.numbers import ARABIC

if TYPE_CHECKING:
    from civictrack.dataset import Dataset
    from civictrack.model import Report
    from civictrack.source import Paragraph, SourceText

QUALIFIER_ZH = {"exact": "", "more_than": "（多于）", "nearly": "（接近）", "about": "（约）", "at_least": "（至少）",
                "at_most": "（至多）"}
QUALIFIER_EN = {"exact": "", "more_than": " (more than)", "nearly": " (nearly)", "about": " (about)",
                "at_least": " (at least)", "at_most": " (up to)"}

WORDS = {
    "zh-CN": {"qualifiers": QUALIFIER_ZH, "not_figure": "不是数字：{reason}", "missing": "未记录：既不是数字，也没有列为非数字",
              "status": "状态：{name}（{item} {action}）", "review": "核对：{title}",
              "counts": "已记录的数字 {figures} 个（待核对 {unreviewed} 个）；列为非数字的数 {non_figures} 处；状态依据 "
                        "{bases} 处；未记录的数 {missing} 个。鼠标停在标记上可看详情。",
              "legend": '<span class="fig">已记录的数字</span><span class="fig unrev">已记录、待核对</span>\n'
                        '<span class="nonfig">不是数字（日期、名称等）</span><span class="missing">未记录</span>\n状态依据：',
              "reasons": "<caption>非数字的理由</caption><tr><th>理由</th><th>次数</th></tr>",
              "statuses": "<caption>行动状态</caption><tr><th>状态</th><th>行动</th></tr>"},
    "en": {"qualifiers": QUALIFIER_EN, "not_figure": "not a figure: {reason}",
           "missing": "not recorded: neither a figure nor listed as a non-figure",
           "status": "status: {name} ({item} {action})", "review": "Review: {title}",
           "counts": "Figures recorded: {figures} ({unreviewed} unreviewed); numbers listed as non-figures: "
                     "{non_figures}; status bases: {bases}; numbers not recorded: {missing}. Hover over a mark for "
                     "its details.",
           "legend": '<span class="fig">a figure</span><span class="fig unrev">a figure, unreviewed</span>\n'
                     '<span class="nonfig">not a figure (a date, a name…)</span><span class="missing">not recorded'
                     '</span>\nStatus bases: ',
           "reasons": "<caption>Why a number is not a figure</caption><tr><th>reason</th><th>times</th></tr>",
           "statuses": "<caption>Statuses of the actions</caption><tr><th>status</th><th>actions</th></tr>"},
}
"""The review page's words in the language of the data (site.yaml's ``language``): the editor
reviewing a report reads its language."""

STYLE = """
body { font: 17px/1.9 "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; max-width: 60em; margin: 2rem auto;
       padding: 0 1rem; color: #1b1b1b; }
p.par { margin: .6rem 0; } .anchor { color: #505a66; font: 12px monospace; margin-right: .5rem; }
.fig { background: #d9f2e1; border-bottom: 2px solid #0a5f34; } .fig.unrev { border-bottom-style: dashed; }
.nonfig { background: #eceef1; color: #454b53; } .missing { background: #8a1c1c; color: #fff; }
.basis { text-decoration: underline 3px; text-underline-offset: 4px; }
.st-1 { text-decoration-color: #0a5f34; } .st-2 { text-decoration-color: #0b5686; } .st-3 { text-decoration-color: #b26b00; }
.st-4 { text-decoration-color: #553a83; } .st-5 { text-decoration-color: #6f777b; text-decoration-style: dashed; }
.legend span { margin-right: 1rem; padding: 0 .3rem; } table { border-collapse: collapse; margin: .5rem 0 1rem; }
.tables { display: flex; flex-wrap: wrap; gap: 2rem; } caption { text-align: left; font-weight: 600; }
td, th { border: 1px solid #cfd5dc; padding: .1rem .5rem; text-align: left; }
"""


Marks = dict[str, dict[int, tuple[str, str]]]
"""paragraph anchor → character index → (CSS class, tooltip)."""


def _words(data: Dataset) -> dict[str, Any]:
    return WORDS.get(data.config.language, WORDS["zh-CN"])


def _number_marks(data: Dataset, report: Report, text: SourceText) -> tuple[Marks, Counter[str], Counter[str]]:
    """Each number's mark (figure, non-figure or missing), the counts, and the non-figure reasons."""
    words = _words(data)
    marks: Marks = {p.anchor: {} for p in text.paragraphs}
    counts: Counter[str] = Counter()
    for info in data.figures.values():
        if info.report != report.id or info.span is None:
            continue
        fig = info.figure
        css = "fig unrev" if fig.unreviewed else "fig"
        title = f"{fig.value} {fig.unit}{words['qualifiers'][fig.qualifier]} · {fig.label} · {fig.id}"
        for i in range(*info.span):
            marks[info.paragraph][i] = (css, title)
        counts["figures"] += 1
        counts["unreviewed figures"] += fig.unreviewed
    reasons: Counter[str] = Counter()
    for entry in report.non_figures:
        for p in text.paragraphs:
            at = p.text.find(entry.text)
            while at >= 0:
                for i in range(at, at + len(entry.text)):
                    marks[p.anchor].setdefault(i, ("nonfig", words["not_figure"].format(reason=entry.reason)))
                reasons[entry.reason] += 1
                at = p.text.find(entry.text, at + 1)
    for p in text.paragraphs:
        for match in ARABIC.finditer(p.text):
            if any(i not in marks[p.anchor] for i in range(*match.span())):
                for i in range(*match.span()):
                    marks[p.anchor][i] = ("missing", words["missing"])
                counts["numbers not accounted for"] += 1
    return marks, counts, reasons


def _basis_marks(data: Dataset, report: Report, text: SourceText,
                 statuses: dict[str, tuple[str, int]]) -> tuple[Marks, Counter[str]]:
    """Each action's status basis underlined in its status's colour, and the actions by status."""
    words = _words(data)
    bases: Marks = {p.anchor: {} for p in text.paragraphs}
    actions: Counter[str] = Counter()
    for item in data.items:
        if item.report != report.id:
            continue
        for action in item.actions:
            anchor = action.paragraph or item.paragraph
            paragraph = text.get(anchor)
            if paragraph is None or action.quote not in paragraph.text:
                continue
            at = paragraph.text.index(action.quote) + max(action.quote.find(action.status_basis), 0)
            name, order = statuses.get(action.status, (action.status, 5))
            for i in range(at, at + len(action.status_basis)):
                bases[anchor][i] = (f"basis st-{order}", words["status"].format(name=name, item=item.id,
                                                                                 action=action.id))
            actions[name] += 1
    return bases, actions


def _paragraph_html(p: Paragraph, marks: dict[int, tuple[str, str]], bases: dict[int, tuple[str, str]]) -> str:
    """One paragraph, its runs of equally marked characters in one span each."""
    runs: list[str] = []
    i = 0
    while i < len(p.text):
        key = (marks.get(i), bases.get(i))
        j = i + 1
        while j < len(p.text) and (marks.get(j), bases.get(j)) == key:
            j += 1
        chunk = escape(p.text[i:j])
        classes = " ".join(k[0] for k in key if k)
        titles = " | ".join(k[1] for k in key if k)
        runs.append(f'<span class="{classes}" title="{escape(titles)}">{chunk}</span>' if classes else chunk)
        i = j
    return f'<p class="par" id="{p.anchor}"><span class="anchor">{p.anchor}</span>{"".join(runs)}</p>'


def review_page(data: Dataset, report: Report) -> tuple[str, str]:
    """The page, and a one-line count of what it shows."""
    text = data.texts.get(report.id)
    if text is None:
        raise ValueError(f"report {report.id} keeps no text to review")
    statuses = {s.id: (s.name, min(s.order, 5)) for s in data.statuses.values()}
    marks, counts, reasons = _number_marks(data, report, text)
    bases, actions = _basis_marks(data, report, text, statuses)
    body = [_paragraph_html(p, marks[p.anchor], bases[p.anchor]) for p in text.paragraphs]
    summary = (f"{counts['figures']} figures ({counts['unreviewed figures']} unreviewed), "
               f"{sum(reasons.values())} non-figure numbers, {sum(actions.values())} status bases, "
               f"{counts['numbers not accounted for']} numbers not accounted for")
    reason_rows = "".join(f"<tr><td>{escape(r)}</td><td>{n}</td></tr>" for r, n in reasons.most_common())
    action_rows = "".join(f"<tr><td>{escape(s)}</td><td>{n}</td></tr>" for s, n in actions.most_common())
    legend = "".join(f'<span class="basis st-{order}">{escape(name)}</span>'
                     for name, order in sorted(statuses.values(), key=lambda s: s[1]))
    words = _words(data)
    title = escape(words["review"].format(title=report.title))
    counted = words["counts"].format(figures=counts["figures"], unreviewed=counts["unreviewed figures"],
                                     non_figures=sum(reasons.values()), bases=sum(actions.values()),
                                     missing=counts["numbers not accounted for"])
    html = f"""<!doctype html>
<html lang="{escape(data.config.language)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><style>{STYLE}</style></head>
<body><main>
<h1>{title}</h1>
<p>{counted}</p>
<p class="legend">{words["legend"]}{legend}</p>
<div class="tables"><table>{words["reasons"]}{reason_rows}</table>
<table>{words["statuses"]}{action_rows}</table></div>
{"".join(body)}
</main></body></html>
"""
    return html, summary
