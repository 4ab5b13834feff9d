"""The rules about following actions after their report: targets, updates, follow-ups, asks
and answers, corrections.  Every quote of a report kept in the project is checked against its
text like an action's; an outside document's quote is shown as quoted, not checked."""

from __future__ import annotations

from datetime import date as Date
from typing import TYPE_CHECKING, Any

from civictrack.check.checker import Checker

if TYPE_CHECKING:
    from civictrack.load.loader import Loaded
    from civictrack.load.yamlload import YamlDoc
    from civictrack.model import Action, Correction, Item, Report

ACTION_FIELDS = {"status", "text", "quote"}
FIGURE_FIELDS = {"value", "unit", "qualifier", "written", "label", "quote"}


def check_tracking(checker: Checker, loaded: Loaded, reports: dict[str, Report], statuses: dict[str, Any],
                   only: set[str] | None = None) -> None:
    """Every tracking rule over the whole project, or (``only``, for ``recheck``) over these
    items, whose `tracking_key` did not change."""
    as_of = loaded.config.as_of if loaded.config is not None else None
    if only is None:
        for report, doc in loaded.reports:
            _asks(checker, report, doc)
    follows = any(a.follows is not None for item, _ in loaded.items if only is None or item.id in only
                  for a in item.actions)
    actions = {item.id: {a.id: a for a in item.actions} for item, _ in loaded.items} if follows else {}
    item_report = {item.id: item.report for item, _ in loaded.items} if follows else {}
    for item, doc in loaded.items:
        if only is not None and item.id not in only:
            continue
        report = reports.get(item.report)
        if report is None:
            continue  # reported by check_item
        for index, action in enumerate(item.actions):
            path = ("actions", index)
            _target(checker, item, action, doc, path)
            for k, update in enumerate(action.updates):
                _update(checker, item, report, update, doc, path + ("updates", k), reports, statuses, as_of)
            if action.follows is not None:
                _follows(checker, item, report, action, doc, path + ("follows",), actions, item_report, reports)
            _corrections(checker, action.corrections, doc, path, ACTION_FIELDS, report, statuses)
        for index, fig in enumerate(item.figures):
            _corrections(checker, fig.corrections, doc, ("figures", index), FIGURE_FIELDS, report, statuses)
        _answers(checker, item, report, doc, reports)


def _valid_date(checker: Checker, doc: YamlDoc, path: tuple[Any, ...], value: str) -> bool:
    try:
        Date.fromisoformat(value)
    except ValueError:
        checker.err(doc, path, f"`{value}` is not a date of the calendar", "write a real day as \"YYYY-MM-DD\"")
        return False
    return True


def _quote_in(checker: Checker, doc: YamlDoc, path: tuple[Any, ...], report_id: str, anchor: str | None,
              quote: str) -> bool:
    """``quote`` verbatim in paragraph ``anchor`` of the report's kept text."""
    if anchor is None:
        checker.err(doc, path[:-1] + ("paragraph",), "a quote of a report kept here needs `paragraph`",
                    "add the anchor of the paragraph holding the quote, e.g. s2-1")
        return False
    if not checker.check_anchor(doc, path[:-1] + ("paragraph",), report_id, anchor):
        return False
    return checker.check_quote(doc, path, quote, checker.paragraph_text(report_id, anchor), anchor)


def _target(checker: Checker, item: Item, action: Action, doc: YamlDoc, path: tuple[Any, ...]) -> None:
    target = action.target
    if target is None:
        return
    where = path + ("target",)
    _valid_date(checker, doc, where + ("date",), target.date)
    quote = target.quote or action.quote
    if target.quote is not None and item.report in checker.texts:
        if not _quote_in(checker, doc, where + ("quote",), item.report,
                         target.paragraph or action.paragraph or item.paragraph, target.quote):
            return
    if target.text not in quote:
        checker.err(doc, where + ("text",), f"target `{target.text}` is not in the "
                    f"{'target' if target.quote else 'action'}'s quote",
                    "write the deadline exactly as the quote states it, or give the target its own `quote`")


