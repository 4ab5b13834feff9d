"""Property tests: whatever an item file holds, loading and validation never raise.

``civictrack.validate.check_project`` is called in-process on a scratch copy of the minimal
project whose ``data/items/i1.yaml`` is replaced by generated content: arbitrary bytes, YAML-ish
text, and arbitrary nested structures (dicts, lists, text, whole numbers, booleans, null) dumped
to YAML, alone or in place of one field of the valid item.  The result is always either a
Dataset with no errors, or ``None`` with at least one error, every error printed as
``file:line:column: message`` with a line and column of at least 1.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civictrack.errors import ErrorSink
from civictrack.check import check_project
from civictrack.dataset import Dataset

from . import proof
from .conftest import FIXTURES

SETTINGS = settings(max_examples=150, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
ERROR = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<column>\d+): \S")
ITEM = "data/items/i1.yaml"
VALID_ITEM: dict[str, Any] = yaml.safe_load((FIXTURES / "minimal" / ITEM).read_text(encoding="utf-8"))
KEYS = sorted(VALID_ITEM) + ["body", "charts", "aliases", "quote", "label", "value", "unit", "written", "derived",
                             "formula", "qualifier", "status", "text", "figures", "<<", "", " ", "id "]

YAML_TOKENS = ["id: ", "i1", "\n", "  ", "- ", ": ", "[", "]", "{", "}", ", ", "&a ", "*a", "!!str ", "!!python/object ",
               "? ", "|\n  ", ">\n  ", "'", '"', "#", "---\n", "...\n", "\t", "%YAML 1.1\n", "<<: ", "no", "1.10",
               "2024-12-27", "0x1F", "~", "null", "true", "新增学校3所", "《测试方案》", "\\u0000", "\ufeff", "é", "\r\n"]


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    """One scratch copy of the minimal project for all examples (each rewrites only the item file)."""
    folder = Path(tempfile.mkdtemp(prefix="civictrack-properties-"))
    project = folder / "project"
    shutil.copytree(FIXTURES / "minimal", project)
    yield project
    shutil.rmtree(folder, ignore_errors=True)


def check_never_raises(project: Path, content: bytes) -> None:
    (project / ITEM).write_bytes(content)
    proof.add("property_examples", 1)
    sink = ErrorSink()
    try:
        result = check_project(project, sink)
    except BaseException:
        proof.add("property_failures", 1)
        raise
    if result is None:
        assert len(sink) > 0, "no Dataset and no error"
    else:
        assert isinstance(result, Dataset)
        assert len(sink) == 0, [str(e) for e in sink.errors]
    for error in sink.errors:
        match = ERROR.match(str(error))
        assert match, f"not file:line:column: {error}"
        assert error.line >= 1 and error.column >= 1, str(error)
        assert not Path(error.file).is_absolute(), str(error)


def dump(value: Any) -> bytes:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False).encode("utf-8")


scalars = st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.text(max_size=30) | \
    st.sampled_from(["i1", "r", "a1", "s1-1", "done", "3", "1.5", "所", "亿元", "今年新增学校3所", "funds-2024",
                     "funds-2024 - funds-change-2024", "more_than", "2024", "../x", "A B"])
structures = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(
        st.sampled_from(KEYS) | st.text(max_size=8), children, max_size=6),
    max_leaves=25)


@SETTINGS
@given(content=st.binary(max_size=3000))
def test_arbitrary_bytes(scratch: Path, content: bytes) -> None:
    check_never_raises(scratch, content)


@SETTINGS
@given(content=st.one_of(
    st.lists(st.sampled_from(YAML_TOKENS) | st.text(max_size=6), max_size=60).map("".join),
    st.text(alphabet=st.sampled_from(list(":-[]{},&*!|>'\"#%@`?\n\t \\abcxyz019新增《》")), max_size=200)))
def test_yamlish_text(scratch: Path, content: str) -> None:
    check_never_raises(scratch, content.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(value=structures)
def test_arbitrary_structures(scratch: Path, value: Any) -> None:
    check_never_raises(scratch, dump(value))


@SETTINGS
@given(key=st.sampled_from(KEYS), value=structures, where=st.sampled_from(["item", "action", "figure"]))
def test_valid_item_with_one_field_replaced(scratch: Path, key: str, value: Any, where: str) -> None:
    item = yaml.safe_load(dump(VALID_ITEM))  # a deep copy
    target = {"item": item, "action": item["actions"][0], "figure": item["figures"][1]}[where]
    target[key] = value
    check_never_raises(scratch, dump(item))


def test_the_scratch_project_is_valid_as_copied(scratch: Path) -> None:
    """The properties start from a project that builds: the replaced file is what breaks it."""
    (scratch / ITEM).write_bytes((FIXTURES / "minimal" / ITEM).read_bytes())
    sink = ErrorSink()
    assert isinstance(check_project(scratch, sink), Dataset), [str(e) for e in sink.errors]
    proof.PROOF.setdefault("property_failures", 0)
