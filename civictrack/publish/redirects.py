"""Permalinks kept: an HTML redirect (and a JSON pointer) at the URL of every former id
(``aliases`` in the data), so a renamed entry's old address still leads to it."""

from __future__ import annotations

import json
from typing import Any

from civictrack.dataset import Dataset
from civictrack.index.indexes import VOCAB_SECTIONS
from civictrack.urls import Urls


def redirects(data: Dataset, urls: Urls, env: Any) -> list[tuple[str, str]]:
    """An HTML redirect (and a JSON pointer) at every former id's URL: (path, content) pairs."""
    targets: list[tuple[str, str]] = []
    for report in data.reports.values():
        targets += [(urls.report(a), urls.report(report.id)) for a in report.aliases]
        for area in report.areas:
            targets += [(urls.page("areas", a), urls.page("areas", area.id)) for a in area.aliases]
    for item in data.items:
        targets += [(urls.item(a), urls.item(item.id)) for a in item.aliases]
    for info in data.figures.values():
        targets += [(urls.figure(a), urls.figure(info.figure.id)) for a in info.figure.aliases]
    for vocab, (section, _) in VOCAB_SECTIONS.items():
        for entry in getattr(data, vocab).values():
            targets += [(urls.page(section, a), urls.page(section, entry.id)) for a in entry.aliases]
    template = env.get_template("redirect.html")
    files = []
    for old, new in targets:
        files.append((urls.output_file(old), template.render(target=urls.href(new), target_abs=urls.absolute(new))))
        files.append((old + "index.json", json.dumps({"redirect": urls.absolute(new)}, ensure_ascii=False) + "\n"))
    return files
