"""Read a project's files into typed models, turning every problem into a DataError.

Layout of a project (the repository root, or any folder given with ``--root``)::

    site.yaml                    settings
    data/reports/<id>.yaml       one report each, with its areas
    data/items/<id>.yaml         one item each, with its actions and figures
    data/{bodies,places,documents,tags,statuses}.yaml   vocabularies (lists)
    content/…                    report texts and prose pages
"""

from __future__ import annotations

import difflib
import os
import time
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from civictrack.errors import ErrorSink
from civictrack.model import VOCABULARIES, Change, Item, Report, SiteConfig, VocabEntry
from civictrack.load.yamlload import YamlDoc, load_yaml
from civictrack.urls import BASE_URL_PATTERN, base_url_problem

M = TypeVar("M")


@dataclass
class Loaded:
    """Everything read from a project, typed, with the YAML documents for positions."""

    root: Path
    config: SiteConfig | None = None
    reports: list[tuple[Report, YamlDoc]] = field(default_factory=list)
    items: list[tuple[Item, YamlDoc]] = field(default_factory=list)
    vocab: dict[str, list[tuple[VocabEntry, YamlDoc, int]]] = field(default_factory=dict)
    changes: list[tuple[Change, YamlDoc, int]] = field(default_factory=list)
    cache: Any = None  # the ParseCache the files came through, if any (report texts use it too)
    failed: set[str] = field(default_factory=set)
    """Kinds ("items", "reports", "tags"…) of which some file or entry could not be read.

    References into an incomplete kind are not reported as unknown, and numbers in the
    text are not checked for figures while items are missing: either would only echo
    the error already reported."""


def rel(root: Path, path: Path) -> str:
    """Path as printed in messages: relative to the project root, with slashes."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


# --- pydantic errors → DataErrors ------------------------------------------------------


def _field_names(model: Any, loc: tuple[Any, ...]) -> list[str]:
    """Field names allowed at ``loc`` inside ``model`` (for "did you mean")."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(part)
        if info is None:
            return []
        current = info.annotation
        # unwrap Optional[...] and list[...]
        while True:
            args = [a for a in typing.get_args(current) if a is not type(None)]
            origin = typing.get_origin(current)
            if origin in (list, typing.Union, getattr(__import__("types"), "UnionType", None)) and args:
                current = args[0]
                continue
            if origin is typing.Annotated:
                current = args[0]
                continue
            break
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _describe(doc: YamlDoc, loc: tuple[Any, ...], value: Any) -> tuple[str, str]:
    """What YAML made of the value at ``loc`` and a hint to keep it as text."""
    scalar = doc.scalars.get(loc)
    if scalar is None:
        kind = "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else type(value).__name__
        return kind, ""
    if scalar.plain and scalar.tag != "tag:yaml.org,2002:str":
        return (f"{scalar.type_name} (YAML read `{scalar.raw}` as {scalar.type_name})",
                f'quote it to keep it as written: "{scalar.raw}"')
    return scalar.type_name, ""


