"""Strict YAML loading that remembers where every value came from.

PyYAML's own loaders keep the last of two duplicate keys, read ``no`` as false and
can build objects or expand alias bombs.  This loader:

* accepts UTF-8 only (a UTF-8 byte-order mark is skipped) and names GBK/GB18030
  files as such;
* refuses anchors, aliases, merge keys and explicit tags (``!!python/object``…),
  which no data file needs, before anything is constructed;
* refuses duplicate and non-text keys;
* records, for each value, its line and column and how YAML read it, so a later
  type error can say "YAML read `no` as a boolean; quote it".

It never raises for bad input: problems go to an :class:`ErrorSink`.
"""

from __future__ import annotations

import hashlib
import marshal
import re
from dataclasses import dataclass
from pathlib import Path as Path_
from typing import Any

import yaml

from civictrack.speed.cachedir import note_unsaved, write_atomic
from civictrack.errors import ErrorSink

FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML has it (about 10x faster); the same events, nodes and marks."""

MAX_BYTES = 2 * 1024 * 1024
"""Largest data file accepted; the bundled files are a few KiB."""

MAX_DEPTH = 64
"""Deepest nesting of lists and mappings accepted (the data model needs five levels)."""

Path = tuple[Any, ...]

_TAG_NAMES = {
    "tag:yaml.org,2002:bool": "a boolean",
    "tag:yaml.org,2002:int": "a whole number",
    "tag:yaml.org,2002:float": "a decimal number",
    "tag:yaml.org,2002:null": "null (an empty value)",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:str": "text",
    "tag:yaml.org,2002:seq": "a list",
    "tag:yaml.org,2002:map": "a mapping",
}


@dataclass(frozen=True)
class Pos:
    """A 1-based line and column."""

    line: int
    column: int


@dataclass(frozen=True)
class Scalar:
    """How YAML read one scalar: its source text and the type it resolved to."""

    raw: str
    tag: str
    plain: bool

    @property
    def type_name(self) -> str:
        return _TAG_NAMES.get(self.tag, self.tag)


class YamlDoc:
    """One loaded file: plain Python data plus positions keyed by path.

    A document from the parse cache (see :class:`ParsedCache`) has its data only; its
    positions and scalar readings are worked out again from the text the first time an
    error message asks for them."""

    def __init__(self, file: str, data: Any, text: str | None = None) -> None:
        self.file = file
        self.data = data
        self._text = text  # set for a cached document whose positions are not loaded yet
        self._pos: dict[Path, Pos] | None = None if text is not None else {}
        self._keypos: dict[Path, Pos] = {}
        self._scalars: dict[Path, Scalar] = {}

    def lighten(self, text: str) -> None:
        """Forget the positions and scalar readings (one entry a node: most of a loaded
        document's memory) and the data, once the file's model is made: an error message that
        asks for a position has them worked out again from ``text``, as for a cached document."""
        self._text, self._pos, self._keypos, self._scalars, self.data = text, None, {}, {}, None

    def _locate(self) -> None:
        if self._pos is None:
            self._pos = {}
            assert self._text is not None
            node = yaml.compose(self._text, Loader=FastLoader)
            _Builder(self, ErrorSink()).build(node, ())

    @property
    def pos(self) -> dict[Path, Pos]:
        self._locate()
        return self._pos  # type: ignore[return-value]

    @property
    def keypos(self) -> dict[Path, Pos]:
        self._locate()
        return self._keypos

    @property
    def scalars(self) -> dict[Path, Scalar]:
        self._locate()
        return self._scalars

    def at(self, path: Path) -> Pos:
        """Position of the value at ``path``, or of its nearest ancestor."""
        path = tuple(path)
        while path:
            if path in self.pos:
                return self.pos[path]
            path = path[:-1]
        return self.pos.get((), Pos(1, 1))

    def key_at(self, path: Path) -> Pos:
        """Position of the key that holds ``path`` (falls back to the value)."""
        return self.keypos.get(tuple(path)) or self.at(path)


def _mark(mark: Any) -> Pos:
    return Pos(mark.line + 1, mark.column + 1)


def decode(file: str, raw: bytes, sink: ErrorSink) -> str | None:
    """Decode ``raw`` as UTF-8 (BOM allowed) or report why not."""
    if len(raw) > MAX_BYTES:
        sink.add(file, 1, 1, f"file is {len(raw)} bytes, over the {MAX_BYTES // (1024 * 1024)} MiB limit for a data file",
                 "split it into smaller files")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        sink.add(file, 1, 1, "file is UTF-16, not UTF-8", "save it as UTF-8")
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        try:
            raw.decode("gb18030")
            hint = ("it looks like GBK/GB18030, common for Chinese text; convert it with "
                    f"`iconv -f GB18030 -t UTF-8 {file} -o {file}.utf8` and replace the file")
        except UnicodeDecodeError:
            hint = "save the file as UTF-8"
        sink.add(file, line, column, f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})", hint)
        return None


def _scan_events(file: str, text: str, sink: ErrorSink) -> bool:
    """Walk the event stream (nothing is constructed) and refuse risky features."""
    ok = True
    documents = 0
    depth = 0
    reported: set[str] = set()  # report each risky feature once per file: an alias bomb has thousands
    try:
        for event in yaml.parse(text, Loader=FastLoader):
            pos = _mark(event.start_mark)
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents == 2:
                    sink.add(file, pos.line, pos.column, "more than one YAML document in the file",
                             "remove the extra `---` line; one file holds one document")
                    ok = False
            elif isinstance(event, yaml.AliasEvent):
                ok = False
                if "alias" in reported:
                    continue
                reported.add("alias")
                sink.add(file, pos.line, pos.column, f"alias `*{event.anchor}` is not allowed",
                         "anchors and aliases are refused in data files; write the value out")
                ok = False
            elif isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                if event.anchor is not None and "anchor" not in reported:
                    reported.add("anchor")
                    sink.add(file, pos.line, pos.column, f"anchor `&{event.anchor}` is not allowed",
                             "anchors and aliases are refused in data files; write the value out")
                    ok = False
                implicit = event.implicit[0] or event.implicit[1] if isinstance(event, yaml.ScalarEvent) else event.implicit
                if event.anchor is not None:
                    ok = False
                if event.tag is not None and not implicit:
                    tag = event.tag.replace("tag:yaml.org,2002:", "!!")
                    sink.add(file, pos.line, pos.column, f"explicit tag `{tag}` is not allowed",
                             "data files hold plain text, numbers, lists and mappings; remove the tag")
                    ok = False
                if not isinstance(event, yaml.ScalarEvent):
                    depth += 1
                    if depth > MAX_DEPTH and "depth" not in reported:  # building it would recurse this deep
                        reported.add("depth")
                        sink.add(file, pos.line, pos.column, f"lists and mappings nested more than {MAX_DEPTH} deep",
                                 "data files need a few levels; check the brackets and indentation")
                        ok = False
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = _mark(mark) if mark else Pos(1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        hint = "check indentation, colons and quotes on this line or the one above"
        if "\\t" in problem or "\t" in problem or " tab " in problem:
            hint = "YAML indents with spaces, not tabs"
        sink.add(file, pos.line, pos.column, f"YAML syntax error: {problem}", hint)
        return False
    except yaml.reader.ReaderError as exc:  # a character YAML refuses (control characters)
        before = text[: exc.position]
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        sink.add(file, before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1,
                 f"character U+{code:04X} is not allowed in YAML ({exc.reason})",
                 "remove it, or write it as an escape such as \\x1b inside double quotes")
        return False
    except yaml.YAMLError as exc:  # pragma: no cover - other errors without a mark
        sink.add(file, 1, 1, f"YAML error: {exc}", "save the file as plain UTF-8 YAML")
        return False
    if documents == 0:
        sink.add(file, 1, 1, "file is empty", "a data file holds one YAML mapping or list")
        return False
    return ok


class _Builder:
    """Turns a composed node tree into Python data with positions."""

    def __init__(self, doc: YamlDoc, sink: ErrorSink):
        self.doc = doc
        self.sink = sink
        self.constructor = yaml.constructor.SafeConstructor()
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, path: Path) -> Any:
        self.doc._pos[path] = _mark(node.start_mark)  # type: ignore[index]
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            # an alias is the same node object again: never walk one twice (alias bombs)
            if id(node) in self.seen:
                pos = self.doc._pos[path]  # type: ignore[index]
                self.sink.add(self.doc.file, pos.line, pos.column, "an alias is not allowed here",
                              "anchors and aliases are refused in data files; write the value out")
                return None
            self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        return self._scalar(node, path)

    def _scalar(self, node: yaml.ScalarNode, path: Path) -> Any:
        self.doc._scalars[path] = Scalar(node.value, node.tag, node.style not in ("'", '"', "|", ">"))
        if node.tag == "tag:yaml.org,2002:str":
            return node.value
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            pos = _mark(node.start_mark)
            self.sink.add(self.doc.file, pos.line, pos.column,
                          f"cannot read `{node.value}`: {exc}", "quote the value to keep it as text")
            return node.value

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, Pos] = {}
        for key_node, value_node in node.value:
            kpos = _mark(key_node.start_mark)
            if not isinstance(key_node, yaml.ScalarNode):
                self.sink.add(self.doc.file, kpos.line, kpos.column, "a key must be plain text",
                              "write keys as simple words such as `id:`")
                continue
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.sink.add(self.doc.file, kpos.line, kpos.column, "merge key `<<` is not allowed",
                              "write the keys out")
                continue
            if key_node.tag != "tag:yaml.org,2002:str":
                name = _TAG_NAMES.get(key_node.tag, key_node.tag)
                self.sink.add(self.doc.file, kpos.line, kpos.column,
                              f"key `{key_node.value}` is read by YAML as {name}, not text",
                              f'quote it: "{key_node.value}"')
                continue
            key = key_node.value
            if key in seen:
                first = seen[key]
                self.sink.add(self.doc.file, kpos.line, kpos.column,
                              f"duplicate key `{key}` (first at line {first.line})",
                              "YAML would silently keep only the last one; remove or rename one of them")
                continue
            seen[key] = kpos
            self.doc._keypos[path + (key,)] = kpos
            result[key] = self.build(value_node, path + (key,))
        return result


_RISKY = re.compile(r"(?:^|[\s\[{,:-])[&*!]\S|^---|^\.\.\.", re.MULTILINE)
"""Text that might hold an anchor, an alias, a tag or a second document: scan its events."""


class ParsedCache:
    """Parsed data of files that loaded without any error, by content hash, kept in one
    ``marshal`` file between builds (parsing is most of a cold build's loading time: 0.65 s
    for 1,000 item files, against 0.02 s to read them back).  The key covers this module's
    source, so a change to the loader starts afresh.  Documents whose data ``marshal`` cannot
    hold (none in valid data) are simply not cached."""

    def __init__(self, path: Path_ | None) -> None:
        self.path = path
        self.entries: dict[str, Any] = {}  # content hash → marshalled data
        self.added = False
        if path is not None:
            try:
                loaded = marshal.loads(path.read_bytes())
                if isinstance(loaded, dict) and loaded.get("\0version") == _VERSION:
                    self.entries = loaded
            except (OSError, ValueError, EOFError, TypeError):
                pass  # missing or unreadable: parse everything

    @staticmethod
    def key(raw: bytes) -> str:
        return hashlib.blake2b(raw, digest_size=20).hexdigest()

    def save(self) -> None:
        if self.path is None or not self.added:
            return
        self.entries["\0version"] = _VERSION
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, marshal.dumps(self.entries))
        except OSError as error:
            if not note_unsaved(error, self.path.parent):  # a full disk: parsed again next time
                raise
        self.added = False


_VERSION = hashlib.blake2b(Path_(__file__).read_bytes() + yaml.__version__.encode(), digest_size=8).hexdigest()
_CACHE: ParsedCache | None = None


def use_parsed_cache(path: Path_ | None) -> ParsedCache | None:
    """Keep parsed files in ``path`` between builds (``None``: no cache).  Returns the cache;
    call its ``save()`` after loading."""
    global _CACHE
    _CACHE = ParsedCache(path) if path is not None else None
    return _CACHE


def load_yaml(file: str, raw: bytes, sink: ErrorSink) -> YamlDoc | None:
    """Load one YAML file strictly; return ``None`` (with errors in ``sink``) if unusable."""
    cache = _CACHE
    key = ParsedCache.key(raw) if cache is not None else ""
    if cache is not None and key in cache.entries:
        text = raw.decode("utf-8-sig")  # it decoded cleanly before: same bytes
        return YamlDoc(file, marshal.loads(cache.entries[key]), text=text)  # fresh objects on every hit
    errors_before = len(sink.errors) if cache is not None else 0
    doc = _load_yaml(file, raw, sink)
    if cache is not None and doc is not None and len(sink.errors) == errors_before:
        try:
            cache.entries[key] = marshal.dumps(doc.data)
        except ValueError:
            return doc
        cache.added = True
    return doc


def _load_yaml(file: str, raw: bytes, sink: ErrorSink) -> YamlDoc | None:
    text = decode(file, raw, sink)
    if text is None:
        return None
    if not text.strip() or _RISKY.search(text):  # the event scan is slow: only where it can find something
        if not _scan_events(file, text, sink):
            return None
    try:
        node = yaml.compose(text, Loader=FastLoader)
    except yaml.YAMLError:  # the scan was skipped and the text is not valid YAML
        if _scan_events(file, text, sink):  # pragma: no cover - the scan finds what compose refused
            sink.add(file, 1, 1, "file is not valid YAML", "check it with a YAML editor")
        return None
    if node is None:
        sink.add(file, 1, 1, "file is empty", "a data file holds one YAML mapping or list")
        return None
    doc = YamlDoc(file, None)
    try:
        doc.data = _Builder(doc, sink).build(node, ())
    except RecursionError:  # a nesting bomb: the scan says where it goes too deep
        if _scan_events(file, text, sink):
            sink.add(file, 1, 1, f"lists and mappings nested more than {MAX_DEPTH} deep",
                     "data files need a few levels; check the brackets and indentation")
        return None
    return doc
