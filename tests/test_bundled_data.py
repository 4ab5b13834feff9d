"""The bundled report as data: complete, verbatim, and checked against a hand count.

EXPECTED below was written from a reading of the source text, independently of the
YAML files: every number the report states, by paragraph, as (value in the base
unit, qualifier).  The validator separately proves that every Arabic number in the
text is covered by a figure or a listed non-figure.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from civictrack.errors import ErrorSink
from civictrack.source import parse_source
from civictrack.check import check_project
from civictrack.dataset import Dataset

from .conftest import ROOT

REPORT = "cq-2024-edu-response"
SOURCE = ROOT / "content" / "reports" / f"{REPORT}.txt"
SEED = ROOT.parent / "shared" / "seeds" / "000_8cd42acdaa272c11.txt"

M = "more_than"
EXPECTED: dict[str, list[tuple[str, str]]] = {
    "p4": [("5", "exact")],
    "s1-2": [("17", "exact"), ("2", "exact"), ("575000", "exact"), ("99.2", "exact")],
    "s1-3": [("17570000000", "exact"), ("3371000000", "exact")],
    "s2-1": [("93.06", "exact"), ("56.56", "exact"), ("94.61", "exact")],
    "s2-2": [("8", "exact"), ("7", "exact"), ("6", "exact")],
    "s2-3": [("6", "exact"), ("19000", "exact"), ("236000", "exact"), ("10000", "exact"), ("6", "nearly"),
             ("14", "exact"), ("20", "exact"), ("20", "exact"), ("35", "exact"), ("50", "exact"), ("100", "exact")],
    "s2-4": [("1", "exact"), ("27150000", "exact"), ("4000000", "exact"), ("7000000", "exact")],
    "s3-1": [("10", "exact"), ("684", "exact")],
    "s3-2": [("140000000", M), ("30000", M), ("11", "exact"), ("14", "exact"), ("14", "exact"), ("1", "exact"),
             ("1", "exact")],
    "s3-3": [("649", "exact"), ("66.6", "exact"), ("224", "exact")],
    "s4-1": [("406", "exact"), ("3031", "exact"), ("36340000", "exact"), ("6", "exact")],
    "s4-2": [("3205", "exact"), ("8100", M), ("500000", M), ("6000000", M), ("616", "exact"), ("440000000", M),
             ("5", "exact"), ("3", "exact"), ("3", "exact"), ("19", "exact")],
    "s5-2": [("126", "exact"), ("2300", M), ("5", "exact"), ("32", "exact")],
    "s5-3": [("20", "exact"), ("32", "exact"), ("2", "exact")],
}
DERIVED = {  # base-unit value of each derived figure, from the report's stated change
    "cq-edu-transfer-payments-2023": Decimal("14199000000"),  # 175.7亿元 − 33.71亿元
}
DERIVED_COUNT = 3  # transfer payments last year, enrolment plan last year, Tibet school fund increase


@pytest.fixture(scope="module")
def data() -> Dataset:
    sink = ErrorSink()
    result = check_project(ROOT, sink)
    assert not sink, "\n".join(map(str, sink.sorted()))
    assert result is not None
    return result


SEED_SHA256 = "172159bfe796b9f0a74a236722905691e12782cfdc319f4c6985e002e25c04bd"  # of the seed as received


def test_source_text_is_the_seed_unchanged() -> None:
    import hashlib

    assert hashlib.sha256(SOURCE.read_bytes()).hexdigest() == SEED_SHA256
    if SEED.exists():  # beside a checkout in the workplace (and in CI): compare the bytes too
        assert SOURCE.read_bytes() == SEED.read_bytes()


def test_source_anchors_follow_the_reports_numbering() -> None:
    source, problems = parse_source("x", SOURCE.read_text(encoding="utf-8"))
    assert problems == []
    assert source.anchors == ["p1", "p2", "p3", "p4", "s1", "s1-1", "s1-2", "s1-3", "s2", "s2-1", "s2-2", "s2-3",
                              "s2-4", "s3", "s3-1", "s3-2", "s3-3", "s4", "s4-1", "s4-2", "s5", "s5-1", "s5-2",
                              "s5-3", "p5"]


def test_counts(data: Dataset) -> None:
    assert len(data.reports) == 2
    assert len(data.areas) == 5
    assert [item.number for item in data.items] == ["(一)", "(二)", "(三)", "(一)", "(二)", "(三)", "(四)", "(一)",
                                                     "(二)", "(三)", "(一)", "(二)", "(一)", "(二)", "(三)"]
    assert [data.areas[item.area].number for item in data.items] == list("一一一二二二二三三三四四五五五")
    assert all(item.actions for item in data.items)
    assert len(data.derived_figures) == DERIVED_COUNT


def test_every_stated_number_matches_the_hand_count(data: Dataset) -> None:
    got: dict[str, Counter] = {}
    for info in data.stated_figures:
        got.setdefault(info.paragraph, Counter())[(format(info.value_normalized.normalize(), "f"),
                                                    info.figure.qualifier)] += 1
    assert got == {anchor: Counter(values) for anchor, values in EXPECTED.items()}
    assert len(data.stated_figures) == sum(len(v) for v in EXPECTED.values())


def test_every_quote_occurs_verbatim_in_the_source_text(data: Dataset) -> None:
    text = SOURCE.read_text(encoding="utf-8")
    paragraphs = {p.anchor: p.text for p in data.texts[REPORT].paragraphs}
    for info in data.figures.values():
        assert info.figure.quote in text, info.figure.id
        assert info.figure.quote in paragraphs[info.paragraph], info.figure.id
        if not info.figure.derived:
            assert info.figure.written in info.figure.quote, info.figure.id
            assert info.figure.value in info.figure.written, info.figure.id
            start, end = info.span
            assert paragraphs[info.paragraph][start:end] == info.figure.written
    for item in data.items:
        for action in item.actions:
            assert action.quote in paragraphs[action.paragraph or item.paragraph], (item.id, action.id)
            assert action.status_basis in action.quote


def test_qualifiers_are_kept(data: Dataset) -> None:
    for info in data.stated_figures:
        written = info.figure.written
        if "余" in written or "超" in written:
            assert info.figure.qualifier == "more_than", written
        elif "近" in written:
            assert info.figure.qualifier == "nearly", written
        else:
            assert info.figure.qualifier == "exact", written


def test_derived_figures_follow_from_stated_ones(data: Dataset) -> None:
    for info in data.derived_figures:
        assert info.figure.formula and info.figure.written is None and info.figure.note
    for fid, value in DERIVED.items():
        assert data.figures[fid].value_normalized == value


def test_vocabulary_names_are_in_the_text(data: Dataset) -> None:
    text = SOURCE.read_text(encoding="utf-8")
    used = {ref for item in data.items for ref in item.documents}
    for ident in used:
        assert data.documents[ident].name in text, ident
    for ident in {ref for item in data.items for ref in item.places}:
        assert data.places[ident].name in text or ident == "chongqing", ident
