"""Writes: must-read assignments (from the content-event seam), acknowledgements, the
workspace's reminder settings and the reminder sweep."""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, Materiality, Revision
from audit import services as audit
from audit.models import Action
from audit.services import Actor
from notifications import services as notifications
from tenants.models import Client
from tenants.selectors import WorkspaceAccess

from .audience import Audience, Directory, readers_of
from .models import (
    Acknowledgement,
    Assignee,
    MustRead,
    Publication,
    ReadinessSettings,
    Reminder,
    ReminderReason,
)

log = logging.getLogger(__name__)


def current_client() -> Client:
    return Client.objects.get(schema_name=connection.schema_name)  # type: ignore[attr-defined]  # django-tenants


# --- Assignments ------------------------------------------------------------------------------


def _base_revision(article: Article, revision: Revision) -> Revision | None:
    """What readers saw before `revision`: the previous publication we recorded, else the
    revision before it."""
    previous = (Publication.objects.filter(article=article, revision__number__lt=revision.number)
                .select_related("revision").order_by("-id").first())
    if previous is not None:
        return previous.revision
    return article.revisions.filter(number__lt=revision.number).order_by("-number").first()


@transaction.atomic
def publication_record(*, article_id: int, revision_id: int, materiality: str | None, actor_id: int | None,
                       must_read: dict | None, client: Client | None = None,
                       now: datetime.datetime | None = None) -> MustRead | None:
    """A revision was made live: remember it, and for a must-read create its assignment (once
    per revision) and assign it to its audience."""
    revision = Revision.objects.select_related("article").filter(pk=revision_id, article_id=article_id).first()
    if revision is None:
        return None
    article = revision.article
    now = now or timezone.now()
    base = _base_revision(article, revision)
    Publication.objects.create(article=article, revision=revision, materiality=materiality or "", published_at=now)
    if materiality != Materiality.MUST_READ:
        return None
    client = client or current_client()
    audience = Audience.parse(must_read, client)
    assignment, created = MustRead.objects.get_or_create(revision=revision, defaults={
        "article": article, "base_revision": base, "everyone": audience.everyone, "roles": list(audience.roles),
        "teams": list(audience.teams), "team_groups": list(audience.team_groups), "deadline": audience.deadline,
        "assigned_by_id": actor_id, "created_at": now, **check_terms(must_read),
    })
    if created:
        MustRead.objects.filter(article=article, superseded_at__isnull=True).exclude(pk=assignment.pk).filter(
            revision__number__lt=revision.number).update(superseded_at=now)
        audience_sync(assignment, client, now=now)
    return assignment


def must_read_withdraw(*, revision_id: int, now: datetime.datetime | None = None) -> int:
    """The publish of `revision_id` was undone: its must-read, if any, is closed (as a
    superseded one is, so no list, bell or reminder asks for it). Returns how many were."""
    return MustRead.objects.filter(revision_id=revision_id, superseded_at__isnull=True).update(
        superseded_at=now or timezone.now())


def check_terms(must_read: dict | None) -> dict:
    """Whether the must-read requires its knowledge check, its pass mark and retry delay, from
    the event's must_read["check"] ({"required": bool, "threshold": percent, "retry_minutes": n})."""
    raw = (must_read or {}).get("check") if isinstance(must_read, dict) else None
    if not isinstance(raw, dict) or not raw.get("required"):
        return {"requires_check": False}
    try:
        threshold = min(100, max(1, int(raw.get("threshold", 80))))
        retry = min(60 * 24 * 30, max(0, int(raw.get("retry_minutes", 60))))
    except (TypeError, ValueError):
        threshold, retry = 80, 60
    return {"requires_check": True, "pass_threshold": threshold, "retry_delay_minutes": retry}


def audience_members(article: Article, client: Client, audience: Audience, assigned_by_id: int | None) -> dict:
    """The people of `audience` who may read `article` now (not who published it), by user id."""
    return {user_id: reader for user_id, reader in readers_of(article, client).items()
            if user_id != assigned_by_id and audience.includes(reader)}


def audience_sync(must_read: MustRead, client: Client, *, now: datetime.datetime | None = None) -> list[int]:
    """Assign the must-read to the people of its audience who may read it now and were not
    assigned yet (at publish: everyone; later: who joined a team or was granted access since).
    Returns the user ids newly assigned."""
    now = now or timezone.now()
    audience = Audience.of(must_read)
    directory = Directory.of(client)
    known = set(must_read.assignees.values_list("person_id", flat=True))
    rows = []
    for user_id, reader in audience_members(must_read.article, client, audience, must_read.assigned_by_id).items():
        if user_id in known:
            continue
        team = directory.team_of(reader, audience.team_groups) if reader.provider_id else None
        rows.append(Assignee(must_read=must_read, person_id=user_id, assigned_at=now, provider_id=reader.provider_id,
                             team_id=team.pk if team else None, role=reader.role))
    Assignee.objects.bulk_create(rows, ignore_conflicts=True)
    return [row.person_id for row in rows]


