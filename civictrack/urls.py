"""Every URL and output path of the site, computed in one place.

Pages are directory style (``items/<id>/`` → ``items/<id>/index.html``); the base
URL is applied here and nowhere else.  Ids are validated lowercase ASCII before
they reach this module, so a path can never leave the output folder.
"""

from __future__ import annotations

from urllib.parse import urlsplit

SECTIONS = ("reports", "areas", "items", "figures", "bodies", "places", "documents", "tags", "status")


class Urls:
    """Builds site-relative paths, root-relative links and absolute permalinks."""

    def __init__(self, base_url: str):
        if not base_url.endswith("/"):
            base_url += "/"
        self.base_url = base_url
        self.base_path = urlsplit(base_url).path or "/"

    # site-relative paths ("items/x/"), the one vocabulary of every other method
    @staticmethod
    def page(section: str, ident: str) -> str:
        if section not in SECTIONS:
            raise ValueError(f"unknown section {section}")
        return f"{section}/{ident}/"

    @staticmethod
    def output_file(path: str) -> str:
        """File written for a site-relative path: ``items/x/`` → ``items/x/index.html``."""
        return path + "index.html" if path == "" or path.endswith("/") else path

    def href(self, path: str, anchor: str | None = None) -> str:
        """Root-relative link, base path included: ``/repo/items/x/#a``."""
        return self.base_path + path + (f"#{anchor}" if anchor else "")

    def absolute(self, path: str, anchor: str | None = None) -> str:
        """Absolute permalink, as cited: ``https://…/repo/items/x/#a``."""
        return self.base_url + path + (f"#{anchor}" if anchor else "")

    # shorthands
    def figure(self, ident: str) -> str:
        return self.page("figures", ident)

    def item(self, ident: str) -> str:
        return self.page("items", ident)

    def report(self, ident: str) -> str:
        return self.page("reports", ident)

    def data(self, name: str) -> str:
        return f"data/{name}"