def report_validation_error(exc: ValidationError, doc: YamlDoc, model: Any, sink: ErrorSink,
                            prefix: tuple[Any, ...] = ()) -> None:
    """Turn each pydantic error into a DataError with the value's line and column."""
    for err in exc.errors(include_url=False):
        loc = prefix + tuple(err["loc"])
        kind = err["type"]
        name = str(loc[-1]) if loc else "file"
        where = ".".join(str(p) for p in loc) or "top level"
        hint = ""
        if kind == "missing":
            pos = doc.at(loc[:-1])
            message = f"missing required key `{name}`" + (f" in {'.'.join(map(str, loc[:-1]))}" if loc[:-1] else "")
            hint = f"add `{name}:`"
        elif kind == "extra_forbidden":
            pos = doc.key_at(loc)
            message = f"unknown key `{name}`"
            close = difflib.get_close_matches(name, _field_names(model, err["loc"][:-1]), n=1, cutoff=0.6)
            allowed = _field_names(model, err["loc"][:-1])
            if close:
                hint = f"did you mean `{close[0]}`?"
            elif allowed:
                hint = "allowed keys: " + ", ".join(allowed)
        else:
            pos = doc.at(loc)
            got, hint = _describe(doc, loc, err.get("input"))
            if kind in ("string_type", "int_type", "bool_type", "list_type", "dict_type", "model_type",
                        "model_attributes_type", "float_type"):
                wanted = {"string_type": "text", "int_type": "a whole number", "bool_type": "true or false",
                          "list_type": "a list", "dict_type": "a mapping", "model_type": "a mapping",
                          "model_attributes_type": "a mapping", "float_type": "a number"}[kind]
                message = f"`{where}` must be {wanted}, not {got}"
                raw = doc.scalars.get(loc)
                if kind == "int_type" and raw is not None and raw.raw.strip().isdigit() and not raw.plain:
                    hint = f"write it without quotes: {raw.raw.strip()}"
                if kind == "bool_type" and not hint:
                    hint = "write true or false"
            elif kind == "string_pattern_mismatch":
                value = err.get("input")
                if "d{4}" in str(err.get("ctx", {}).get("pattern", "")):
                    message = f"`{where}` must be a date written as \"YYYY-MM-DD\", not `{value}`"
                elif "{0,61}" in str(err.get("ctx", {}).get("pattern", "")):
                    message = f"`{where}` must be a bare host name such as data.example.org, not `{value}`"
                    hint = "lowercase letters, digits, hyphens and dots only: no https://, no path, no port"
                elif str(err.get("ctx", {}).get("pattern", "")) == BASE_URL_PATTERN:
                    message = f"`{where}` must be the site's address, not `{value}`: {base_url_problem(str(value))}"
                    hint = "an absolute http:// or https:// URL ending in /, e.g. https://owner.github.io/repo/"
                elif "https?" in str(err.get("ctx", {}).get("pattern", "")):
                    message = f"`{where}` must be an http://, https:// or mailto: address, not `{value}`"
                    hint = "other schemes (javascript:, data:, file:) are refused; no spaces"
                else:
                    message = f"`{where}` is not a valid id: `{value}`"
                    hint = "ids use lowercase ASCII letters, digits and single hyphens, e.g. preschool-rate-2024"
            elif kind == "literal_error":
                message = f"`{where}` is `{err.get('input')}`, not one of the allowed values"
                hint = "use one of " + str(err.get("ctx", {}).get("expected", ""))
            elif kind == "string_too_short":
                message = f"`{where}` is empty"
                hint = "write a value or remove the key if it is optional"
            elif kind == "string_too_long":
                message = f"`{where}` is too long: {err['msg']}"
            elif kind == "too_short":
                message = f"`{where}` needs at least one entry"
            elif kind == "greater_than_equal":
                least = err.get("ctx", {}).get("ge")
                message = f"`{where}` must be at least {least}, not {err.get('input')}"
                hint = f"write a whole number of {least} or more"
            else:
                message = f"`{where}`: {err['msg']}"
        sink.add(doc.file, pos.line, pos.column, message, hint)


def parse_model(doc: YamlDoc, model: type[M], sink: ErrorSink) -> M | None:
    """Validate a loaded document against ``model``; report errors with positions."""
    try:
        if isinstance(model, type) and issubclass(model, BaseModel):
            return model.model_validate(doc.data)
        return TypeAdapter(model).validate_python(doc.data, strict=True)
    except ValidationError as exc:
        report_validation_error(exc, doc, model, sink)
        return None


# --- the project ----------------------------------------------------------------------


RACY_NS = 2_000_000_000
"""A file whose time stamps are this close to (or after) the moment it was last looked at is read
again even if its stat is unchanged: time stamps are coarse (a jiffy on Linux, 2 s on FAT), so a
second write in the same tick can leave them as they were ("racy git")."""


@dataclass
class _Entry:
    raw: bytes
    value: Any
    errors: list[Any]
    stat: tuple[int, ...] = ()  # (mtime_ns, ctime_ns, size, inode, device) when ``raw`` was read
    seen_ns: int = 0  # wall clock just before that stat


