"""The open data files: ``data/figures.csv`` and ``data/items.json``.

Both are a public contract.  The CSV's first fourteen columns are fixed (see the
README); columns are only ever added at the end.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from .units import plain
from .urls import Urls
from .dataset import Dataset, FigureInfo

if TYPE_CHECKING:
    from .model import Item  # annotations only: a build from the cached data set never imports pydantic

FIGURE_COLUMNS = ("figure_id", "indicator", "item_id", "report_id", "label", "value", "unit", "value_normalized",
                  "base_unit", "qualifier", "period", "derived", "quote", "url",
                  # added after the fixed contract columns:
                  "as_of", "written", "formula", "comparison", "paragraph_url")


def ordered_figures(data: Dataset) -> list[FigureInfo]:
    """Figures in report order: report-level first, then item by item, each in file order."""
    result = [f for f in data.figures.values() if f.item is None]
    for item in data.items:
        result.extend(data.figures[fig.id] for fig in item.figures)
    order = {rid: i for i, rid in enumerate(data.reports)}
    return sorted(result, key=lambda f: order[f.report]) if len(data.reports) > 1 else result


def figures_csv(data: Dataset, urls: Urls) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FIGURE_COLUMNS)
    for info in ordered_figures(data):
        fig = info.figure
        writer.writerow([
            fig.id, fig.indicator, info.item or "", info.report, fig.label, fig.value, fig.unit,
            plain(info.value_normalized), info.base_unit, fig.qualifier, fig.period or "",
            "true" if fig.derived else "false", fig.quote, urls.absolute(urls.figure(fig.id)),
            fig.as_of or "", fig.written or "", fig.formula or "",
            fig.comparison.text if fig.comparison else "",
            urls.absolute(urls.report(info.report), info.paragraph),
        ])
    return buffer.getvalue()


def item_record(data: Dataset, urls: Urls, item: Item) -> dict[str, Any]:
    return {
        "id": item.id,
        "url": urls.absolute(urls.item(item.id)),
        "report_id": item.report,
        "area_id": item.area,
        "order": item.order,
        "number": item.number,
        "title": item.title,
        "summary": item.summary,
        "paragraph": item.paragraph,
        "paragraph_url": urls.absolute(urls.report(item.report), item.paragraph),
        "actions": [
            {"id": a.id, "text": a.text, "status": a.status, "status_name": data.statuses[a.status].name,
             "status_basis": a.status_basis, "quote": a.quote}
            for a in item.actions
        ],
        "bodies": list(item.bodies),
        "places": list(item.places),
        "documents": list(item.documents),
        "tags": list(item.tags),
        "figure_ids": [f.id for f in item.figures],
    }


def items_json(data: Dataset, urls: Urls) -> str:
    payload = {
        "title": data.config.title,
        "licence": data.config.data_licence,
        "licence_url": data.config.data_licence_url,
        "reports": [
            {"id": r.id, "title": r.title, "issuer": r.issuer, "date": r.date, "kind": r.kind,
             "url": urls.absolute(urls.report(r.id))}
            for r in data.reports.values()
        ],
        "items": [item_record(data, urls, item) for item in data.items],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
