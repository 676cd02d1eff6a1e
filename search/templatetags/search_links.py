"""The link of a hit, carrying the query it was found by (`from`), so that opening it records
which result the lookup ended on (`search.services.result_opened`)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def from_query(hit, log_id) -> str:
    return hit.url_from(log_id)
