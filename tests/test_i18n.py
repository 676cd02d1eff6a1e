"""The French catalogue is complete: every marked string has a translation, none fuzzy."""

from __future__ import annotations

import re
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def entries():
    text = CATALOGUE.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        if "msgid" not in block or block.lstrip().startswith("#~"):
            continue
        yield block


def test_every_string_has_a_french_translation():
    missing = []
    for block in entries():
        msgid = "".join(re.findall(r'^(?:msgid )?"(.*)"$', block.split("msgstr")[0], re.M))
        if not msgid:
            continue  # the header
        strings = re.findall(r'^msgstr(?:\[\d\])? "(.*)"((?:\n".*")*)', block, re.M)
        if not strings or any(not (first + rest.replace('"', "").strip()) for first, rest in strings):
            missing.append(msgid)
    assert missing == []


def test_no_fuzzy_translations():
    fuzzy = [block for block in entries() if "#, fuzzy" in block and 'msgid ""\nmsgstr' not in block]
    assert fuzzy == []
