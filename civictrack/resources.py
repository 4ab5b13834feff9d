"""The files the generator reads at run time besides its code, wherever it is installed.

A wheel carries them all inside the package (tests/test_package.py checks that it does);
this repository keeps two of them at its top level, as the design lays it out, and
pyproject.toml maps those into the package when it is built: ``templates/`` (the default
templates and static files) and ``requirements/`` (the locked dependencies a deploy installs).
Nothing here imports more than the standard library: ``speed.fingerprint`` uses it.
"""

from __future__ import annotations

from pathlib import Path

from civictrack import PACKAGE_DIR


def shipped(name: str) -> Path:
    """A folder this repository keeps at its top level: inside the package where it was
    installed from a wheel, beside the package in a checkout (or an editable install)."""
    inside = PACKAGE_DIR / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name


DEFAULT_TEMPLATES = shipped("templates")
"""The generator's templates and static files (``static/``)."""

DEPLOY_LOCK = shipped("requirements") / "deploy.txt"
"""Every dependency a deploy installs, at an exact version with its hashes (scripts/lock.sh)."""

SKELETON = PACKAGE_DIR / "new" / "skeleton"
"""What ``civictrack new`` writes, one folder per language of the reports (``zh-CN``, ``en``)."""


def template_folders(root: Path) -> list[Path]:
    """Where templates and static files are looked up, first match wins: the project's own
    templates/ (if it has one), then the generator's.  A project overrides one template or
    static file by putting a file of the same name (``partials/chrome.html``,
    ``static/style.css``) in its templates/."""
    own = root / "templates"
    if own.is_dir() and own.resolve() != DEFAULT_TEMPLATES.resolve():
        return [own, DEFAULT_TEMPLATES]
    return [DEFAULT_TEMPLATES]


def generator_content(language: str) -> Path:
    """The generator's own prose for a project without it (``content/about.md`` in the
    reports' ``language``, with ``about.<edition>.md`` beside it): the content that
    ``civictrack new`` writes for that language."""
    return SKELETON / language / "content"
