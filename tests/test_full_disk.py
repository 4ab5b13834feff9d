"""A full disk says so: one line naming the folder and what ran out, status 1, nothing half-written.

Every test runs the real commands (``python build.py …``) against a real small file system: a
tmpfs mounted for the test with too few bytes (``size=``) or too few inodes (``nr_inodes=``),
sized from a reference build of the minimal project so that it fails part-way through.  That
needs root and ``mount``: without them the tests skip, except under CI (``CI`` set), where they
fail instead, since CI runs as root on a machine that can mount.

Checked each time: the exit status, stderr exactly one line (no traceback) naming the folder and
``no space left`` or ``no inodes left``, the previous site or project files byte-identical, and
no staging folder or temporary file left behind.  A build cache that cannot be saved is not an
error: the build succeeds with one line of warning and the same site.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from itertools import count
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT, fresh_project
from .test_output_folder import snapshot

MINIMAL = FIXTURES / "minimal"
PAGE = 4096  # tmpfs counts whole pages
KEPT = "the build stopped and left that folder as it was"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI runs these tests as root on a machine that can mount a tmpfs")
    pytest.skip(reason)


def _mount_tmpfs(point: Path, options: str) -> None:
    try:
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], capture_output=True,
                                text=True)
    except FileNotFoundError:
        _unavailable("no mount command")
    if result.returncode != 0:
        _unavailable(f"cannot mount a tmpfs: {result.stderr.strip()}")


@pytest.fixture(scope="module", autouse=True)
def can_mount(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Skip (fail under CI) before any work where no tmpfs can be mounted."""
    if os.geteuid() != 0:
        _unavailable("mounting a small file system needs root")
    point = tmp_path_factory.mktemp("can-mount")
    _mount_tmpfs(point, "size=1m")
    subprocess.run(["umount", str(point)], check=True)


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Callable[..., Path]]:
    """``tmpfs(name, size=…, inodes=…)``: a fresh tmpfs mounted at ``tmp_path/name``, unmounted
    after the test."""
    mounted: list[Path] = []

    def mount(name: str, size: int = 64 << 20, inodes: int = 100_000) -> Path:
        point = tmp_path / name
        point.mkdir()
        _mount_tmpfs(point, f"size={size},nr_inodes={inodes},mode=755")
        mounted.append(point)
        return point

    yield mount
    for point in reversed(mounted):
        if subprocess.run(["umount", str(point)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(point)], capture_output=True)


def fill(mount: Path, *, leave_bytes: int | None = None, leave_inodes: int | None = None) -> None:
    """Use up the file system at ``mount`` (in ``mount/filler``) but ``leave_bytes`` bytes or
    ``leave_inodes`` inodes."""
    filler = mount / "filler"
    filler.mkdir(exist_ok=True)
    if leave_bytes is not None:
        st = os.statvfs(mount)
        todo = st.f_bavail * st.f_frsize - leave_bytes
        with open(filler / "space", "wb") as handle:
            while todo > 0:
                chunk = min(todo, 1 << 20)
                handle.write(b"\0" * chunk)
                todo -= chunk
    if leave_inodes is not None:
        for number in count():
            if os.statvfs(mount).f_favail <= leave_inodes:
                break
            (filler / str(number)).touch()


def run(root: Path, *args: str, cache: Path | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "CIVICTRACK_CACHE": str(cache)} if cache is not None else \
        {k: v for k, v in os.environ.items() if k != "CIVICTRACK_CACHE"}
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(root), *args], capture_output=True,
                          text=True, encoding="utf-8", env=env, cwd=cwd or ROOT, timeout=300)


