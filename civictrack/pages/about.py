"""The about page (``/about/``): ``content/about.md`` (method, status scale, licence,
corrections), else the generator's own.

An edition in another language than the data's reads ``content/about.<lang>.md``
(``about.en.md``) beside it when there is one; else it shows ``about.md``, marked as written
in the data's language (``<div lang="zh-CN">``)."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from civictrack import i18n
from civictrack.i18n import _
from civictrack.pages.page import Page, SinglePage
from civictrack.pages.site import Site
from civictrack.render.markdown import render_markdown
from civictrack.resources import generator_content


def about_source(site: Site) -> tuple[Path | None, str]:
    """The Markdown file of the about page for the edition in use, and its language: the
    project's content/ first, then the generator's for the data's language (what ``civictrack
    new`` writes); in each, the edition's own file first.  ``about.md`` is written in the
    data's language."""
    lang, source = i18n.language(), i18n.source_language()
    for folder in (site.root / "content", generator_content(source)):
        if lang != source and (folder / f"about.{lang}.md").exists():
            return folder / f"about.{lang}.md", lang
        if (folder / "about.md").exists():
            return folder / "about.md", source
    return None, lang


def about_page(site: Site) -> Page:
    path, lang = about_source(site)
    text = path.read_text(encoding="utf-8-sig") if path is not None else "# " + _("关于本站") + "\n"
    html = render_markdown(text, site.urls)
    if lang != i18n.language():
        html = f'<div lang="{lang}">\n{html}</div>\n'
    body = Markup(html)
    title = _("关于本站")
    return Page("about/", "prose.html", title, _("本站的方法、状态等级、许可与纠错方式。"),
                {"body": body, "show_statuses": True}, {"title": title, "markdown": text}, [(_("关于"), None)])


class About(SinglePage):
    section = "about"
    dated = False  # prose, not data: no change-log date
    make = staticmethod(about_page)
