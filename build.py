#!/usr/bin/env python3
"""Entry point: ``python build.py check|build|schema`` (see README)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from civictrack.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(default_root=Path(__file__).resolve().parent, exit_fast=True))
