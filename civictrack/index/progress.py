"""Each report's status counts over time: the data of ``/progress/`` and its chart."""

from __future__ import annotations

from collections import Counter
from typing import Any

from civictrack.dataset import Dataset
from civictrack.index.indexes import Indexes
from civictrack.tracking import status_at


def progress_snapshots(data: Dataset, ix: Indexes) -> list[tuple[str, str, dict[str, int]]]:
    """Status counts of each report's actions over time: (report id, date, status id → count) at
    the report's date, at each date one of its actions moved, and at the data's as-of date."""
    unchanged: dict[str, Counter[str]] = {rid: Counter() for rid in data.reports}  # actions with one step
    for track in ix.tracks.values():
        if len(track.steps) == 1:
            unchanged[track.report][track.current] += 1
    moved: dict[str, list[Any]] = {}  # the actions with later steps, by report
    for key in ix.stepped:
        moved.setdefault(ix.tracks[key].report, []).append(ix.tracks[key])
    snapshots = []
    for rid, report in data.reports.items():
        tracks = moved.get(rid, [])
        if not tracks and not unchanged[rid]:
            continue
        dates = sorted({report.date, ix.as_of} | {s.date for t in tracks for s in t.later_steps if s.date <= ix.as_of})
        for date in dates:
            counts = Counter(unchanged[rid]) if date >= report.date else Counter()
            counts.update(status for t in tracks if (status := status_at(t, date)) is not None)
            snapshots.append((rid, date, dict(counts)))
    return snapshots
