"""The open data files: ``data/figures.csv``, ``data/items.json``, ``data/actions.csv`` and
``data/updates.csv``.

All are a public contract.  The figures CSV's first fourteen columns are fixed (see the
README); columns of every CSV are only ever added at the end.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape as xml_escape

from civictrack import i18n
from civictrack.i18n import N_, Translated, _
from civictrack.units import plain
from civictrack.urls import Urls
from civictrack.dataset import Dataset, FigureInfo
from civictrack.tracking import ActionKey, Step, Track, update_anchor

if TYPE_CHECKING:
    from civictrack.model import Item  # annotations only: a build from the cached data set never imports pydantic

FIGURE_COLUMNS = ("figure_id", "indicator", "item_id", "report_id", "label", "value", "unit", "value_normalized",
                  "base_unit", "qualifier", "period", "derived", "quote", "url",
                  # added after the fixed contract columns:
                  "as_of", "written", "formula", "comparison", "paragraph_url", "as_of_is_report_date")


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


def figure_row(info: FigureInfo, urls: Urls, report_date: str) -> list[str]:
    """One figure's row of figures.csv, in FIGURE_COLUMNS order (``report_date``: its report's)."""
    fig = info.figure
    return [
        fig.id, fig.indicator, info.item or "", info.report, fig.label, fig.value, fig.unit,
        plain(info.value_normalized), info.base_unit, fig.qualifier, fig.period or "",
        "true" if fig.derived else "false", fig.quote, urls.absolute(urls.figure(fig.id)),
        fig.as_of or "", fig.written or "", fig.formula or "",
        fig.comparison.text if fig.comparison else "",
        urls.absolute(urls.report(info.report), info.paragraph),
        "" if not fig.as_of else "true" if fig.as_of == report_date else "false",
    ]


def csv_lines(rows: list[Any]) -> str:
    """Rows as CSV text, a line each."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def figures_csv(data: Dataset, urls: Urls) -> str:
    return csv_lines([FIGURE_COLUMNS] + [figure_row(info, urls, data.reports[info.report].date)
                                       for info in ordered_figures(data)])


def step_record(step: Step) -> dict[str, Any]:
    """One step of an action's timeline (an update or follow-up), as items.json and the twins give it."""
    return {"date": step.date, "status": step.status, "status_basis": step.status_basis, "quote": step.quote,
            "kind": step.kind, "report_id": step.report, "paragraph": step.paragraph,
            "source": step.source.model_dump() if step.source is not None else None,
            "follow_up_item_id": step.item, "follow_up_action_id": step.action, "note": step.note}


def action_record(data: Dataset, action: Any, track: Track) -> dict[str, Any]:
    return {"id": action.id, "text": action.text, "status": action.status,
            "status_name": data.statuses[action.status].name, "status_basis": action.status_basis,
            "quote": action.quote,
            # after the report (civictrack.tracking)
            "current_status": track.current, "current_status_name": data.statuses[track.current].name,
            "current_since": track.since,
            "target": action.target.model_dump() if action.target is not None else None,
            "target_state": track.target_state or None, "overdue": track.overdue,
            "updates": [step_record(s) for s in track.later_steps],
            "follows": action.follows.model_dump() if action.follows is not None else None,
            "corrections": [c.model_dump() for c in action.corrections]}


def item_record(data: Dataset, urls: Urls, item: Item, tracks: dict[ActionKey, Track]) -> dict[str, Any]:
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
        "actions": [action_record(data, a, tracks[(item.id, a.id)]) for a in item.actions],
        "bodies": list(item.bodies),
        "places": list(item.places),
        "documents": list(item.documents),
        "tags": list(item.tags),
        "figure_ids": [f.id for f in item.figures],
        "answers": list(item.answers),
    }


