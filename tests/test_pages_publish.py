"""Publishing on GitHub Pages: .nojekyll, the optional custom domain (site.yaml `cname` → site/CNAME),
and the workflow in .github/workflows/pages.yml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from civictrack.errors import ErrorSink
from civictrack.check import check_project
from civictrack.speed.cachedir import cache_dir

from .conftest import ROOT
from .sitetools import run_build

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def with_cname(project: Path, value: str) -> None:
    path = project / "site.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"cname: {value}\n", encoding="utf-8")


def test_build_writes_nojekyll_and_no_cname_by_default(minimal: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run_build(minimal, out, None, "--no-search")
    assert result.returncode == 0, result.stderr
    assert (out / ".nojekyll").read_bytes() == b""
    assert not (out / "CNAME").exists()


def test_cname_setting_writes_site_cname(minimal: Path, tmp_path: Path) -> None:
    with_cname(minimal, "data.example.org")
    out = tmp_path / "site"
    result = run_build(minimal, out, "https://data.example.org/", "--no-search")
    assert result.returncode == 0, result.stderr
    assert (out / "CNAME").read_text(encoding="utf-8") == "data.example.org\n"
    assert (out / ".nojekyll").exists()


@pytest.mark.parametrize("value", ["https://data.example.org/", "data.example.org/track", "data.example.org:8080",
                                   "Data.Example.org", "localhost", "-bad.example.org", "data..example.org",
                                   "data.example.org.", "'data example.org'"])
def test_cname_must_be_a_bare_host_name(minimal: Path, value: str) -> None:
    with_cname(minimal, value)
    sink = ErrorSink()
    assert check_project(minimal, sink) is None
    messages = [str(e) for e in sink.sorted()]
    assert len(messages) == 1 and messages[0].startswith("site.yaml:8:8: `cname` must be a bare host name"), messages


@pytest.mark.parametrize("value", ["example.org", "data.example.org", "a-b.c-d.example.com", "xn--fiq228c.example"])
def test_cname_accepts_host_names(minimal: Path, value: str) -> None:
    with_cname(minimal, value)
    sink = ErrorSink()
    assert check_project(minimal, sink) is not None, [str(e) for e in sink.sorted()]


def test_pages_workflow_builds_with_the_pages_url_and_deploys_site(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CIVICTRACK_CACHE", raising=False)
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as true
    assert "push" in on and "workflow_dispatch" in on
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build = workflow["jobs"]["build"]["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in build]
    assert uses[:3] == ["actions/checkout", "actions/setup-python", "actions/configure-pages"]
    assert uses[-1] == "actions/upload-pages-artifact"
    runs = [step["run"] for step in build if "run" in step]
    install = next(run for run in runs if "pip install" in run)  # the lock, hashes required, then the generator
    assert install.splitlines() == ["python -m pip install --require-hashes -r requirements/deploy.txt",
                                    "python -m pip install --no-deps -e ."]
    configure = next(step for step in build if step.get("uses", "").startswith("actions/configure-pages"))
    build_step = next(step for step in build if "build.py build" in step.get("run", ""))
    # the build caches are restored before the build (and saved after it, by the same step)
    cache = next(step for step in build if step.get("uses", "").startswith("actions/cache@"))
    assert build.index(cache) < build.index(build_step) and cache["with"]["path"] == ".cache/charts"
    assert cache["with"]["key"].startswith(cache["with"]["restore-keys"]) and "github.sha" in cache["with"]["key"]
    assert str(cache_dir(ROOT).relative_to(ROOT)) == cache["with"]["path"]  # where the build keeps them
    # the README's build command, refusing drafted data not yet reviewed, with the Pages URL
    # (one trailing slash) as the base URL
    # and, while site.yaml's corrections address is a placeholder, the repository's issues page
    # (--strict refuses a placeholder)
    assert build_step["run"] == ('python build.py build --strict --base-url "${PAGES_URL%/}/" '
                                 '--corrections-url "$CORRECTIONS_URL"')
    assert build_step["env"]["PAGES_URL"] == "${{ steps.%s.outputs.base_url }}" % configure["id"]
    assert build_step["env"]["CORRECTIONS_URL"] == "${{ github.server_url }}/${{ github.repository }}/issues/new"
    assert "python build.py build" in (ROOT / "README.md").read_text(encoding="utf-8")
    upload = build[-1]["with"]
    assert upload["path"] == "site/" and upload["include-hidden-files"] is True  # .nojekyll is a dotfile
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    for step in build + deploy["steps"]:
        if "uses" in step:
            owner, _, version = step["uses"].partition("@")
            assert owner.startswith("actions/") and version.startswith("v") and version[1:].isdigit(), step["uses"]
