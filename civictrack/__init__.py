"""civictrack: a static accountability site generator (YAML data → static site).

The build is a pipeline of stages, each a package (see docs/architecture.md): ``load`` →
``check`` → ``index`` → ``charts`` → ``pages`` → ``render`` → ``publish``; ``preview`` runs
it again on every save, and ``speed`` holds the caches and helpers that make it quick.
``new`` starts a project of one's own; ``resources`` finds the files the generator ships.
"""

from pathlib import Path

__version__ = "0.1.0"

PACKAGE_DIR = Path(__file__).resolve().parent
"""The generator's code: every module of it is an input of a build (``speed.fingerprint``)."""
