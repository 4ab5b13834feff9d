"""The charts' bundled font (civictrack/charts/typeface.py): charts measured and drawn with
WenQuanYi Micro Hei from the package, so their files are the same on every machine, whatever CJK
fonts it has or lacks; its character map read right; its digest in the chart cache key.

Machines without a CJK font are made with a fontconfig file (``FONTCONFIG_FILE``) listing a
folder with none: vl-convert reads the folders such a file lists (it parses the file itself), and
``fc-list`` shows what fontconfig sees.  A file listing no folder at all would not do: vl-convert
then scans /usr/share/fonts and the other usual folders."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageFont

from civictrack.charts import render, typeface
from civictrack.charts.barchart import ZH_MAGNITUDES

from .conftest import ROOT
from .sitetools import run_build

CJK_FAMILIES = ("WenQuanYi", "Noto Sans CJK", "Noto Serif CJK", "Source Han", "Droid Sans Fallback", "AR PL",
                "Noto Sans SC", "PingFang", "Microsoft YaHei")


def fontconfig_env(folder: Path, font_dirs: list[str]) -> dict[str, str]:
    """The environment of a machine whose fonts are those in ``font_dirs`` (and none else)."""
    folder.mkdir(parents=True, exist_ok=True)
    empty = folder / "no-fonts"
    empty.mkdir(exist_ok=True)
    dirs = "".join(f"  <dir>{d}</dir>\n" for d in [str(empty), *font_dirs])
    conf = folder / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
                    f'{dirs}  <cachedir>{folder / "fc-cache"}</cachedir>\n</fontconfig>\n', encoding="utf-8")
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def no_cjk_env(folder: Path) -> dict[str, str]:
    """A machine with DejaVu (where this one has it) and no CJK font, as GitHub's runners are."""
    dejavu = "/usr/share/fonts/truetype/dejavu"
    return fontconfig_env(folder, [dejavu] if os.path.isdir(dejavu) else [])


def fc_families(env: dict[str, str]) -> list[str]:
    """The font families fontconfig lists in ``env`` (skips the test without fc-list)."""
    if shutil.which("fc-list") is None:
        pytest.skip("no fc-list to show what fontconfig sees")
    done = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, env=env, timeout=60, check=True)
    return done.stdout.splitlines()


# Widths vl-convert gives a Chinese chart before and after the bundled font is registered.
_PROBE = """
import json, re, sys
import vl_convert
from civictrack.charts.specs import ChartSpec, Row
from civictrack.charts.typeface import vl_convert_with_font
spec = ChartSpec("figure-x", "某指标：2024年1.5亿元", "%", [Row("2024年", 99.2, "99.2%")],
                 "来源：重庆市人民政府《基础教育扩优提质审议意见研究处理情况的报告》（2024-12-27）")
width = lambda: int(re.search(r'width="(\\d+)"', vl_convert.vegalite_to_svg(spec.vegalite())).group(1))
before = width()
vl_convert_with_font()
print(json.dumps([before, width()]))
"""


def probe(env: dict[str, str]) -> tuple[int, int]:
    done = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    before, after = json.loads(done.stdout.strip().splitlines()[-1])
    return before, after


# --- the font and its character map ------------------------------------------------------------


def test_the_font_is_bundled_with_its_licence() -> None:
    assert typeface.FONT_FILE.is_file() and typeface.FONT_FILE.stat().st_size > 4_000_000
    licence = (typeface.FONT_DIR / "wqy-microhei-LICENSE.txt").read_text(encoding="utf-8")
    assert "WenQuanYi" in licence and "Apache License" in licence and "Version 2.0" in licence
    face = ImageFont.truetype(str(typeface.FONT_FILE), 12, index=typeface.FACE_INDEX)
    assert face.getname() == (typeface.FAMILY, "Regular")


def _glyph(face: ImageFont.FreeTypeFont, ch: str) -> bytes:
    return bytes(face.getmask(ch))