def _signature(st: os.stat_result) -> tuple[int, ...]:
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_dev)


@dataclass
class ParseCache:
    """Parsed files kept between builds in one process (``serve``, benchmarks).

    Keyed by path; an entry is reused only if the file's bytes are unchanged, and it
    replays the errors the file produced, so a cached run reports exactly what a fresh
    one would.  A file whose stat (time stamps, size, inode) is unchanged since it was read
    is not read again, unless its time stamps are too recent to tell two writes apart
    (``RACY_NS``); then its bytes are compared.
    """

    entries: dict[tuple[str, str], _Entry] = field(default_factory=dict)
    unchanged_except: set[str] | None = None
    """Set by a watcher that saw every change (inotify): only these paths can have changed since
    they were last looked up, so every other known file is reused without a stat."""
    validated: Any = None
    """State of the last successful validation (``check.recheck.Validated``), for incremental checks."""

    def get(self, path: Path, kind: str, raw: bytes) -> tuple[Any, list[Any]] | None:
        entry = self.entries.get((str(path), kind))
        if entry is not None and entry.raw == raw:
            return entry.value, entry.errors
        return None

    def put(self, path: Path, kind: str, raw: bytes, value: Any, errors: list[Any], stamp: Any = None) -> None:
        signature, seen = stamp if stamp is not None else ((), 0)
        self.entries[(str(path), kind)] = _Entry(raw, value, errors, signature, seen)

    def lookup(self, path: Path | str, kind: str) -> tuple[tuple[Any, list[Any]] | None, bytes | None, Any]:
        """``(hit, raw, stamp)``: the cached value and errors if the file is unchanged (``raw`` is
        ``None`` when its stat alone proved that), else its bytes and the stamp to :meth:`put` with
        them.  Raises OSError if the file cannot be read."""
        key = (str(path), kind)
        entry = self.entries.get(key)
        if entry is not None and self.unchanged_except is not None and key[0] not in self.unchanged_except:
            return (entry.value, entry.errors), None, None
        now = time.time_ns()
        st = os.stat(path)
        signature = _signature(st)
        if entry is not None and entry.stat == signature and max(st.st_mtime_ns, st.st_ctime_ns) < entry.seen_ns - RACY_NS:
            return (entry.value, entry.errors), None, None
        with open(path, "rb") as handle:
            raw = handle.read()
        if entry is not None and entry.raw == raw:
            entry.stat, entry.seen_ns = signature, now
            return (entry.value, entry.errors), raw, None
        return None, raw, (signature, now)


def cached(cache: ParseCache | None, root: Path, path: Path | str, kind: str, sink: ErrorSink,
            parse: Any) -> Any:
    """Run ``parse(raw, sink)`` for the file, or replay its cached result and errors."""
    hit, stamp = None, None
    try:
        if cache is not None:
            hit, raw, stamp = cache.lookup(path, kind)
        else:
            with open(path, "rb") as handle:
                raw = handle.read()
    except OSError as exc:
        sink.add(rel(root, Path(path)), 1, 1, f"cannot read file: {exc.strerror}")
        return None
    if hit is not None:
        value, errors = hit
        for error in errors:
            sink.add(error.file, error.line, error.column, error.message, error.hint)
        return value
    local = ErrorSink()
    value = parse(raw, local)
    for error in local.errors:
        sink.add(error.file, error.line, error.column, error.message, error.hint)
    if cache is not None:
        cache.put(path, kind, raw, value, list(local.errors), stamp)
    return value


