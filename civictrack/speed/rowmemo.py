"""Table rows rendered once and reused: a figure's row in every table that lists it, an item's
row in every listing, across the pages of a build and the rebuilds of a preview.

A row shows only the objects it is given (kept with it, so their ``id()`` stays theirs) and
the values in its key; anything else a row template shows must go into the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from civictrack.dataset import Dataset, FigureInfo

_MEMO: dict[tuple[Any, ...], tuple[Any, Markup]] = {}


def forget_rows() -> None:
    """Drop every remembered row (a full build: the templates may have changed)."""
    _MEMO.clear()


class Rows:
    """The row helpers templates call: ``figure_row``, ``item_row``, ``key_figure``, ``action_row``."""

    def __init__(self, data: Dataset, labels: dict[tuple[str, str], str], titles: Mapping[str, str],
                 base_path: str, tracks: Mapping[tuple[str, str], Any]) -> None:
        self.data = data
        self.tracks = tracks
        self.labels = labels
        self.titles = titles
        self.base_path = base_path
        self.status_names = tuple((sid, status.name) for sid, status in data.statuses.items())
        self.env: Any = None
        self.row_template: Any = None

    def use(self, env: Any) -> None:
        """Render with ``env`` (made after the globals that hold these helpers)."""
        self.env = env
        self.row_template = env.get_template("partials/figure_row.html")

    def figure_row(self, info: FigureInfo, show_item: bool) -> Markup:
        """A figures-table row, rendered once and reused on every page and rebuild that shows it."""
        title = self.titles.get(info.item, "") if show_item and info.item else ""
        key = (id(info.figure), info.value_normalized, info.base_unit, info.report, info.paragraph,
               info.item, title, self.labels.get((info.report, info.paragraph)), show_item, self.base_path)
        hit = _MEMO.get(key)
        if hit is not None and hit[0] is info.figure:
            return hit[1]
        html = Markup(self.row_template.render(info=info, show_item=show_item))
        _MEMO[key] = (info.figure, html)  # holding the figure keeps its id() from being reused
        return html

    def memo_row(self, template: str, held: tuple[Any, ...], key: tuple[Any, ...], **context: Any) -> Markup:
        """A partial rendered once and reused like ``figure_row``: ``held`` are the objects it
        shows (kept, so their id() stays theirs), ``key`` whatever else it shows."""
        full_key = (template, *map(id, held), *key, self.base_path)
        hit = _MEMO.get(full_key)
        if hit is not None and all(a is b for a, b in zip(hit[0], held)):
            return hit[1]
        html = Markup(self.env.get_template(template).render(**context))
        _MEMO[full_key] = (held, html)
        return html

    def item_row(self, item: Any) -> Markup:  # an item list's row
        return self.memo_row("partials/item_row.html", (item,), (self.data.areas[item.area].number, self.status_names),
                             item=item)

    def key_figure(self, item: Any, info: FigureInfo) -> Markup:  # the overview's first figure of an item
        return self.memo_row("partials/key_figure.html", (item, info), (self.data.areas[item.area].number,),
                             item=item, info=info)

    def action_row(self, item: Any, index: int) -> Markup:  # a status page's action
        track = self.tracks[(item.id, item.actions[index].id)]
        return self.memo_row("partials/action_row.html", (item, track), (index, self.data.areas[item.area].number),
                             it=item, index=index, track=track)

    def globals(self) -> dict[str, Any]:
        return {"figure_row": self.figure_row, "item_row": self.item_row, "key_figure": self.key_figure,
                "action_row": self.action_row}
