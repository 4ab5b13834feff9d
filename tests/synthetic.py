"""A made-up project big enough for the build's parallel paths (forked render and chart pools).

The items are synthetic (not facts about any government): the shape of the benchmark's data
set (``bench/convert.py`` turns it into a project), made here so the tests need nothing
outside the repository.  ``n`` items give 3n figures (3n bar charts, a forked chart pool
from about 70 items) and about 4n + 50 pages (forked render workers from about 90 items).
"""

from __future__ import annotations

from pathlib import Path

from bench.convert import convert

AREAS = ("economy", "governance", "health", "education", "environment")
WORDS = "推进完善加强建立健全落实提升优化深化实施开展统筹保障规范创新服务监督管理改革试点"
UNITS = ("亿元", "万人", "所", "%", "个")


def _words(seed: int, count: int) -> str:
    return "".join(WORDS[(seed * 7 + k * 13) % len(WORDS)] for k in range(count))


def synthetic_items(n: int) -> list[dict]:
    """``n`` deterministic items (Chinese titles without digits, three figures each)."""
    items = []
    for i in range(n):
        items.append({
            "id": f"made-up-{i + 1:04d}",
            "area": AREAS[i % len(AREAS)],
            "title": _words(i, 8) + "行动",
            "body": _words(i + 1, 12) + "。" + _words(i + 2, 20) + "。\n\n- " + _words(i + 3, 6) + "\n",
            "tags": sorted({f"tag-{(i + k * 3) % 12}" for k in range(3)}),
            "figures": [{"label": _words(i + k, 4), "value": round(1 + ((i * 31 + k * 17) % 9000) / 10, 1),
                         "unit": UNITS[(i + k) % len(UNITS)]} for k in range(3)],
        })
    return items


def synthetic_project(target: Path, n: int) -> Path:
    """Write a project of ``n`` made-up items into ``target`` (a new folder)."""
    convert(synthetic_items(n), target)
    return target
