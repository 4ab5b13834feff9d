#!/usr/bin/env python3
"""Entry point: ``python build.py check|build|serve|urls|schema`` (see README)."""

import sys
from pathlib import Path

if __name__ == "__main__":
    try:  # Ctrl+C while Python starts, before the command installs its own handling
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from civictrack.cli import main
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        sys.exit(130)
    sys.exit(main(default_root=Path(__file__).resolve().parent, exit_fast=True))
