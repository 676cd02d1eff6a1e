"""Per-workspace unread counts on the public site's workspaces page: read from the public
schema's counters (one query for all the person's workspaces), never from a tenant schema."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import ngettext

from ..models import UnreadCount

register = template.Library()


@register.simple_tag(takes_context=True)
def workspace_unread(context, client) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    counts = context.get("_kb_unread_counts")
    if counts is None:
        counts = dict(UnreadCount.objects.filter(person_id=user.pk, unread__gt=0).values_list("client_id", "unread"))
        context.dicts[0]["_kb_unread_counts"] = counts
    unread = counts.get(client.pk, 0)
    if not unread:
        return ""
    label = ngettext("%(n)s unread notification", "%(n)s unread notifications", unread) % {"n": unread}
    return format_html('<span class="badge" data-workspace-unread="{}" title="{}">{}</span>', unread, label, unread)
