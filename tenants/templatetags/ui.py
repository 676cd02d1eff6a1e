"""The shell's generic template tags (a builtin: every template may use them without `load`).

`{% icon "name" %}` draws one of the lucide icons vendored in static/icons (static/icons/README.md):
the SVG inline, `aria-hidden`, so that the text beside it is what a screen reader says; with
`label="…"` it carries its own accessible name instead (for an icon that stands alone)."""

from __future__ import annotations

import re
from functools import lru_cache

from django import template
from django.contrib.staticfiles import finders
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_NAME = re.compile(r"^[a-z0-9-]+$")
_OPEN = re.compile(r"<svg\b[^>]*>", re.S)


@lru_cache(maxsize=128)
def _inner(name: str) -> str:
    """The drawing of an icon (what is inside its <svg>), or "" for an unknown name."""
    if not _NAME.match(name):
        return ""
    path = finders.find(f"icons/{name}.svg")
    if not path:
        return ""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    opening = _OPEN.search(text)
    if not opening:
        return ""
    return text[opening.end():text.rindex("</svg>")].strip()


@register.simple_tag
def icon(name: str, label: str = "", extra: str = "") -> SafeString:
    drawing = _inner(name)
    if not drawing:
        return mark_safe("")  # noqa: S308 - nothing
    classes = f"icon icon-{name} {extra}".strip()
    accessible = format_html('role="img" aria-label="{}"', label) if label else mark_safe('aria-hidden="true"')  # noqa: S308 - a constant
    return format_html(
        '<svg class="{}" {} focusable="false" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" '
        'stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">{}</svg>',
        classes, accessible, mark_safe(drawing),  # noqa: S308 - a file vendored in static/icons
    )
