"""Reports written in English (a project whose site.yaml says `language: en`): the English
numbering's anchors, units, multipliers, currencies and qualifiers (read by `check` and written by
`build.py draft` alike), `check` on the made-up example project examples/en-response/, a wrong
qualifier refused with a clear message, the open data's normalised values and base units, and the
draft of the example's own text against its hand-made data.  Everything English here is made up
(examples/en-response/README.md, tests/fixtures/draft-en/README.md)."""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from civictrack.check import check_project
from civictrack.cli import main
from civictrack.draft import Options, TextProblem, draft_text, project_language
from civictrack.draft.files import Refused, write_draft
from civictrack.draft.actions import keywords_of, read_actions
from civictrack.draft.numbers import read_numbers, time_of
from civictrack.draft.rules import load_rules
from civictrack.errors import ErrorSink
from civictrack.source import find_token, parse_source
from civictrack.units import EN_QUALIFIERS, normalize, plain, qualifier_of

from .conftest import FIXTURES, ROOT
from .sitetools import run_build

EXAMPLE = ROOT / "examples" / "en-response"
RESPONSE = "northmoor-2025-homes-response"
COMMITTEE_REPORT = "northmoor-2024-homes-report"
RULES = load_rules("en")
FIGURE_BAR = 0.95


def found_figure(sentence: str, written: str):
    figures = read_numbers(sentence, RULES).figures
    found = [f for f in figures if f.written == written]
    assert found, f"no figure {written!r} in {sentence!r}: {[f.written for f in figures]!r}"
    return found[0]


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# --- figures: every English qualifier, unit, multiplier and currency -------------------------


@pytest.mark.parametrize("sentence, written, value, unit, qualifier, normalised", [
    ("The Council completed more than 1,200 affordable homes.", "more than 1,200 affordable homes", "1,200",
     "affordable homes", "more_than", ("1200", "affordable homes")),
    ("Nearly 40% of renters pay too much.", "Nearly 40%", "40", "%", "nearly", ("40", "%")),
    ("Its capital programme totals £1.2bn.", "£1.2bn", "1.2", "£bn", "exact", ("1200000000", "GBP")),
    ("It will invest £45 million in new homes.", "£45 million", "45", "£ million", "exact", ("45000000", "GBP")),
    ("Completions rose by 12 per cent.", "12 per cent", "12", "per cent", "exact", ("12", "%")),
    ("Arrears fell by 4 percent.", "4 percent", "4", "percent", "exact", ("4", "%")),
    ("The hostels have room for up to 300 people.", "up to 300 people", "300", "people", "at_most",
     ("300", "persons")),
    ("It will build at least 15 schools.", "at least 15 schools", "15", "schools", "at_least", ("15", "schools")),
    ("It inspected over 2,300 homes.", "over 2,300 homes", "2,300", "homes", "more_than", ("2300", "homes")),
    ("It collected fines in excess of £250,000.", "in excess of £250,000", "250,000", "£", "more_than",
     ("250000", "GBP")),
    ("Almost 30 per cent of journeys ran late.", "Almost 30 per cent", "30", "per cent", "nearly", ("30", "%")),
    ("It housed close to 500 households.", "close to 500 households", "500", "households", "nearly",
     ("500", "households")),
    ("The hostels will cost about £6.5 million.", "about £6.5 million", "6.5", "£ million", "about",
     ("6500000", "GBP")),
    ("It helped around 1,900 households.", "around 1,900 households", "1,900", "households", "about",
     ("1900", "households")),
    ("Spending reached approximately £3.4 million.", "approximately £3.4 million", "3.4", "£ million", "about",
     ("3400000", "GBP")),
    ("The scheme covers some 9,000 homes.", "some 9,000 homes", "9,000", "homes", "about", ("9000", "homes")),
    ("It will fund travel for as many as 2,500 young people.", "as many as 2,500 young people", "2,500",
     "young people", "at_most", ("2500", "young people")),
    ("Every scheme of 50 homes or more is covered.", "50 homes or more", "50", "homes", "at_least", ("50", "homes")),
    ("It secured a grant of $2.5 million.", "$2.5 million", "2.5", "$ million", "exact", ("2500000", "USD")),
    ("It won €3m from the fund.", "€3m", "3", "€m", "exact", ("3000000", "EUR")),
    ("It will seek a further £12m.", "£12m", "12", "£m", "exact", ("12000000", "GBP")),
    ("The region has 3 million people.", "3 million people", "3", "million people", "exact", ("3000000", "persons")),
    ("The fare is capped at £2.", "£2", "2", "£", "exact", ("2", "GBP")),
    ("Punctuality rose by 2 percentage points.", "2 percentage points", "2", "percentage points", "exact",
     ("2", "percentage points")),
    ("It gave evidence for 12 months.", "12 months", "12", "months", "exact", ("12", "months")),
])
def test_english_figures_are_read_and_normalised(sentence: str, written: str, value: str, unit: str, qualifier: str,
                                                 normalised: tuple[str, str]) -> None:
    """What `draft` writes (value, unit as written, qualifier) is what `check` reads back, and the
    exact value in its base unit is what the open data shows."""
    figure = found_figure(sentence, written)
    assert (figure.value, figure.unit, figure.qualifier) == (value, unit, qualifier)
    assert qualifier_of(written, "en") == qualifier
    number, base = normalize(value, unit, "en")
    assert (plain(number), base) == normalised


