"""Text a person types, made safe to store and show: the one-line and multi-line cleaning
every app uses (it sits here, in the bottom layer, so that `tenants` can use it for people's
and teams' names). `articles.text` adds tags and slugs; its docstring explains the choices.
"""

from __future__ import annotations

import re
import unicodedata

from django import forms

_KEEP_FORMAT = frozenset({"\u200c", "\u200d"})  # zero-width non-joiner and joiner
_MULTILINE_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _visible(char: str) -> bool:
    category = unicodedata.category(char)
    if category == "Cf":
        return char in _KEEP_FORMAT
    return category not in ("Cc", "Cs", "Co", "Cn", "Zl", "Zp") or char in "\t\n"


def clean_line(value: object, *, limit: int | None = None) -> str:
    """One line of text, safe to show anywhere: no control or bidi characters, single spaces."""
    text = unicodedata.normalize("NFC", str(value or ""))
    text = "".join(char for char in text if _visible(char))
    text = " ".join(text.split())
    return text[:limit] if limit is not None else text


def clean_multiline(value: object) -> str:
    """A body, an answer, a reason: LF line endings, no NUL or stray control characters."""
    return _MULTILINE_CONTROLS.sub("", normalise_newlines(str(value or "")))


class OneLineField(forms.CharField):
    """A form field for a name or a title: `clean_line` before validation, so that text made
    only of invisible characters counts as empty."""

    def to_python(self, value):
        return clean_line(super().to_python(value))
