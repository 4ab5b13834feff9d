"""The site's languages: interface text from message catalogs, data text per edition, locale formats.

Interface text is written in the templates and the code as its Chinese original, marked for
translation (``_("数字")`` in Python and templates, ``N_`` where it is only named, e.g. in a
table of labels made at import); ``scripts/catalogs.py`` (Babel's extractor, with
``babel.cfg``) collects it into ``catalogs/messages.pot``, and ``catalogs/<lang>.po``
holds each language's translation (zh-CN translates each message to itself, so a translator can
still change a wording without touching a template).

A build renders one edition at a time: ``use(lang)`` makes ``gettext`` answer in that language,
and ``text``/``marked`` pick a data field's rendering for it (``title_en`` for ``title`` on the
English edition), falling back to the source's own words, which ``marked`` wraps in an element
with their ``lang`` so that readers and screen readers know what they are reading.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from civictrack.source import cn_number

CATALOGS = Path(__file__).parent / "catalogs"
MESSAGE_LANGUAGE = "zh-CN"
"""The language the messages are written in (their msgid)."""
BABEL_LOCALE = {"zh-CN": "zh_Hans_CN", "en": "en_GB"}
"""The Babel locale whose formats (numbers, dates) an edition uses."""
FIELD_SUFFIX = {"en": "_en"}
"""An edition's data fields: ``title`` is shown as ``title_en`` on the English edition."""
NAMES = {"zh-CN": "中文", "en": "English"}
"""Each language named in itself, for the language switch."""


def editions(config: Any) -> list[str]:
    """The languages of a site's editions (``site.yaml``'s ``languages``), the root one first.
    (A function, not a model property: the data-set cache holds plain records.)"""
    return list(config.languages or [config.language])


_state: dict[str, Any] = {"lang": MESSAGE_LANGUAGE, "source": MESSAGE_LANGUAGE, "catalog": {}, "markup": {}}


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, Any]:
    """msgid → msgstr (a tuple of forms for plural messages) of ``catalogs/<lang>.po``; messages
    without a translation are left out (``gettext`` then gives the msgid)."""
    from babel.messages.pofile import read_po

    path = CATALOGS / f"{lang}.po"
    if not path.is_file():
        raise ValueError(f"no message catalog for language {lang!r} ({path})")
    with path.open("rb") as handle:
        parsed = read_po(handle, locale=BABEL_LOCALE[lang].split("_")[0])
    found: dict[str, Any] = {}
    for message in parsed:
        if not message.id or message.fuzzy:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        if message.context:
            key = f"{message.context}\x04{key}"
        if isinstance(message.string, str):
            if message.string:
                found[key] = message.string
        elif all(message.string):
            found[key] = tuple(message.string)
    return found


def use(lang: str, source: str | None = None) -> None:
    """Answer in ``lang`` from now on; ``source`` is the language the data is written in."""
    _state.update(lang=lang, source=source or _state["source"], catalog=catalog(lang),
                  markup=_MARKUP.setdefault(lang, {}))


_MARKUP: dict[str, dict[str, Markup]] = {}
"""Per language: message → its translation as markup, as the templates get it (``template_gettext``)."""


@contextlib.contextmanager
def speaking(lang: str, source: str | None = None) -> Iterator[None]:
    """``use(lang)`` for the length of a ``with`` block, then back to what was in use."""
    before = dict(_state)
    use(lang, source)
    try:
        yield
    finally:
        _state.update(before)


def language() -> str:
    """The language in use."""
    return _state["lang"]


def source_language() -> str:
    """The language the data is written in."""
    return _state["source"]


def gettext(message: str) -> str:
    """``message`` in the language in use."""
    found = _state["catalog"].get(message)
    return found if isinstance(found, str) else message


_ = gettext


def N_(message: str) -> str:
    """Marks ``message`` for the catalogs where it is only named (translated where it is shown)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a plural message for ``n`` (Chinese has one form; English two)."""
    found = _state["catalog"].get(singular)
    if isinstance(found, tuple):  # the catalog's forms: [one, other] (a language with one form: [other])
        return found[0] if len(found) > 1 and _plural_rule(_state["lang"])(n) == "one" else found[-1]
    return singular if n == 1 else plural


@lru_cache(maxsize=None)
def _plural_rule(lang: str) -> Any:
    from babel import Locale
    return Locale.parse(BABEL_LOCALE[lang]).plural_form