def items_json(data: Dataset, urls: Urls, tracks: dict[ActionKey, Track], as_of: str) -> str:
    payload = {
        "title": i18n.text(data.config, "title"),
        "as_of": as_of,
        "licence": data.config.data_licence,
        "licence_url": data.config.data_licence_url,
        "reports": [
            {"id": r.id, "title": r.title, "issuer": r.issuer, "date": r.date, "kind": r.kind,
             "url": urls.absolute(urls.report(r.id)),
             "asks": [a.model_dump() for a in r.asks]}
            for r in data.reports.values()
        ],
        "items": [item_record(data, urls, item, tracks) for item in data.items],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


ACTION_COLUMNS = ("action_id", "item_id", "report_id", "text", "original_status", "current_status", "as_of",
                  "current_since", "target", "target_date", "target_state", "overdue", "updates", "url", "quote")
UPDATE_COLUMNS = ("item_id", "action_id", "number", "date", "status", "previous_status", "kind", "report_id",
                  "paragraph_url", "source_title", "source_issuer", "source_date", "source_url",
                  "follow_up_item_id", "follow_up_action_id", "status_basis", "quote", "note", "url")


def action_rows(data: Dataset, urls: Urls, item: Item, tracks: dict[ActionKey, Track], as_of: str) -> list[list[str]]:
    """The rows of actions.csv for one item's actions, in ACTION_COLUMNS order."""
    rows = []
    for action in item.actions:
        track = tracks[(item.id, action.id)]
        target = action.target
        rows.append([action.id, item.id, item.report, action.text, action.status, track.current, as_of, track.since,
                     target.text if target else "", target.date if target else "", track.target_state,
                     "true" if track.overdue else "false", str(len(track.later_steps)),
                     urls.absolute(urls.item(item.id), f"action-{action.id}"), action.quote])
    return rows


def actions_csv(data: Dataset, urls: Urls, tracks: dict[ActionKey, Track], as_of: str) -> str:
    return csv_lines([ACTION_COLUMNS] + [row for item in data.items for row in action_rows(data, urls, item, tracks,
                                                                                            as_of)])


def update_rows(urls: Urls, tracks: dict[ActionKey, Track], stepped: list[ActionKey]) -> list[list[str]]:
    """A row per update and follow-up of every action (``stepped``: the actions that have any),
    in data order, each action's by date."""
    rows = []
    for track in map(tracks.__getitem__, stepped):
        for before, step in zip(track.steps, track.later_steps):
            source = step.source
            rows.append([track.item, track.action, str(step.number), step.date, step.status, before.status, step.kind,
                         step.report or "",
                         urls.absolute(urls.report(step.report), step.paragraph) if step.report else "",
                         source.title if source else "", source.issuer if source else "",
                         source.date if source else "", (source.url or "") if source else "",
                         step.item or "", step.action or "", step.status_basis, step.quote, step.note or "",
                         urls.absolute(urls.item(track.item), update_anchor(track.action, step.number))])
    return rows


def updates_csv(urls: Urls, tracks: dict[ActionKey, Track], stepped: list[ActionKey]) -> str:
    return csv_lines([UPDATE_COLUMNS] + update_rows(urls, tracks, stepped))


ACTION_COLUMN_MEANINGS = Translated({
    "action_id": N_("行动编号（在所属措施内唯一）"), "item_id": N_("所属措施编号"), "report_id": N_("所属报告编号"),
    "text": N_("行动摘要"), "original_status": N_("报告原文解读的状态编号"), "current_status": N_("截至数据日期的当前状态编号（最新一次更新）"),
    "as_of": N_("数据日期"), "current_since": N_("当前状态的起始日期"), "target": N_("原文所述时限（照写）"),
    "target_date": N_("时限换算的最后日期"), "target_state": N_("met 按期完成，late 逾期完成，overdue 逾期未完成，pending 未到期；无时限为空"),
    "overdue": N_("true 表示截至数据日期已过时限而未完成"), "updates": N_("报告之后的更新次数"), "url": N_("行动的固定链接"),
    "quote": N_("报告原文句子（逐字）"),
})
UPDATE_COLUMN_MEANINGS = Translated({
    "item_id": N_("措施编号"), "action_id": N_("行动编号"), "number": N_("该行动的第几次更新"), "date": N_("更新日期"),
    "status": N_("更新后的状态编号"), "previous_status": N_("更新前的状态编号"),
    "kind": N_("update 编辑据来源记录的更新，follow-up 后续报告的跟进"), "report_id": N_("来源报告编号（本站收录）"),
    "paragraph_url": N_("来源段落的固定链接"), "source_title": N_("外部来源的标题"), "source_issuer": N_("外部来源的发布者"),
    "source_date": N_("外部来源的日期"), "source_url": N_("外部来源的地址"), "follow_up_item_id": N_("跟进措施编号"),
    "follow_up_action_id": N_("跟进行动编号"), "status_basis": N_("状态依据（来源原文中的词）"), "quote": N_("来源原文句子（逐字）"),
    "note": N_("编辑说明"), "url": N_("本次更新的固定链接"),
})


CSV_COLUMN_MEANINGS = Translated({
    "figure_id": N_("数字的固定编号，也是其页面地址的一部分"), "indicator": N_("指标编号：同一指标的各期数值构成序列"),
    "item_id": N_("所属措施编号（报告开头的数字为空）"), "report_id": N_("所属报告编号"), "label": N_("指标名称"),
    "value": N_("原文数值（照写，不取整）"), "unit": N_("原文单位"), "value_normalized": N_("换算为基本单位的精确值"),
    "base_unit": N_("基本单位"), "qualifier": N_("限定：exact 确数，more_than 多于（余、超），nearly 接近（近），about 约，at_least 至少"),
    "period": N_("所属时期（如 2024）"), "derived": N_("true 表示本站推算、非报告原文陈述"), "quote": N_("原文句子（逐字）"),
    "url": N_("数字页的固定链接"), "as_of": N_("截至日期"), "written": N_("原文写法（含限定词与单位）"), "formula": N_("推算算式"),
    "comparison": N_("原文所述比较"), "paragraph_url": N_("原文段落的固定链接"),
    "as_of_is_report_date": N_("true 表示截至日期即报告日期（原文写“截至目前”，未写明日期）；无截至日期为空"),
})


def _fields(columns: tuple[str, ...], meanings: Mapping[str, str], types: dict[str, str]) -> list[dict[str, Any]]:
    fields: list[dict[str, Any]] = []
    for c in columns:
        field: dict[str, Any] = {"name": c, "type": types.get(c, "string"), "description": meanings[c]}
        if field["type"] == "boolean":
            field["trueValues"], field["falseValues"] = ["true"], ["false"]
        fields.append(field)
    return fields


def datapackage(data: Dataset, urls: Urls) -> str:
    fields = [{"name": c, "type": "string", "description": CSV_COLUMN_MEANINGS[c]} for c in FIGURE_COLUMNS]
    for f in fields:
        if f["name"] == "value_normalized":
            f["type"] = "number"
        if f["name"] in ("derived", "as_of_is_report_date"):
            f["type"] = "boolean"
            f["trueValues"], f["falseValues"] = ["true"], ["false"]
    package = {
        "name": "civictrack-figures",
        "title": i18n.text(data.config, "title"),
        "description": i18n.text(data.config, "description"),
        "homepage": urls.absolute(""),
        "licenses": [{"name": "CC-BY-4.0" if "BY 4.0" in data.config.data_licence else data.config.data_licence,
                      "path": data.config.data_licence_url, "title": data.config.data_licence}],
        "sources": [{"title": i18n.text(r, "title"), "path": urls.absolute(urls.report(r.id))}
                    for r in data.reports.values()],
        "resources": [
            {"name": "figures", "path": "figures.csv", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
             "title": _("报告中的全部数字"), "schema": {"fields": fields, "primaryKey": ["figure_id"]}},
            {"name": "items", "path": "items.json", "format": "json", "mediatype": "application/json",
             "encoding": "utf-8", "title": _("全部措施、行动与状态")},
            {"name": "actions", "path": "actions.csv", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
             "title": _("全部行动：报告时的状态、当前状态、时限与是否逾期"),
             "schema": {"fields": _fields(ACTION_COLUMNS, ACTION_COLUMN_MEANINGS,
                                          {"as_of": "date", "current_since": "date", "target_date": "date",
                                           "overdue": "boolean", "updates": "integer"}),
                        "primaryKey": ["item_id", "action_id"]}},
            {"name": "updates", "path": "updates.csv", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
             "title": _("报告之后各行动的更新与跟进"),
             "schema": {"fields": _fields(UPDATE_COLUMNS, UPDATE_COLUMN_MEANINGS,
                                          {"number": "integer", "date": "date", "source_date": "date"}),
                        "primaryKey": ["item_id", "action_id", "number"],
                        "foreignKeys": [{"fields": ["item_id", "action_id"],
                                         "reference": {"resource": "actions", "fields": ["item_id", "action_id"]}}]}},
        ],
    }
    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"


# --- what a spreadsheet opens --------------------------------------------------------------------
#
# The CSVs above are the standard files (UTF-8 without a byte-order mark).  Excel on a Chinese
# system opens a CSV without a BOM as GBK (its code page) and LibreOffice's default CSV import
# as Latin-1, so both garble every label and quote; a workbook (.xlsx) has no encoding to guess.
# A chart's own CSV (charts/<id>.csv) carries a BOM: Excel then reads it as UTF-8, and pandas
# and Python's "utf-8-sig" skip the mark.

BOM = "\ufeff"
XLSX_FILES = {"figures.csv": "figures.xlsx", "actions.csv": "actions.xlsx", "updates.csv": "updates.xlsx"}
"""Each standard CSV's workbook twin under data/: the same cells, every one a text cell."""

_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\ufffe": None, "\uffff": None,
                           **{chr(c): None for c in range(32) if c not in (9, 10, 13)}})
