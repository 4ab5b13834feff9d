"""The numbers a test run proves, printed as one block at its end (see ``pytest_terminal_summary``
in conftest.py).

Tests record what they checked and what they found here; a test that did not run leaves its
lines out, so a missing line means "not checked in this run", never "zero found".
"""

from __future__ import annotations

from typing import Any

PROOF: dict[str, Any] = {}
"""key → value; the keys used are listed in :data:`LINES`."""

HOSTILE: list[tuple[str, str, str]] = []
"""(case, how it ended, detail) for every hostile-input case tried."""

LINES = [  # (label, keys whose values fill the format)
    ("pages checked in the browser: {}", ("browser_pages",)),
    ("axe-core (WCAG 2.1 A/AA) violations: {} on {} pages", ("axe_violations", "axe_pages")),
    ("HTML errors (Nu HTML Checker): {} in {} pages validated", ("vnu_errors", "vnu_pages")),
    ("broken links (linkchecker): {} broken, {} broken anchors, of {} URLs checked",
     ("linkchecker_broken", "linkchecker_anchors", "linkchecker_urls")),
    ("broken links (crawler): {} broken, {} broken anchors, of {} links on {} pages",
     ("crawler_broken", "crawler_anchors", "crawler_links", "crawler_pages")),
    ("property tests: {} examples, {} unexpected exceptions", ("property_examples", "property_failures")),
]


def record(**values: Any) -> None:
    PROOF.update(values)


def add(key: str, amount: int) -> None:
    PROOF[key] = PROOF.get(key, 0) + amount


def summary_lines() -> list[str]:
    lines = []
    for label, keys in LINES:
        if all(k in PROOF for k in keys):
            lines.append(label.format(*(PROOF[k] for k in keys)))
    if HOSTILE:
        ended: dict[str, int] = {}
        for _, how, _ in HOSTILE:
            ended[how] = ended.get(how, 0) + 1
        lines.append(f"hostile input cases tried: {len(HOSTILE)} ("
                     + ", ".join(f"{n} {how}" for how, n in sorted(ended.items())) + ")")
        width = max(len(case) for case, _, _ in HOSTILE)
        for case, how, detail in HOSTILE:
            lines.append(f"  {case:<{width}}  {how:<20} {detail}")
    return lines
