"""The bell of every tenant page and the follow buttons of collection and article pages."""

from __future__ import annotations

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("notifications/_bell_slot.html", takes_context=True)
def bell(context):
    """An empty slot that htmx fills from the bell's URL on load and then every few seconds:
    the page itself runs no query for it."""
    from ..views import BELL_ICON, BELL_POLL_SECONDS

    return {"workspace": context.get("workspace"), "poll_seconds": BELL_POLL_SECONDS, "bell_icon": BELL_ICON}


@register.inclusion_tag("notifications/_follow_button.html", takes_context=True)
def follow_button(context, collection=None, article=None):
    request = context.get("request")
    access = getattr(request, "workspace", None)
    if access is None or (collection is None and article is None):
        return {"show": False}
    return {
        "show": True, "collection": collection, "article": article, "csrf_token": context.get("csrf_token"),
        "following": selectors.is_following(access.user_id, collection=collection, article=article),
        "next": request.get_full_path() if request is not None else "",
    }
