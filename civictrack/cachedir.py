"""Where a project's build caches live: ``$CIVICTRACK_CACHE``, else ``<root>/.cache/charts``.

The folder holds rendered charts, rendered Markdown and parsed data files; deleting it is
always safe.  ``CIVICTRACK_CACHE=off`` builds without any of them."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir(root: Path) -> Path | None:
    value = os.environ.get("CIVICTRACK_CACHE")
    if value == "off":
        return None
    return Path(value) if value else root / ".cache" / "charts"
