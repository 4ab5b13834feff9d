"""Shared helpers: the repository root and scratch copies of small projects."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
INVALID = Path(__file__).resolve().parent / "invalid"


def overlay(base: Path, case: Path, target: Path) -> Path:
    """Copy ``base`` to ``target``, then copy the files of ``case`` over it (except expected.txt)."""
    shutil.copytree(base, target)
    for path in sorted(case.rglob("*")):
        if path.is_file() and path.name != "expected.txt":
            dest = target / path.relative_to(case)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
    return target


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A scratch copy of the minimal valid project."""
    return overlay(FIXTURES / "minimal", FIXTURES / "minimal" / "__none__", tmp_path / "project")
