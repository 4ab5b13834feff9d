"""The open data files of a preview rebuilt after an item edit, reusing what did not change.

An item edit changes items.json by one record and figures.csv only if a figure changed;
these give exactly what ``opendata``'s functions give, reusing the last result where
the inputs are the same objects (the preview's caches keep unchanged items and figures).
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from civictrack.dataset import Dataset
from civictrack import opendata
from civictrack.tracking import ActionKey, Track
from civictrack.urls import Urls

_ITEM_RECORDS: dict[int, tuple[Any, tuple[Any, ...], str]] = {}
_ACTION_LINES: dict[int, tuple[Any, tuple[Any, ...], str]] = {}
_CSV_LINES: dict[int, tuple[Any, tuple[str, str], str]] = {}
_ITEMS_TAIL = '  "items": []\n}\n'


def items_json(data: Dataset, urls: Urls, tracks: dict[ActionKey, Track], as_of: str, epoch: object) -> str:
    """``opendata.items_json(data, urls, tracks, as_of)``, with each item's record serialised once:
    reused for the same item object while the indexes keep their ``epoch`` (an unchanged item's
    tracks are then the same)."""
    global _ITEM_RECORDS
    empty = opendata.items_json(replace(data, items=[]), urls, tracks, as_of)
    if not data.items or not empty.endswith(_ITEMS_TAIL):  # the layout is not the one spliced here
        return opendata.items_json(data, urls, tracks, as_of)
    key = (urls.base_url, tuple((sid, s.name) for sid, s in data.statuses.items()), epoch)
    records: dict[int, tuple[Any, tuple[Any, ...], str]] = {}
    for item in data.items:
        hit = _ITEM_RECORDS.get(id(item))
        if hit is None or hit[0] is not item or hit[1] != key:
            # nested two levels deep under indent=2, every line of the record moves right by 4
            text = json.dumps(opendata.item_record(data, urls, item, tracks), ensure_ascii=False, indent=2)
            hit = (item, key, "    " + text.replace("\n", "\n    "))
        records[id(item)] = hit
    _ITEM_RECORDS = records  # holding the items keeps their id() from being reused
    return empty[:-len(_ITEMS_TAIL)] + '  "items": [\n' + ",\n".join(r[2] for r in records.values()) + "\n  ]\n}\n"


def figures_csv(data: Dataset, urls: Urls) -> str:
    """``opendata.figures_csv(data, urls)``, with each figure's line made once."""
    global _CSV_LINES
    lines = [opendata.csv_lines([opendata.FIGURE_COLUMNS])]
    made: dict[int, tuple[Any, tuple[str, str], str]] = {}
    for info in opendata.ordered_figures(data):
        hit = _CSV_LINES.get(id(info))
        key = (urls.base_url, data.reports[info.report].date)  # the row names whether as_of is the report's date
        if hit is None or hit[0] is not info or hit[1] != key:
            hit = (info, key, opendata.csv_lines([opendata.figure_row(info, urls, key[1])]))
        made[id(info)] = hit
        lines.append(hit[2])
    _CSV_LINES = made  # holding the figures keeps their id() from being reused
    return "".join(lines)


def actions_csv(data: Dataset, urls: Urls, tracks: dict[ActionKey, Track], as_of: str, epoch: object) -> str:
    """``opendata.actions_csv(data, urls, tracks, as_of)``, with each item's lines made once (reused
    like ``items_json``'s records)."""
    global _ACTION_LINES
    lines = [opendata.csv_lines([opendata.ACTION_COLUMNS])]
    key = (urls.base_url, as_of, epoch)
    made: dict[int, tuple[Any, tuple[Any, ...], str]] = {}
    for item in data.items:
        hit = _ACTION_LINES.get(id(item))
        if hit is None or hit[0] is not item or hit[1] != key:
            hit = (item, key, opendata.csv_lines(opendata.action_rows(data, urls, item, tracks, as_of)))
        made[id(item)] = hit
        lines.append(hit[2])
    _ACTION_LINES = made  # holding the items keeps their id() from being reused
    return "".join(lines)