"""A cell's text as XML: escaped, without the characters XML cannot hold."""


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _row_xml(r: int, row: list[str], letters: list[str]) -> str:
    style = ' s="1"' if r == 1 else ""
    cells = "".join(f'<c r="{letter}{r}" t="inlineStr"{style}><is><t xml:space="preserve">{value.translate(_XML_TEXT)}'
                    f'</t></is></c>' for letter, value in zip(letters, row))
    return f'<row r="{r}">{cells}</row>'


_XLSX_STATIC = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '</Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
        'Target="styles.xml"/></Relationships>'),
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/></cellXfs>'
        '</styleSheet>'),
}


def xlsx(rows: list[list[str]], sheet: str) -> bytes:
    """A one-sheet workbook of ``rows`` (the first a header, in bold and frozen), every cell a
    text cell, so that nothing is read as a number or a date (``1.50`` stays ``1.50``, a long id
    stays whole).  Byte-identical for the same rows: fixed dates in the archive, no document
    properties."""
    letters = [_column_letters(c) for c in range(max((len(row) for row in rows), default=0))]
    lines = [_row_xml(r, row, letters) for r, row in enumerate(rows, start=1)]
    worksheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                 '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
                 'state="frozen"/></sheetView></sheetViews>'
                 f'<sheetData>{"".join(lines)}</sheetData></worksheet>')
    workbook = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                f'<sheets><sheet name="{xml_escape(sheet[:31])}" sheetId="1" r:id="rId1"/></sheets></workbook>')
    parts = dict(_XLSX_STATIC)
    parts["xl/workbook.xml"] = workbook
    parts["xl/worksheets/sheet1.xml"] = worksheet
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            # level 1: a preview makes them again on every edit; speed over a few bytes
            archive.writestr(info, text.encode("utf-8"), compresslevel=1)
    return buffer.getvalue()


