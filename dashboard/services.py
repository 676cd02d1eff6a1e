"""Writes of the dashboard: the weekly-summary opt-in, and sending the summaries."""

from __future__ import annotations

import datetime

from django.db import connection, transaction
from django.utils import timezone, translation

from outbox import compose
from tenants.models import Client, Membership, Role, User

from . import figures, mail
from .models import SummarySubscription
from .scope import Directory, Period, Scope

SUMMARY_DAYS = 7


def summary_subscribe(*, person_id: int, subscribe: bool) -> bool:
    if subscribe:
        SummarySubscription.objects.get_or_create(person_id=person_id)
    else:
        SummarySubscription.objects.filter(person_id=person_id).delete()
    return subscribe


def summary_context(client: Client, *, now: datetime.datetime | None = None) -> dict:
    """The figures of the last seven days, for everyone (the summary goes to tenant admins)."""
    period = Period.last(SUMMARY_DAYS, key="7", now=now)
    scope = Scope(directory=Directory.of(client))
    return {
        "period": period,
        "freshness": figures.freshness(period, scope),
        "readiness": figures.readiness(period, scope),
        "search": figures.search_success(period, scope, limit=5),
        "suggestions": figures.suggestions(period, scope),
        "risk": figures.knowledge_risk(period, scope, limit=5),
    }


def summaries_send(*, now: datetime.datetime | None = None) -> int:
    """One summary per subscribed admin of this tenant and week (recorded with the mail in one
    transaction, so a beat or a task run twice sends nothing twice). Someone who is no longer
    an admin gets nothing (and their opt-in is forgotten)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    monday = today - datetime.timedelta(days=today.weekday())
    client = Client.objects.get(schema_name=connection.schema_name)  # type: ignore[attr-defined]  # django-tenants' connection
    subscriptions = list(SummarySubscription.objects.all())
    if not subscriptions:
        return 0
    admins = set(Membership.objects.filter(client=client, role=Role.ADMIN, user__is_active=True,
                                           user_id__in=[s.person_id for s in subscriptions]).values_list("user_id", flat=True))
    SummarySubscription.objects.exclude(person_id__in=admins).delete()
    due = [s for s in subscriptions if s.person_id in admins and (s.last_sent_on is None or s.last_sent_on < monday)]
    if not due:
        return 0
    people = User.objects.in_bulk([s.person_id for s in due])
    sent = 0
    contexts: dict[str, dict] = {}
    for subscription in due:
        person = people[subscription.person_id]
        language = compose.language_or_default(person.language)
        if language not in contexts:
            with translation.override(language):
                contexts[language] = summary_context(client, now=now)
        with transaction.atomic():
            changed = SummarySubscription.objects.filter(pk=subscription.pk, last_sent_on=subscription.last_sent_on) \
                .update(last_sent_on=monday)
            if not changed:
                continue  # another run sent it
            mail.queue_summary(client=client, person=person, context=contexts[language])
            sent += 1
    return sent