def test_the_character_map_is_what_the_font_draws() -> None:
    """A character the map lists draws a glyph of its own; one it lacks draws the .notdef glyph."""
    face = ImageFont.truetype(str(typeface.FONT_FILE), 24, index=typeface.FACE_INDEX)
    have = typeface.covered()
    assert len(have) > 30000
    lacking = [ch for ch in "\U0002000B\u2ff0\u0378\U0001F600" if ord(ch) not in have]
    assert len(lacking) >= 3
    notdef = _glyph(face, lacking[0])
    assert all(_glyph(face, ch) == notdef for ch in lacking)
    drawn = "中文万亿…（）：；、·—%0Aa年截至来源推算"
    assert all(ord(ch) in have for ch in drawn)
    assert all(_glyph(face, ch) != notdef for ch in drawn)
    assert len({_glyph(face, ch) for ch in drawn}) == len(drawn)


def test_the_words_the_code_adds_are_in_the_font() -> None:
    """Axis numbers (3000万, 1.5亿, 250,000, 30m, 1.5bn, 1e+21), truncation, the log-scale axis title."""
    assert typeface.missing(["0123456789.,+-e", "".join(ZH_MAGNITUDES), "bnm", "…", "（对数刻度）"]) == ""


def test_missing_lists_each_character_once() -> None:
    assert typeface.missing(["新增\U0002000B学校", "\U0002000B\u2ff0", "\n"]) == "\u2ff0\U0002000B"
    assert typeface.describe("\u2ff0\U0002000B") == "\u2ff0 (U+2FF0), \U0002000B (U+2000B)"


def test_the_font_is_in_the_chart_cache_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """A chart drawn with another font is another chart: the cache never serves it."""
    version = render._code_version()
    monkeypatch.setattr(typeface, "digest", lambda: "another font")
    assert render._code_version() != version


# --- the same files wherever the site is built ------------------------------------------------------


def _chart_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("charts/*")) if p.is_file()}


def test_charts_are_the_same_on_a_machine_without_cjk_fonts(tmp_path: Path) -> None:
    """The bundled site, built where fontconfig shows no CJK font and where it shows this machine's:
    every chart's SVG, PNG and Vega-Lite file byte for byte the same."""
    bare = no_cjk_env(tmp_path / "fontconfig")
    assert not [f for f in fc_families(bare) if any(name in f for name in CJK_FAMILIES)]
    before, after = probe(bare)
    assert before != after  # vl-convert sees no CJK font there but the bundled one
    sites = {}
    for name, env in (("bare", bare), ("here", dict(os.environ))):
        env["CIVICTRACK_CACHE"] = str(tmp_path / f"cache-{name}")  # each renders every chart
        out = tmp_path / f"site-{name}"
        done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(ROOT), "build", "--no-search",
                               "--out", str(out)], capture_output=True, text=True, env=env, timeout=600)
        assert done.returncode == 0, done.stderr
        assert "warning" not in done.stderr  # no chart has a character the font lacks
        sites[name] = _chart_files(out)
    assert len(sites["here"]) > 100 and any(path.endswith(".png") for path in sites["here"])
    assert sites["bare"].keys() == sites["here"].keys()
    assert [path for path in sites["here"] if sites["bare"][path] != sites["here"][path]] == []


_INK = """
import sys
from pathlib import Path
from civictrack.charts.render import render_charts
from civictrack.charts.specs import ChartSpec, Row
out = Path(sys.argv[1])
specs = {}
for name, word in (("zhong", "中"), ("guo", "国"), ("none", "\\U0002000B")):  # U+2000B: not in the bundled font
    words = word * 6
    specs[f"bar-{name}"] = ChartSpec(f"bar-{name}", words, words, [Row(words, 3, "3" + word)], words)
    specs[f"stacked-{name}"] = ChartSpec(f"stacked-{name}", words, words, [Row(words, 3, "3", series=words)], words,
                                         kind="stacked", series_order=[words])
for cid, rendered in render_charts(specs, None).items():
    (out / f"{cid}.png").write_bytes(rendered.png)
"""


