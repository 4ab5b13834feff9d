"""Collect the interface's messages and bring every catalog up to date.

    python scripts/catalogs.py           # extract, update zh-CN.po and en.po, report what is untranslated
    python scripts/catalogs.py --check   # exit 1 if a catalog is out of date or lacks a translation

Messages are the Chinese originals in ``_()``, ``N_()``, ``ngettext()`` and ``pgettext()`` calls
of ``civictrack/`` and ``{{ _() }}``/``{% trans %}`` in ``templates/`` (``babel.cfg``).  The
zh-CN catalog translates each message to itself; en.po keeps its translations, gains the new
messages untranslated and loses the ones no longer used.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT / "civictrack" / "i18n" / "catalogs"
HEADER = ("# Messages of civictrack's interface (the Chinese originals are the message ids).\n"
          "# Made by scripts/catalogs.py; translate in en.po, never edit messages.pot or zh-CN.po.")
KEYWORDS = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
SKIP = ("civictrack/draft/",)  # drafting reads texts; its words are rules (draft/rules/<lang>.yaml), not interface


def extract() -> Catalog:
    """Every message of the code and the templates, with where it is used."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    pot = Catalog(project="civictrack", charset="utf-8", fuzzy=False, header_comment=HEADER)
    for filename, lineno, message, comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True):
        if filename.startswith(SKIP):
            continue
        pot.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return pot


def _serialize(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    # file names without line numbers: an edit elsewhere in a template does not make the catalogs stale
    write_po(out, catalog, width=0, omit_header=False, sort_output=False, include_previous=False, include_lineno=False)
    # the header's creation date would change on every run, Babel's version with the machine
    return b"\n".join(line for line in out.getvalue().split(b"\n")
                      if not line.startswith((b'"POT-Creation-Date', b'"Generated-By')))


def updated(pot: Catalog, lang: str) -> Catalog:
    """The catalog of ``lang`` for the messages of ``pot``, its existing translations kept."""
    path = CATALOGS / f"{lang}.po"
    old = None
    if path.exists():
        with path.open("rb") as handle:
            old = read_po(handle)
    new = Catalog(locale=lang.replace("-", "_").split("_")[0], project="civictrack", charset="utf-8", fuzzy=False,
                  header_comment=HEADER)
    new.language_team = lang
    for message in pot:
        if not message.id:
            continue
        if lang == "zh-CN":
            string = message.id
        else:
            kept = old.get(message.id, message.context) if old is not None else None
            string = kept.string if kept is not None and not kept.fuzzy else ("", "") if isinstance(message.id, tuple) else ""
        new.add(message.id, string, message.locations, auto_comments=message.auto_comments, context=message.context)
    return new


def untranslated(catalog: Catalog) -> list[str]:
    return [str(m.id) for m in catalog if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))]


def main(argv: list[str]) -> int:
    check = "--check" in argv
    pot = extract()
    stale = []
    files = {CATALOGS / "messages.pot": _serialize(pot)}
    for lang in ("zh-CN", "en"):
        catalog = updated(pot, lang)
        files[CATALOGS / f"{lang}.po"] = _serialize(catalog)
        missing = untranslated(catalog)
        print(f"{lang}: {len(catalog)} messages, {len(missing)} untranslated")
        for message in missing[:20]:
            print(f"  untranslated: {message}")
        if missing:
            stale.append(f"{lang}.po lacks {len(missing)} translations")
    for path, content in files.items():
        if not path.exists() or path.read_bytes() != content:
            if check:
                stale.append(f"{path.relative_to(ROOT)} is out of date (run python scripts/catalogs.py)")
            else:
                path.write_bytes(content)
    for line in stale:
        print(line, file=sys.stderr)
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
