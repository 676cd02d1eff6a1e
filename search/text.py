"""Text normalisation shared by indexing and querying: one definition of a "word"."""

from __future__ import annotations

import re
import unicodedata

# French elisions (l'abonnement, d'un, qu'il, jusqu'à), with either apostrophe. PostgreSQL's
# parser already splits on the apostrophe and the French stop words drop the article, but the
# English and exact configurations would keep a stray "l": remove it once, here.
ELISION_RE = re.compile(r"\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’‘`](?=\w)", re.IGNORECASE)
WORD_RE = re.compile(r"[^\W_]+")
# Highlight markers (Unicode private use): never in indexed text, turned into <mark> after escaping.
MARK_START, MARK_STOP = "\ue000", "\ue001"
_MARKS = str.maketrans("", "", MARK_START + MARK_STOP)


def strip_elisions(text: str) -> str:
    return ELISION_RE.sub("", text)


def unaccent(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalise(text: str) -> str:
    """Lower case, no accents, no elisions, words separated by one space (best bets, logs)."""
    return " ".join(WORD_RE.findall(unaccent(strip_elisions(text or "")).lower()))


def as_written(text: str) -> str:
    """Text about to be stored for snippets: exactly as written, without highlight markers."""
    return (text or "").translate(_MARKS)


def clean(text: str) -> str:
    """Text about to be indexed: no elisions, no highlight markers."""
    return strip_elisions(as_written(text))


def vocabulary(text: str, *, min_length: int = 4, max_length: int = 40, limit: int | None = None) -> set[str]:
    """The distinct exact forms (lower case, unaccented, letters only) worth correcting toward;
    with `limit`, only the first `limit` of them in the order of the text."""
    words = dict.fromkeys(
        w for w in WORD_RE.findall(unaccent(strip_elisions(text)).lower())
        if min_length <= len(w) <= max_length and w.isalpha()
    )
    return set(list(words)[:limit] if limit is not None else words)