@pytest.mark.parametrize("written, qualifier", [
    ("more than 1,200", "more_than"), ("over 300", "more_than"), ("in excess of £5m", "more_than"),
    ("nearly 40%", "nearly"), ("almost 12", "nearly"), ("close to 500", "nearly"),
    ("about £6.5 million", "about"), ("around 1,900", "about"), ("approximately 3", "about"), ("some 9,000", "about"),
    ("at least 15", "at_least"), ("15 schools or more", "at_least"),
    ("up to 300 people", "at_most"), ("as many as 80", "at_most"),
    ("£1.2bn", "exact"), ("£45 million", "exact"), ("12 per cent", "exact"), ("turnover of 5", "exact"),
    ("More Than 7", "more_than"),
])
def test_check_reads_the_english_qualifier_from_the_written_form(written: str, qualifier: str) -> None:
    assert qualifier_of(written, "en") == qualifier


def test_every_english_qualifier_word_of_the_rules_reads_the_same_in_check() -> None:
    for word, meaning in RULES.qualifiers_before:
        assert qualifier_of(f"{word} 5 homes", "en") == meaning, word
        figure = found_figure(f"It built {word} 5 homes.", f"{word} 5 homes")
        assert figure.qualifier == meaning, word
    for word, meaning in RULES.qualifiers_after_unit:
        assert qualifier_of(f"5 homes {word}", "en") == meaning, word
    assert {w for w, _ in RULES.qualifiers_before} | {w for w, _ in RULES.qualifiers_after_unit} == \
        {w for w, _ in EN_QUALIFIERS}


def test_chinese_reading_is_unchanged_by_the_english_one() -> None:
    assert qualifier_of("over 300") == "exact" and qualifier_of("1.4亿余元") == "more_than"
    assert normalize("1.2", "£bn") == (Decimal("1.2"), "£bn")  # a Chinese project reads no English unit
    assert normalize("57.5", "万名") == (Decimal("575000.0"), "名")


def test_a_multiplier_counts_only_with_a_currency_or_a_unit() -> None:
    assert normalize("400", "m", "en") == (Decimal(400), "m")  # 400m: metres, not millions
    assert normalize("1.2", "bn", "en") == (Decimal("1.2"), "bn")
    assert normalize("3", "m people", "en") == (Decimal(3_000_000), "persons")


# --- numbers that are not figures ---------------------------------------------------------


