"""The data-set cache's plain records (``records.py``) stand in for the pydantic models: the
same fields, dumps, equality and sharing; frozen; and a build from them imports no pydantic
and writes the same site as a build from the models."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from civictrack import cli
from civictrack import model
from civictrack.speed import records
from civictrack.dataset import Dataset

from .conftest import ROOT
from .test_dataset_cache import _saved, read_tree


@pytest.fixture(scope="module")
def bundled() -> Dataset:
    return cli.load(ROOT)


def _models(value: Any, seen: dict[int, Any]) -> None:
    """Every model instance in ``value``, by id."""
    if id(value) in seen:
        return
    if isinstance(value, BaseModel):
        seen[id(value)] = value
        for name in type(value).model_fields:
            _models(getattr(value, name), seen)
    elif isinstance(value, dict):
        for v in value.values():
            _models(v, seen)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _models(v, seen)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            _models(getattr(value, name), seen)


def test_every_model_class_has_a_record_class() -> None:
    strict = {cls.__name__ for cls in vars(model).values()
              if isinstance(cls, type) and issubclass(cls, model.Strict) and cls not in (model.Strict, model.VocabEntry)}
    assert strict == set(records.MODEL_NAMES)


def test_records_dump_compare_and_share_as_the_models_do(bundled: Dataset) -> None:
    found: dict[int, Any] = {}
    _models(bundled, found)
    assert {type(m).__name__ for m in found.values()} >= {"Item", "Figure", "Comparison", "Report", "Area", "Change"}
    converted = records.to_records(bundled)
    memo: dict[int, Any] = {}
    again = records.to_records(bundled, memo)
    for original, record in (pair for pair in memo.values() if isinstance(pair[0], BaseModel)):
        assert type(record).__name__ == type(original).__name__
        assert record.model_dump() == original.model_dump()
        assert list(record.model_dump()) == list(original.model_dump())  # the same key order
        assert record == records.to_records(original) and not (record != records.to_records(original))
    assert len([p for p in memo.values() if isinstance(p[0], BaseModel)]) == len(found)
    report = next(iter(bundled.reports.values()))
    exclude = {"areas", "figures", "non_figures"}
    assert converted.reports[report.id].model_dump(exclude=exclude) == report.model_dump(exclude=exclude)
    # a figure is one object in its item and in the figure index (the build keys memos by id())
    info = next(i for i in again.figures.values() if i.item)
    item = next(i for i in again.items if i.id == info.item)
    assert any(f is info.figure for f in item.figures)
    assert again.config.title == bundled.config.title
    assert all(again.texts[k] is text for k, text in bundled.texts.items())  # no model inside: kept as it is


def test_records_are_frozen_and_survive_pickle(bundled: Dataset) -> None:
    converted = records.to_records(bundled)
    item = converted.items[0]
    with pytest.raises(TypeError):
        item.title = "改"
    with pytest.raises(TypeError):
        del item.title
    with pytest.raises(TypeError):  # lists inside: unhashable, as the frozen model is
        hash(item)
    info = next(i for i in bundled.figures.values() if i.figure.comparison)
    comparison = records.to_records(info.figure.comparison)  # only strings in it: hashable, as the model is
    assert hash(comparison) == hash(records.to_records(info.figure.comparison)) and comparison != item
    back = pickle.loads(pickle.dumps(converted, protocol=pickle.HIGHEST_PROTOCOL))
    assert back.items[0] == item and back.items[0].model_dump() == bundled.items[0].model_dump()
    saved = pickle.dumps(converted, protocol=pickle.HIGHEST_PROTOCOL)
    assert b"pydantic" not in saved and b"civictrack.model" not in saved and b"civictrack.speed.records" in saved


def test_a_build_from_the_cache_imports_no_pydantic_and_writes_the_same_site(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled project, built in its own process: once from the files (the models), then
    with the output gone from the cached data set (the records), in a process that must not
    import pydantic; the two sites are the same, byte for byte."""
    project = tmp_path / "p"
    project.mkdir()
    for name in ("site.yaml", "published-urls.txt", "data", "content", "templates"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, project / name)
    cache = tmp_path / "cache"
    env = {**os.environ, "CIVICTRACK_CACHE": str(cache), "SOURCE_DATE_EPOCH": "1735000000"}
    script = ("import sys; from civictrack import cli; code = cli.main(sys.argv[1:]); "
              "print('pydantic' in sys.modules, 'civictrack.model' in sys.modules); sys.exit(code)")

    def build(out: Path) -> str:
        done = subprocess.run([sys.executable, "-c", script, "--root", str(project), "build", "--no-search",
                               "--out", str(out)], capture_output=True, text=True, encoding="utf-8", timeout=300,
                              env=env, cwd=ROOT)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout.strip().splitlines()[-1]

    assert build(tmp_path / "first") == "True True"  # loaded and validated: the models
    monkeypatch.setenv("SOURCE_DATE_EPOCH", env["SOURCE_DATE_EPOCH"])  # part of the fingerprint
    assert _saved(cache, project) is not None
    assert build(tmp_path / "second") == "False False"  # from the cached records
    assert read_tree(tmp_path / "second") == read_tree(tmp_path / "first")
