"""A long-running process (the preview) builds many times: no build may see an earlier one's
data or URLs (Jinja keeps imported macro modules with a snapshot of the globals)."""

from __future__ import annotations

from pathlib import Path

from civictrack.errors import ErrorSink
from civictrack.pipeline import build_site
from civictrack.check import check_project

from .conftest import EXAMPLE_BASE, ROOT


def test_a_second_build_in_one_process_equals_a_fresh_build(example_site: Path) -> None:
    data = check_project(ROOT, ErrorSink())
    assert data is not None
    first = build_site(data, "https://elsewhere.example/other-base/", ROOT)
    assert any(b"/other-base/" in c for p, c in first.files.items() if p.endswith(".html"))
    second = build_site(data, EXAMPLE_BASE, ROOT)
    html = [p for p in second.files if p.endswith(".html")]
    assert len(html) > 150
    for path in html:  # example_site was built by a fresh `build.py` process
        assert second.files[path] == (example_site / path).read_bytes(), path
