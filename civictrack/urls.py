"""Every URL and output path of the site, computed in one place.

Pages are directory style (``items/<id>/`` → ``items/<id>/index.html``); the base
URL is applied here and nowhere else.  Ids are validated lowercase ASCII before
they reach this module, so a path can never leave the output folder.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

BASE_URL_PATTERN = r"^https?://[^/\s<>\"'`\\?#@]+(?:/[^\s<>\"'`\\?#]*)?/$"
"""A site's base URL (``base_url`` in site.yaml, ``build --base-url``): absolute http(s), a host,
an optional path, ending in ``/``; no user name, query or fragment."""


def base_url_problem(value: str) -> str | None:
    """Why ``value`` cannot be a base URL (a phrase for an error message), or None if it can."""
    if re.fullmatch(BASE_URL_PATTERN, value):
        return None
    if not re.match(r"^https?://", value):
        return "it is not an absolute http:// or https:// address"
    if not value.endswith("/"):
        return "it does not end in /"
    return "it holds a character a base URL cannot have (a space, quote, <, >, ?, # or @) or no host"


WEB_URL_PATTERN = r"^(https?://[^\s<>\"]+|mailto:[^\s<>\"]+)$"
"""An address a page links to (``corrections_url``, ``source_url``, ``build --corrections-url``):
http://, https:// or mailto:, with no space, quote or angle bracket."""

_EXAMPLE_HOST = re.compile(r"(?:^|\.)(?:example\.(?:com|net|org)|example|invalid|test|localhost)\.?$")
"""Hosts reserved for examples and tests (RFC 2606, RFC 6761): never a real address."""

PLACEHOLDER_OWNERS = ("github.com", "gitlab.com", "codeberg.org")
"""Forges on which ``<forge>/example/…`` is the placeholder ``civictrack new`` writes."""


def placeholder_problem(url: str) -> str | None:
    """Why ``url`` is a placeholder, not a real address a reader can use (a phrase for an error
    message), or None: a host reserved for examples (example.com, example.org, example.net,
    *.example, *.test, *.invalid, localhost; for mailto: the domain after @), or an address on a
    forge under the owner ``example`` (github.com/example/…, as ``civictrack new`` writes it)."""
    parts = urlsplit(url)
    host = (parts.path.rpartition("@")[2] if parts.scheme == "mailto" else parts.hostname or "").lower()
    if _EXAMPLE_HOST.search(host):
        return f"its host {host} is reserved for examples"
    owner = parts.path.strip("/").split("/", 1)[0].lower() if parts.scheme != "mailto" else ""
    if host.removeprefix("www.") in PLACEHOLDER_OWNERS and owner == "example":
        return f"{host}/example/ is the placeholder a new project starts with"
    return None


def web_url_problem(value: str) -> str | None:
    """Why ``value`` cannot be a linked address (``WEB_URL_PATTERN``), or None if it can."""
    if re.fullmatch(WEB_URL_PATTERN, value) and len(value) <= 2000:
        return None
    if not re.match(r"^(https?://|mailto:)", value):
        return "it is not an absolute http://, https:// or mailto: address"
    return "it holds a character an address cannot have (a space, quote, < or >) or is over 2,000 characters"


FEED_SECTIONS = ("items", "bodies", "places")
"""Sections whose entry pages (``<section>/<id>/``) each have an Atom feed at ``<section>/<id>/feed.xml``."""

_SECTION = re.compile(r"[a-z]+")
"""A page type's section (the first segment of its paths): a plain lowercase word."""


