"""Tenant views of change propagation: the bell, the notification list, a notification (the
diff since what the person last read), following and unfollowing, team follows, and the page
where people see what they follow. Thin: access, service, response."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from permissions.policy import requires
from permissions.selectors import get_article_for_user, get_collection_for_user

from . import audience, selectors, services

BELL_POLL_SECONDS = 10
# The bell as an inline SVG (an emoji shows as an empty box without an emoji font): a plain
# outline drawn in the text's colour, 1.1 em high, hidden from screen readers (the label says it).
BELL_ICON = mark_safe(  # noqa: S308 - a constant
    '<svg class="bell-icon" aria-hidden="true" focusable="false" width="1.1em" height="1.1em" viewBox="0 0 24 24" '
    'fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"'
    '><path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9"/>'
    '<path d="M10.3 21a1.94 1.94 0 0 0 3.4 0"/></svg>')


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 12 else None


def _back(request, fallback: str):
    """Back to the page the form was on (a path of this site only), else `fallback`."""
    target = request.POST.get("next", "")
    if (target.startswith("/") and len(target) < 2000
            and url_has_allowed_host_and_scheme(target, allowed_hosts=None, require_https=False)):
        return redirect(target)
    return redirect(fallback)


@requires("member")
@require_GET
def bell(request):
    """The unread count, for the bell of every tenant page (htmx polls it): one statement, the
    re-checked count with the public counter kept in step; built without a template (this
    runs every few seconds on every open page)."""
    access = request.workspace
    count = audience.unread_count_correcting(access, services.counter_table())
    label = ngettext("%(n)s unread notification", "%(n)s unread notifications", count) % {"n": count}
    if count:
        badge = format_html(' <span class="badge bell-count" data-bell-count="{}" aria-label="{}">{}</span>', count, label, count)
    else:
        badge = mark_safe('<span data-bell-count="0"></span>')  # noqa: S308 - a constant
    return HttpResponse(format_html('{} <span class="visually-hidden">{}</span>{}', BELL_ICON, _("Notifications"), badge))


@requires("member")
@require_GET
def notification_list(request):
    access = request.workspace
    notifications = selectors.notification_list(access)
    rows = [{"notification": n, "what": selectors.what_changed(n, access.user_id)} for n in notifications]
    return render(request, "notifications/list.html", {
        "rows": rows, "unread": sum(1 for n in notifications if n.read_at is None),
        "work": selectors.work_waiting(access),
    })


@requires("member")
@require_GET
def notification_open(request, pk):
    """A notification: what changed since the person last read or acknowledged the article,
    each changed step or question linking to its place in the article. Opening it marks it read."""
    access = request.workspace
    notification = selectors.get_notification_for_user(access, pk)
    what = selectors.what_changed(notification, access.user_id)
    if notification.read_at is None:
        services.mark_read(access=access, notification_ids=[notification.pk])
    return render(request, "notifications/detail.html", {"notification": notification, "what": what})


@requires("member")
@require_POST
def mark_read(request, pk):
    access = request.workspace
    notification = selectors.get_notification_for_user(access, pk)
    services.mark_read(access=access, notification_ids=[notification.pk])
    return _back(request, "notifications:list")


@requires("member")
@require_POST
def mark_all_read(request):
    services.mark_read(access=request.workspace)
    messages.success(request, _("All notifications are marked as read."))
    return _back(request, "notifications:list")


@requires("member")
@require_GET
def following(request):
    access = request.workspace
    context = {"follows": selectors.follows_of(access)}
    teams = selectors.managed_teams(access)
    if teams is not None:
        context.update(
            managed_teams=teams, team_follows=selectors.team_follows(access, teams),
            team_collections=selectors.team_collections(access, teams),
            team_follow_url="notifications:team-follow-admin" if access.is_admin else "notifications:team-follow-lead",
        )
    return render(request, "notifications/following.html", context)


@requires("read")
@require_http_methods(["GET", "POST"])
def follow_collection(request, slug):
    """POST follows or unfollows; a GET (a link opened, a form sent again from the history) goes
    to the collection, where the button is."""
    collection = get_collection_for_user(request, slug)
    if request.method == "GET":
        return redirect(collection.get_absolute_url())
    if request.POST.get("action") == "unfollow":
        services.unfollow(person_id=request.user.pk, collection=collection)
        messages.success(request, _("You no longer follow “%(name)s”.") % {"name": collection.name})
    else:
        services.follow(person_id=request.user.pk, collection=collection)
        messages.success(request, _("You follow “%(name)s” and everything it holds.") % {"name": collection.name})
    return _back(request, collection.get_absolute_url())


@requires("read")
@require_http_methods(["GET", "POST"])
def follow_article(request, prefix, slug):
    """As follow_collection: a GET goes to the article."""
    article = get_article_for_user(request, prefix, slug, drafts=request.workspace.can_edit)
    if request.method == "GET":
        return redirect(article.get_absolute_url())
    if request.POST.get("action") == "unfollow":
        services.unfollow(person_id=request.user.pk, article=article)
        messages.success(request, _("You no longer follow “%(title)s”.") % {"title": article.title})
    else:
        services.follow(person_id=request.user.pk, article=article)
        messages.success(request, _("You follow “%(title)s”.") % {"title": article.title})
    return _back(request, article.get_absolute_url())


def _team_follow(request):
    access = request.workspace
    teams = selectors.managed_teams(access) or []
    team = next((t for t in teams if t.pk == _int_or_none(request.POST.get("team"))), None)
    collection = selectors.team_collections(access, teams).filter(slug=request.POST.get("collection", "")[:200]).first()
    if team is None or collection is None:
        messages.error(request, _("Choose one of your teams and a collection it can read."))
        return redirect("notifications:following")
    if request.POST.get("action") == "unfollow":
        services.team_unfollow(team_id=team.pk, collection=collection)
        messages.success(request, _("%(team)s no longer follows “%(name)s”.") % {"team": team.name, "name": collection.name})
    else:
        services.team_follow(team_id=team.pk, collection=collection, acting_user=request.user)
        messages.success(request, _("%(team)s follows “%(name)s”: its agents, present and future, are told of changes.")
                         % {"team": team.name, "name": collection.name})
    return redirect("notifications:following")


@requires("admin")
@require_POST
def team_follow_admin(request):
    return _team_follow(request)


@requires("lead")
@require_POST
def team_follow_lead(request):
    return _team_follow(request)
