"""`{% load readiness %}{% pinned_must_reads %}`: the must-reads waiting for the person, pinned
at the top of the home and lookup pages until they acknowledge them."""

from __future__ import annotations

from django import template
from django.utils import timezone

from readiness import selectors

register = template.Library()

PINNED = 5


@register.inclusion_tag("readiness/_pinned.html", takes_context=True)
def pinned_must_reads(context) -> dict:
    request = context.get("request")
    access = getattr(request, "workspace", None)
    if access is None:
        return {"pending": [], "more": 0}
    pending = list(selectors.pending_for(access)[:PINNED + 1])
    total = len(pending) if len(pending) <= PINNED else selectors.pending_count(access)
    return {"pending": pending[:PINNED], "more": max(0, total - PINNED), "today": timezone.localdate()}


@register.filter
def percent(value) -> str:
    """0.675 -> "68 %" (in the active language's style); "" for no figure."""
    if value is None or value == "":
        return ""
    from django.utils.formats import number_format

    return f"{number_format(round(float(value) * 100))} %"
