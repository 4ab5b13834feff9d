"""What every template can read besides its page: the site's settings and vocabularies, the
navigation, the build's dates, and helpers (labels, counts, rendered rows, charts)."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from datetime import datetime, timezone
from typing import Any

from markupsafe import Markup

from civictrack import i18n
from civictrack.dataset import Dataset, FigureInfo
from civictrack.i18n import N_, TranslatedRows, _
from civictrack.index.indexes import Indexes
from civictrack.tracking import CORRECTED_FIELDS, TARGET_STATES, correction_anchor, update_anchor
from civictrack.opendata import CSV_COLUMN_MEANINGS, FIGURE_COLUMNS
from civictrack.render.format import as_of_is_report_date, book_title, item_number, kept_spans, numbered
from civictrack.units import plain

NAV = TranslatedRows(((N_("概览"), ""), (N_("报告原文"), "reports/"), (N_("措施"), "items/"), (N_("进展"), "progress/"),
                      (N_("数字"), "figures/"), (N_("主题"), "tags/"), (N_("数据"), "data/"), (N_("关于"), "about/")))
"""The main navigation: (label, path), each label in the edition's language."""


def nav_current(path: str) -> tuple[str, ...]:
    """The main navigation's entries (their paths) that hold the page at ``path``."""
    return tuple(section for _label, section in NAV.raw if path == section or (section and path.startswith(section)))


def build_date(data: Dataset) -> str | None:
    """The date written into pages: SOURCE_DATE_EPOCH if set, else the newest date in the data
    (None in a project with no report or change yet)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date().isoformat()
    return max([r.date for r in data.reports.values()] + [c.date for c in data.changes], default=None)


def build_date_origin() -> str:
    """Where ``build_date`` comes from: "epoch" (SOURCE_DATE_EPOCH, the date of the build) or
    "data" (the newest date of a report or change: not the date the site was built)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return "epoch" if epoch and epoch.strip().isdigit() else "data"


def paragraph_labels(data: Dataset) -> dict[tuple[str, str], str]:
    """(report, anchor) → how the report numbers it: 二(一), 三、, or 第4段 for unnumbered ones."""
    labels: dict[tuple[str, str], str] = {}
    for rid, text in data.texts.items():
        heading = ""
        plain_count = 0
        for p in text.paragraphs:
            if p.kind == "heading":
                heading = p.number.rstrip("、")
                labels[(rid, p.anchor)] = p.number
            elif p.kind == "section":  # (一) under 二、 is 二(一); an English 2.1 holds its heading already
                labels[(rid, p.anchor)] = p.number if p.number[:1].isdigit() else heading + p.number
            elif p.kind == "recommendation":  # English only: Recommendation 3
                labels[(rid, p.anchor)] = p.number.rstrip(":.")
            elif p.kind == "point":  # 1. under 二(一) is 二(一)1.; (a) under 2.3 is 2.3(a); 2.1.3 stands alone
                parent = labels.get((rid, p.anchor.rsplit("-", 1)[0]), "")
                labels[(rid, p.anchor)] = p.number if "." in p.number[:-1] else parent + p.number
            else:
                plain_count += 1
                labels[(rid, p.anchor)] = _("第%(n)s段（无编号）") % {"n": plain_count}
    return labels


def template_globals(data: Dataset, ix: Indexes, labels: dict[tuple[str, str], str], titles: Mapping[str, str],
                     **build: Any) -> dict[str, Any]:
    """The globals of this build's templates; ``build`` adds what the build made (the rendered
    charts, the rows, the asset version, as_of, preview, status_counts)."""
    def document_title(ident: str) -> str:
        d = data.documents[ident]
        name, lang = i18n.rendering(d, "name")
        return book_title(name, lang) if d.kind == "document" else name

    def normalized(info: FigureInfo) -> str:
        return plain(info.value_normalized)

    def report_paragraph(report_id: str, anchor: str) -> str | None:
        text = data.texts.get(report_id)
        paragraph = text.get(anchor) if text else None
        return paragraph.text if paragraph else None

    anchored = figures_marked_in_text(data, ix)

    def source_anchor(info: FigureInfo) -> str:
        """Where a figure's "原文" links land in its report's text: the figure's own anchor (the
        number, marked) where the text marks it, else its paragraph."""
        return info.figure.id if info.figure.id in anchored else info.paragraph

    return {
        "site": data.config, "nav": NAV, "source_anchor": source_anchor,
        "bodies": data.bodies, "places": data.places, "documents": data.documents, "tags": data.tags,
        "statuses": data.statuses, "areas": data.areas, "reports": data.reports, "items": data.items,
        "figure_count": len(data.figures), "item_titles": titles,
        "paragraph_label": lambda rid, anchor: i18n.numbering_text(labels.get((rid, anchor), anchor)),
        "document_title": document_title, "normalized": normalized, "report_paragraph": report_paragraph,
        # a figure's as_of that is its report's date (截至目前): shown as the report's date
        "as_of_is_report_date": lambda fig: as_of_is_report_date(data, data.figures[fig.id]),
        "items_in_area": lambda aid: len(ix.items_by_area.get(aid, [])),
        "csv_columns": TranslatedRows(((c, CSV_COLUMN_MEANINGS.raw[c]) for c in FIGURE_COLUMNS), at=1),
        "nav_current": nav_current,
        "target_states": TARGET_STATES, "corrected_fields": CORRECTED_FIELDS,
        "update_anchor": update_anchor, "correction_anchor": correction_anchor,
        **build,
    }


def figures_marked_in_text(data: Dataset, ix: Indexes) -> set[str]:
    """The figures the report pages mark in their text (``highlight_paragraph``), each with its id
    as its anchor: those written in a paragraph of a report whose text the site has."""
    marked: set[str] = set()
    for (rid, anchor), infos in ix.figures_by_paragraph.items():
        text = data.texts.get(rid)
        if text is None or text.get(anchor) is None:
            continue
        marked.update(span[2] for span in kept_spans([(f.span[0], f.span[1], f.figure.id) for f in infos if f.span]))
    return marked


class ItemTitles(Mapping[str, str]):
    """Item id → its numbered title, as listings show it (二(一)聚焦…), made when asked for (in the
    edition's language): a page shows a few, a preview's rebuild would otherwise make all of them again."""

    def __init__(self, data: Dataset, ix: Indexes) -> None:
        self.areas = data.areas
        self.items = ix.item_by_id

    def __getitem__(self, ident: str) -> str:
        item = self.items[ident]
        number = item_number(self.areas[item.area].number, item.number)
        if i18n.language() == i18n.source_language():
            return numbered(number, i18n.text(item, "title"))
        # another edition: markup, so that a title left in the original is marked as such
        return Markup(_("%(number)s%(title)s")) % {"number": i18n.numbering(number), "title": i18n.marked(item, "title")}

    def __iter__(self) -> Iterator[str]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)
