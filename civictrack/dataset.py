"""The validated data set the build works from: :class:`Dataset` and :class:`FigureInfo`.

Made by ``check`` (from pydantic models) or read from the data-set cache (as
``speed.records`` records); this module imports neither, so a build from the cache never
imports pydantic or the model module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from civictrack.model import Area, Body, Change, Document, Figure, Item, Place, Report, SiteConfig, Status, Tag
    from civictrack.source import SourceText


@dataclass(frozen=True)
class FigureInfo:
    """A figure with everything resolved: where it stands and its exact normalised value."""

    figure: Figure
    report: str
    item: str | None
    paragraph: str
    value_normalized: Decimal
    base_unit: str
    span: tuple[int, int] | None  # where `written` stands in the paragraph (stated figures)


@dataclass
class Dataset:
    """The validated data, in report order, ready for indexes and pages."""

    config: SiteConfig
    reports: dict[str, Report]
    texts: dict[str, SourceText]
    areas: dict[str, Area]
    area_report: dict[str, str]
    items: list[Item]
    figures: dict[str, FigureInfo]
    bodies: dict[str, Body]
    places: dict[str, Place]
    documents: dict[str, Document]
    tags: dict[str, Tag]
    statuses: dict[str, Status]
    changes: list[Change] = field(default_factory=list)  # newest first

    @property
    def stated_figures(self) -> list[FigureInfo]:
        return [f for f in self.figures.values() if not f.figure.derived]

    @property
    def derived_figures(self) -> list[FigureInfo]:
        return [f for f in self.figures.values() if f.figure.derived]
