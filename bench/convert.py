"""Convert the peer harness's synthetic ``items.json`` into a civictrack project.

The peers' data set (``shared/bench-peers/gen.py N DIR``) has, per item: id, area (one of
five), a ~20-character title, a ~600-character Markdown body, three tags and three figures
{label, value, unit}.  Our schema needs a report text that quotes verbatim, so the
converter writes one report per 99 items of each area (the report's own numbering runs
(一) … (九十九)), one paragraph per item: its title, the body's first sentence (the
action's quote) and one sentence per figure ("预算资金364.8亿元。", the figure's quote).
The Markdown body becomes the item's ``body``; tags, areas and figures map one to one.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

AREAS = {"economy": "经济", "governance": "治理", "health": "卫生", "education": "教育", "environment": "环境"}
CN = "一二三四五六七八九"
PER_AREA = 99  # the report numbering (一)…(九十九)


def cn(n: int) -> str:
    """Chinese numeral for 1..99."""
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else CN[tens - 1]) + "十" if tens else "") + (CN[ones - 1] if ones else "")


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def first_sentence(body: str) -> str:
    text = body.split("\n", 1)[0]
    return text[: text.index("。") + 1]


MARK = ".civictrack-bench-project"
"""A file in every project this converter writes: it replaces only a folder that has it."""


def convert(items: list[dict], project: Path) -> dict[str, int]:
    """Write the project folder; return counts.  An existing folder is replaced only if an
    earlier conversion wrote it (it holds ``MARK``); anything else is refused."""
    if project.exists():
        if not (project / MARK).is_file() and any(project.iterdir()):
            raise SystemExit(f"refusing to replace {project}: it is not empty and not a project this converter "
                             f"wrote (no {MARK}); choose another folder or remove it yourself")
        shutil.rmtree(project)
    for folder in ("data/items", "data/reports", "content/reports"):
        (project / folder).mkdir(parents=True)
    (project / MARK).write_text("written by bench/convert.py; replaced by its next run\n", encoding="utf-8")
    (project / "site.yaml").write_text(
        "title: 基准测试站点\ndescription: 由同行基准数据集生成的合成数据，仅用于测速。\n"
        "base_url: https://example.org/bench/\ncorrections_url: https://example.org/issues\n"
        "data_licence: CC BY 4.0\ndata_licence_url: https://creativecommons.org/licenses/by/4.0/\n"
        "publisher: 基准测试\n", encoding="utf-8")
    tags = sorted({t for item in items for t in item["tags"]})
    (project / "data" / "tags.yaml").write_text("".join(f"- {{id: {t}, name: {t}}}\n" for t in tags), encoding="utf-8")
    (project / "data" / "bodies.yaml").write_text("- {id: bench-gov, name: 基准市人民政府, kind: government}\n",
                                                  encoding="utf-8")
    (project / "data" / "places.yaml").write_text("[]\n", encoding="utf-8")
    (project / "data" / "documents.yaml").write_text("[]\n", encoding="utf-8")
    (project / "data" / "statuses.yaml").write_text("- {id: done, order: 1, name: 已完成}\n", encoding="utf-8")

    by_area: dict[str, list[dict]] = {a: [] for a in AREAS}
    for item in items:
        by_area[item["area"]].append(item)
    reports = max(1, max((len(v) + PER_AREA - 1) // PER_AREA for v in by_area.values()))
    figures = 0
    for r in range(reports):
        rid = f"bench-r{r + 1:03d}"
        lines = [f"基准测试报告第{cn(r + 1) if r < 99 else r + 1}号"]
        areas_yaml = []
        order = 0
        for slug, name in AREAS.items():
            chunk = by_area[slug][r * PER_AREA:(r + 1) * PER_AREA]
            if not chunk:
                continue
            order += 1
            area_id = f"{rid}-{slug}"
            lines.append(f"{cn(order)}、{name}")
            areas_yaml.append(f"  - {{id: {area_id}, order: {order}, number: {cn(order)}, title: {name}, "
                              f"paragraph: s{order}}}\n")
            for k, item in enumerate(chunk, start=1):
                sentence = first_sentence(item["body"])
                figure_sentences = [f"{f['label']}{f['value']}{f['unit']}。" for f in item["figures"]]
                lines.append(f"({cn(k)}){item['title']}。{sentence}{''.join(figure_sentences)}")
                figs = []
                for n, (fig, quote) in enumerate(zip(item["figures"], figure_sentences), start=1):
                    value = str(fig["value"])
                    figs.append(
                        f"  - id: {item['id']}-f{n}\n    indicator: {item['id']}-f{n}\n    label: {q(fig['label'])}\n"
                        f"    value: {q(value)}\n    unit: {q(fig['unit'])}\n    written: {q(value + fig['unit'])}\n"
                        f"    quote: {q(quote)}\n    period: \"2024\"\n")
                    figures += 1
                (project / "data" / "items" / f"{item['id']}.yaml").write_text(
                    f"id: {item['id']}\nreport: {rid}\narea: {area_id}\norder: {k}\nnumber: \"({cn(k)})\"\n"
                    f"title: {q(item['title'])}\nsummary: {q(sentence)}\nparagraph: s{order}-{k}\n"
                    f"tags: [{', '.join(item['tags'])}]\nbody: {q(item['body'])}\n"
                    f"actions:\n  - id: a1\n    text: {q(item['title'])}\n    status: done\n"
                    f"    status_basis: {q(sentence[:2])}\n    quote: {q(sentence)}\n"
                    f"figures:\n{''.join(figs)}", encoding="utf-8")
        lines.append("特此报告。")
        (project / "content" / "reports" / f"{rid}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (project / "data" / "reports" / f"{rid}.yaml").write_text(
            f"id: {rid}\ntitle: {q(lines[0])}\nkind: government_response\nissuer: bench-gov\ndate: \"2024-12-27\"\n"
            f"text: reports/{rid}.txt\nareas:\n{''.join(areas_yaml)}", encoding="utf-8")
    return {"items": len(items), "reports": reports, "figures": figures}


def edit_one(project: Path, item_id: str, marker: str) -> Path:
    """Change one item's title (shown on its page, its area page and indexes); return the file."""
    path = project / "data" / "items" / f"{item_id}.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("title: "):
            text = json.loads(line[len("title: "):])
            lines[i] = f"title: {q(text.split('·')[0] + '·' + marker)}\n"
    path.write_text("".join(lines), encoding="utf-8")
    return path
