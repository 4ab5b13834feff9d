"""The open data files: ``data/figures.csv`` and ``data/items.json``.

Both are a public contract.  The CSV's first fourteen columns are fixed (see the
README); columns are only ever added at the end.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from civictrack.units import plain
from civictrack.urls import Urls
from civictrack.dataset import Dataset, FigureInfo

if TYPE_CHECKING:
    from civictrack.model import Item  # annotations only: a build from the cached data set never imports pydantic

FIGURE_COLUMNS = ("figure_id", "indicator", "item_id", "report_id", "label", "value", "unit", "value_normalized",
                  "base_unit", "qualifier", "period", "derived", "quote", "url",
                  # added after the fixed contract columns:
                  "as_of", "written", "formula", "comparison", "paragraph_url")


def ordered_figures(data: Dataset) -> list[FigureInfo]:
    """Figures in report order: a report's own figures first, then its items' one item at a
    time, each in file order."""
    by_report: dict[str, list[FigureInfo]] = {rid: [] for rid in data.reports}
    for info in data.figures.values():
        if info.item is None:
            by_report[info.report].append(info)
    figures = data.figures
    for item in data.items:
        by_report[item.report].extend(figures[fig.id] for fig in item.figures)
    return [info for group in by_report.values() for info in group]


def figure_row(info: FigureInfo, urls: Urls) -> list[str]:
    """One figure's row of figures.csv, in FIGURE_COLUMNS order."""
    fig = info.figure
    return [
        fig.id, fig.indicator, info.item or "", info.report, fig.label, fig.value, fig.unit,
        plain(info.value_normalized), info.base_unit, fig.qualifier, fig.period or "",
        "true" if fig.derived else "false", fig.quote, urls.absolute(urls.figure(fig.id)),
        fig.as_of or "", fig.written or "", fig.formula or "",
        fig.comparison.text if fig.comparison else "",
        urls.absolute(urls.report(info.report), info.paragraph),
    ]


def csv_lines(rows: list[Any]) -> str:
    """Rows as CSV text, a line each."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def figures_csv(data: Dataset, urls: Urls) -> str:
    return csv_lines([FIGURE_COLUMNS] + [figure_row(info, urls) for info in ordered_figures(data)])


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


CSV_COLUMN_MEANINGS = {
    "figure_id": "数字的固定编号，也是其页面地址的一部分", "indicator": "指标编号：同一指标的各期数值构成序列",
    "item_id": "所属措施编号（报告开头的数字为空）", "report_id": "所属报告编号", "label": "指标名称",
    "value": "原文数值（照写，不取整）", "unit": "原文单位", "value_normalized": "换算为基本单位的精确值",
    "base_unit": "基本单位", "qualifier": "限定：exact 确数，more_than 多于（余、超），nearly 接近（近），about 约，at_least 至少",
    "period": "所属时期（如 2024）", "derived": "true 表示本站推算、非报告原文陈述", "quote": "原文句子（逐字）",
    "url": "数字页的固定链接", "as_of": "截至日期", "written": "原文写法（含限定词与单位）", "formula": "推算算式",
    "comparison": "原文所述比较", "paragraph_url": "原文段落的固定链接",
}


def datapackage(data: Dataset, urls: Urls) -> str:
    fields = [{"name": c, "type": "string", "description": CSV_COLUMN_MEANINGS[c]} for c in FIGURE_COLUMNS]
    for f in fields:
        if f["name"] == "value_normalized":
            f["type"] = "number"
        if f["name"] == "derived":
            f["type"] = "boolean"
            f["trueValues"], f["falseValues"] = ["true"], ["false"]
    package = {
        "name": "civictrack-figures",
        "title": data.config.title,
        "description": data.config.description,
        "homepage": urls.absolute(""),
        "licenses": [{"name": "CC-BY-4.0" if "BY 4.0" in data.config.data_licence else data.config.data_licence,
                      "path": data.config.data_licence_url, "title": data.config.data_licence}],
        "sources": [{"title": r.title, "path": urls.absolute(urls.report(r.id))} for r in data.reports.values()],
        "resources": [
            {"name": "figures", "path": "figures.csv", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
             "title": "报告中的全部数字", "schema": {"fields": fields, "primaryKey": ["figure_id"]}},
            {"name": "items", "path": "items.json", "format": "json", "mediatype": "application/json",
             "encoding": "utf-8", "title": "全部措施、行动与状态"},
        ],
    }
    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"
