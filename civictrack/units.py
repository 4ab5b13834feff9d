"""Numbers as written → exact decimals in a base unit (57.5 万名 → 575000 名).

Arithmetic is :class:`decimal.Decimal`, never float, so nothing is rounded.
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


def parse_value(value: str) -> Decimal | None:
    """The number in ``value`` ("57.5", "1,284", "两", "十四"), or ``None`` if unreadable."""
    if _ARABIC.match(value):
        try:
            return Decimal(value.replace(",", "").replace("．", "."))
        except InvalidOperation:  # pragma: no cover - the regex excludes this
            return None
    number = cn_number(value)
    return Decimal(number) if number is not None else None


def split_unit(unit: str) -> tuple[Decimal, str]:
    """Factor and base unit of a written unit: 万名 → (10000, 名), % → (1, %)."""
    for prefix, factor in MULTIPLIERS:
        if unit.startswith(prefix) and len(unit) > len(prefix):
            return factor, unit[len(prefix):]
    return Decimal(1), unit


def normalize(value: str, unit: str) -> tuple[Decimal, str] | None:
    """Exact value in the base unit, or ``None`` if ``value`` is unreadable."""
    number = parse_value(value)
    if number is None:
        return None
    factor, base = split_unit(unit)
    return number * factor, base


def plain(number: Decimal) -> str:
    """A decimal as plain digits, no exponent, no trailing zeros: 575000, 93.06."""
    text = format(number.normalize(), "f")
    return text


def qualifier_of(written: str) -> str:
    """The qualifier that the marks in a written figure imply (exact if none)."""
    for mark, qualifier in QUALIFIER_MARKS:
        if (mark.search(written) if isinstance(mark, re.Pattern) else mark in written):
            return qualifier
    return "exact"
