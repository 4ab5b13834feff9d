"""How close `build.py draft` comes to the hand-made data of the bundled report.

    python -m bench.draft_compare [--keep DIR]

Copies the project's vocabularies (site.yaml and data/<vocabulary>.yaml) and the metadata of
the review opinions the report answers (data/reports/cq-2024-edu-opinions.yaml: no text, no
item; the documents vocabulary names it) into a fresh folder, drafts the bundled report's text
there with `--responds-to cq-2024-edu-opinions`, checks the result, and compares the draft with the
hand-made data: figures (same value, unit and qualifier at the same place of the text, with
a verbatim quote holding the written figure), areas and items (same numbering and title) and
actions (the drafted measure that holds the hand-made status basis has the same status).
Prints the comparison and exits 1 if it is below the bar (95 % of figures, 80 % of statuses).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from civictrack.source import find_token, parse_source

ROOT = Path(__file__).resolve().parent.parent
REPORT = "cq-2024-edu-response"
ANSWERED = "cq-2024-edu-opinions"
VOCABULARIES = ("bodies", "places", "documents", "tags", "statuses")
FIGURE_BAR, STATUS_BAR = 0.95, 0.80


@dataclass
class Comparison:
    figures: int
    figures_same: int
    figures_missing: list[str]
    figures_wrong: list[str]
    figures_extra: int
    quotes_same: int
    areas: int
    areas_same: int
    items: int
    items_same: int
    actions: int
    statuses_same: int
    statuses_wrong: list[str]
    drafted_actions: int
    seconds: float
    check: str

    @property
    def figure_share(self) -> float:
        return self.figures_same / self.figures

    @property
    def status_share(self) -> float:
        return self.statuses_same / self.actions


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _paragraphs(text: str) -> dict[str, str]:
    source, _ = parse_source("t", text)
    return {p.anchor: p.text for p in source.paragraphs}


def _figure_key(fig: dict[str, Any], anchor: str, paragraphs: dict[str, str]) -> tuple[str, int] | None:
    text = paragraphs.get(fig.get("paragraph") or anchor, "")
    quote = fig.get("quote", "")
    if quote not in text or not fig.get("written"):
        return None
    at = find_token(quote, fig["written"], fig.get("occurrence", 1))
    return (fig.get("paragraph") or anchor, text.index(quote) + at) if at >= 0 else None


def _figures(report: dict[str, Any], items: list[dict[str, Any]]) -> list[tuple[dict[str, Any], str | None]]:
    found = [(f, None) for f in report.get("figures", [])]
    for item in items:
        found += [(f, item["paragraph"]) for f in item.get("figures", [])]
    return [(f, a) for f, a in found if not f.get("derived")]


def vocabulary_project(folder: Path) -> Path:
    """A new project holding only the bundled vocabularies (and the metadata of the opinions report
    their documents name): what an editor starts a new report in."""
    (folder / "data" / "reports").mkdir(parents=True)
    shutil.copy(ROOT / "site.yaml", folder / "site.yaml")
    for name in VOCABULARIES:
        shutil.copy(ROOT / "data" / f"{name}.yaml", folder / "data" / f"{name}.yaml")
    shutil.copy(ROOT / "data" / "reports" / f"{ANSWERED}.yaml", folder / "data" / "reports" / f"{ANSWERED}.yaml")
    return folder


def draft_into(folder: Path) -> float:
    """A fresh project holding only the vocabularies, with the bundled report drafted into it."""
    from civictrack.cli import main

    vocabulary_project(folder)
    started = time.perf_counter()
    code = main(["--root", str(folder), "draft", str(ROOT / "content" / "reports" / f"{REPORT}.txt"),
                 "--id", REPORT, "--responds-to", ANSWERED])
    seconds = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"draft failed with status {code}")
    return seconds


def compare(folder: Path, seconds: float) -> Comparison:
    text = (ROOT / "content" / "reports" / f"{REPORT}.txt").read_text(encoding="utf-8")
    paragraphs = _paragraphs(text)
    hand_report = _yaml(ROOT / "data" / "reports" / f"{REPORT}.yaml")
    hand_items = [i for i in (_yaml(p) for p in sorted((ROOT / "data" / "items").glob("*.yaml")))
                  if i["report"] == REPORT]
    draft_report = _yaml(folder / "data" / "reports" / f"{REPORT}.yaml")
    draft_items = [_yaml(p) for p in sorted((folder / "data" / "items").glob("*.yaml"))]

    drafted: dict[tuple[str, int], dict[str, Any]] = {}
    for fig, anchor in _figures(draft_report, draft_items):
        key = _figure_key(fig, anchor or "", paragraphs)
        if key is not None:
            drafted[key] = fig
    hand_figures = _figures(hand_report, hand_items)
    same = quotes = 0
    missing, wrong = [], []
    for fig, anchor in hand_figures:
        key = _figure_key(fig, anchor or "", paragraphs)
        mine = drafted.pop(key, None) if key else None
        if mine is None:
            missing.append(f"{fig['written']} ({fig['id']})")
            continue
        fields = [k for k in ("value", "unit") if str(mine[k]) != str(fig[k])]
        if mine.get("qualifier", "exact") != fig.get("qualifier", "exact"):
            fields.append("qualifier")
        if fields:
            wrong.append(f"{fig['written']}: " + ", ".join(f"{k} {mine.get(k, 'exact')!r} ≠ {fig.get(k, 'exact')!r}"
                                                          for k in fields))
        else:
            same += 1
            quotes += mine["quote"] == fig["quote"]

    hand_areas = {(a["number"], a["title"]) for a in hand_report["areas"]}
    draft_areas = {(a["number"], a["title"]) for a in draft_report["areas"]}
    hand_item_keys = {(i["paragraph"], i["number"], i["title"]) for i in hand_items}
    draft_item_keys = {(i["paragraph"], i["number"], i["title"]) for i in draft_items}

    by_paragraph: dict[str, list[tuple[int, int, str]]] = {}
    for item in draft_items:
        for action in item["actions"]:
            anchor = action.get("paragraph") or item["paragraph"]
            start = paragraphs[anchor].index(action["quote"])
            by_paragraph.setdefault(anchor, []).append((start, start + len(action["quote"]), action["status"]))
    statuses = 0
    status_wrong: list[str] = []
    hand_actions = [(a, a.get("paragraph") or i["paragraph"]) for i in hand_items for a in i["actions"]]
    for action, anchor in hand_actions:
        at = paragraphs[anchor].index(action["quote"]) + action["quote"].index(action["status_basis"])
        mine = next((s for b, e, s in by_paragraph.get(anchor, []) if b <= at < e), None)
        if mine == action["status"]:
            statuses += 1
        else:
            status_wrong.append(f"{anchor} [{action['status_basis']}] {action['status']} ≠ drafted {mine}")
    from civictrack.cli import main
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--root", str(folder), "check"])
    check = out.getvalue().strip() if code == 0 else err.getvalue().strip()
    return Comparison(len(hand_figures), same, missing, wrong, len(drafted), quotes,
                      len(hand_areas), len(hand_areas & draft_areas), len(hand_item_keys),
                      len(hand_item_keys & draft_item_keys), len(hand_actions), statuses, status_wrong,
                      sum(len(i["actions"]) for i in draft_items), seconds, check)


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.1f} %)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.draft_compare", description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="draft into this new folder and keep it")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp) / "project"
        result = compare(folder, draft_into(folder))
    print(f"draft of content/reports/{REPORT}.txt into a project holding only its vocabularies: "
          f"{result.seconds:.2f} s")
    print(f"figures  same value, unit, qualifier, verbatim quote: {_pct(result.figures_same, result.figures)}; "
          f"quote identical to the hand-made one: {result.quotes_same}; drafted but not hand-made: "
          f"{result.figures_extra}")
    for line in result.figures_missing:
        print(f"  missing  {line}")
    for line in result.figures_wrong:
        print(f"  differs  {line}")
    print(f"areas    same numbering and title: {_pct(result.areas_same, result.areas)}")
    print(f"items    same paragraph, numbering and title: {_pct(result.items_same, result.items)}")
    print(f"actions  status agrees with the hand-made reading: {_pct(result.statuses_same, result.actions)} "
          f"({result.drafted_actions} actions drafted)")
    for line in result.statuses_wrong:
        print(f"  differs  {line}")
    print("check of the drafted project: " + ("; ".join(result.check.splitlines()) or "?"))
    ok = result.figure_share >= FIGURE_BAR and result.status_share >= STATUS_BAR and result.check.startswith("OK")
    print("PASS" if ok else "BELOW THE BAR", f"(figures ≥ {FIGURE_BAR:.0%}, statuses ≥ {STATUS_BAR:.0%}, check passes)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
