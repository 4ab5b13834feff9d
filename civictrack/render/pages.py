"""Turn one page into its files: the HTML from its template and the JSON twin."""

from __future__ import annotations

import json
from typing import Any

from civictrack.pages.page import Page
from civictrack.render.format import keep_together
from civictrack.urls import Urls


def render_page(env: Any, page: Page, urls: Urls, templates: dict[str, Any]) -> tuple[tuple[str, str], tuple[str, str]]:
    """(path, HTML) and (path, JSON twin) of ``page``; ``templates`` remembers the templates
    by name (it skips get_template's lookup in the shared cache)."""
    page = page.ready()
    template = templates.get(page.template)
    if template is None:
        template = templates[page.template] = env.get_template(page.template)
    html = keep_together(template.render(page=page, **page.context))  # no date broken across lines
    # compact JSON: the C encoder (indent=2 falls back to pure Python, about 10x slower)
    twin = json.dumps(page.twin, ensure_ascii=False, separators=(",", ":"), default=str) + "\n"
    return (urls.output_file(page.path), html), (urls.output_file(page.path + "index.json"), twin)
