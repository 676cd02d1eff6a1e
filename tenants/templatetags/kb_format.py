"""`{% load kb_format %}`: `{% when value %}` (a time, relative when recent, exact on hover) and
`|elide` (French elision in a phrase that interpolates a name). See tenants.phrases."""

from __future__ import annotations

from django import template

from tenants import phrases

register = template.Library()


@register.simple_tag(name="when")
def when_tag(value):
    return phrases.when(value)


@register.filter(name="elide")
def elide_filter(text):
    return phrases.elide(text)