def pgettext(context: str, message: str) -> str:
    """``message`` in the language in use, told apart from the same words elsewhere by ``context``."""
    found = _state["catalog"].get(f"{context}\x04{message}")
    return found if isinstance(found, str) else message


class Translated(Mapping[str, str]):
    """A table of messages made at import (each marked ``N_``), read in the language in use:
    ``TABLE[key]`` is the message's translation at the time it is shown.  Templates and code
    index it as the dict it replaces; ``raw`` holds the messages themselves."""

    __slots__ = ("raw",)

    def __init__(self, raw: Mapping[str, str]) -> None:
        self.raw = dict(raw)

    def __getitem__(self, key: str) -> str:
        message = self.raw[key]
        return gettext(message) if message else message

    def __iter__(self) -> Iterator[str]:
        return iter(self.raw)

    def __len__(self) -> int:
        return len(self.raw)

    def __repr__(self) -> str:
        return f"Translated({self.raw!r})"


class TranslatedRows(Sequence[tuple[Any, ...]]):
    """A sequence of tuples made at import whose item ``at`` is a message (marked ``N_``):
    each row is given with that message translated into the language in use (the navigation's
    ``(label, path)`` pairs, a table's ``(column, meaning)`` rows)."""

    __slots__ = ("raw", "at")

    def __init__(self, raw: Iterator[tuple[Any, ...]] | Sequence[tuple[Any, ...]], at: int = 0) -> None:
        self.raw = tuple(tuple(row) for row in raw)
        self.at = at

    def _row(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        return row[:self.at] + (gettext(row[self.at]),) + row[self.at + 1:]

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self._row(row) for row in self.raw[index]]
        return self._row(self.raw[index])

    def __len__(self) -> int:
        return len(self.raw)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return (self._row(row) for row in self.raw)

    def __repr__(self) -> str:
        return f"TranslatedRows({self.raw!r}, at={self.at})"


# the templates' gettext: Jinja's "newstyle" semantics (the message is trusted markup, its
# %(name)s variables are escaped, and it is always %-formatted, so %% is a percent sign), as
# plain functions: Jinja's own wrappers go through the context's call machinery on each of the
# hundreds of messages a page shows (a 1,000-item build spent a third of its time there)

def template_gettext(__string: str, **variables: Any) -> Markup:
    """``{{ _("…", name=value) }}`` in a template (``Markup(message) % variables``, with the
    message split once into its text and its ``%(name)s`` places)."""
    table = _state["markup"]
    parts = table.get(__string)
    if parts is None:
        parts = table[__string] = _parts(gettext(__string))
    if type(parts) is Markup:  # a message with other % forms than %(name)s and %%
        return parts % variables
    if len(parts) == 1:
        return parts[0]
    out = [parts[0]]
    for k in range(1, len(parts), 2):
        value = variables[parts[k]]
        out.append(value if type(value) is Markup else escape(value))
        out.append(parts[k + 1])
    return Markup("".join(out))


_PLACE = re.compile(r"%\((\w+)\)s|%%")


def _parts(message: str) -> Any:
    """[text, name, text, name, text…] of a message whose only % forms are %(name)s and %%
    (the texts with %% read as %), else the message as Markup."""
    if "%" not in message:
        return [Markup(message)]
    if "%" in _PLACE.sub("", message):
        return Markup(message)
    parts: list[Any] = []
    text, position = "", 0
    for match in _PLACE.finditer(message):
        text += message[position:match.start()]
        position = match.end()
        if match.group(1) is None:
            text += "%"
        else:
            parts += [text, match.group(1)]
            text = ""
    text += message[position:]
    return parts + [text]


def template_ngettext(__singular: str, __plural: str, __num: int, **variables: Any) -> Markup:
    """``{{ ngettext("…", "…", n) }}`` in a template (``num`` is ``n`` unless given)."""
    variables.setdefault("num", __num)
    return Markup(ngettext(__singular, __plural, __num)) % variables


def template_pgettext(__string_ctx: str, __string: str, **variables: Any) -> Markup:
    """``{{ pgettext("context", "…") }}`` in a template (``context`` is the context unless given)."""
    variables.setdefault("context", __string_ctx)
    return Markup(pgettext(__string_ctx, __string)) % variables


# data text per edition -----------------------------------------------------------------------

