"""Numbers as written → exact decimals in a base unit (57.5 万名 → 575000 名; 1.2 £bn →
1200000000 GBP).

Arithmetic is :class:`decimal.Decimal`, never float, so nothing is rounded.  How a unit and a
qualifier are read depends on the language of the text (``site.yaml``'s ``language``): Chinese
(the default) or English.

The English unit rule: a figure's ``unit`` is its written form without the qualifier words and
without the number, as written (the currency sign, the multiplier and the unit words, with the
space the text has between them): ``£1.2bn`` → value ``1.2``, unit ``£bn``; ``£45 million`` →
``45``, ``£ million``; ``12 per cent`` → ``12``, ``per cent``; ``up to 300 people`` → ``300``,
``people``.  Its base unit: the currency's code (£ GBP, $ USD, € EUR), ``%`` for per cent, percent
and %, ``persons`` for people, persons and person, else the unit's words; its multiplier bn or
billion 10⁹, m or million 10⁶, k or thousand 10³, where a currency sign or a unit word goes with
it (``£45m``, ``3 million people``; ``400m`` alone is 400 of the unit m).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from civictrack.source import cn_number

MULTIPLIERS = (("亿", Decimal(100_000_000)), ("万", Decimal(10_000)), ("千", Decimal(1_000)))
"""Leading unit prefixes and their factors; the rest of the unit is the base unit."""

NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:[.．]\d+)?(?![\d,])|\d+(?:[.．]\d+)?")
"""A number as the text writes it: digits (full-width ones too), a decimal point (. or ．), ASCII
thousands separators (1,284).
`check` requires every one of a report's text to be a figure or a non-figure."""
_ARABIC = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:[.．]\d+)?$")

QUALIFIER_MARKS = (("余", "more_than"), ("超", "more_than"), ("逾", "more_than"),
                   (re.compile(r"[\d十百千万亿]多"), "more_than"), ("近", "nearly"), ("约", "about"),
                   ("至少", "at_least"), ("以上", "at_least"))
"""Marks in a written figure that set its qualifier (多 only right after a number: 10多个).
`build.py draft` writes figures with the qualifier words of its rules file
(civictrack/draft/rules/zh-CN.yaml); tests/test_draft.py keeps the two in agreement."""


EN_QUALIFIERS = (("more than", "more_than"), ("in excess of", "more_than"), ("upwards of", "more_than"),
                 ("over", "more_than"), ("nearly", "nearly"), ("almost", "nearly"), ("close to", "nearly"),
                 ("just under", "nearly"), ("approximately", "about"), ("around", "about"), ("about", "about"),
                 ("roughly", "about"), ("some", "about"), ("at least", "at_least"), ("no fewer than", "at_least"),
                 ("no less than", "at_least"), ("or more", "at_least"), ("up to", "at_most"),
                 ("as many as", "at_most"))
"""English words in a written figure that set its qualifier (whole words, any case).  `build.py
draft` writes figures with the qualifier words of civictrack/draft/rules/en.yaml; tests/test_english.py
keeps the two in agreement."""
_EN_QUALIFIER = re.compile(r"(?<![A-Za-z])(" + "|".join(w.replace(" ", r"\s+") for w, _ in EN_QUALIFIERS)
                           + r")(?![A-Za-z])", re.IGNORECASE)
_EN_QUALIFIER_OF = {w: q for w, q in EN_QUALIFIERS}

EN_CURRENCIES = {"£": "GBP", "$": "USD", "€": "EUR"}
"""Currency signs written before an English figure's number, and the base unit (ISO 4217 code)."""
EN_MULTIPLIERS = (("billion", Decimal(1_000_000_000)), ("bn", Decimal(1_000_000_000)),
                  ("million", Decimal(1_000_000)), ("m", Decimal(1_000_000)),
                  ("thousand", Decimal(1_000)), ("k", Decimal(1_000)))
EN_BASE_UNITS = {"per cent": "%", "percent": "%", "%": "%", "people": "persons", "persons": "persons",
                 "person": "persons"}
"""English unit words and their base unit (any other unit is its own base unit)."""


def parse_value(value: str) -> Decimal | None:
    """The number in ``value`` ("57.5", "1,284", "两", "十四"), or ``None`` if unreadable."""
    if _ARABIC.match(value):
        try:
            return Decimal(value.replace(",", "").replace("．", "."))
        except InvalidOperation:  # pragma: no cover - the regex excludes this
            return None
    number = cn_number(value)
    return Decimal(number) if number is not None else None


def split_unit(unit: str, language: str = "zh-CN") -> tuple[Decimal, str]:
    """Factor and base unit of a written unit: 万名 → (10000, 名), % → (1, %); in English
    £bn → (10⁹, GBP), £ million → (10⁶, GBP), per cent → (1, %), people → (1, persons)."""
    if language == "en":
        return _split_english(unit)
    for prefix, factor in MULTIPLIERS:
        if unit.startswith(prefix) and len(unit) > len(prefix):
            return factor, unit[len(prefix):]
    return Decimal(1), unit


def _split_english(unit: str) -> tuple[Decimal, str]:
    rest = " ".join(unit.split())
    currency = EN_CURRENCIES.get(rest[:1])
    if currency:
        rest = rest[1:].lstrip()
    factor = Decimal(1)
    for word, multiplier in EN_MULTIPLIERS:
        if rest == word or rest.startswith(word + " "):
            after = rest[len(word):].lstrip()
            if currency or after:  # alone it is the unit itself: 400m = 400 metres
                factor, rest = multiplier, after
            break
    base = EN_BASE_UNITS.get(rest.lower(), rest)
    if currency:
        base = f"{currency} {base}" if base else currency
    return factor, base or unit


def normalize(value: str, unit: str, language: str = "zh-CN") -> tuple[Decimal, str] | None:
    """Exact value in the base unit, or ``None`` if ``value`` is unreadable."""
    number = parse_value(value)
    if number is None:
        return None
    factor, base = split_unit(unit, language)
    return number * factor, base


def plain(number: Decimal) -> str:
    """A decimal as plain digits, no exponent, no trailing zeros: 575000, 93.06."""
    text = format(number.normalize(), "f")
    return text


def qualifier_of(written: str, language: str = "zh-CN") -> str:
    """The qualifier that the marks in a written figure imply (exact if none); in English, its
    words (more than, nearly, about, at least, up to… see ``EN_QUALIFIERS``)."""
    if language == "en":
        match = _EN_QUALIFIER.search(written)
        return _EN_QUALIFIER_OF[" ".join(match.group(1).lower().split())] if match else "exact"
    for mark, qualifier in QUALIFIER_MARKS:
        if (mark.search(written) if isinstance(mark, re.Pattern) else mark in written):
            return qualifier
    return "exact"
