"""Generated phrases that read right: French elision and times a reader takes in at a glance.

- `elide(text)`: in French, "de", "le", "la" and "que" before a word that starts with a vowel
  (or a capital H: the names we interpolate, "Helios Contact") become "d'", "l'", "qu'":
  "l'accès d'Acme Parcels", not "l'accès de Acme Parcels". Translators write their own words
  correctly; what goes wrong is a name put after their "de", so the phrases that interpolate a
  name pass through here. A lower-case h is left alone ("le haut", "de hauteur": h aspiré).
- `when(value)`: a recent time as "3 hours ago", an older one as its date, both with the exact
  time (in the reader's time zone and format) for the title and the machine-readable value.
"""

from __future__ import annotations

import datetime
import re

from django.utils import formats, timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

_VOWEL_START = "AEIOUYÀÂÄÆÉÈÊËÎÏÔÖŒÙÛÜŸHaeiouyàâäæéèêëîïôöœùûüÿ"
# A word boundary before the article (not "aide" or "mode"), one space (or a no-break space), then
# a vowel. An HTML tag between them (`de <em>Acme</em>`) is looked through.
_ELIDABLE = re.compile(
    r"(?<![\w'’])(?P<word>[dD]e|[lL]e|[lL]a|[qQ]ue)[ \u00a0](?P<tags>(?:<[^<>]*>)*)(?=[" + _VOWEL_START + r"])"
)
_ELIDED = {"de": "d", "le": "l", "la": "l", "que": "qu"}

RECENT = datetime.timedelta(days=7)


def _elided(match: re.Match) -> str:
    word = match.group("word")
    short = _ELIDED[word.lower()]
    if word[0].isupper():
        short = short[0].upper() + short[1:]
    return f"{short}'{match.group('tags')}"


def elide(text, language: str | None = None):
    """The phrase with French elision applied (other languages unchanged). A safe string stays
    safe: only letters and an apostrophe are taken out or put in, never markup."""
    language = language or translation.get_language() or ""
    if not language.startswith("fr") or not text:
        return text
    result = _ELIDABLE.sub(_elided, str(text))
    return mark_safe(result) if isinstance(text, SafeString) else result  # noqa: S308 - see docstring


def when(value, *, now: datetime.datetime | None = None) -> str:
    """`<time datetime=… title=…>3 hours ago</time>`; a date (no time) as its date."""
    if not value:
        return ""
    if not isinstance(value, datetime.datetime):
        return format_html('<time datetime="{}">{}</time>', value.isoformat(), formats.date_format(value, "DATE_FORMAT"))
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    local = timezone.localtime(value)
    exact = formats.date_format(local, "DATETIME_FORMAT")
    now = now or timezone.now()
    age = now - value
    if datetime.timedelta(0) <= age < datetime.timedelta(minutes=1):
        shown = _("just now")
    elif datetime.timedelta(0) <= age < RECENT:
        shown = _("%(delta)s ago") % {"delta": timesince(value, now, depth=1)}
    else:
        shown = exact
    return format_html('<time datetime="{}" title="{}">{}</time>', local.isoformat(), exact, shown)