def rendering(obj: Any, field: str) -> tuple[str, str]:
    """(text, its language) of ``obj.<field>`` on the edition in use: the edition's own field
    (``title_en``) where the data gives it, else the source's words."""
    original = getattr(obj, field)
    lang = _state["lang"]
    if lang != _state["source"]:
        suffix = FIELD_SUFFIX.get(lang)
        own = getattr(obj, field + suffix, None) if suffix else None
        if own:
            return own, lang
    return original, _state["source"]


def text(obj: Any, field: str) -> str:
    """``obj.<field>`` as the edition in use shows it, as plain text (for attributes, titles and
    feeds, where no language can be marked)."""
    if obj is None:
        return ""
    value = getattr(obj, field)
    if value is None:
        return ""
    return rendering(obj, field)[0]


def marked(obj: Any, field: str) -> Markup:
    """``obj.<field>`` as the edition in use shows it, escaped; words in another language than
    the page's are wrapped in ``<span lang="…">``."""
    if obj is None:
        return Markup("")
    value = getattr(obj, field)
    if value is None:
        return Markup("")
    if _state["lang"] == _state["source"]:
        return escape(value)
    value, lang = rendering(obj, field)
    return foreign(value, lang)


def foreign(value: str, lang: str | None = None) -> Markup:
    """``value`` escaped, in a ``<span lang>`` if its language (default: the source's) is not the page's."""
    lang = lang or _state["source"]
    if lang == _state["lang"]:
        return Markup(escape(value))
    return Markup(f'<span lang="{lang}">{escape(value)}</span>')


def source_lang_attr() -> Markup:
    """`` lang="zh-CN"`` on an element holding the source's words (quotes, the report's text) when
    the page speaks another language, else nothing."""
    if _state["source"] == _state["lang"]:
        return Markup("")
    return Markup(f' lang="{_state["source"]}"')


_CN_NUMERAL = re.compile("[零一二两三四五六七八九十]+")
_WIDE_MARKS = str.maketrans({"（": "(", "）": ")", "、": ".", "．": "."})
_STILL_WIDE = re.compile("[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def _converted(value: str) -> str | None:
    """A Chinese report's numbering in Arabic numerals and ASCII marks (二(一) → 2(1), 一、 → 1.)
    on another edition; None where it stays as written (the source's own edition, a numbering
    that is not Chinese, or one that cannot be converted)."""
    if _state["lang"] == _state["source"] or not _state["source"].startswith("zh"):
        return None

    def arabic(match: re.Match[str]) -> str:
        number = cn_number(match.group(0))
        return str(number) if number is not None else match.group(0)

    converted = _CN_NUMERAL.sub(arabic, value).translate(_WIDE_MARKS)
    return None if _STILL_WIDE.search(converted) else converted


def numbering(value: str) -> Markup:
    """A report's own numbering (二(一), 一、, 3.) as the edition shows it: as written on the
    source's edition; converted on another (``_converted``), since a title or a link cannot mark a
    language inside it; what cannot be converted stays as written, marked (``foreign``)."""
    converted = _converted(value)
    if converted is not None:
        return Markup(escape(converted))
    if _state["lang"] == _state["source"] or not _state["source"].startswith("zh"):
        return Markup(escape(value))
    return foreign(value)


def numbering_text(value: str) -> str:
    """``numbering`` as plain text (titles, attributes): converted where it can be, else as written."""
    converted = _converted(value)
    return value if converted is None else converted


# locale formats ------------------------------------------------------------------------------

def format_date(iso: str) -> str:
    """A date (ISO 8601) as the edition writes it: the ISO form itself on the Chinese edition
    (the site's convention since its first page), 27 December 2024 on the English one."""
    if not iso or _state["lang"] == "zh-CN":
        return iso
    from babel.dates import format_date as babel_date
    from datetime import date
    return babel_date(date.fromisoformat(iso), format="long", locale=BABEL_LOCALE[_state["lang"]])


def format_number(value: int | Decimal | str) -> str:
    """A count or exact decimal with the edition's grouping and decimal sign (English: 1,284.5);
    the Chinese edition writes plain digits as before. Never rounds."""
    if _state["lang"] == "zh-CN":
        return str(value)
    from babel.numbers import format_decimal
    number = Decimal(str(value))
    places = max(0, -number.as_tuple().exponent) if isinstance(number.as_tuple().exponent, int) else 0
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(number, format=pattern, locale=BABEL_LOCALE[_state["lang"]], decimal_quantization=False)
