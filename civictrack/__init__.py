"""civictrack: a static accountability site generator (YAML data → static site)."""

__version__ = "0.1.0"
