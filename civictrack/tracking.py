"""Following each action after its report: its timeline, current status, target and overdue.

An action's timeline starts with the report's own reading (``status``); each later step is a
dated update (``updates`` in its item file) or a follow-up (a later report's action naming it
in ``follows``).  The current status is the latest step's; the original reading stays the first
step.  An action is overdue when the data's own "as of" date (``site.yaml`` ``as_of``, else
the latest date of a report or update; never the clock) is after its target date and its current status
is not one that means done (``done: true`` in data/statuses.yaml).

This module is shared by checks, indexes, pages and open data; it imports no stage.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from civictrack.i18n import N_, Translated

if TYPE_CHECKING:
    from civictrack.dataset import Dataset
    from civictrack.model import Action, Item, OutsideSource

ActionKey = tuple[str, str]
"""(item id, action id): an action across the whole data set."""

CORRECTED_FIELDS = Translated({"value": N_("数值"), "unit": N_("单位"), "qualifier": N_("限定词"), "written": N_("原文写法"),
                               "label": N_("指标名称"), "quote": N_("原文句子"), "status": N_("状态"),
                               "text": N_("行动摘要")})
"""A corrected field's name, as pages and feeds say it (in the edition's language)."""

TARGET_STATES = Translated({"met": N_("按期完成"), "late": N_("逾期完成"), "overdue": N_("逾期未完成"),
                            "pending": N_("未到期")})
"""How an action stands against its target: done by the date, done after it, past it and not
done, not yet due (in the edition's language)."""


def update_anchor(action: str, number: int) -> str:
    """Anchor of an action's update or follow-up ``number`` on its item page."""
    return f"action-{action}-update-{number}"


def correction_anchor(action: str | None, number: int) -> str:
    """Anchor of correction ``number`` of an action on its item page, or (``action`` None) of a
    figure on its figure page."""
    return f"action-{action}-correction-{number}" if action is not None else f"correction-{number}"


@dataclass(frozen=True)
class Step:
    """One point of an action's timeline."""

    date: str
    status: str  # status id
    status_basis: str
    quote: str
    kind: str  # "report" (the original reading), "update" (an item's `updates`), "follow-up"
    report: str | None  # the report in this project stating it (its text holds `quote`)
    paragraph: str | None
    source: OutsideSource | None = None  # a document outside the project
    item: str | None = None  # follow-up: the later item and action stating it
    action: str | None = None
    note: str | None = None
    number: int = 0  # position among the action's updates and follow-ups (1, 2, …; 0 = the report)


@dataclass(frozen=True)
class Track:
    """An action followed over time."""

    item: str
    action: str
    index: int  # position of the action in its item
    report: str
    steps: tuple[Step, ...]  # the report's reading first, then updates and follow-ups by date
    current: str  # status id of the latest step
    since: str  # date of the latest step
    done_since: str | None  # first date of the final run of done statuses (None: not done now)
    target_date: str | None
    target_state: str  # a key of TARGET_STATES, or "" without a target
    overdue: bool

    @property
    def original(self) -> str:
        return self.steps[0].status

    @property
    def changed(self) -> bool:
        """Whether the current status differs from the report's own reading."""
        return self.current != self.original

    @property
    def later_steps(self) -> tuple[Step, ...]:
        return self.steps[1:]


def tracking_key(item: Item) -> tuple[Any, ...]:
    """What of an item other items' pages, the tracker's pages and feeds read: its answers, and
    its actions' targets, updates, follow-ups and corrections (with a following action's
    status and words, which become a step of the earlier action).  An edit that keeps the key
    re-renders the pages showing the item (the page types' ``showing``); one that changes it
    rebuilds the whole site.  Plain values, so that a model and its record (``speed.records``: an earlier build's data set)
    give equal keys."""
    def plain(value: Any) -> Any:
        return value.model_dump() if value is not None else None

    return (tuple(item.answers),
            tuple((a.id, plain(a.target), [plain(u) for u in a.updates], plain(a.follows),
                   [plain(c) for c in a.corrections],
                   (a.status, a.status_basis, a.quote, a.paragraph) if a.follows is not None else None)
                   for a in item.actions),
            tuple((f.id, [plain(c) for c in f.corrections]) for f in item.figures))


def data_as_of(data: Dataset) -> str | None:
    """The date the data stands at: ``as_of`` in site.yaml, else the latest date a source in the
    data states something (a report, an update); the change log and corrections record the
    editors' work, not news of the actions, so they do not move it.  None for a project with
    no report yet (``civictrack new``): its data stands at no date."""
    if data.config.as_of:
        return data.config.as_of
    dates = [r.date for r in data.reports.values()]
    dates += [u.date for item in data.items for action in item.actions for u in action.updates]
    return max(dates, default=None)


def follow_ups(data: Dataset) -> dict[ActionKey, list[tuple[Item, int]]]:
    """Earlier action → the later items' actions (item, index) that follow it up, in data order."""
    found: dict[ActionKey, list[tuple[Item, int]]] = {}
    for item in data.items:
        for index, action in enumerate(item.actions):
            if action.follows is not None:
                found.setdefault((action.follows.item, action.follows.action), []).append((item, index))
    return found


def build_tracks(data: Dataset, later: dict[ActionKey, list[tuple[Item, int]]], as_of: str) -> dict[ActionKey, Track]:
    """Every action's track, by (item id, action id), in data order."""
    done = {sid for sid, status in data.statuses.items() if getattr(status, "done", False)}
    reports = data.reports
    tracks: dict[ActionKey, Track] = {}
    for item in data.items:
        for index, action in enumerate(item.actions):
            tracks[(item.id, action.id)] = track(item, index, action, reports[item.report].date,
                                                 later.get((item.id, action.id), []), reports, done, as_of)
    return tracks


def track(item: Item, index: int, action: Action, report_date: str, later: list[tuple[Item, int]],
          reports: dict[str, Any], done: set[str], as_of: str) -> Track:
    """One action's track (see the module's text)."""
    first = Step(report_date, action.status, action.status_basis, action.quote, "report", item.report,
                 action.paragraph or item.paragraph)
    steps: list[Step] = []
    for update in action.updates:
        steps.append(Step(update.date, update.status, update.status_basis, update.quote, "update", update.report,
                          update.paragraph, update.source, note=update.note))
    for follower, k in later:
        act = follower.actions[k]
        steps.append(Step(reports[follower.report].date, act.status, act.status_basis, act.quote, "follow-up",
                          follower.report, act.paragraph or follower.paragraph, item=follower.id, action=act.id))
    steps.sort(key=lambda s: s.date)  # stable: an item's updates, then follow-ups, on the same day
    steps = [replace(s, number=n) for n, s in enumerate(steps, start=1)]
    timeline = (first, *steps)
    last = timeline[-1]
    done_since = None
    for step in reversed(timeline):
        if step.status not in done:
            break
        done_since = step.date
    target_date = action.target.date if action.target is not None else None
    state = ""
    if target_date is not None:
        if done_since is not None:
            state = "met" if done_since <= target_date else "late"
        else:
            state = "overdue" if as_of > target_date else "pending"
    return Track(item.id, action.id, index, item.report, timeline, last.status, last.date, done_since,
                 target_date, state, state == "overdue")


def status_at(track: Track, date: str) -> str | None:
    """The action's status on ``date`` (None before its report)."""
    status = None
    for step in track.steps:
        if step.date > date:
            break
        status = step.status
    return status