def _update(checker: Checker, item: Item, report: Report, update: Any, doc: YamlDoc, path: tuple[Any, ...],
            reports: dict[str, Report], statuses: dict[str, Any], as_of: str | None) -> None:
    checker.ref(doc, path + ("status",), update.status, statuses, "status", "data/statuses.yaml")
    if not _valid_date(checker, doc, path + ("date",), update.date):
        return
    if update.date < report.date:
        checker.err(doc, path + ("date",), f"update dated {update.date}, before its report ({report.date})",
                    "an update records what happened after the report")
    if as_of is not None and update.date > as_of:
        checker.err(doc, path + ("date",), f"update dated {update.date}, after the data's as_of ({as_of})",
                    "move `as_of` in site.yaml to the newest date of the data")
    if (update.report is None) == (update.source is None):
        checker.err(doc, path, "an update needs exactly one source: `report` (a report in data/reports/) or "
                    "`source` (an outside document)", "give one of them")
    elif update.report is not None:
        if not checker.ref(doc, path + ("report",), update.report, reports, "report", "data/reports/"):
            return
        source = reports[update.report]
        if source.text is None:
            checker.err(doc, path + ("report",), f"report `{update.report}` has no text to check the quote against",
                        "add `text:` to that report, or give the update an outside `source`")
        elif update.report in checker.texts and not _quote_in(checker, doc, path + ("quote",), update.report,
                                                               update.paragraph, update.quote):
            return
        if update.date < source.date:
            checker.err(doc, path + ("date",), f"update dated {update.date}, before its source report "
                        f"`{update.report}` ({source.date})", "date the update when its source says it")
    elif update.source is not None:
        _valid_date(checker, doc, path + ("source", "date"), update.source.date)
        if update.paragraph is not None:
            checker.err(doc, path + ("paragraph",), "`paragraph` is for a report kept here",
                        "remove it, or name the report with `report`")
    if update.status_basis not in update.quote:
        checker.err(doc, path + ("status_basis",), f"status basis `{update.status_basis}` is not in the quote",
                    "name the words in the quote that the status is read from")


def _follows(checker: Checker, item: Item, report: Report, action: Action, doc: YamlDoc, path: tuple[Any, ...],
             actions: dict[str, dict[str, Action]], item_report: dict[str, str], reports: dict[str, Report]) -> None:
    ref = action.follows
    assert ref is not None
    if not checker.ref(doc, path + ("item",), ref.item, actions, "item", "data/items/"):
        return
    if not checker.ref(doc, path + ("action",), ref.action, actions[ref.item], f"action of item `{ref.item}`",
                       f"the `actions` of item `{ref.item}`"):
        return
    earlier = reports.get(item_report[ref.item])
    if earlier is None:
        return
    if earlier.id == report.id or earlier.date > report.date:
        checker.err(doc, path, f"action `{action.id}` follows `{ref.item}` / `{ref.action}` of report "
                    f"`{earlier.id}` ({earlier.date}), which is not earlier than its own report "
                    f"`{report.id}` ({report.date})", "a follow-up is stated by a later report")


def _corrections(checker: Checker, corrections: list[Correction], doc: YamlDoc, path: tuple[Any, ...],
                 fields: set[str], report: Report, statuses: dict[str, Any]) -> None:
    for k, correction in enumerate(corrections):
        where = path + ("corrections", k)
        if correction.field not in fields:
            checker.err(doc, where + ("field",), f"`{correction.field}` cannot be corrected here",
                        "one of: " + ", ".join(sorted(fields)))
        elif correction.field == "status":
            checker.ref(doc, where + ("was",), correction.was, statuses, "status", "data/statuses.yaml")
        if _valid_date(checker, doc, where + ("date",), correction.date) and correction.date < report.date:
            checker.err(doc, where + ("date",), f"correction dated {correction.date}, before its report "
                        f"({report.date})", "date it when the correction was published")


def _answers(checker: Checker, item: Item, report: Report, doc: YamlDoc, reports: dict[str, Report]) -> None:
    if not item.answers:
        return
    asked = reports.get(report.responds_to) if report.responds_to else None
    if asked is None:
        checker.err(doc, ("answers",), f"item `{item.id}` answers asks, but its report `{report.id}` responds to "
                    "no report", "add `responds_to:` to the report file")
        return
    asks = {ask.id: ask for ask in asked.asks}
    for k, ask in enumerate(item.answers):
        checker.ref(doc, ("answers", k), ask, asks, f"ask of report `{asked.id}`", f"the `asks` of report `{asked.id}`")
        if item.answers.index(ask) != k:
            checker.err(doc, ("answers", k), f"`{ask}` is listed twice in answers", "remove the repeat")


def _asks(checker: Checker, report: Report, doc: YamlDoc) -> None:
    seen: dict[str, tuple[YamlDoc, tuple[Any, ...]]] = {}
    for k, ask in enumerate(report.asks):
        checker.unique(seen, ask.id, doc, ("asks", k, "id"), "ask")
        if ask.quote is None:
            if ask.paragraph is not None:
                checker.err(doc, ("asks", k, "paragraph"), "`paragraph` without `quote`", "add the quote or remove it")
            continue
        if report.text is None:
            checker.err(doc, ("asks", k, "quote"), f"report `{report.id}` has no text to check the quote against",
                        "add `text:` to the report, or remove the quote")
        elif report.id in checker.texts:
            _quote_in(checker, doc, ("asks", k, "quote"), report.id, ask.paragraph, ask.quote)