@pytest.mark.parametrize("sentence, text, reason", [
    ("Presented to the Committee on 10 February 2025", "10 February 2025", "date"),
    ("It will be completed by March 2028.", "March 2028", "month"),
    ("Spending rose by 18% in 2024-25.", "2024-25", "financial or academic year"),
    ("It will invest £45 million between 2025 and 2030.", "between 2025 and 2030", "years"),
    ("In 2024, the Council inspected homes.", "2024", "year"),
    ("As set out in paragraph 4.12, the plan stands.", "paragraph 4.12", "reference to a part of a document"),
    ("See our response to Recommendation 3 above.", "Recommendation 3", "recommendation number"),
    ("The A38 is congested.", "A38", "number in a name or code"),
    ("It ranked 3rd in the region.", "3rd", "ordinal"),
])
def test_english_non_figures_get_their_reason(sentence: str, text: str, reason: str) -> None:
    found = {sentence[n.start:n.end]: n.reason for n in read_numbers(sentence, RULES).non_figures}
    assert found.get(text) == reason, found


def test_the_paragraph_number_is_no_figure() -> None:
    found = read_numbers("2.3 The Council accepts 3 sites.", RULES, "2.3")
    assert [(n.start, n.end, n.reason) for n in found.non_figures] == [(0, 3, "paragraph number")]
    assert [f.written for f in found.figures] == ["3 sites"]


def test_a_number_without_a_unit_is_listed_not_guessed() -> None:
    found = read_numbers("The Council accepts 4 of them.", RULES)
    assert not found.figures and [n.reason for n in found.non_figures] == [RULES.no_unit_reason]


def test_period_or_as_of_from_the_english_sentence() -> None:
    def when(sentence: str, written: str) -> tuple[str | None, str | None]:
        return time_of(sentence, found_figure(sentence, written), RULES, "2025-02-10")

    assert when("On 31 December 2024 it housed 62 families.", "62 families") == (None, "2024-12-31")
    assert when("Spending rose by 18% in 2024-25.", "18%") == ("2024-25", None)
    assert when("It helped 1,900 households in 2024.", "1,900 households") == ("2024", None)
    assert when("It will open 3 hostels by March 2026.", "3 hostels") == (None, "2025-02-10")  # a deadline
    assert when("It housed 40 families last year.", "40 families") == ("2024", None)


# --- the English numbering ---------------------------------------------------------------


NUMBERED = """Northmoor County Council: a response (made up)
Presented on 10 February 2025
1. Introduction
1.1 The Council welcomes the report.
1.1.1 A deeper paragraph.
Recommendation 3: The Council should act.
(a) first point;
(b) second point.
Recommendation 12
The Council should do more.
(a) a point under an unnumbered paragraph.
2.
2.1 The Council accepts this recommendation.
"""


def test_english_numbering_anchors() -> None:
    source, problems = parse_source("t.txt", NUMBERED, "en")
    assert problems == []
    assert [(p.anchor, p.kind, p.number) for p in source.paragraphs] == [
        ("p1", "plain", ""), ("p2", "plain", ""), ("s1", "heading", "1."), ("s1-1", "section", "1.1"),
        ("s1-1-1", "point", "1.1.1"), ("rec3", "recommendation", "Recommendation 3:"), ("rec3-a", "point", "(a)"),
        ("rec3-b", "point", "(b)"), ("rec12", "recommendation", "Recommendation 12"), ("p3", "plain", ""),
        ("p3-a", "point", "(a)"), ("s2", "heading", "2."), ("s2-1", "section", "2.1")]


def test_the_numbering_is_read_in_the_projects_language_never_guessed() -> None:
    chinese, _ = parse_source("t.txt", NUMBERED)  # the default: Chinese numbering, which this text has none of
    assert all(p.kind == "plain" for p in chinese.paragraphs)
    english, _ = parse_source("t.txt", "一、总体情况\n(一)第一项\n", "en")
    assert [p.anchor for p in english.paragraphs] == ["p1", "p2"]