class Urls:
    """Builds site-relative paths, root-relative links and absolute permalinks."""

    def __init__(self, base_url: str, edition: str = ""):
        """``edition`` is the folder of a language edition other than the root one (``"en/"``):
        its pages, charts and feeds live under it, while the files every edition shares
        (``shared``) stay at the root."""
        if not base_url.endswith("/"):
            base_url += "/"
        if edition and not _EDITION.fullmatch(edition):
            raise ValueError(f"not an edition folder: {edition!r}")
        self.site_url = base_url
        self.site_path = urlsplit(base_url).path or "/"
        self.edition = edition
        self.base_url = base_url + edition
        self.base_path = self.site_path + edition

    @staticmethod
    def edition_folder(language: str, root_language: str) -> str:
        """The folder of a language's edition: "" for the root one, else ``en/``, ``zh-cn/``."""
        return "" if language == root_language else language.lower() + "/"

    @staticmethod
    def shared(path: str) -> bool:
        """Whether ``path`` is one file for every edition: the static assets, the search index,
        the open data files (not the /data/ page) and the favicon."""
        return (path.startswith(("assets/", "pagefind/")) or path == "favicon.svg"
                or (path.startswith("data/") and "/" not in path[5:] and path[5:] not in ("", "index.html", "index.json")))

    # site-relative paths ("items/x/"), the one vocabulary of every other method
    @staticmethod
    def page(section: str, ident: str) -> str:
        """``<section>/<ident>/``: a page type's section and an id (ids are checked when loaded)."""
        if not _SECTION.fullmatch(section):
            raise ValueError(f"not a section: {section!r}")
        return f"{section}/{ident}/"

    @staticmethod
    def listing_page(path: str, number: int) -> str:
        """Page ``number`` of the listing at ``path``: page 1 is the listing's own path,
        later ones ``<path>page/<n>/`` (``figures/page/2/``, ``areas/x/page/3/``)."""
        if number < 1:
            raise ValueError(f"page numbers start at 1, not {number}")
        return path if number == 1 else f"{path}page/{number}/"

    @staticmethod
    def split_listing_page(path: str) -> tuple[str, int]:
        """The inverse of ``listing_page``: ``areas/x/page/3/`` → ``("areas/x/", 3)``; any other
        path is page 1 of itself."""
        match = _LISTING_PAGE.fullmatch(path)
        return (match[1], int(match[2])) if match else (path, 1)

    @staticmethod
    def is_listing_page(path: str) -> bool:
        """Whether ``path`` is a later page (n ≥ 2) of a paginated listing.  Such pages shift
        as the data grows, so they are not permalinks."""
        return _LISTING_PAGE.fullmatch(path) is not None

    def output_file(self, path: str) -> str:
        """File written for a site-relative path: ``items/x/`` → ``items/x/index.html``, inside
        the edition's folder (``en/items/x/index.html``) unless every edition shares it."""
        file = path + "index.html" if path == "" or path.endswith("/") else path
        return file if not self.edition or self.shared(file) else self.edition + file

    def href(self, path: str, anchor: str | None = None) -> str:
        """Root-relative link, base path (and edition) included: ``/repo/items/x/#a``, ``/repo/en/items/x/``."""
        return (self.site_path if self.edition and self.shared(path) else self.base_path) + path + (f"#{anchor}" if anchor else "")

    def absolute(self, path: str, anchor: str | None = None) -> str:
        """Absolute permalink, as cited: ``https://…/repo/items/x/#a``."""
        return (self.site_url if self.edition and self.shared(path) else self.base_url) + path + (f"#{anchor}" if anchor else "")

    # shorthands
    def figure(self, ident: str) -> str:
        return self.page("figures", ident)

    def item(self, ident: str) -> str:
        return self.page("items", ident)

    def report(self, ident: str) -> str:
        return self.page("reports", ident)

    def data(self, name: str) -> str:
        return f"data/{name}"

    @staticmethod
    def feed(path: str) -> str:
        """The Atom feed of the entry page at ``path`` (see FEED_SECTIONS), or "" if it has none."""
        section, _, rest = path.partition("/")
        return path + "feed.xml" if section in FEED_SECTIONS and rest.count("/") == 1 and rest != "/" else ""


_EDITION = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})*/")
"""An edition's folder: a lowercase language tag and a slash (``en/``)."""

_LISTING_PAGE = re.compile(r"([a-z]+/(?:[^/]+/)?)page/([2-9]|[1-9][0-9]+)/")
"""``<listing>page/<n>/`` with n ≥ 2, the listing being ``<section>/`` or ``<section>/<id>/``: in the URL
scheme these are a listing's later pages, whatever the section, so a new paginated page type
needs no change here.  An entry's own page is ``<section>/<id>/`` (two segments; ids hold no
``/``), so none can look like one."""
