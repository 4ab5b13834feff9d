"""Following commitments after the report (``civictrack.tracking``): status resolution, targets
and overdue on their edge dates, the checks of updates, follow-ups and answers, and the made-up
project ``examples/series`` built as a reader sees it (timelines, ask coverage, feeds, open data)."""

from __future__ import annotations

import csv
import json
import shutil
from dataclasses import replace as with_fields
from pathlib import Path

import feedparser
import pytest

from civictrack.check import check_project
from civictrack.cli import main
from civictrack.errors import ErrorSink
from civictrack.index.indexes import build_indexes
from civictrack.tracking import data_as_of, status_at

from .conftest import ROOT
from .sitetools import parse_html
from .test_dataset_cache import read_tree

SERIES = ROOT / "examples" / "series"
DUTIES = "data/items/shili-2024-edu-school-duties.yaml"
LAYOUT = "data/items/shili-2024-edu-layout-plan.yaml"
NEW_SCHOOLS = "data/items/shili-2024-edu-new-schools.yaml"
INSPECTION = "data/items/shili-2025-edu-inspection.yaml"


@pytest.fixture
def series(tmp_path: Path) -> Path:
    root = tmp_path / "series"
    shutil.copytree(SERIES, root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def checked(project: Path) -> tuple[object, list[str]]:
    sink = ErrorSink()
    data = check_project(project, sink)
    return data, [str(e) for e in sink.sorted()]


def tracks_of(project: Path) -> dict[tuple[str, str], object]:
    data, errors = checked(project)
    assert data is not None, errors
    return build_indexes(data).tracks


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("series") / "site"
    assert main(["--root", str(SERIES), "build", "--out", str(out), "--no-search"]) == 0
    return out


# --- status resolution ------------------------------------------------------------------


def test_the_current_status_is_the_latest_steps_and_the_reading_of_the_report_stays_first(series: Path) -> None:
    tracks = tracks_of(series)
    layout = tracks[("shili-2024-edu-layout-plan", "layout-plan")]  # an outside document's update
    assert [(s.date, s.status, s.kind) for s in layout.steps] == [
        ("2024-09-25", "in-progress", "report"), ("2024-12-20", "done", "update")]
    assert (layout.original, layout.current, layout.since, layout.changed) == ("in-progress", "done", "2024-12-20", True)
    schools = tracks[("shili-2024-edu-new-schools", "build-schools")]  # a later report's follow-up
    assert [(s.kind, s.item, s.action) for s in schools.later_steps] == [
        ("follow-up", "shili-2025-edu-new-schools", "schools-open")]
    assert schools.current == "done" and schools.since == "2025-10-15"  # the later report's date
    whitelist = tracks[("shili-2024-edu-school-duties", "whitelist")]
    assert not whitelist.changed and whitelist.later_steps == ()


def test_updates_are_ordered_by_date_whatever_their_order_in_the_file(series: Path) -> None:
    """An update written first but dated later wins; the status on a date is the last step by then."""
    edit(series / LAYOUT, "    updates:\n", """    updates:
      - date: "2025-02-01"
        status: ongoing
        status_basis: 执行
        quote: 请认真贯彻执行。
        source: {title: 虚构的通知, issuer: 示例市人民政府, date: "2025-02-01"}
""")
    track = tracks_of(series)[("shili-2024-edu-layout-plan", "layout-plan")]
    assert [s.date for s in track.steps] == ["2024-09-25", "2024-12-20", "2025-02-01"]
    assert [s.number for s in track.steps] == [0, 1, 2]
    assert track.current == "ongoing" and track.done_since is None
    assert [status_at(track, d) for d in ("2024-09-24", "2024-09-25", "2024-12-19", "2024-12-20", "2026-01-01")] == [
        None, "in-progress", "in-progress", "done", "ongoing"]
    assert track.target_state == "overdue"  # no longer done, and 2024-12-31 has passed by 2026-03-31


# --- targets and overdue on their edge dates ---------------------------------------------


@pytest.mark.parametrize("as_of, state", [("2025-12-30", "pending"), ("2025-12-31", "pending"),
                                          ("2026-01-01", "overdue")])
def test_overdue_starts_the_day_after_the_target(series: Path, as_of: str, state: str) -> None:
    edit(series / "site.yaml", 'as_of: "2026-03-31"', f'as_of: "{as_of}"')
    track = tracks_of(series)[("shili-2024-edu-school-duties", "inspection")]  # target 2025-12-31, not done
    assert track.target_state == state and track.overdue is (state == "overdue")


@pytest.mark.parametrize("done_on, state", [("2024-12-31", "met"), ("2025-01-01", "late")])
def test_done_on_the_target_date_is_met_and_a_day_later_is_late(series: Path, done_on: str, state: str) -> None:
    edit(series / LAYOUT, '      - date: "2024-12-20"', f'      - date: "{done_on}"')
    edit(series / LAYOUT, '          date: "2024-12-20"', f'          date: "{done_on}"')
    track = tracks_of(series)[("shili-2024-edu-layout-plan", "layout-plan")]
    assert (track.target_state, track.overdue, track.done_since) == (state, False, done_on)


def test_as_of_comes_from_the_data_never_the_clock(series: Path) -> None:
    edit(series / "site.yaml", 'as_of: "2026-03-31"\n', "")
    data, errors = checked(series)
    assert data is not None, errors
    assert data_as_of(data) == "2025-10-15"  # the latest report or update; not the change log, not today
    tracks = build_indexes(data).tracks
    assert tracks[("shili-2024-edu-school-duties", "inspection")].target_state == "pending"  # 2025-12-31 not yet
    assert data_as_of(with_fields(data, config=data.config.model_copy(update={"as_of": "2030-01-01"}))) == "2030-01-01"


def test_the_bundled_report_states_no_target_and_nothing_is_overdue() -> None:
    """The bundled text gives no deadline for any action (its only years name plans'
    periods), so its data has none: nothing invented, nothing overdue."""
    data, errors = checked(ROOT)
    assert data is not None, errors
    tracks = build_indexes(data).tracks
    assert len(tracks) == 87 and not any(t.target_date or t.overdue or t.later_steps for t in tracks.values())
    assert all(t.current == t.original for t in tracks.values())


# --- checks: quotes, references, dates (file:line:column) ----------------------------------


def test_an_update_quote_from_a_kept_report_is_checked_against_its_text(series: Path) -> None:
    edit(series / INSPECTION, "    follows: {item: shili-2024-edu-school-duties, action: inspection}\n", "")
    edit(series / DUTIES, "    target:\n      text: 到2025年底前", """    updates:
      - date: "2025-10-15"
        status: in-progress
        status_basis: 正在试点
        quote: 督查机制正在试点,已在全市推开。
        report: shili-2025-edu-progress
        paragraph: s2-1
    target:
      text: 到2025年底前""")
    assert checked(series)[1] == [
        "data/items/shili-2024-edu-school-duties.yaml:36:16: quote not found verbatim in paragraph s2-1 "
        "(copy the sentence from the source text exactly, punctuation included)"]
    edit(series / DUTIES, "quote: 督查机制正在试点,已在全市推开。", "quote: 进校园事项常态化督查机制正在试点,尚未在全市推开。")
    data, errors = checked(series)
    assert errors == []
    track = build_indexes(data).tracks[("shili-2024-edu-school-duties", "inspection")]
    assert [(s.kind, s.report, s.paragraph) for s in track.later_steps] == [("update", "shili-2025-edu-progress", "s2-1")]


def test_an_update_or_follow_up_naming_what_does_not_exist_is_refused_with_its_position(series: Path) -> None:
    edit(series / INSPECTION, "action: inspection}", "action: inspections}")
    edit(series / LAYOUT, "    updates:\n      - date: \"2024-12-20\"\n        status: done",
         "    updates:\n      - date: \"2024-12-20\"\n        status: finished")
    edit(series / NEW_SCHOOLS, "answers: [shili-ask-school-places]", "answers: [shili-ask-places]")
    assert checked(series)[1] == [
        "data/items/shili-2024-edu-layout-plan.yaml:26:17: unknown status `finished` (add it to data/statuses.yaml "
        "or fix the id)",
        "data/items/shili-2024-edu-new-schools.yaml:13:11: unknown ask of report `shili-2024-edu-opinions` "
        "`shili-ask-places` (did you mean `shili-ask-school-places`?)",
        "data/items/shili-2025-edu-inspection.yaml:19:59: unknown action of item `shili-2024-edu-school-duties` "
        "`inspections` (did you mean `inspection`?)"]


def test_an_update_naming_an_unknown_report_and_a_follow_up_of_a_later_report_are_refused(series: Path) -> None:
    edit(series / LAYOUT, """        source:
          title: 示例市人民政府关于印发示例市中小学校布局规划的通知（虚构）
          issuer: 示例市人民政府
          date: "2024-12-20"
""", "        report: shili-2024-notice\n        paragraph: p1\n")
    # the 2024 report cannot follow up an action of the 2025 report
    edit(series / DUTIES, "    status: planned\n", "    status: planned\n    follows: {item: shili-2025-edu-inspection, "
         "action: inspection-pilot}\n")
    edit(series / INSPECTION, "    follows: {item: shili-2024-edu-school-duties, action: inspection}\n", "")
    assert checked(series)[1] == [
        "data/items/shili-2024-edu-layout-plan.yaml:29:17: unknown report `shili-2024-notice` "
        "(did you mean `shili-2024-edu-response`?)",
        "data/items/shili-2024-edu-school-duties.yaml:30:14: action `inspection` follows `shili-2025-edu-inspection` / "
        "`inspection-pilot` of report `shili-2025-edu-progress` (2025-10-15), which is not earlier than its own "
        "report `shili-2024-edu-response` (2024-09-25) (a follow-up is stated by a later report)"]


def test_targets_updates_and_corrections_are_checked_for_their_words_and_dates(series: Path) -> None:
    edit(series / NEW_SCHOOLS, "      text: 到2025年6月底前", "      text: 到2025年6月前")
    edit(series / NEW_SCHOOLS, '      date: "2025-06-30"', '      date: "2025-06-31"')
    edit(series / LAYOUT, '      - date: "2024-12-20"', '      - date: "2024-09-01"')
    edit(series / DUTIES, "        field: status\n        was: in-progress", "        field: value\n        was: in-progress")
    assert checked(series)[1] == [
        "data/items/shili-2024-edu-layout-plan.yaml:25:15: update dated 2024-09-01, before its report (2024-09-25) "
        "(an update records what happened after the report)",
        "data/items/shili-2024-edu-new-schools.yaml:21:13: target `到2025年6月前` is not in the action's quote "
        "(write the deadline exactly as the quote states it, or give the target its own `quote`)",
        "data/items/shili-2024-edu-new-schools.yaml:22:13: `2025-06-31` is not a date of the calendar "
        "(write a real day as \"YYYY-MM-DD\")",
        "data/items/shili-2024-edu-school-duties.yaml:24:16: `value` cannot be corrected here "
        "(one of: quote, status, text)"]


def test_an_edit_of_an_action_with_a_target_is_rechecked_like_a_full_check(series: Path) -> None:
    """The preview re-checks only changed items; a target whose words leave the action's quote
    is still an error there, as in a full check."""
    from civictrack.load.loader import ParseCache

    cache = ParseCache()
    assert check_project(series, ErrorSink(), cache) is not None
    edit(series / NEW_SCHOOLS, "    quote: 今年已开工新建中小学校4所,计划到2025年6月底前全部建成投用。\n    target:",
         "    quote: 今年已开工新建中小学校4所,计划到2025年6月底前全部建成投用。\n    paragraph: s1-1\n    target:")
    sink = ErrorSink()
    assert check_project(series, sink, cache) is not None and cache.validated.rechecked == 1
    edit(series / NEW_SCHOOLS, "    quote: 今年已开工新建中小学校4所,计划到2025年6月底前全部建成投用。\n    paragraph",
         "    quote: 今年已开工新建中小学校4所。\n    paragraph")
    sink = ErrorSink()
    assert check_project(series, sink, cache) is None
    assert [str(e) for e in sink.sorted()] == checked(series)[1] != []


# --- the built example -------------------------------------------------------------------


def rows(site: Path, name: str) -> list[dict[str, str]]:
    with (site / "data" / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_actions_csv_has_an_overdue_action_and_one_whose_status_moved(built: Path) -> None:
    actions = {r["action_id"]: r for r in rows(built, "actions.csv")}
    assert len(actions) == 7 and {r["as_of"] for r in actions.values()} == {"2026-03-31"}
    inspection = actions["inspection"]
    assert (inspection["overdue"], inspection["target"], inspection["target_date"], inspection["target_state"]) == (
        "true", "到2025年底前", "2025-12-31", "overdue")
    assert (inspection["original_status"], inspection["current_status"]) == ("planned", "in-progress")
    states = {k: r["target_state"] for k, r in actions.items() if r["target"]}
    assert states == {"build-schools": "late", "layout-plan": "met", "inspection": "overdue",
                      "boarding-schools": "pending"}
    updates = rows(built, "updates.csv")
    assert [(u["action_id"], u["kind"], u["previous_status"], u["status"]) for u in updates] == [
        ("build-schools", "follow-up", "in-progress", "done"), ("layout-plan", "update", "in-progress", "done"),
        ("inspection", "follow-up", "planned", "in-progress")]
    assert updates[1]["source_title"].startswith("示例市人民政府关于印发") and updates[1]["report_id"] == ""


def test_item_pages_show_the_timeline_the_target_and_the_overdue_mark(built: Path) -> None:
    html = (built / "items" / "shili-2024-edu-school-duties" / "index.html").read_text(encoding="utf-8")
    doc = parse_html(html)
    inspection = doc.find("li", id="action-inspection")
    assert inspection is not None
    text = inspection.text
    assert "逾期" in text and "时限：“到2025年底前”" in text and "逾期未完成" in text
    assert "报告时（2024-09-25）的解读：计划中" in text
    steps = [li for ol in inspection.iter("ol", cls="timeline") for li in ol.children
             if not isinstance(li, str) and li.tag == "li"]
    assert [li.get("id") for li in steps] == [None, "action-inspection-update-1", None]
    assert "2025-10-15" in steps[1].text and "后续报告" in steps[1].text and "正在试点" in steps[1].text
    assert "截至 2026-03-31" in steps[2].text and "已过时限 2025-12-31" in steps[2].text
    whitelist = doc.find("li", id="action-whitelist")
    assert whitelist.find("del").text == "正在进行" and "2024-10-08" in whitelist.text  # the correction
    assert '<link rel="alternate" type="application/atom+xml" href="/series/items/shili-2024-edu-school-duties/feed.xml"' \
        in html
    twin = json.loads((built / "items" / "shili-2024-edu-school-duties" / "index.json").read_text(encoding="utf-8"))
    action = next(a for a in twin["actions"] if a["id"] == "inspection")
    assert (action["status"], action["current_status"], action["overdue"]) == ("planned", "in-progress", True)
    assert twin["actions"][0]["corrections"][0]["was"] == "in-progress"


def test_a_corrected_figure_keeps_its_old_value_struck_through(built: Path) -> None:
    page = parse_html((built / "figures" / "shili-new-school-places-2025" / "index.html").read_text(encoding="utf-8"))
    correction = page.find("li", id="correction-1")
    assert correction.find("del").text == "5000" and "2025-11-02" in correction.text and "录入错误" in correction.text
    twin = json.loads((built / "figures" / "shili-new-school-places-2025" / "index.json").read_text(encoding="utf-8"))
    assert twin["corrections"] == [{"date": "2025-11-02", "field": "value", "was": "5000",
                                    "reason": "录入错误，原文为5400个。"}]


def test_the_report_pages_show_ask_coverage_with_the_unanswered_ask(built: Path) -> None:
    for report in ("shili-2024-edu-opinions", "shili-2024-edu-response"):
        page = parse_html((built / "reports" / report / "index.html").read_text(encoding="utf-8"))
        table = page.find("table", cls="coverage")
        assert table is not None, report
        body = [tr for tbody in table.iter("tbody") for tr in tbody.children if not isinstance(tr, str) and tr.tag == "tr"]
        assert len(body) == 3
        assert "未见回应" in body[2].text and "改善乡村学校办学条件" in body[2].text
        assert "建议市政府加快新建中小学校" in body[0].text and "新建中小学校" in body[0].text and "编制学校布局规划" in body[0].text
    twin = json.loads((built / "reports" / "shili-2024-edu-opinions" / "index.json").read_text(encoding="utf-8"))
    assert twin["coverage"]["unanswered"] == 1
    assert [a["answered_by"] for a in twin["coverage"]["asks"]] == [
        ["shili-2024-edu-new-schools", "shili-2024-edu-layout-plan"], ["shili-2024-edu-school-duties"], []]


def test_every_item_body_and_place_feed_parses_as_atom_with_dated_entries(built: Path) -> None:
    feeds = sorted(built.glob("items/*/feed.xml")) + sorted(built.glob("bodies/*/feed.xml")) \
        + sorted(built.glob("places/*/feed.xml"))
    assert len(feeds) == 6 + 3 + 1
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, (path, feed.bozo_exception)
        assert feed.version == "atom10", path
        # every item has at least its publication; a body with no item (the legislature) has none
        assert bool(feed.entries) is (path.parent.name != "shili-congress-standing-committee"), path
        for entry in feed.entries:
            assert entry.updated_parsed is not None and entry.id and entry.link, path
        dates = [e.updated for e in feed.entries]
        assert dates == sorted(dates, reverse=True), path
    duties = feedparser.parse((built / "items" / "shili-2024-edu-school-duties" / "feed.xml").read_bytes())
    titles = [e.title for e in duties.entries]
    assert any("由“计划中”变为“正在进行”" in t for t in titles)
    assert any(t.startswith("更正：") for t in titles)
    site_feed = feedparser.parse((built / "feed.xml").read_bytes())
    assert not site_feed.bozo and {e.tags[0].term for e in site_feed.entries} == {"status", "corrected"}


def test_the_progress_page_and_the_front_page_list_what_is_overdue(built: Path) -> None:
    progress = (built / "progress" / "index.html").read_text(encoding="utf-8")
    assert "逾期未完成（1 项）" in progress and "到2025年底前建立进校园事项常态化督查机制" in progress
    twin = json.loads((built / "progress" / "index.json").read_text(encoding="utf-8"))
    assert [o["action_id"] for o in twin["overdue"]] == ["inspection"]
    assert [(s["report_id"], s["date"], s["counts"]["done"]) for s in twin["snapshots"]] == [
        ("shili-2024-edu-response", "2024-09-25", 1), ("shili-2024-edu-response", "2024-12-20", 2),
        ("shili-2024-edu-response", "2025-10-15", 3), ("shili-2024-edu-response", "2026-03-31", 3),
        ("shili-2025-edu-progress", "2025-10-15", 1), ("shili-2025-edu-progress", "2026-03-31", 1)]
    front = parse_html((built / "index.html").read_text(encoding="utf-8"))
    assert "None" not in front.text
    assert "1 项行动已过原文写明的时限而未完成" in front.text and "最近的变化" in front.text


def test_the_example_builds_byte_for_byte_the_same_twice(built: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert main(["--root", str(SERIES), "build", "--out", str(again), "--no-search", "--force"]) == 0
    assert read_tree(again) == read_tree(built)
