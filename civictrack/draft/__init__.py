"""``build.py draft``: a report's plain text → reviewed-to-be data (everything marked
unreviewed).  Rule-based, deterministic and offline; the rules are data
(``civictrack/draft/rules/<lang>.yaml``, extended by the project's ``rules/<lang>.yaml``)."""

from __future__ import annotations

from pathlib import Path

from civictrack.draft.compose import Composer, Draft, Options, check_report_id
from civictrack.draft.refs import Vocab
from civictrack.draft.rules import load_rules
from civictrack.draft.text import TextProblem, clean_lines, read_english_header, read_header
from civictrack.source import parse_source


def project_language(root: Path) -> str:
    """The language of the project's data and texts: ``language`` in its site.yaml (read as plain
    YAML, as the draft reads everything), else zh-CN."""
    import yaml

    try:
        config = yaml.safe_load((root / "site.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return "zh-CN"
    language = config.get("language") if isinstance(config, dict) else None
    return language if isinstance(language, str) and language else "zh-CN"


def draft_text(root: Path, raw: str, options: Options, language: str | None = None) -> tuple[Draft, str, Vocab]:
    """The draft of ``raw`` for the project at ``root``, the text to store, and the vocabularies
    (with what the draft proposes).  ``language``: the text's, by default the project's (its
    site.yaml).  Raises :class:`TextProblem` when the text cannot be drafted."""
    if problem := check_report_id(options.report_id):
        raise TextProblem(problem)
    language = language or project_language(root)
    rules = load_rules(language, root)
    vocab = Vocab.read(root)
    lines = clean_lines(raw, rules)
    text = "\n".join(lines) + "\n"
    source, problems = parse_source(f"content/reports/{options.report_id}.txt", text, language)
    if problems:
        raise TextProblem("; ".join(f"line {line} of the cleaned text ({lines[line - 1][:20]}…): {what}"
                                    for line, what in problems)
                          + ": correct the numbering in the text, then draft again")
    header, body_index = read_english_header(lines) if rules.english else read_header(lines)
    if not (options.date or header.date):
        raise TextProblem("the text states no date (no line such as `Published 10 February 2025`, no date at its "
                          "end); pass --date YYYY-MM-DD" if rules.english else
                          "the text states no date (no (…年…月…日在…会议上) line, no date at its end); "
                          "pass --date YYYY-MM-DD")
    if options.issuer and options.issuer not in vocab.ids("bodies"):
        raise TextProblem(f"--issuer {options.issuer!r} is not a body id of data/bodies.yaml")
    if options.responds_to and not (root / "data" / "reports" / f"{options.responds_to}.yaml").is_file():
        raise TextProblem(f"--responds-to {options.responds_to!r}: no data/reports/{options.responds_to}.yaml")
    draft = Composer(source, header, body_index, options, rules, vocab).compose()
    return draft, text, vocab


__all__ = ["Draft", "Options", "TextProblem", "draft_text"]
