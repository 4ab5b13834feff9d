"""What every rule of ``check`` shares: the error sink with file:line:column positions,
reference and uniqueness checks, and the report texts that quotes are checked against."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable

from civictrack.dataset import FigureInfo
from civictrack.errors import ErrorSink
from civictrack.source import SourceText, parse_source

if TYPE_CHECKING:  # loading (YAML, the loader) is imported only when files are loaded: a build
    # that takes the validated data from the cache (datacache) never needs it
    from civictrack.load.loader import Loaded
    from civictrack.load.yamlload import YamlDoc
    from civictrack.model import Figure, Report


@dataclass
class Checker:
    loaded: Loaded
    sink: ErrorSink
    texts: dict[str, SourceText] = field(default_factory=dict)
    pending: list[tuple[Figure, YamlDoc, tuple[Any, ...], str, str | None, str]] = field(default_factory=list)
    figures: dict[str, FigureInfo] = field(default_factory=dict)
    unsure: set[tuple[str, str]] = field(default_factory=set)
    """(report, paragraph) pairs where a figure could not be placed ("*" = anywhere): the
    number-coverage check skips them rather than repeat the error already reported."""
    incomplete: set[int] = field(default_factory=set)
    """ids of lookup tables some of whose files failed to load: unknown references into
    them are not reported, since the missing entry may be in the broken file."""

    @property
    def language(self) -> str:
        """The language of the data and the reports' texts (site.yaml's ``language``): how their
        numbering, units and qualifiers are read."""
        config = self.loaded.config
        return config.language if config is not None else "zh-CN"

    def err(self, doc: YamlDoc, path: Iterable[Any], message: str, hint: str = "") -> None:
        pos = doc.at(tuple(path))
        self.sink.add(doc.file, pos.line, pos.column, message, hint)

    # --- references ---------------------------------------------------------------

    def ref(self, doc: YamlDoc, path: tuple[Any, ...], value: str | None, known: dict[str, Any], what: str,
            where: str) -> bool:
        if value is None or value in known:
            return True
        if id(known) in self.incomplete:
            return False
        import difflib

        close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
        hint = f"did you mean `{close[0]}`?" if close else f"add it to {where} or fix the id"
        self.err(doc, path, f"unknown {what} `{value}`", hint)
        return False

    def unique(self, seen: dict[str, tuple[YamlDoc, tuple[Any, ...]]], value: str, doc: YamlDoc,
               path: tuple[Any, ...], what: str) -> None:
        if value in seen:
            first_doc, first_path = seen[value]
            first = first_doc.at(first_path)
            self.err(doc, path, f"duplicate {what} id `{value}` (also in {first_doc.file}:{first.line})",
                     "ids must be unique; rename one")
        else:
            seen[value] = (doc, path)

    # --- source text ----------------------------------------------------------------

    def load_text(self, report: Report, doc: YamlDoc) -> None:
        if report.text is None:
            return
        root = self.loaded.root / "content"
        path = (root / report.text).resolve()
        if not path.is_relative_to(root.resolve()) or not path.is_file():
            self.err(doc, ("text",), f"text file `content/{report.text}` not found",
                     "give a path under content/, e.g. reports/<report-id>.txt")
            return
        from civictrack.load.loader import cached, rel
        from civictrack.load.yamlload import decode

        file = rel(self.loaded.root, path)
        language = self.language

        def parse(raw: bytes, sink: ErrorSink) -> SourceText | None:
            if len(raw) >= 8 * 1024 * 1024:
                sink.add(file, 1, 1, "source text is over 8 MiB", "split the report")
                return None
            text = decode(file, raw, sink)
            if text is None:
                return None
            source, problems = parse_source(file, text, language)
            for line, problem in problems:
                sink.add(file, line, 1, problem, "each numbered heading and section must be unique")
            return source

        kind = "text" if language == "zh-CN" else f"text-{language}"  # parsed per language
        source = cached(self.loaded.cache, self.loaded.root, path, kind, self.sink, parse)
        if source is not None:
            self.texts[report.id] = source

    def paragraph_text(self, report_id: str, anchor: str | None) -> str | None:
        text = self.texts.get(report_id)
        if text is None or anchor is None:
            return None
        paragraph = text.get(anchor)
        return paragraph.text if paragraph else None

    def check_anchor(self, doc: YamlDoc, path: tuple[Any, ...], report_id: str, anchor: str | None) -> bool:
        text = self.texts.get(report_id)
        if text is None or anchor is None:
            return False
        if text.get(anchor) is None:
            numbering = ("s1 for 1., s2-3 for 2.3, rec3 for Recommendation 3, s2-3-a for (a) under 2.3"
                         if self.language == "en" else "s1 for 一、, s2-3 for 二(三)")
            self.err(doc, path, f"paragraph `{anchor}` is not in the text of report `{report_id}`",
                     f"anchors follow the report's numbering: {numbering}, p1… for unnumbered "
                     "paragraphs; known: " + ", ".join(text.anchors))
            return False
        return True

    def check_quote(self, doc: YamlDoc, path: tuple[Any, ...], quote: str, paragraph: str | None,
                    anchor: str) -> bool:
        if paragraph is None:
            return False
        if quote not in paragraph:
            hint = "copy the sentence from the source text exactly, punctuation included"
            if quote.replace(",", "，").replace(":", "：").replace(";", "；") in paragraph or \
                    quote.replace("，", ",").replace("：", ":").replace("；", ";") in paragraph:
                hint = "the punctuation differs (full-width versus ASCII); copy it from the source text"
            self.err(doc, path, f"quote not found verbatim in paragraph {anchor}", hint)
            return False
        return True
