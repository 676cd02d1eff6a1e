"""What every piece of text a person types goes through before it is stored.

- Line endings: browsers send CRLF from a textarea, seeded content and imports may have LF or
  CR; everything is stored with LF, so that diffs, exports and the "nothing changed" check
  compare like with like.
- One-line text (titles, step titles, questions, tags, collection names, change summaries):
  control characters and invisible format characters are dropped, bidirectional overrides and
  isolates included (a title with U+202E displays reversed in lists), and runs of white space
  become one space. The zero-width joiner and non-joiner stay: emoji sequences and several
  scripts need them. Text is put in Unicode NFC form. We strip rather than refuse: the
  characters are invisible, so a person could not find what to remove.
- Multi-line text (bodies, answers, reasons): line endings normalised; NUL and C0 controls
  other than tab and newline dropped (PostgreSQL refuses NUL in text).
- Slugs: transliterated to ASCII with anyascii (ISC licence, maintained; it also names
  emoji, so "📦" gives `package`), then Django's slugify.
"""

from __future__ import annotations

import unicodedata

from anyascii import anyascii
from django.utils.text import slugify

from tenants.text import clean_line, clean_multiline, normalise_newlines

__all__ = ["clean_line", "clean_multiline", "clean_tag", "normalise_newlines", "slug_base"]


def clean_tag(value: object) -> str:
    """A tag: one line, NFKC (full-width and compatibility forms fold), lower case."""
    return clean_line(unicodedata.normalize("NFKC", clean_line(value))).lower()


def slug_base(text: str, *, fallback: str) -> str:
    """A readable ASCII slug for any title or name; `fallback` when nothing readable is left."""
    ascii_text = anyascii(clean_line(text)).replace(":", " ")
    return slugify(ascii_text)[:180].strip("-") or fallback
