"""``civictrack new DIR``: start a project of one's own, ready to check, draft, build and deploy.

It writes a small, working project: ``site.yaml`` with every setting (from the model, so it
never falls behind it), the status scale in the reports' language with its drafting keywords,
empty vocabularies and change log, ``content/about.md``, the Pages workflow with the locked
dependencies it installs (``requirements.txt``, a copy of the generator's deploy lock), the
editor's schemas, ``.gitignore`` and a short README for editors.  The files of each language
are in ``skeleton/<language>/``; the workflow and .gitignore in ``skeleton/common/``.

Everything is written into a staging folder beside ``DIR`` and moved into place at the end,
so a refused or failed ``new`` leaves nothing behind; a folder that exists and holds anything
is refused before anything is written.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from civictrack import __version__
from civictrack.resources import DEPLOY_LOCK, SKELETON

LANGUAGES = ("zh-CN", "en")
"""The languages a project's reports may be written in (``site.yaml``'s ``language``)."""


GENERATOR_SPEC = re.compile(r"civictrack\s*(==\s*(?P<version>[\w.+!-]+)|@\s*(?P<url>\S+))")
"""A requirement naming exactly one build of the generator: ``civictrack==0.1.0`` (the package
index) or ``civictrack @ https://…/v0.1.0.tar.gz`` (a tagged release's archive)."""


class Refused(Exception):
    """``new`` will not write into this folder, or with these options; the message says why."""


@dataclass
class NewOptions:
    folder: Path
    language: str = "zh-CN"
    title: str | None = None
    base_url: str | None = None
    editions: list[str] | None = None
    generator: str | None = None
    written: list[str] = field(default_factory=list)


def default_generator() -> str:
    """What the new project's workflow installs unless told otherwise: this very version,
    from the package index."""
    return f"civictrack=={__version__}"


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "tracker"


def check_options(options: NewOptions) -> None:
    """Refuse (:class:`Refused`) what ``new`` cannot write, before anything is written."""
    from civictrack.urls import base_url_problem

    folder = options.folder
    if folder.exists() and not folder.is_dir():
        raise Refused(f"{folder} is a file, not a folder; nothing was written")
    if folder.is_dir() and any(folder.iterdir()):
        raise Refused(f"{folder} is not empty; civictrack new writes only into a new or empty folder, so "
                      f"nothing was written (choose another folder, or empty this one)")
    if options.language not in LANGUAGES:
        raise Refused(f"--language {options.language!r}: the reports may be written in {' or '.join(LANGUAGES)}")
    if options.base_url is not None and base_url_problem(options.base_url):
        raise Refused(f"--base-url {options.base_url!r}: {base_url_problem(options.base_url)}; give the address "
                      f"the site will be served at, e.g. https://owner.github.io/repo/")
    editions = options.editions or [options.language]
    unknown = [e for e in editions if e not in LANGUAGES]
    if unknown:
        raise Refused(f"--editions: {', '.join(unknown)} is not a language the site can speak "
                      f"({', '.join(LANGUAGES)})")
    if editions[0] != options.language or len(set(editions)) != len(editions):
        raise Refused(f"--editions must start with the reports' language ({options.language}), the edition at "
                      f"the site's root, and name each language once: e.g. {options.language},"
                      f"{'en' if options.language != 'en' else 'zh-CN'}")
    if options.title is not None and not options.title.strip():
        raise Refused("--title is empty")
    spec = options.generator or default_generator()
    match = GENERATOR_SPEC.fullmatch(spec.strip())
    if match is None:
        raise Refused(f"--generator {spec!r}: name exactly one build of the generator, "
                      f"civictrack=={__version__} (from the package index) or "
                      f"\"civictrack @ https://…/v{__version__}.tar.gz\" (a tagged release)")
    if match["version"] is not None and match["version"] != __version__:
        raise Refused(f"--generator {spec!r}: this is civictrack {__version__}; a project it starts is built "
                      f"with the same version (the files it writes are this version's)")


def _yaml_text(value: str) -> str:
    """A YAML scalar holding exactly ``value``: double-quoted, JSON escapes (valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def site_yaml(options: NewOptions) -> str:
    """``site.yaml`` with every setting of the model, each with its description: set where
    the project needs it, commented out where the default serves."""
    from civictrack.model import SiteConfig

    language = options.language
    defaults = _defaults(language)
    editions = options.editions or [language]
    name = _slug(options.folder.resolve().name)
    values: dict[str, Any] = {
        "title": options.title or defaults["title"],
        "description": defaults["description"],
        "base_url": options.base_url or f"https://example.github.io/{name}/",
        "language": language,
        "languages": editions if len(editions) > 1 else None,
        "corrections_url": f"https://github.com/example/{name}/issues/new",
        "data_licence": "CC BY 4.0",
        "data_licence_url": "https://creativecommons.org/licenses/by/4.0/",
        "publisher": defaults["publisher"],
    }
    if "en" in editions and language != "en":
        values.update(title_en=defaults["title_en"], description_en=defaults["description_en"],
                      publisher_en=defaults["publisher_en"])
    other = "en" if language != "en" else "zh-CN"
    examples = {"title_en": "Government report tracker", "description_en": "…", "publisher_en": "…",
                "cname": "data.example.org", "as_of": '"2025-06-30"', "languages": f"[{language}, {other}]",
                "listing_page_size": "100"}
    notes = {
        "base_url": "The Pages workflow builds with the address GitHub Pages gives the site; set it here too, "
                    "so that local builds, citations and the open data use the same permalinks.",
        "corrections_url": "Replace it with this project's issue tracker (…/issues/new) or a mailto: address. "
                           "While it is this placeholder, the Pages workflow links the repository's own issues "
                           "(build --corrections-url) and build --strict refuses to publish it.",
    }
    lines = [f"# Settings of this site (civictrack {__version__}). Facts live in data/; this file says how the "
             f"site is published.",
             "# Every setting is listed; a commented-out one has its default. `civictrack check` validates it.",
             ""]
    for key, info in SiteConfig.model_fields.items():
        for part in _wrap(" ".join(filter(None, [info.description, notes.get(key, "")]))):
            lines.append(f"# {part}")
        value = values.get(key)
        if value is None:
            lines.append(f"# {key}: {examples.get(key, '')}".rstrip())
        elif isinstance(value, list):
            lines.append(f"{key}: [{', '.join(value)}]")
        else:
            lines.append(f"{key}: {_yaml_text(str(value))}")
        lines.append("")
    return "\n".join(lines)


def _defaults(language: str) -> dict[str, str]:
    """What a new project's site.yaml says until its editors change it (skeleton/<language>/site-defaults.yaml)."""
    import yaml

    return yaml.safe_load((SKELETON / language / "site-defaults.yaml").read_text(encoding="utf-8"))