def test_english_numbering_problems_are_reported() -> None:
    _, problems = parse_source("t.txt", "1. One\n1. Again\n(a) fine\n", "en")
    assert problems == [(2, "numbering repeats: anchor s1 is already used")]
    _, problems = parse_source("t.txt", "(a) first line\n", "en")
    assert problems == [(1, "(a) stands under no paragraph")]


# --- status keywords ---------------------------------------------------------------------


def test_english_status_keywords_are_whole_words_in_any_case() -> None:
    statuses = [(str(s["id"]), s["keywords"]) for s in _yaml(EXAMPLE / "data" / "statuses.yaml")]
    keywords = keywords_of(statuses)

    def read(text: str) -> list[tuple[str, str]]:
        return [(a.basis, a.status) for a in read_actions(text, 0, keywords, RULES)]

    assert read("Accepted. The Council will act.") == [("Accepted", "accepted")]
    assert read("The Council does not accept this recommendation.") == [("does not accept", "not-accepted")]
    assert read("The Council accepts the principle of this recommendation.") == [
        ("accepts the principle", "partially-accepted")]
    assert read("The Council partially accepts this recommendation.") == [("partially accepts", "partially-accepted")]
    assert read("The Council notes this recommendation.") == [("notes", "noted")]
    assert read("See the footnotes of the Committee's report.") == []  # notes inside a word is no keyword


# --- the example project -----------------------------------------------------------------


def test_check_passes_on_the_english_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(EXAMPLE), "check", "--strict"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: 2 reports, 4 areas, 8 items, 8 actions, 33 figures (33 stated, 0 derived)"), out
    data = check_project(EXAMPLE, ErrorSink())
    assert data is not None and data.config.language == "en"
    text = data.texts[RESPONSE]
    assert {"s2-3-a", "rec3", "rec8", "s5-3", "p4"} <= set(text.anchors)
    assert {f.figure.qualifier for f in data.figures.values()} == {
        "exact", "more_than", "nearly", "about", "at_least", "at_most"}
    asks = {a.id for a in data.reports[COMMITTEE_REPORT].asks}
    assert {a for item in data.items for a in item.answers} == asks  # every recommendation is answered
    assert {a.status for item in data.items for a in item.actions} == {
        "accepted", "partially-accepted", "not-accepted", "noted"}


def test_the_example_says_it_is_made_up() -> None:
    assert "fictional" in (EXAMPLE / "site.yaml").read_text(encoding="utf-8")
    assert "(fictional)" in _yaml(EXAMPLE / "site.yaml")["title"]
    assert "made up" in (EXAMPLE / "README.md").read_text(encoding="utf-8")
    for rid in (RESPONSE, COMMITTEE_REPORT):
        assert "(fictional example)" in _yaml(EXAMPLE / "data" / "reports" / f"{rid}.yaml")["title"]
        assert "made-up text" in (EXAMPLE / "content" / "reports" / f"{rid}.txt").read_text(encoding="utf-8")


def _copy_example(tmp_path: Path) -> Path:
    project = tmp_path / "en"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("README.md"))
    return project


def test_a_wrong_english_qualifier_fails_check_with_a_clear_message(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    project = _copy_example(tmp_path)
    path = project / "data" / "reports" / f"{RESPONSE}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("    qualifier: nearly\n") == 1
    path.write_text(text.replace("    qualifier: nearly\n", "    qualifier: about\n"), encoding="utf-8")
    assert main(["--root", str(project), "check"]) == 1
    err = capsys.readouterr().err
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if row == "    qualifier: nearly")
    assert (f"data/reports/{RESPONSE}.yaml:{line}:16: qualifier is `about` but `nearly 40%` reads as `nearly` "
            "(more than/over/in excess of = more_than, nearly/almost/close to = nearly, about/around/approximately/"
            "some = about, at least = at_least, up to/as many as = at_most, none = exact)") in err, err