def test_chinese_is_drawn_on_a_machine_without_cjk_fonts(tmp_path: Path) -> None:
    """Where no CJK font is installed, a chart's Chinese is drawn with glyphs, not boxes: charts
    whose words are 中 or 国 throughout differ from each other and from the same chart with a
    character no font there has (𠀋, drawn as boxes or not at all), both for the bar charts
    Pillow draws and for the charts vl-convert draws."""
    env = no_cjk_env(tmp_path / "fontconfig")
    done = subprocess.run([sys.executable, "-c", _INK, str(tmp_path)], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr
    for kind in ("bar", "stacked"):
        images = {name: Image.open(tmp_path / f"{kind}-{name}.png") for name in ("zhong", "guo", "none")}
        pixels = {name: image.convert("L").tobytes() for name, image in images.items()}
        assert len({images[name].size for name in images}) == 1, kind  # 1 em each: the same layout
        assert pixels["zhong"] != pixels["guo"] and pixels["zhong"] != pixels["none"] and pixels["guo"] != pixels["none"]


def test_layout_matches_vega_with_noto_cjk_visible(tmp_path: Path) -> None:
    """The bar renderer's layout equals vl-convert's on a machine whose CJK font is Noto Sans CJK
    (contributors' machines, CI: scripts/test.sh installs it): vl-convert measures with the
    bundled font all the same.  Without it, vl-convert would measure with Noto (611 px, not 609)."""
    if shutil.which("fc-list") is None:
        pytest.skip("no fc-list to find Noto Sans CJK")
    found = subprocess.run(["fc-list", ":family=Noto Sans CJK SC", "file"], capture_output=True, text=True,
                           timeout=60).stdout.split()
    if not found:
        pytest.skip("Noto Sans CJK is not installed (scripts/test.sh installs fonts-noto-cjk)")
    noto = sorted({str(Path(line.rstrip(":")).parent) for line in found})
    env = fontconfig_env(tmp_path / "fontconfig", noto)
    families = fc_families(env)
    assert any("Noto Sans CJK SC" in f for f in families) and not any("WenQuanYi" in f for f in families)
    before, after = probe(env)
    assert before != after  # vl-convert measures with Noto there, until the bundled font is registered
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests/test_barchart.py::test_layout_matches_vega",
                           "tests/test_i18n_python.py::test_an_english_bar_chart_is_laid_out_like_vega"],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout


# --- a character the font lacks ----------------------------------------------------------------------

REAL_CORRECTIONS = ("--corrections-url", "https://github.com/owner/repo/issues/new")
"""What the Pages workflow passes: --strict refuses the fixture's placeholder address."""
RARE = "\U0002000B"  # 𠀋, CJK Extension B: not in WenQuanYi Micro Hei


def test_a_chart_with_a_character_the_font_lacks_warns_and_strict_refuses(minimal: Path, tmp_path: Path) -> None:
    """A figure label with 𠀋 (its chart's title): ``build`` names the chart and the character,
    once; ``build --strict`` fails with that line before writing anything."""
    item = minimal / "data" / "items" / "i1.yaml"
    text = item.read_text(encoding="utf-8")
    item.write_text(text.replace("label: 新增学校\n", f"label: 新增{RARE}学校\n"), encoding="utf-8")
    problem = (f"charts/figure-schools-2024.png: the charts' font (WenQuanYi Micro Hei) has no glyph for {RARE} "
               f"(U+2000B); the chart would draw it as a box or in another font, differently on each machine")
    out = tmp_path / "site"
    done = run_build(minimal, out, None, "--strict", "--no-search", *REAL_CORRECTIONS)
    assert done.returncode == 1 and not out.exists()
    assert done.stderr.splitlines() == [
        f"--strict: {problem}",
        "--strict: 1 chart(s) with characters the bundled chart font cannot draw; write them with characters it "
        "has (a rare character's common form), or build without --strict; nothing was written."]
    done = run_build(minimal, out, None, "--no-search")
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [f"warning: {problem}"]
    assert (out / "charts" / "figure-schools-2024.png").is_file()
    item.write_text(text, encoding="utf-8")
    done = run_build(minimal, out, None, "--strict", "--no-search", *REAL_CORRECTIONS)
    assert done.returncode == 0 and done.stderr == ""
