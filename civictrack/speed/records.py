"""Plain, pydantic-free copies of the validated model objects, for the data-set cache.

A build that takes its data set from the cache (``speed.datacache``) only reads the objects:
attributes, ``model_dump()`` for the JSON twins, equality.  Unpickled as pydantic models they
would need pydantic and the model module imported first (0.3 to 0.4 s of a build on this
machine, more than reading the data set); as records of this module they need nothing.

A record has its model's class name, the fields in the model's order as attributes, and the
parts of the model interface the build uses: ``model_dump(exclude=…)`` gives what pydantic's
gives (nested records as dicts, lists copied), ``==`` compares type and fields, hashing
hashes the fields, and assignment is refused (the models are frozen).
"""

from __future__ import annotations

import gc
from typing import Any, Collection

# every class of model.py whose instances end up in a Dataset (tests/test_records.py checks it)
MODEL_NAMES = ("SiteConfig", "Report", "Area", "Item", "Action", "Figure", "Comparison", "ItemChart", "NonFigure",
               "Body", "Place", "Document", "Tag", "Status", "Change", "Correction", "Target", "OutsideSource",
               "Update", "FollowUp", "Ask")


class Record:
    """A frozen record of one model instance's fields (see the module docstring)."""

    def __setattr__(self, name: str, value: Any) -> None:
        raise TypeError(f"{type(self).__name__} is frozen: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise TypeError(f"{type(self).__name__} is frozen: cannot delete {name!r}")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash((type(self).__name__, *self.__dict__.values()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"

    def model_dump(self, exclude: Collection[str] = ()) -> dict[str, Any]:
        return {name: _dump(value) for name, value in self.__dict__.items() if name not in exclude}


def _dump(value: Any) -> Any:
    if isinstance(value, Record):
        return value.model_dump()
    if isinstance(value, list):
        return [_dump(v) for v in value]
    return value


CLASSES: dict[str, type[Record]] = {name: type(name, (Record,), {"__slots__": (), "__module__": __name__})
                                    for name in MODEL_NAMES}
globals().update(CLASSES)  # importable by name, as pickle finds classes


def to_records(value: Any, _memo: dict[int, Any] | None = None) -> Any:
    """``value`` with every model instance in it (in dicts, lists, tuples and dataclasses)
    replaced by a record; an object met twice becomes one record, met twice."""
    from dataclasses import fields, is_dataclass, replace
    from decimal import Decimal

    from pydantic import BaseModel

    memo = {} if _memo is None else _memo
    atoms = {str, int, bool, float, Decimal, type(None)}
    new = object.__new__
    names: dict[type, tuple[type[Record], tuple[str, ...]]] = {}  # model class → record class, field names

    def convert(value: Any) -> Any:
        kind = type(value)
        if kind in atoms:
            return value
        known = memo.get(id(value))
        if known is not None:
            return known[1]
        if isinstance(value, BaseModel):
            shape = names.get(kind)
            if shape is None:
                shape = names[kind] = (CLASSES[kind.__name__], tuple(kind.model_fields))
            fields_of = value.__dict__  # a model's field values, by name (no private attributes here)
            result: Any = new(shape[0])
            vars(result).update({name: v if type(v := fields_of[name]) in atoms else convert(v) for name in shape[1]})
        elif kind is dict:
            result = {k: convert(v) for k, v in value.items()}
        elif kind is list:
            result = [v if type(v) in atoms else convert(v) for v in value]
        elif kind is tuple:
            result = tuple(convert(v) for v in value)
            if all(a is b for a, b in zip(result, value)):
                return value
        elif is_dataclass(value) and not isinstance(value, type):
            changes = {f.name: convert(getattr(value, f.name)) for f in fields(value) if f.init}
            if all(changes[name] is getattr(value, name) for name in changes):
                return value  # nothing in it was a model (a source text)
            result = replace(value, **changes)
        else:
            return value
        memo[id(value)] = (value, result)  # the original kept alive: its id() stays its own
        return result

    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of new objects, none of them garbage: no collections meanwhile
    try:
        return convert(value)
    finally:
        if collecting:
            gc.enable()
