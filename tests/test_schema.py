"""The JSON Schemas in schema/ match the model and accept every bundled data file."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from civictrack.schema import SCHEMA_FILES, schemas, vscode_settings

from .conftest import ROOT


def test_committed_schemas_are_current() -> None:
    for name, text in schemas().items():
        assert (ROOT / "schema" / name).read_text(encoding="utf-8") == text, \
            f"schema/{name} is stale: run `python build.py schema`"
    assert (ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8") == vscode_settings()


def test_every_data_file_validates_against_its_schema() -> None:
    checked = 0
    for name, (_, pattern) in SCHEMA_FILES.items():
        schema = json.loads((ROOT / "schema" / name).read_text(encoding="utf-8"))
        for path in sorted(ROOT.glob(pattern)):
            jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)
            checked += 1
    assert checked >= 15 + 2 + 5 + 1


def test_schema_rejects_an_unknown_key() -> None:
    schema = json.loads((ROOT / "schema" / "item.schema.json").read_text(encoding="utf-8"))
    item = yaml.safe_load((ROOT / "data" / "items" / "cq-2024-edu-funding.yaml").read_text(encoding="utf-8"))
    item["figures"][0]["valeu"] = "1"
    try:
        jsonschema.validate(item, schema)
    except jsonschema.ValidationError as exc:
        assert "valeu" in exc.message
    else:  # pragma: no cover
        raise AssertionError("schema accepted an unknown key")
