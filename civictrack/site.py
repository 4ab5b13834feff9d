"""Render the whole site into an :class:`Output` (nothing is written here)."""

from __future__ import annotations

from .opendata import figures_csv, items_json
from .urls import Urls
from .validate import Dataset
from .writer import Output


def build_site(data: Dataset, base_url: str) -> Output:
    """Every output file of the site, as ``{path: bytes}``."""
    urls = Urls(base_url)
    output = Output()
    output.add(urls.data("figures.csv"), figures_csv(data, urls))
    output.add(urls.data("items.json"), items_json(data, urls))
    return output
