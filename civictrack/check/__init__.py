"""Check: the cross-file rules over the loaded data, all reported in one run; makes the
validated Dataset (``check_project``).  One module a family of rules: ``items``, ``figures``,
``references``; ``checker`` holds what they share, ``recheck`` the preview's quick path."""

from civictrack.check.project import check_project

__all__ = ["check_project"]