def csv_workbook(text: str, sheet: str) -> bytes:
    """A standard CSV's workbook twin (``XLSX_FILES``): the same cells."""
    return xlsx(list(csv.reader(io.StringIO(text))), sheet)


CHART_COLUMNS = ("chart_id", "chart_title", "label", "series", "value", "unit", "value_as_written", "derived",
                 "figure_id", "quote", "as_of", "report_id", "report_title", "report_issuer", "report_date", "url")
"""A chart's CSV (``charts/<id>.csv``): a row per bar, the report each row comes from named in it."""


def _row_reports(data: Dataset, ix: Any, link: str) -> list[str]:
    """The reports a chart row's number comes from, by what the row links to."""
    section, _slash, rest = link.partition("/")
    ident = rest.rstrip("/")
    if section == "figures" and ident in data.figures:
        return [data.figures[ident].report]
    if section == "reports":
        return [ident]
    if section == "areas" and ident in data.area_report:
        return [data.area_report[ident]]
    if section == "bodies":
        return sorted({item.report for item in ix.items_by["bodies"].get(ident, [])})
    return []


def chart_csv(data: Dataset, ix: Any, urls: Urls, spec: Any) -> str:
    """A chart's own rows as CSV (UTF-8 with a BOM, for spreadsheets): what each bar shows, the
    figure and quote behind it, and the report's title, issuer and date (several reports: each
    column lists them in the same order, separated by " | ")."""
    rows: list[list[str]] = [list(CHART_COLUMNS)]
    with i18n.speaking(spec.lang):
        for row in spec.rows:
            info = data.figures.get(row.link.split("/")[1]) if row.link.startswith("figures/") else None
            reports = [data.reports[r] for r in _row_reports(data, ix, row.link)]
            rows.append([
                spec.id, spec.title, row.label, row.series, plain_number(row.value), spec.unit, row.text,
                "true" if row.derived else "false", info.figure.id if info else "",
                info.figure.quote if info else "", (info.figure.as_of or "") if info else "",
                " | ".join(r.id for r in reports), " | ".join(i18n.text(r, "title") for r in reports),
                " | ".join(i18n.text(data.bodies[r.issuer], "name") for r in reports),
                " | ".join(r.date for r in reports), urls.absolute(row.link) if row.link else ""])
    return BOM + csv_lines(rows)


def plain_number(value: float) -> str:
    """A chart value without a float's noise: 3 not 3.0, 93.06 as 93.06."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))