def one_line(result: subprocess.CompletedProcess, expected: str) -> None:
    """Status 1, nothing on stdout, and stderr exactly ``expected`` (one line, no traceback)."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert result.stderr.splitlines() == [expected], result.stderr
    assert result.stdout == ""


def room(folder: Path) -> tuple[int, int]:
    """(bytes, inodes) that ``folder``'s files and folders take on a tmpfs, the folder included."""
    entries = list(folder.rglob("*"))
    size = sum(-(-p.stat().st_size // PAGE) * PAGE for p in entries if p.is_file())
    return size, len(entries) + 1


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The minimal project built once without and once with search (a warm cache for the
    tests), and the room each site takes."""
    place = tmp_path_factory.mktemp("full-disk")
    cache = place / "cache"
    plain, searched = place / "plain", place / "searched"
    for out, extra in ((plain, ["--no-search"]), (searched, [])):
        result = run(MINIMAL, "build", "--out", str(out), *extra, cache=cache)
        assert result.returncode == 0, result.stderr
    size, inodes = room(plain)
    with_search = room(searched)
    assert with_search[0] > size and with_search[1] > inodes + 10  # Pagefind's index
    return {"cache": cache, "plain": plain, "size": size, "inodes": inodes,
            "search_size": with_search[0] - size, "search_inodes": with_search[1] - inodes}


def copy_project(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


# -- the site ------------------------------------------------------------------------------------

LIMITS = {"space": lambda ref: {"size": ref["size"] // 2},
          "inodes": lambda ref: {"inodes": ref["inodes"] // 2}}
WORDS = {"space": "no space left", "inodes": "no inodes left"}


def on(what: str, folder: str | Path) -> str:
    """How the line names what ran out and where."""
    return f"{WORDS[what]} on the device holding {folder}" + \
        (" (it can take no more files, however small)" if what == "inodes" else "")


@pytest.mark.parametrize("what", ["space", "inodes"])
def test_a_site_too_big_for_the_device(reference: dict, tmpfs: Callable[..., Path], what: str) -> None:
    mount = tmpfs("small", **LIMITS[what](reference))
    site = mount / "site"
    result = run(MINIMAL, "build", "--out", str(site), "--no-search", cache=reference["cache"])
    one_line(result, f"{on(what, f'{site}/')}: {KEPT}")
    assert os.listdir(mount) == []  # no site, no staging folder


@pytest.mark.parametrize("what", ["space", "inodes"])
def test_a_full_disk_leaves_the_previous_site_as_it_was(reference: dict, tmpfs: Callable[..., Path],
                                                        tmp_path: Path, what: str) -> None:
    mount = tmpfs("site-disk", size=3 * reference["size"], inodes=3 * reference["inodes"])
    site = mount / "site"
    project = copy_project(MINIMAL, tmp_path / "project")
    assert run(project, "build", "--out", str(site), "--no-search", cache=reference["cache"]).returncode == 0
    before = snapshot(site)
    config = project / "site.yaml"  # a new title: every page changes
    config.write_text(config.read_text(encoding="utf-8").replace("title: 测试站点", "title: 测试站点二"),
                      encoding="utf-8")
    if what == "space":
        fill(mount, leave_bytes=16 * PAGE)  # a few pages fit, then none
    else:
        fill(mount, leave_inodes=12)
    result = run(project, "build", "--out", str(site), "--no-search", cache=reference["cache"])
    one_line(result, f"{on(what, f'{site}/')}: {KEPT}")
    assert snapshot(site) == before
    assert sorted(os.listdir(mount)) == ["filler", "site"]
    assert not [p for p in reference["cache"].rglob("*") if p.name.endswith(".tmp")]
    shutil.rmtree(mount / "filler")  # with room again, the next build goes through
    result = run(project, "build", "--out", str(site), "--no-search", cache=reference["cache"])
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert "测试站点二" in (site / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("what", ["space", "inodes"])
def test_no_room_for_the_search_index(reference: dict, tmpfs: Callable[..., Path], what: str) -> None:
    """Pagefind skips a file it cannot write and exits 0, and waits forever for an inode: the
    build watches the device, stops it and says so."""
    if what == "space":
        mount = tmpfs("search", size=reference["size"] + reference["search_size"] // 2)
    else:
        mount = tmpfs("search", inodes=reference["inodes"] + 1 + reference["search_inodes"] // 2)
    site = mount / "site"
    result = run(MINIMAL, "build", "--out", str(site), cache=reference["cache"])
    one_line(result, f"{on(what, f'{site}/')}: {KEPT}")
    assert os.listdir(mount) == []


def test_the_site_and_its_cache_on_one_full_device(tmpfs: Callable[..., Path], reference: dict) -> None:
    """The usual layout (the cache in the project's .cache/): one line, about the site; no
    warning about the cache besides."""
    mount = tmpfs("project", size=reference["size"])  # the cache's charts and bundle fill it first
    project = copy_project(MINIMAL, mount / "project")
    before = snapshot(project)
    result = run(project, "build", "--no-search", cwd=project)
    one_line(result, f"{on('space', 'site/')}: {KEPT}")
    assert sorted(os.listdir(project)) == [".cache", "content", "data", "site.yaml"]
    assert {k: v for k, v in snapshot(project).items() if not k.startswith(".cache")} == before
    assert not [p for p in (project / ".cache").rglob("*") if p.name.endswith(".tmp")]


# -- the cache -----------------------------------------------------------------------------------

@pytest.mark.parametrize("what", ["space", "inodes"])
def test_a_full_cache_is_skipped_with_one_warning(reference: dict, tmpfs: Callable[..., Path], tmp_path: Path,
                                                  what: str) -> None:
    """The cache is never needed for a correct site (deleting it is always safe), so a cache
    that cannot be saved is not a failed build: the same site, one line of warning, status 0."""
    mount = tmpfs("cache", **({"size": 25 * PAGE} if what == "space" else {"inodes": 12}))
    cache = mount / "cache"  # cold: the charts, the bundle, parsed files, Markdown, templates, the
    site = tmp_path / "site"  # data set (by a forked child) and the rendered pages all want room
    result = run(MINIMAL, "build", "--out", str(site), "--no-search", cache=cache)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"warning: {on(what, f'the build cache {cache}/')}, so the cache was not saved in "
        f"full; nothing else is affected (the next build may take longer)"]
    assert result.stdout.startswith("built 112 files")
    manifest = ".civictrack-manifest.json"
    expected = {k: v for k, v in snapshot(reference["plain"]).items() if k != manifest}
    assert {k: v for k, v in snapshot(site).items() if k != manifest} == expected
    assert not [p for p in cache.rglob("*") if p.name.endswith(".tmp")]
    for inline in cache.glob("??/*.inline.svg"):  # a chart is cached whole or not at all
        stem = str(inline)[:-len(".inline.svg")]
        assert all(os.path.exists(stem + suffix) for suffix in (".vl.json", ".svg", ".png"))
    again = tmp_path / "again"  # what was saved is sound: a build from it makes the same site
    result = run(MINIMAL, "build", "--out", str(again), "--no-search", cache=cache)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert len(result.stderr.splitlines()) <= 1
    assert {k: v for k, v in snapshot(again).items() if k != manifest} == expected


# -- the commands that write into the project ----------------------------------------------------

@pytest.mark.parametrize("what", ["space", "inodes"])
def test_draft_writes_all_of_its_files_or_none(tmpfs: Callable[..., Path], tmp_path: Path, what: str) -> None:
    """The draft writes ten files (new ones, and three vocabularies with entries appended); on a
    device with room for some of them, none is written and no vocabulary is cut short."""
    mount = tmpfs("draft")
    project = fresh_project(mount / "project")
    before = snapshot(project)
    if what == "space":
        fill(mount, leave_bytes=6 * PAGE)
    else:
        fill(mount, leave_inodes=6)
    result = run(project, "draft", str(FIXTURES / "draft" / "web-response.txt"), "--id", "demo-care",
                 cache=tmp_path / "cache")
    assert "Traceback" not in result.stderr and result.returncode == 1, result.stderr
    [line] = result.stderr.splitlines()  # the folder of the file that did not fit: data/items/, data/…
    folder = line.removeprefix(f"{WORDS[what]} on the device holding ").partition(" ")[0].rstrip(";")
    assert folder.startswith(f"{project}/") and folder.endswith("/"), line
    assert line == f"{on(what, folder)}; nothing was written"
    assert snapshot(project) == before


def test_schema_writes_all_of_its_files_or_none(tmpfs: Callable[..., Path], tmp_path: Path) -> None:
    mount = tmpfs("schema")
    project = copy_project(MINIMAL, mount / "project")
    before = snapshot(project)
    fill(mount, leave_bytes=3 * PAGE)
    result = run(project, "schema", cache=tmp_path / "cache")
    assert "Traceback" not in result.stderr and result.returncode == 1, result.stderr
    [line] = result.stderr.splitlines()  # the folder of the file that did not fit: schema/ or .vscode/
    assert line in (f"{on('space', f'{project}/{folder}/')}; nothing was written" for folder in ("schema", ".vscode"))
    assert snapshot(project) == before  # no schema/, no .vscode/, no temporary file


def test_review_keeps_the_old_page_when_the_new_one_does_not_fit(tmpfs: Callable[..., Path], tmp_path: Path) -> None:
    mount = tmpfs("review")
    out = mount / "review.html"
    out.write_text("the last review\n", encoding="utf-8")
    fill(mount, leave_bytes=0)
    result = run(MINIMAL, "review", "r", "--out", str(out), cache=tmp_path / "cache")
    one_line(result, f"{on('space', f'{mount}/')}; {out} was not written")
    assert sorted(os.listdir(mount)) == ["filler", "review.html"]
    assert out.read_text(encoding="utf-8") == "the last review\n"


def test_urls_keeps_the_list_whole(tmpfs: Callable[..., Path], tmp_path: Path) -> None:
    mount = tmpfs("urls")
    project = copy_project(MINIMAL, mount / "project")
    listed = project / "published-urls.txt"
    listed.write_text("# published URLs\n/\n", encoding="utf-8")
    before = snapshot(project)
    fill(mount, leave_bytes=0)
    result = run(project, "urls", cache=tmp_path / "cache")
    one_line(result, f"{on('space', f'{project}/')}; published-urls.txt left as it was")
    assert snapshot(project) == before