def load_config_base_url(root: Path) -> str | None:
    """The base URL in site.yaml, or None if it cannot be read (used before a full load)."""
    sink = ErrorSink()
    path = root / "site.yaml"
    if not path.exists():
        return None
    doc = load_yaml("site.yaml", path.read_bytes(), sink)
    data = doc.data if doc is not None else None
    value = data.get("base_url") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def _load_vocab(root: Path, name: str, model: type[Any], sink: ErrorSink,
                loaded: Loaded, cache: ParseCache | None = None, required: bool = True) -> None:
    path = root / "data" / f"{name}.yaml"
    loaded.vocab[name] = []
    if not path.exists() and not required:
        return
    if not path.exists():
        sink.add(rel(root, path), 1, 1, "vocabulary file is missing", f"create it with a list of {name}, or an empty list `[]`")
        loaded.failed.add(name)
        return

    def parse(raw: bytes, local: ErrorSink) -> tuple[list[tuple[VocabEntry, YamlDoc, int]], bool]:
        doc = load_yaml(rel(root, path), raw, local)
        if doc is None:
            return [], False
        if not isinstance(doc.data, list):
            pos = doc.at(())
            local.add(doc.file, pos.line, pos.column, f"`{name}` must be a list of entries",
                      "start each entry with `- id: …`")
            return [], False
        entries: list[tuple[VocabEntry, YamlDoc, int]] = []
        complete = True
        # validate entry by entry so one bad entry does not hide the others
        for index, item in enumerate(doc.data):
            try:
                entries.append((model.model_validate(item), doc, index))
            except ValidationError as exc:
                complete = False
                report_validation_error(exc, doc, model, local, prefix=(index,))
        if complete:
            doc.lighten(raw.decode("utf-8-sig"))
        return entries, complete

    result = cached(cache, root, path, name, sink, parse)
    entries, complete = result if result is not None else ([], False)
    loaded.vocab[name] = entries
    if not complete:
        loaded.failed.add(name)


def _check_file_name(doc: YamlDoc, path: Path, obj: Any, sink: ErrorSink) -> None:
    if path.stem != obj.id:
        pos = doc.at(("id",))
        sink.add(doc.file, pos.line, pos.column, f"id `{obj.id}` does not match the file name `{path.name}`",
                 f"rename the file to {obj.id}.yaml or change the id")


def load_project(root: Path, sink: ErrorSink, cache: ParseCache | None = None) -> Loaded:
    """Read and type-check every file of the project; cross-file checks come later."""
    root = root.resolve()
    loaded = Loaded(root=root, cache=cache)
    config_path = root / "site.yaml"
    if not config_path.exists():
        sink.add("site.yaml", 1, 1, "site.yaml is missing", "run the command from the project folder or pass --root")
    else:
        def parse_config(raw: bytes, local: ErrorSink) -> Any:
            doc = load_yaml("site.yaml", raw, local)
            return parse_model(doc, SiteConfig, local) if doc is not None else None

        loaded.config = cached(cache, root, config_path, "config", sink, parse_config)
    for kind, model, target in (("reports", Report, loaded.reports), ("items", Item, loaded.items)):
        folder = root / "data" / kind
        try:  # scandir: file types without a stat per entry; names sort as the paths would
            with os.scandir(folder) as listing:
                names = sorted(e.name for e in listing if not e.name.startswith(".") and not e.is_dir())
        except (FileNotFoundError, NotADirectoryError):
            names = []
        prefix = f"{folder}{os.sep}"
        for name in names:
            if not name.endswith((".yaml", ".yml")):  # hidden files are skipped above
                sink.add(rel(root, folder / name), 1, 1, f"unexpected file in data/{kind}/", "data files end in .yaml")
                continue

            def parse(raw: bytes, local: ErrorSink, name: str = name, model: Any = model) -> Any:
                path = folder / name
                doc = load_yaml(rel(root, path), raw, local)
                obj = parse_model(doc, model, local) if doc is not None else None
                if obj is None:
                    return None
                _check_file_name(doc, path, obj, local)
                doc.lighten(raw.decode("utf-8-sig"))  # 10,000 item files: ~200 MB of positions otherwise
                return obj, doc

            result = cached(cache, root, prefix + name, kind, sink, parse)  # a str: pathlib costs more than the stat
            if result is None:
                loaded.failed.add(kind)
            else:
                target.append(result)
    for name, model in VOCABULARIES.items():
        _load_vocab(root, name, model, sink, loaded, cache)
    _load_vocab(root, "changes", Change, sink, loaded, cache, required=False)
    loaded.changes = loaded.vocab.pop("changes")
    return loaded