def must_reads_reconcile(*, client: Client | None = None, now: datetime.datetime | None = None) -> int:
    """Assign the must-read revisions whose assignment was lost (the subscriber failed after
    the publish committed): each published revision said to be a must-read has its assignment.
    The audience comes from the change notifications recorded (same event), else everyone who
    may read it. Returns how many were assigned."""
    from notifications.models import ChangeEvent

    missing = list(Revision.objects.filter(materiality=Materiality.MUST_READ, must_read__isnull=True,
                                           article__live_revision__isnull=False)
                   .select_related("article__live_revision").order_by("pk")[:100])
    assigned = 0
    for revision in missing:
        if revision.number > revision.article.live_revision.number:  # type: ignore[union-attr]  # live checked above
            continue
        change = ChangeEvent.objects.filter(revision=revision).order_by("-pk").first()
        created = publication_record(
            article_id=revision.article_id, revision_id=revision.pk, materiality=Materiality.MUST_READ,
            actor_id=change.actor_id if change else revision.author_id,
            must_read=change.must_read if change else None, client=client,
            now=change.created_at if change else now)
        assigned += created is not None
    if assigned:
        log.warning("assigned %s must-read revision(s) whose assignment had been lost", assigned)
    return assigned


# --- Acknowledging ----------------------------------------------------------------------------


class RevisionChanged(ValidationError):
    """The article has a newer live revision than the one the person read."""


class CheckRequired(ValidationError):
    """The must-read asks for its knowledge check: a pass acknowledges it, not the button."""


@transaction.atomic
def acknowledge(*, access: WorkspaceAccess, article: Article, revision_id: int,
                now: datetime.datetime | None = None, by_check: bool = False) -> Acknowledgement:
    """"I have read and understood revision N" of `article` (found through the permission
    layer), N being what readers see now: tied to that exact revision, it answers every
    must-read of the article up to it. Acknowledging twice keeps the first time."""
    live = article.live_revision
    if live is None or live.pk != revision_id:
        raise RevisionChanged(_("This article changed while you were reading it: read the new revision, then "
                                "acknowledge it."))
    if not by_check:
        from .selectors import pending_for

        if pending_for(access).filter(article=article, requires_check=True).exists():
            raise CheckRequired(_("This must-read asks for its knowledge check: pass it to acknowledge."))
    acknowledgement, _created = Acknowledgement.objects.get_or_create(
        person_id=access.user_id, revision=live, defaults={"article": article, "acknowledged_at": now or timezone.now()})
    # Its must-read notifications up to this revision are read now (the bell drops them).
    notifications.mark_must_reads_read(access=access, article_id=article.pk, up_to_number=live.number)
    return acknowledgement


# --- Settings -----------------------------------------------------------------------------------


@transaction.atomic
def settings_save(*, reminder_after_days: int, deadline_reminder_days: int, actor: Actor) -> ReadinessSettings:
    config = ReadinessSettings.objects.select_for_update().order_by("pk").first() or ReadinessSettings()
    before = {"reminder_after_days": config.reminder_after_days, "deadline_reminder_days": config.deadline_reminder_days}
    config.reminder_after_days = reminder_after_days
    config.deadline_reminder_days = deadline_reminder_days
    config.updated_by_id = getattr(actor.person, "pk", None)
    config.full_clean()
    config.save()
    after = {"reminder_after_days": reminder_after_days, "deadline_reminder_days": deadline_reminder_days}
    if after != before:
        audit.record(Action.SETTINGS_CHANGED, actor=actor, label="must-read reminders",
                     detail={"setting": "must-read reminders", "before": before, "after": after})
    return config


# --- Reminders ----------------------------------------------------------------------------------


def reasons_due(*, assigned_at: datetime.datetime, deadline: datetime.date | None, now: datetime.datetime,
                config: ReadinessSettings) -> list[str]:
    """Why a person who has not acknowledged should be reminded now: the delay has passed since
    they were assigned, or the deadline is near. Nothing once the deadline has passed."""
    today = timezone.localdate(now)
    if deadline is not None and today > deadline:
        return []
    reasons: list[str] = []
    if now >= assigned_at + datetime.timedelta(days=config.reminder_after_days):
        reasons.append(ReminderReason.DELAY)
    if deadline is not None and (deadline - today).days <= config.deadline_reminder_days:
        reasons.append(ReminderReason.DEADLINE)
    return reasons


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """The sweep (a beat task per tenant): assign newcomers, then remind each person who has
    not acknowledged an open must-read, once per reason, through the outbox. Returns the number
    of reminders queued."""
    from . import mail, selectors

    now = now or timezone.now()
    today = timezone.localdate(now)
    config = ReadinessSettings.current()
    client = current_client()
    must_reads_reconcile(client=client, now=now)
    queued = 0
    for must_read in MustRead.objects.open().select_related("article", "revision"):
        if must_read.deadline is not None and today > must_read.deadline:
            continue
        audience_sync(must_read, client, now=now)
        result = selectors.readiness(must_read, client, today=today)
        for row in result.rows:
            if row.status != selectors.PENDING:
                continue
            reasons = reasons_due(assigned_at=row.assigned_at, deadline=must_read.deadline, now=now, config=config)
            if not reasons:
                continue
            with transaction.atomic():
                recorded = [reason for reason in reasons if Reminder.objects.get_or_create(
                    must_read=must_read, person_id=row.person.pk, reason=reason, defaults={"sent_at": now})[1]]
                if recorded:
                    reason = ReminderReason.DEADLINE if ReminderReason.DEADLINE in recorded else ReminderReason.DELAY
                    mail.queue_reminder(client=client, must_read=must_read, person=row.person, reason=reason)
                    queued += 1
    return queued
