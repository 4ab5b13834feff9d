"""The progress page (``/progress/``): each report's status counts over time (a chart and its
table), what is overdue as of the data's date, and every action with a target."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from civictrack import i18n
from civictrack.i18n import _
from civictrack.index.progress import progress_snapshots
from civictrack.pages.page import Page, SinglePage
from civictrack.pages.site import Site

if TYPE_CHECKING:
    from civictrack.model import Item


def progress_page(site: Site) -> Page:
    data, ix = site.data, site.ix
    statuses = sorted(data.statuses.values(), key=lambda s: s.order)
    snapshots = [(data.reports[rid], date, [counts.get(s.id, 0) for s in statuses])
                 for rid, date, counts in progress_snapshots(data, ix)]
    targets = [(ix.item_by_id[t.item], t.index, t) for t in map(ix.tracks.__getitem__, ix.targeted)]
    overdue = sorted((row for row in targets if row[2].overdue), key=lambda row: (row[2].target_date, row[0].id))
    order = {"overdue": 0, "pending": 1, "late": 2, "met": 3}
    targets.sort(key=lambda row: (order[row[2].target_state], row[2].target_date, row[0].id, row[1]))
    context = {"scale": statuses, "snapshots": snapshots, "overdue": overdue, "targets": targets}
    twin = {"as_of": ix.as_of,
            "snapshots": [{"report_id": r.id, "date": date, "counts": dict(zip([s.id for s in statuses], counts))}
                          for r, date, counts in snapshots],
            "overdue": [{"item_id": it.id, "action_id": t.action, "target_date": t.target_date,
                         "current_status": t.current,
                         "url": site.urls.absolute(site.urls.item(it.id), f"action-{t.action}")}
                        for it, _, t in overdue],
            "targets": [{"item_id": it.id, "action_id": t.action, "target_date": t.target_date,
                         "target_state": t.target_state} for it, _, t in targets]}
    if ix.as_of is None:  # no report yet (a new project)
        return Page("progress/", "progress.html", _("进展与逾期"), _("本站还没有收录任何报告。"), context, twin,
                    [(_("进展与逾期"), None)])
    description = _("截至%(date)s：各报告的行动状态随时间的变化，已过时限而未完成的行动。") % {
        "date": i18n.format_date(ix.as_of)}
    return Page("progress/", "progress.html", _("进展与逾期"), description, context, twin,
                [(_("进展与逾期"), None)], charts=["progress-statuses"])


class Progress(SinglePage):
    section = "progress"
    make = staticmethod(progress_page)

    def showing(self, site: Site, item: Item) -> Iterable[str]:
        return ("progress/",)  # its counts and lists name items