def test_a_wrong_english_anchor_is_explained_in_the_english_numbering(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    project = _copy_example(tmp_path)
    path = project / "data" / "items" / "northmoor-landlord-licensing.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("paragraph: rec6", "paragraph: rec9"), encoding="utf-8")
    assert main(["--root", str(project), "check"]) == 1
    err = capsys.readouterr().err
    assert "paragraph `rec9` is not in the text of report" in err
    assert "rec3 for Recommendation 3" in err


def test_the_open_data_of_the_english_example(tmp_path: Path) -> None:
    """data/figures.csv of a build: the qualifier, the exact value in the base unit."""
    out = tmp_path / "site"
    result = run_build(_copy_example(tmp_path), out, None, "--no-search")
    assert result.returncode == 0, result.stderr
    with open(out / "data" / "figures.csv", encoding="utf-8", newline="") as handle:
        rows = {row["figure_id"]: row for row in csv.DictReader(handle)}
    expected = {
        "northmoor-affordable-homes-completed-2021-2025": ("1,200", "affordable homes", "more_than", "1200",
                                                           "affordable homes"),
        "northmoor-renters-rent-over-third-2025": ("40", "%", "nearly", "40", "%"),
        "northmoor-capital-programme-2035": ("1.2", "£bn", "exact", "1200000000", "GBP"),
        "northmoor-hra-investment-2025-2030": ("45", "£ million", "exact", "45000000", "GBP"),
        "northmoor-affordable-homes-completed-change": ("12", "per cent", "exact", "12", "%"),
        "northmoor-family-hostels-places": ("300", "people", "at_most", "300", "persons"),
        "northmoor-warm-homes-landlord-share": ("15", "per cent", "at_least", "15", "%"),
        "northmoor-private-homes-inspected-2024": ("2,300", "homes", "more_than", "2300", "homes"),
        "northmoor-family-hostels-cost": ("6.5", "£ million", "about", "6500000", "GBP"),
        "northmoor-prevention-households-2024": ("1,900", "households", "about", "1900", "households"),
        "northmoor-prevention-spending-2024-25": ("3.4", "£ million", "about", "3400000", "GBP"),
        "northmoor-selective-licensing-homes": ("9,000", "homes", "about", "9000", "homes"),
        "northmoor-ahp-bid": ("12", "£m", "exact", "12000000", "GBP"),
        "northmoor-capital-programme-infrastructure-2035": ("300", "£m", "nearly", "300000000", "GBP"),
        "northmoor-halden-grant": ("2.5", "$ million", "exact", "2500000", "USD"),
        "northmoor-landlord-fines-2024": ("250,000", "£", "more_than", "250000", "GBP"),
        "northmoor-viability-threshold": ("50", "homes", "at_least", "50", "homes"),
    }
    for fid, (value, unit, qualifier, normalised, base) in expected.items():
        row = rows[fid]
        assert (row["value"], row["unit"], row["qualifier"], row["value_normalized"], row["base_unit"]) == \
            (value, unit, qualifier, normalised, base), fid


def test_the_review_page_of_an_english_report_is_in_english(tmp_path: Path) -> None:
    from civictrack.draft.review import review_page

    data = check_project(EXAMPLE, ErrorSink())
    assert data is not None
    html, summary = review_page(data, data.reports[RESPONSE])
    assert summary == "33 figures (0 unreviewed), 51 non-figure numbers, 8 status bases, 0 numbers not accounted for"
    assert '<html lang="en">' in html and "<h1>Review: Northmoor County Council" in html
    assert "not a figure: recommendation number" in html and "status: Accepted (" in html
    assert "核对" not in html


# --- drafting the example's own text ------------------------------------------------------


def _figures(report: dict[str, Any], items: list[dict[str, Any]]) -> list[tuple[dict[str, Any], str]]:
    found = [(f, f["paragraph"]) for f in report.get("figures", [])]
    for item in items:
        found += [(f, f.get("paragraph") or item["paragraph"]) for f in item.get("figures", [])]
    return found


def _where(fig: dict[str, Any], anchor: str, paragraphs: dict[str, str]) -> tuple[str, int] | None:
    """(paragraph, position of the written figure in it), as `check` places a figure."""
    text = paragraphs.get(anchor, "")
    if fig["quote"] not in text:
        return None
    at = find_token(fig["quote"], fig["written"], fig.get("occurrence", 1))
    return (anchor, text.index(fig["quote"]) + at) if at >= 0 else None


def _vocabulary_copy(tmp_path: Path) -> Path:
    """The example without the response (its report, text and items): the vocabularies, the
    statuses and the committee's report the response answers."""
    project = tmp_path / "drafted"
    (project / "data" / "reports").mkdir(parents=True)
    (project / "content" / "reports").mkdir(parents=True)
    shutil.copy(EXAMPLE / "site.yaml", project / "site.yaml")
    for name in ("bodies", "places", "documents", "tags", "statuses"):
        shutil.copy(EXAMPLE / "data" / f"{name}.yaml", project / "data" / f"{name}.yaml")
    shutil.copy(EXAMPLE / "data" / "reports" / f"{COMMITTEE_REPORT}.yaml", project / "data" / "reports")
    shutil.copy(EXAMPLE / "content" / "reports" / f"{COMMITTEE_REPORT}.txt", project / "content" / "reports")
    return project


def test_draft_of_the_english_example_finds_its_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`build.py draft` on the example's text, in a copy holding only its vocabularies and the
    committee's report: every hand-made figure at the same place with the same value, unit and
    qualifier (the bar: 95 %), the same status for each hand-made response, and `check` passes."""
    project = _vocabulary_copy(tmp_path)
    assert project_language(project) == "en"
    text_file = EXAMPLE / "content" / "reports" / f"{RESPONSE}.txt"
    assert main(["--root", str(project), "draft", str(text_file), "--id", RESPONSE,
                 "--responds-to", COMMITTEE_REPORT]) == 0
    assert (project / "content" / "reports" / f"{RESPONSE}.txt").read_bytes() == text_file.read_bytes()
    source, _ = parse_source("t", text_file.read_text(encoding="utf-8"), "en")
    paragraphs = {p.anchor: p.text for p in source.paragraphs}

    drafted_report = _yaml(project / "data" / "reports" / f"{RESPONSE}.yaml")
    drafted_items = [_yaml(p) for p in sorted((project / "data" / "items").glob("*.yaml"))]
    hand_report = _yaml(EXAMPLE / "data" / "reports" / f"{RESPONSE}.yaml")
    hand_items = [_yaml(p) for p in sorted((EXAMPLE / "data" / "items").glob("*.yaml"))]
    assert (drafted_report["kind"], drafted_report["issuer"], drafted_report["addressee"], drafted_report["date"]) == (
        hand_report["kind"], hand_report["issuer"], hand_report["addressee"], hand_report["date"])
    assert drafted_report["title"] == hand_report["title"]

    drafted = {key: f for f, anchor in _figures(drafted_report, drafted_items)
               if (key := _where(f, anchor, paragraphs)) is not None}
    hand = _figures(hand_report, hand_items)
    same, differ = 0, []
    for fig, anchor in hand:
        mine = drafted.pop(_where(fig, anchor, paragraphs), None)  # type: ignore[arg-type]
        got = (mine["value"], mine["unit"], mine.get("qualifier", "exact")) if mine else None
        if got == (fig["value"], fig["unit"], fig.get("qualifier", "exact")):
            same += 1
        else:
            differ.append(f"{fig['written']}: drafted {got}")
    assert len(hand) == 33
    assert same / len(hand) >= FIGURE_BAR, differ
    assert not drafted, f"drafted figures the hand-made data has not: {list(drafted)}"

    # each hand-made response (its status basis) lies in a drafted action with the same status
    actions = [(a.get("paragraph") or i["paragraph"], a) for i in drafted_items for a in i["actions"]]
    for item in hand_items:
        for action in item["actions"]:
            anchor = action["paragraph"]
            at = paragraphs[anchor].index(action["quote"]) + action["quote"].index(action["status_basis"])
            spans = [(paragraphs[anchor].index(a["quote"]), a) for where, a in actions if where == anchor]
            mine = [a["status"] for start, a in spans if start <= at < start + len(a["quote"])]
            assert mine == [action["status"]], (item["id"], mine)
    # one drafted item per recommendation, at the recommendation's paragraph
    assert {i["paragraph"] for i in hand_items} <= {i["paragraph"] for i in drafted_items}
    capsys.readouterr()
    assert main(["--root", str(project), "check"]) == 0
    assert "unreviewed" in capsys.readouterr().out


def test_draft_of_the_committee_report_gives_its_recommendations_as_asks(tmp_path: Path) -> None:
    project = _vocabulary_copy(tmp_path)
    (project / "data" / "reports" / f"{COMMITTEE_REPORT}.yaml").unlink()
    (project / "content" / "reports" / f"{COMMITTEE_REPORT}.txt").unlink()
    (project / "data" / "documents.yaml").write_text("[]\n", encoding="utf-8")  # it names the report
    assert main(["--root", str(project), "draft", str(EXAMPLE / "content" / "reports" / f"{COMMITTEE_REPORT}.txt"),
                 "--id", "committee"]) == 0
    drafted = _yaml(project / "data" / "reports" / "committee.yaml")
    hand = _yaml(EXAMPLE / "data" / "reports" / f"{COMMITTEE_REPORT}.yaml")
    assert (drafted["kind"], drafted["issuer"], drafted["date"]) == ("review_opinions", hand["issuer"], hand["date"])
    keys = ("number", "quote", "paragraph")
    assert [{k: a[k] for k in keys} for a in drafted["asks"]] == [{k: a[k] for k in keys} for a in hand["asks"]]
    assert main(["--root", str(project), "check"]) == 0


def test_draft_of_an_english_response_pasted_from_a_web_page(tmp_path: Path) -> None:
    """A made-up council's response as pasted from its web page (tests/fixtures/draft-en/)."""
    project = _vocabulary_copy(tmp_path)
    assert main(["--root", str(project), "draft", str(FIXTURES / "draft-en" / "web-response.txt"),
                 "--id", "westvale-buses"]) == 0
    stored = (project / "content" / "reports" / "westvale-buses.txt").read_text(encoding="utf-8")
    for stray in ("Skip to main content", "Home >", "Print this page", "Share this page", "    "):
        assert stray not in stored
    report = _yaml(project / "data" / "reports" / "westvale-buses.yaml")
    assert report["title"].startswith("Westvale Borough Council: response to the Overview and Scrutiny Committee")
    assert (report["date"], report["kind"]) == ("2025-03-03", "government_response")
    assert _yaml(project / "data" / "bodies.yaml")[-1] == {
        "id": "westvale-buses-body-1", "name": "Westvale Borough Council", "kind": "government", "unreviewed": True}
    items = {p.stem: _yaml(p) for p in (project / "data" / "items").glob("*.yaml")}
    statuses = {anchor: [(a["status_basis"], a["status"]) for a in items[f"westvale-buses-{anchor}"]["actions"]]
                for anchor in ("rec1", "rec2", "rec3")}
    assert statuses == {"rec1": [("Accepted", "accepted")], "rec2": [("does not accept", "not-accepted")],
                        "rec3": [("partially accepts", "partially-accepted")]}
    figures = {f["written"]: (f["value"], f["unit"], f.get("qualifier", "exact"))
               for i in items.values() for f in i.get("figures", [])}
    assert figures == {
        "almost 60 residents": ("60", "residents", "nearly"), "6 operators": ("6", "operators", "exact"),
        "4 routes": ("4", "routes", "exact"), "around £850,000": ("850,000", "£", "about"),
        "£2": ("2", "£", "exact"), "as many as 2,500 young people": ("2,500", "young people", "at_most"),
        "close to 18 per cent": ("18", "per cent", "nearly")}
    reasons = {n["text"]: n["reason"] for n in report["non_figures"]}
    assert reasons["3 March 2025"] == "date" and reasons["1 September 2025"] == "date"
    assert any(r == "no unit; not recorded as a figure" for r in reasons.values())  # the 14 supported routes
    assert main(["--root", str(project), "check"]) == 0


def test_a_project_extends_the_english_rules(tmp_path: Path) -> None:
    project = _vocabulary_copy(tmp_path)
    (project / "rules").mkdir()
    (project / "rules" / "en.yaml").write_text("units: [supported routes]\n", encoding="utf-8")
    rules = load_rules("en", project)
    found = read_numbers("It runs the 14 supported routes.", rules).figures
    assert [(f.written, f.unit) for f in found] == [("14 supported routes", "supported routes")]


# --- drafting an English text never crashes, and what it writes passes check ---------------------

EN_FRAGMENTS = ["1. ", "2. ", "1.1 ", "2.3 ", "1.1.1 ", "Recommendation 3: ", "Recommendation 12", "(a) ", "(b) ",
                "The Council ", "accepts ", "Accepted. ", "does not accept ", "partially accepts ", "notes ",
                "accepts the principle ", "this recommendation", "more than ", "over ", "nearly ", "about ", "some ",
                "at least ", "up to ", "in excess of ", " or more", "£", "$", "€", "1,200", "1.2", "45", "12", "300",
                "2024", "2024-25", "bn", "m", " million", " per cent", "%", " people", " homes", " households",
                "10 February 2025", "March 2028", "by ", "in ", "on ", ", ", ". ", "; ", ": ", "“", "”", "(", ")",
                "e.g. ", "No. ", "A38", "3rd", "paragraph 4.12", "down from ", "compared with ", "Northmoor",
                "Fellbridge", "Homes within Reach", "\n", " ", "\t", "\u3000", "Print this page", "Home > ",
                "Cabinet Member for Housing", "x", "'", '"', "#", "- ", "&", "*", "!", "|", ">", "{", "[", "@", "\\"]
ANY_CHARACTER = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"))
EN_LINE = st.lists(st.one_of(st.sampled_from(EN_FRAGMENTS), ANY_CHARACTER), min_size=1, max_size=16).map("".join)
EN_HEADER = ("Northmoor County Council: response to the Scrutiny Committee report (made up)\n"
             "Published 10 February 2025\n")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(parts=st.lists(EN_LINE, min_size=1, max_size=14), header=st.booleans())
def test_english_draft_never_crashes_and_what_it_writes_passes_check(tmp_path_factory: pytest.TempPathFactory,
                                                                    parts: list[str], header: bool) -> None:
    project = _vocabulary_copy(tmp_path_factory.mktemp("en-prop"))
    raw = (EN_HEADER if header else "") + "\n".join(parts)
    try:
        draft, text, vocab = draft_text(project, raw, Options("prop-en", issuer="northmoor-council",
                                                              date="2025-02-10"))
    except TextProblem as problem:
        event("refused: " + str(problem).split(":")[0][:40])
        assert str(problem)
        return
    try:
        write_draft(project, draft, text, vocab)
    except Refused as refused:  # pragma: no cover - the copy has no clash
        pytest.fail(str(refused))
    event(f"written: {len(draft.items)} item(s), figures: {min(draft.figure_count, 3)}+")
    sink = ErrorSink()
    data = check_project(project, sink)
    assert data is not None, "\n".join(str(e) for e in sink.sorted()) + "\n--- text:\n" + text