def _wrap(text: str, width: int = 98) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + ([line] if line else [])


VOCABULARY_NOTES = {
    "bodies": "Who acts: departments and offices. `civictrack draft` proposes the bodies a report names "
              "(marked unreviewed); an entry's other_names are the other forms the text writes it in.",
    "places": "Where: districts, counties, towns. Each entry: id (lowercase ASCII), name, optional kind.",
    "documents": "Named documents and named programmes the reports cite (by their titles as written).",
    "tags": "Topics, chosen by the editors.",
}


def vocabulary_yaml(name: str) -> str:
    from civictrack.model import VOCABULARIES

    fields = ", ".join(VOCABULARIES[name].model_fields)
    return "\n".join(f"# {line}" for line in _wrap(f"{VOCABULARY_NOTES[name]} Fields: {fields}.")) + "\n[]\n"


CHANGES_YAML = ("# The change log: one entry per change to the data (date, kind, summary, and the reports, items\n"
                "# and figures it touched). It feeds /changes/, feed.xml and each page's \"last changed\" date.\n[]\n")


def workflow(generator: str) -> str:
    """The Pages workflow of a new project, installing ``generator`` and the locked dependencies."""
    text = (SKELETON / "common" / "pages.yml").read_text(encoding="utf-8")
    return text.replace("@VERSION@", __version__).replace("@GENERATOR@", generator.strip())


def project_files(options: NewOptions) -> dict[str, bytes]:
    """Every file of the new project but the schemas, by path relative to it."""
    from civictrack.publish.permalinks import HEADER

    language = options.language
    own = SKELETON / language
    editions = options.editions or [language]
    files: dict[str, str | bytes] = {
        "site.yaml": site_yaml(options),
        "data/statuses.yaml": (own / "statuses.yaml").read_bytes(),
        **{f"data/{name}.yaml": vocabulary_yaml(name) for name in VOCABULARY_NOTES},
        "data/changes.yaml": CHANGES_YAML,
        "data/reports/.gitkeep": "",
        "data/items/.gitkeep": "",
        "content/reports/.gitkeep": "",
        "content/about.md": (own / "content" / "about.md").read_bytes(),
        "published-urls.txt": HEADER,
        "requirements.txt": _lock_text(),
        ".github/workflows/pages.yml": workflow(options.generator or default_generator()),
        ".gitignore": (SKELETON / "common" / "gitignore").read_bytes(),
        "README.md": (own / "README.md").read_text(encoding="utf-8").replace("@VERSION@", __version__),
    }
    for edition in editions[1:]:
        translated = own / "content" / f"about.{edition}.md"
        if translated.is_file():
            files[f"content/about.{edition}.md"] = translated.read_bytes()
    return {path: text.encode("utf-8") if isinstance(text, str) else text for path, text in files.items()}


def _lock_text() -> str:
    lock = DEPLOY_LOCK.read_text(encoding="utf-8")
    body = "\n".join(line for line in lock.splitlines() if not line.startswith("#    ")
                     and not line.startswith("# This file was autogenerated")) + "\n"
    return (f"# The dependencies of civictrack {__version__}, each at an exact version with its hashes: the Pages\n"
            f"# workflow installs exactly these (pip install --require-hashes -r requirements.txt), so a new\n"
            f"# release of a library can neither change the published site nor break a deploy unseen.\n"
            f"# A copy of the generator's own lock; to move to a newer civictrack, take the requirements.txt\n"
            f"# of that version (civictrack new writes it) and change the version in the workflow.\n" + body)


def new_project(options: NewOptions) -> list[str]:
    """Write the project; return its files (relative paths, sorted).  Raises :class:`Refused`
    before writing anything where the folder or the options will not do."""
    from civictrack.schema import write_schemas

    check_options(options)
    folder = options.folder.resolve()
    parent = folder.parent
    if not parent.is_dir():
        raise Refused(f"{parent} does not exist; create it first, or choose another folder")
    files = project_files(options)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.new-", dir=parent))
    try:
        for name, content in files.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        write_schemas(staging / "schema")
        written = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file())
        os.chmod(staging, 0o777 & ~_umask())
        if folder.is_dir():  # empty (checked above), perhaps the folder the user stands in: fill it
            for entry in sorted(os.listdir(staging)):
                os.rename(staging / entry, folder / entry)
            staging.rmdir()
        else:
            os.rename(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return written


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

