"""The about page (``/about/``): ``content/about.md`` (method, status scale, licence,
corrections), else the generator's own."""

from __future__ import annotations

from markupsafe import Markup

from civictrack.pages.page import Page, SinglePage
from civictrack.pages.site import Site
from civictrack.render.environment import template_folder
from civictrack.render.markdown import render_markdown


def about_page(site: Site) -> Page:
    path = site.root / "content" / "about.md"
    if not path.exists():
        path = template_folder(site.root).parent / "content" / "about.md"
    text = path.read_text(encoding="utf-8-sig") if path.exists() else "# 关于本站\n"
    body = Markup(render_markdown(text, site.urls))
    return Page("about/", "prose.html", "关于本站", "本站的方法、状态等级、许可与纠错方式。",
                {"body": body, "show_statuses": True}, {"title": "关于本站", "markdown": text}, [("关于", None)])


class About(SinglePage):
    section = "about"
    dated = False  # prose, not data: no change-log date
    make = staticmethod(about_page)
