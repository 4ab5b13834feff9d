"""The rules `build.py draft` reads a report with: a YAML file per language.

The generator's own file (``civictrack/draft/rules/<lang>.yaml``) holds rules for the genre;
a project may extend it with ``<project>/rules/<lang>.yaml``: its lists are added to the
generator's, its mappings update them.  Status keywords are not here; they are the
``keywords`` of ``data/statuses.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

RULES_DIR = Path(__file__).parent / "rules"


class RulesError(ValueError):
    """A rules file that cannot be used, with the file and the reason."""


@dataclass(frozen=True)
class NonFigureRule:
    pattern: re.Pattern[str]
    reason: str


@dataclass(frozen=True)
class Rules:
    """Every rule of one language, ready to use."""

    language: str
    stray_lines: tuple[re.Pattern[str], ...]
    qualifiers_before: tuple[tuple[str, str], ...]  # longest first
    qualifiers_after: tuple[tuple[str, str], ...]
    qualifiers_after_unit: tuple[tuple[str, str], ...]
    multipliers: tuple[tuple[str, Decimal], ...]  # longest first
    units: tuple[str, ...]  # longest first
    chinese_numeral_units: tuple[str, ...]
    rank_words: tuple[str, ...]
    rank_unit: str
    non_figures: tuple[NonFigureRule, ...]
    time_words: tuple[dict[str, Any], ...]
    comparisons: tuple[tuple[str, tuple[str, ...]], ...]
    connectives: tuple[str, ...]
    keyword_not_before: tuple[str, ...]
    ask_words: tuple[str, ...]
    closing_lines: tuple[str, ...]
    place_suffixes: tuple[tuple[str, str], ...]  # (suffix, place kind), longest first
    place_not: tuple[str, ...]
    place_not_start: tuple[str, ...]
    currencies: tuple[tuple[str, str], ...] = ()  # (sign, code): £ GBP
    numbering_reason: str = "编号"
    name_reason: str = "名称中的数字"
    no_unit_reason: str = "没有单位，未当作数字记录"
    title_kinds: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (report kind, title words); empty: Chinese
    whole_text_number: str = "全文"
    whole_text_title: str = "报告正文"
    unnumbered_item: str = "段"

    @property
    def english(self) -> bool:
        """Whether the text is read the English way (words, spaces, sentences ending in ". ")."""
        return self.language == "en"


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if key not in base:
            raise RulesError(f"unknown rule `{key}` (known: {', '.join(sorted(base))})")
        if isinstance(base[key], list) and isinstance(value, list):
            merged[key] = value + [v for v in base[key] if v not in value]  # the project's first
        elif isinstance(base[key], dict) and isinstance(value, dict):
            merged[key] = {**base[key], **value}
        elif type(base[key]) is type(value):
            merged[key] = value
        else:
            raise RulesError(f"rule `{key}` must be a {type(base[key]).__name__}")
    return merged


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise RulesError(f"{path}: cannot read the rules: {error}") from None
    if not isinstance(data, dict):
        raise RulesError(f"{path}: a rules file is a mapping of rule names")
    return data


def _longest(pairs: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted(((str(k), v) for k, v in pairs.items()), key=lambda kv: -len(kv[0])))


def load_rules(language: str = "zh-CN", project: Path | None = None) -> Rules:
    """The rules for ``language``, extended by the project's file if it has one."""
    return _load(language, str(project) if project is not None else None)


@lru_cache(maxsize=8)
def _load(language: str, project: str | None) -> Rules:
    own = RULES_DIR / f"{language}.yaml"
    if not own.is_file():
        raise RulesError(f"no drafting rules for language `{language}` (have: "
                         f"{', '.join(sorted(p.stem for p in RULES_DIR.glob('*.yaml')))})")
    data = _read(own)
    extra_file = Path(project) / "rules" / f"{language}.yaml" if project else None
    if extra_file is not None and extra_file.is_file():
        try:
            data = _merge(data, _read(extra_file))
        except RulesError as error:
            raise RulesError(f"{extra_file}: {error}") from None
    try:
        return Rules(
            language=language,
            stray_lines=tuple(re.compile(r"^\s*(?:" + p + ")") for p in data["stray_lines"]),
            qualifiers_before=_longest(data["qualifiers_before"]),
            qualifiers_after=_longest(data["qualifiers_after"]),
            qualifiers_after_unit=_longest(data["qualifiers_after_unit"]),
            multipliers=tuple((k, Decimal(str(v))) for k, v in _longest(data["multipliers"])),
            units=tuple(sorted((str(u) for u in data["units"]), key=len, reverse=True)),
            chinese_numeral_units=tuple(data["chinese_numeral_units"]),
            rank_words=tuple(sorted(data["rank_words"], key=len, reverse=True)),
            rank_unit=str(data["rank_unit"]),
            non_figures=tuple(NonFigureRule(re.compile(r["pattern"]), r["reason"]) for r in data["non_figures"]),
            time_words=tuple(data["time_words"]),
            comparisons=tuple((c["kind"], tuple(c["triggers"])) for c in data["comparisons"]),
            connectives=tuple(data["connectives"]),
            keyword_not_before=tuple(data["keyword_not_before"]),
            ask_words=tuple(data["ask_words"]),
            closing_lines=tuple(data["closing_lines"]),
            place_suffixes=_longest(data["place_suffixes"]),
            place_not=tuple(data["place_not"]),
            place_not_start=tuple(data["place_not_start"]),
            currencies=tuple((str(k), str(v)) for k, v in data["currencies"].items()),
            numbering_reason=str(data["numbering_reason"]),
            name_reason=str(data["name_reason"]),
            no_unit_reason=str(data["no_unit_reason"]),
            title_kinds=tuple((str(k), tuple(str(w) for w in v)) for k, v in data["title_kinds"].items()),
            whole_text_number=str(data["whole_text_number"]),
            whole_text_title=str(data["whole_text_title"]),
            unnumbered_item=str(data["unnumbered_item"]),
        )
    except (KeyError, TypeError, AttributeError, re.error) as error:
        raise RulesError(f"{own if extra_file is None else extra_file}: bad rule: {error}") from None
