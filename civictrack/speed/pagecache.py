"""Rendered files kept between builds: a build re-renders only the pages an item edit touched.

After each build, every file it made (pages, twins, charts, open data, feeds; not Pagefind's,
which the search step makes again) is hard-linked into ``<cache>/pages/objects/<digest>``, and
``<cache>/pages/state.pickle`` records what it was made from: the hash of every input but the
item files (``fingerprint.Inputs.context``: settings, templates, reports and their text,
vocabularies, change log, the generator's code and libraries, the build options), each item
file's hash, the fingerprint of its data set (kept by ``datacache``), and each path's digest.

A later build whose inputs differ from that build's only in item files starts from it, as the
preview starts from its last build: the pages an edit of those items can touch
(``preview.incremental.item_edit_pages``, which asks each page type) are rendered again, the
rest are taken from the cache.  An item or figure added or removed, a page appearing or going,
any other input changed, a missing object or no state: everything is rendered.  The bytes are
those of a full render; the tests build both ways after edits and compare every file.

The objects are hard links to the site's own files (the writer replaces files, never writes
through them); like the rest of the cache folder, deleting it is always safe.
"""

from __future__ import annotations

import errno
import os
import pickle
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from civictrack.speed.cachedir import KeptFile, note_unsaved, write_atomic
from civictrack.speed.fingerprint import Inputs

FOLDER = "pages"
_VERSION = f"civictrack-pages 1 {sys.version}\n".encode()


@dataclass
class State:
    """What the last build wrote and what it was made from (see the module's text)."""

    context: str
    items: dict[str, str]  # item file (relative to data/) → its hash
    fingerprint: str  # the inputs' whole fingerprint: the data set's key in ``datacache``
    files: dict[str, str]  # output path → its digest (the manifest's), the object's name


@dataclass
class Kept:
    """An earlier build this one can start from."""

    state: State
    changed: list[str]  # the ids of the items whose files changed since
    data: Any  # that build's data set (records), None if it is this build's
    folder: Path  # where its files are kept

    def files(self) -> dict[str, KeptFile]:
        """Every file of that build, as references to the cached objects."""
        objects = str(self.folder / "objects") + "/"
        return {path: KeptFile(objects + digest, digest) for path, digest in self.state.files.items()}


def read_state(cache: Path | None, inputs: Inputs) -> State | None:
    """The last build's state if its inputs differed from ``inputs`` in item files at most and
    every object it names is in the cache; else None."""
    if cache is None:
        return None
    folder = cache / FOLDER
    try:
        with open(folder / "state.pickle", "rb") as handle:
            if handle.readline() != _VERSION:
                return None
            state = pickle.load(handle)
        if not isinstance(state, State) or state.context != inputs.context:
            return None
        with os.scandir(folder / "objects") as entries:
            present = {entry.name for entry in entries}
    except Exception:  # noqa: BLE001 (missing, truncated or another version's: render everything)
        return None
    return state if present.issuperset(state.files.values()) else None


def read(cache: Path | None, inputs: Inputs) -> Kept | None:
    """The last build, if this one can start from it (the same inputs but item files, the
    same item files by name, its data set still cached)."""
    from civictrack.speed import datacache

    state = read_state(cache, inputs)
    if state is None or state.items.keys() != inputs.items.keys():
        return None  # an item added or removed: every listing changes
    changed = [Path(name).stem for name, digest in inputs.items.items() if state.items[name] != digest]
    assert cache is not None  # a state was read from it
    if state.fingerprint == inputs.whole:
        return Kept(state, changed, None, cache / FOLDER)
    data = datacache.read(cache, state.fingerprint)
    return None if data is None else Kept(state, changed, data, cache / FOLDER)


def save(cache: Path | None, inputs: Inputs, staging: Path, digests: dict[str, str], previous: State | None) -> None:
    """Keep the files just placed in ``staging`` (``digests``: path → digest) for the next
    build, with this build's state.  Only objects not kept yet are linked; objects no path
    uses any longer are removed.  A failure leaves no state (the next build renders all)."""
    if cache is None:
        return
    folder = cache / FOLDER
    objects = folder / "objects"
    try:
        (folder / "state.pickle").unlink(missing_ok=True)  # no state names objects while they change
        if previous is None and objects.exists():
            shutil.rmtree(objects)  # made from other inputs: nothing in it is worth keeping
        objects.mkdir(parents=True, exist_ok=True)
        kept = set(previous.files.values()) if previous is not None else set()
        wanted = set(digests.values())
        base, into = str(staging) + "/", str(objects) + "/"
        for path, digest in digests.items():
            if digest not in kept:
                _keep(base + path, into + digest)
                kept.add(digest)
        for digest in kept - wanted:
            os.unlink(into + digest)
        state = State(inputs.context, inputs.items, inputs.whole, dict(digests))
        write_atomic(folder / "state.pickle", _VERSION + pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError as error:
        note_unsaved(error, objects)  # a full disk: the one warning at the end of the build
        (folder / "state.pickle").unlink(missing_ok=True)


def _keep(source: str, target: str) -> None:
    """A hard link to ``source`` at ``target`` (a copy across file systems)."""
    try:
        os.link(source, target)
    except FileExistsError:
        pass
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        try:
            shutil.copyfile(source, target)
        except BaseException as failed:  # a full disk: no half-copied object stays
            note_unsaved(failed, Path(target).parent)
            Path(target).unlink(missing_ok=True)
            raise
