"""The audit log read as sentences, in the reader's language.

An event keeps ids and codes (`object_type`/`object_id`, and in `detail` the grantee's kind and
id, the level, the last day, the role...); the page resolves today's names and writes the
sentence when it is read, so that an English admin reads English whoever acted in French:
"Ravi Agent was given read access to *Delivery and tracking* until 1 Mar 2027". Events written
before the ids were stored fall back to the labels they kept, and an action with no sentence of
its own reads "<action>: <object>".
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from articles.models import Article, Collection
from audit.models import Action, AuditEvent
from tenants.models import ProviderTeam, Role, User
from tenants.phrases import elide

from .models import Level


def _access(level: str) -> str:
    if level == Level.CONTRIBUTE:
        return _("read and suggest access")
    return _("read access")


def _day(value) -> str:
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None:
        return ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    # A grant ends at the end of its last day (stored as the next midnight): show that day.
    if moment.time() == datetime.time(0, 0):
        moment -= datetime.timedelta(minutes=1)
    return formats.date_format(moment.date(), "DATE_FORMAT")


def _role(code) -> str:
    try:
        return str(Role(code).label)
    except ValueError:
        return str(code or "")


class _Names:
    """Today's names of what a page of events mentions, read in one query per kind."""

    def __init__(self, events: list[AuditEvent]):
        people, teams, collections, articles = set(), set(), set(), set()
        for event in events:
            detail = event.detail if isinstance(event.detail, dict) else {}
            if event.object_id.isdigit():
                {"collection": collections, "article": articles, "user": people}.get(event.object_type, set()).add(
                    int(event.object_id))
            kind, pk = detail.get("grantee_kind"), detail.get("grantee_id")
            if isinstance(pk, int):
                (teams if kind == "team" else people).add(pk)
            if isinstance(detail.get("team_id"), int):
                teams.add(detail["team_id"])
        self.people = {u.pk: u.get_full_name() for u in User.objects.filter(pk__in=people)} if people else {}
        self.teams = dict(ProviderTeam.objects.filter(pk__in=teams).values_list("pk", "name")) if teams else {}
        self.objects = {}
        if collections:
            self.objects.update({("collection", pk): name for pk, name in
                                 Collection.objects.filter(pk__in=collections).values_list("pk", "name")})
        if articles:
            self.objects.update({("article", a.pk): a.title for a in Article.objects.filter(pk__in=articles)})
        for pk, name in self.people.items():
            self.objects[("user", pk)] = name

    def object(self, event: AuditEvent) -> str:
        if event.object_id.isdigit():
            name = self.objects.get((event.object_type, int(event.object_id)))
            if name:
                return name
        return event.object_label

    def grantee(self, detail: dict) -> str:
        pk = detail.get("grantee_id")
        if detail.get("grantee_kind") == "team" and pk in self.teams:
            return _("team %(name)s") % {"name": self.teams[pk]}
        if detail.get("grantee_kind") == "person" and pk in self.people:
            return self.people[pk]
        return str(detail.get("grantee") or _("someone"))

    def team(self, detail: dict) -> str:
        return self.teams.get(detail.get("team_id"), "") or str(detail.get("team") or "")


def _sentence(event: AuditEvent, names: _Names) -> SafeString:
    detail = event.detail if isinstance(event.detail, dict) else {}
    subject = names.object(event)
    obj = format_html("<em>{}</em>", subject) if subject else ""
    action = event.action

    def say(template: str, **values) -> SafeString:
        text = elide(format_html(template, **values))
        # "L'équipe Refund desk a reçu…": a sentence starts with a capital, whatever comes first.
        return mark_safe(text[0].upper() + text[1:]) if text[:1].islower() else text  # noqa: S308 - one letter of safe text

    if action in (Action.GRANT_GIVEN, Action.GRANT_CHANGED, Action.GRANT_EXPIRED, Action.GRANT_REVOKED):
        grant = detail.get("after", detail) if action == Action.GRANT_CHANGED else detail
        who, access, until = names.grantee(grant), _access(grant.get("level", "")), _day(grant.get("expires_at"))
        if action == Action.GRANT_GIVEN:
            if until:
                return say(_("{who} was given {access} to {object} until {date}."), who=who, access=access, object=obj,
                           date=until)
            return say(_("{who} was given {access} to {object}."), who=who, access=access, object=obj)
        if action == Action.GRANT_CHANGED:
            if until:
                return say(_("{who} now has {access} to {object} until {date}."), who=who, access=access, object=obj,
                           date=until)
            return say(_("{who} now has {access} to {object}, with no end."), who=who, access=access, object=obj)
        if action == Action.GRANT_REVOKED:
            return say(_("{who} no longer has access to {object}: revoked."), who=who, object=obj)
        return say(_("The access of {who} to {object} ended on its last day."), who=who, object=obj)
    if action == Action.SIGN_IN:
        return say(_("{who} signed in."), who=names.people.get(event.actor_id, event.actor_label) or _("someone"))
    if action == Action.ROLE_CHANGED:
        return say(_("{who} is now {role} (was {before})."), who=subject, role=_role(detail.get("after")),
                   before=_role(detail.get("before")))
    if action == Action.PERSON_INVITED:
        return say(_("{who} was invited as {role}."), who=detail.get("email") or subject, role=_role(detail.get("role")))
    if action == Action.PERSON_JOINED:
        return say(_("{who} joined the workspace."), who=subject)
    if action == Action.PERSON_REMOVED:
        return say(_("{who} was removed from the workspace."), who=subject)
    if action in (Action.TEAM_MEMBER_ADDED, Action.TEAM_MEMBER_REMOVED) and names.team(detail):
        template = (_("{who} joined the team {team}.") if action == Action.TEAM_MEMBER_ADDED
                    else _("{who} left the team {team}."))
        return say(template, who=subject, team=names.team(detail))
    if action == Action.CONFIDENTIAL_READ:
        return say(_("{who} read the confidential article {object}."),
                   who=names.people.get(event.actor_id, event.actor_label) or _("someone"), object=obj)
    if action in (Action.SUGGESTION_ACCEPTED, Action.SUGGESTION_REJECTED) and detail.get("contributor"):
        template = (_("The suggestion of {who} on {object} was accepted.") if action == Action.SUGGESTION_ACCEPTED
                    else _("The suggestion of {who} on {object} was declined."))
        return say(template, who=detail["contributor"], object=obj)
    label = Action(action).label if action in Action.values else action
    if obj:
        return say(_("{action}: {object}."), action=label, object=obj)
    return format_html("{}.", label)


def sentences(events: Iterable[AuditEvent]) -> list[tuple[AuditEvent, SafeString]]:
    """Each event with its sentence, for one page of the log (a few queries for the page)."""
    events = list(events)
    names = _Names(events)
    # The actors' names too (sign-ins and reads are about them).
    missing = {e.actor_id for e in events if e.actor_id and e.actor_id not in names.people}
    if missing:
        names.people.update({u.pk: u.get_full_name() for u in User.objects.filter(pk__in=missing)})
    return [(event, _sentence(event, names)) for event in events]
