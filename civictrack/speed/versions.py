"""Installed versions of the libraries that shape the output, read cheaply.

``importlib.metadata.version`` costs about 35 ms on its first call in a process (its import,
then a scan of every path entry for each name): a tenth of a warm build's start at N = 1,000.
The versions here come from the ``<name>-<version>.dist-info`` folder beside the package,
found with ``importlib.util.find_spec`` (which imports nothing); a package installed some
other way (no such folder) is told by its ``__init__`` file's path, size and time instead.
"""

from __future__ import annotations

import os
from functools import lru_cache
from importlib.util import find_spec


def _normal(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


@lru_cache(maxsize=None)
def _dist_infos(folder: str) -> dict[str, str]:
    """Distribution name (normalized) → version, from the dist-info folders in ``folder``."""
    found: dict[str, str] = {}
    try:
        names = os.listdir(folder)
    except OSError:
        return found
    for entry in names:
        if entry.endswith(".dist-info"):
            name, _, version = entry[: -len(".dist-info")].partition("-")
            found[_normal(name)] = version
    return found


def installed(module: str, distribution: str) -> str:
    """``distribution``'s version if the folder holding ``module`` has its dist-info, else a
    stamp of the module's file; ``"none"`` if it is not installed."""
    try:
        spec = find_spec(module)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.origin:
        return "none"
    package = os.path.dirname(spec.origin)
    folder = os.path.dirname(package) if os.path.basename(spec.origin).startswith("__init__.") else package
    version = _dist_infos(folder).get(_normal(distribution))
    if version is not None:
        return version
    try:
        stat = os.stat(spec.origin)
    except OSError:
        return "none"
    return f"{spec.origin}:{stat.st_size}:{stat.st_mtime_ns}"
