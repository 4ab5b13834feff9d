"""The validated data set of the last build, kept for the next build with the same inputs.

A build whose inputs are those of an earlier build (same fingerprint: data, content,
templates, settings, the generator's code and library versions, see ``speed.fingerprint``) but
whose output folder is gone or incomplete would load and validate the same files again; it
reads the validated data set from ``<cache>/dataset.pickle`` instead (at N = 1,000 items:
0.09 s instead of 0.19 s, and no validator is built).  One file, replaced by each build that
misses it; it starts with the fingerprint it was made from, and anything else is ignored.
The model objects in it are saved as plain records (``speed.records``), so a build that reads it
imports neither pydantic nor the model module (0.3 to 0.4 s here, more than the rest of
reading it).

A pickle runs code when read, like the compiled templates in the same folder: trust the cache
folder as you trust the project's code (see ``speed.cachedir``).  The file is written by a forked
child while the build goes on (the second core is idle until the pages render), so a build
that misses pays almost nothing for it (see ``save_in_background``).
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path
from typing import Any

from civictrack.speed.cachedir import note_unsaved, write_atomic
from civictrack.speed.children import can_fork, start_child

NAME = "dataset.pickle"


def _key(fingerprint: str) -> bytes:
    return f"civictrack-dataset {fingerprint} {sys.version}\n".encode()


def read(cache: Path | None, fingerprint: str) -> Any:
    """The data set saved with this fingerprint, or None."""
    if cache is None or not fingerprint:
        return None
    try:
        with open(cache / NAME, "rb") as handle:
            if handle.readline() != _key(fingerprint):
                return None
            return pickle.load(handle)
    except Exception:  # noqa: BLE001 (missing, truncated or from another version: load afresh)
        return None


def _write(cache: Path, fingerprint: str, data: Any) -> None:
    """Write ``data`` with its model objects as plain records (``speed.records``): reading it
    back then imports neither pydantic nor the models."""
    from civictrack.speed.records import to_records

    data = to_records(data)
    try:
        cache.mkdir(parents=True, exist_ok=True)
        write_atomic(cache / NAME, _key(fingerprint) + pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError as error:
        if not note_unsaved(error, cache):  # a full disk: not saved, the next build loads afresh
            raise


def save_in_background(cache: Path | None, fingerprint: str, data: Any) -> None:
    """Save ``data`` for the next build with this fingerprint, in a forked child if possible
    (``children.start_child``: its output on /dev/null, so whoever waits for the build's output
    does not wait for it; it may outlive a build that ends first, and an interrupted build
    stops it).  With other threads running (a test, the preview) a fork could inherit a held
    lock, so the file is written in line."""
    if cache is None or not fingerprint:
        return
    if not can_fork():
        try:
            _write(cache, fingerprint, data)
        except OSError:
            pass
        return
    start_child(lambda: _write(cache, fingerprint, data))
