"""Writes of change propagation: recording a change (with the debounce), planning and
delivering its fan-out, read marks and read state, follows.

The fan-out, step by step (README, "Change propagation"):
1. `record_change` (the content-event subscriber, after the publish committed) writes or
   merges a `ChangeEvent` row, then sends the planning task. The row is the durable part: if
   the broker cannot take the task, the sweep (`pending_events`) finds the row.
2. `plan_fanout` (a task) gathers the candidates (followers, extra recipients) and writes
   them as `FanoutBatch` rows of `BATCH_SIZE`, then sends one delivery task per batch.
3. `deliver_batch` (a task per batch) re-checks who may read the article now, inserts the
   notifications with ON CONFLICT DO NOTHING on the unique (recipient, event) and adds what it
   inserted to the public unread counters, all in one transaction: a batch run twice (a
   duplicated message, a retry, a worker killed after the commit and before the ack) inserts
   nothing the second time.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from articles.events import Change, ContentEvent
from articles.models import Article, Collection, Materiality, Revision
from tenants.models import Client

from . import audience, hooks, recipients
from .models import ChangeEvent, FanoutBatch, Follow, Notification, Publication

log = logging.getLogger(__name__)

# Several publishes of one article by one author, each within DEBOUNCE_SECONDS of the
# previous, are one change (README: an author who publishes, sees a typo and publishes again
# a minute later tells followers once). The window restarts with each save but never spans
# more than MAX_MERGE_SECONDS, so a long editing session still tells people.
DEBOUNCE_SECONDS = getattr(settings, "NOTIFY_DEBOUNCE_SECONDS", 300)
MAX_MERGE_SECONDS = getattr(settings, "NOTIFY_MAX_MERGE_SECONDS", 1800)
BATCH_SIZE = getattr(settings, "NOTIFY_BATCH_SIZE", 1000)

TOLD_CHANGES = {Change.PUBLISHED, Change.RESTORED, Change.SUGGESTION_ACCEPTED}
RANK = {Materiality.MINOR: 0, Materiality.UPDATE: 1, Materiality.MUST_READ: 2}


def _client() -> Client:
    return Client.objects.get(schema_name=connection.schema_name)  # type: ignore[attr-defined]


def _previous_publication(article_id: int, revision: Revision) -> Revision | None:
    publication = (Publication.objects.filter(article_id=article_id, revision__number__lt=revision.number)
                   .select_related("revision").order_by("-revision__number").first())
    return publication.revision if publication else None


def record_change(event: ContentEvent) -> ChangeEvent | None:
    """The change worth telling, written or merged into the author's last one on this article
    within the debounce window; None when nobody is to be told (a minor publish, a settings
    change, un-archiving)."""
    change = Change(event.change)
    if change in TOLD_CHANGES and event.revision_id:
        Publication.objects.get_or_create(revision_id=event.revision_id, defaults={"article_id": event.article_id})
    if change in TOLD_CHANGES:
        materiality = event.materiality or Materiality.UPDATE
        if materiality == Materiality.MINOR:
            return None
    elif change == Change.ARCHIVED:
        materiality = Materiality.UPDATE
    else:
        return None
    article = Article.objects.select_related("live_revision").filter(pk=event.article_id).first()
    if article is None:
        return None
    revision = Revision.objects.filter(pk=event.revision_id).first() if event.revision_id else article.live_revision
    now = timezone.now()
    with transaction.atomic():
        merged = None
        if change in TOLD_CHANGES and event.actor_id is not None:
            merged = (
                ChangeEvent.objects.select_for_update()
                .filter(article_id=article.pk, actor_id=event.actor_id, change__in=[c.value for c in TOLD_CHANGES],
                        mailed_at__isnull=True,
                        updated_at__gte=now - datetime.timedelta(seconds=DEBOUNCE_SECONDS),
                        created_at__gte=now - datetime.timedelta(seconds=MAX_MERGE_SECONDS))
                .order_by("-updated_at").first()
            )
        if merged is not None:
            merged.revision = revision
            merged.change = change
            if event.undone_revision_id is not None:
                # The publish it merges into was undone: what it asked (a must-read) is withdrawn.
                merged.materiality, merged.must_read = materiality, None
            elif RANK[Materiality(materiality)] >= RANK[Materiality(merged.materiality)]:
                merged.materiality = materiality
                merged.must_read = event.must_read if materiality == Materiality.MUST_READ else merged.must_read
            merged.content_event = event.as_dict()
            merged.saves += 1
            merged.updated_at = now
            merged.fanned_out_at = None  # plan again: the must-read audience may have grown
            merged.save()
            # Who read the change already is told again of the save merged into it (the insert
            # of the new plan keeps existing rows): unread again, and counted again.
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE notifications_notification SET read_at = NULL"
                    " WHERE event_id = %s AND read_at IS NOT NULL RETURNING recipient_id", [merged.pk])
                again = [row[0] for row in cursor.fetchall()]
            _add_to_counters(again, _client().pk)
            record = merged
        else:
            record = ChangeEvent.objects.create(
                article=article, revision=revision, change=change, materiality=materiality,
                must_read=event.must_read if materiality == Materiality.MUST_READ else None,
                base_revision=_previous_publication(article.pk, revision) if revision is not None else None,
                actor_id=event.actor_id, content_event=event.as_dict(), created_at=now, updated_at=now,
            )
    return record


def _content_event(record: ChangeEvent) -> ContentEvent:
    data = dict(record.content_event or {})
    data.setdefault("schema_name", connection.schema_name)  # type: ignore[attr-defined]
    data.setdefault("article_id", record.article_id)
    data.setdefault("change", record.change)
    fields: dict[str, Any] = {key: data[key] for key in ContentEvent.__dataclass_fields__ if key in data}
    return ContentEvent(**fields)


def candidates(record: ChangeEvent) -> set[int]:
    """Followers (as of the change's last save) and registered extra recipients, less the
    change's author: whom the batches ask the permission layer about."""
    article = Article.objects.get(pk=record.article_id)
    people = (audience.followers(article, followed_by=record.updated_at)
              | recipients.extra_recipients(_content_event(record)))
    if record.actor_id is not None:
        people.discard(record.actor_id)
    return people


def compute_recipients(record: ChangeEvent) -> set[int]:
    """The candidates who may read the article now (what the batches deliver to)."""
    return audience.readers_among(Article.objects.get(pk=record.article_id), candidates(record))


def plan_fanout(event_id: int) -> list[int]:
    """Write the recipients of the change as batches; the ids of the batches to deliver."""
    with transaction.atomic():
        record = ChangeEvent.objects.select_for_update().filter(pk=event_id).first()
        if record is None or record.fanned_out_at is not None:
            return []
        # Who may read is asked by each batch, when it delivers (the latest moment).
        people = sorted(candidates(record))
        start = (record.fanout_batches.aggregate(n=Max("number"))["n"] or 0) + 1
        batches = FanoutBatch.objects.bulk_create([
            FanoutBatch(event=record, number=start + index, recipients=people[offset:offset + BATCH_SIZE])
            for index, offset in enumerate(range(0, len(people), BATCH_SIZE))
        ])
        record.planned_at = timezone.now()
        record.batches = start - 1 + len(batches)
        if not batches:
            record.fanned_out_at = record.planned_at
        # Batches of an earlier plan (before a merge) not yet delivered are superseded.
        record.fanout_batches.filter(number__lt=start, delivered_at__isnull=True).update(delivered_at=record.planned_at)
        record.save(update_fields=["planned_at", "batches", "fanned_out_at"])
    return [batch.pk for batch in batches]


def counter_table() -> str:
    from .counters.models import UnreadCount

    return f'"{get_public_schema_name()}"."{UnreadCount._meta.db_table}"'


def _add_to_counters(person_ids: list[int], client_id: int) -> None:
    if not person_ids:
        return
    table = counter_table()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} AS c (person_id, client_id, unread, updated_at)"
            " SELECT p, %s, 1, now() FROM unnest(%s::integer[]) AS p"
            " ON CONFLICT (person_id, client_id) DO UPDATE SET unread = c.unread + 1, updated_at = now()",
            [client_id, person_ids],
        )


def set_counter(person_id: int, client_id: int, unread: int) -> None:
    """The exact re-checked count, written only when it differs (one statement)."""
    table = counter_table()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} AS c (person_id, client_id, unread, updated_at) VALUES (%s, %s, %s, now())"
            " ON CONFLICT (person_id, client_id) DO UPDATE SET unread = excluded.unread, updated_at = now()"
            " WHERE c.unread <> excluded.unread",
            [person_id, client_id, unread],
        )


def correct_counter(person_id: int, client_id: int, unread: int) -> None:
    """The bell's poll: bring an existing public counter to the re-checked count when it
    differs (a grant revoked, a team left). An UPDATE that matches no row writes nothing, so
    the common case costs an index lookup; the row itself is made by a delivery."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {counter_table()} SET unread = %s, updated_at = now()"
            " WHERE person_id = %s AND client_id = %s AND unread <> %s",
            [unread, person_id, client_id, unread],
        )


def deliver_batch(batch_id: int) -> int:
    """Insert the batch's notifications for those who may still read the article; how many
    were new. Idempotent."""
    with transaction.atomic():
        batch = FanoutBatch.objects.select_for_update().select_related("event").filter(pk=batch_id).first()
        if batch is None or batch.delivered_at is not None:
            return 0
        record = batch.event
        article = Article.objects.get(pk=record.article_id)
        client = _client()
        allowed = sorted(audience.readers_among(article, batch.recipients, client=client))
        inserted: list[tuple[int, bool]] = []
        if allowed:
            # A must-read the person has acknowledged already (readiness) arrives read.
            done = (sorted(hooks.acknowledged_among(article.pk, record.revision.number, allowed))
                    if record.materiality == Materiality.MUST_READ and record.revision is not None else [])
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO notifications_notification (recipient_id, event_id, created_at, read_at)"
                    " SELECT p, %s, now(), CASE WHEN p = ANY(%s::integer[]) THEN now() END FROM unnest(%s::integer[]) AS p"
                    " ON CONFLICT (recipient_id, event_id) DO NOTHING RETURNING recipient_id, read_at IS NULL",
                    [record.pk, done, allowed],
                )
                inserted = [(row[0], row[1]) for row in cursor.fetchall()]
        _add_to_counters([pk for pk, unread in inserted if unread], client.pk)
        now = timezone.now()
        batch.delivered_at = now
        batch.save(update_fields=["delivered_at"])
        if not record.fanout_batches.filter(delivered_at__isnull=True).exists():
            ChangeEvent.objects.filter(pk=record.pk, fanned_out_at__isnull=True, planned_at__isnull=False).update(fanned_out_at=now)
    return len(inserted)


def pending_work(stale_seconds: int | None = None) -> tuple[list[int], list[int]]:
    """What the sweep sends again: changes never planned (their task was lost), and batches
    handed out longer ago than the visibility timeout and not delivered."""
    stale = timezone.now() - datetime.timedelta(seconds=stale_seconds if stale_seconds is not None
                                                else settings.CELERY_VISIBILITY_TIMEOUT)
    unplanned = list(ChangeEvent.objects.filter(fanned_out_at__isnull=True, updated_at__lt=stale)
                     .filter(Q(planned_at__isnull=True) | Q(planned_at__lt=F("updated_at")))
                     .values_list("pk", flat=True)[:1000])
    batches = list(FanoutBatch.objects.filter(delivered_at__isnull=True, event__planned_at__lt=stale)
                   .values_list("pk", flat=True)[:10000])
    return unplanned, batches


# --- Read state ------------------------------------------------------------------------------


def remember_read(*, person_id: int, article: Article) -> None:
    """The person opened the live revision: the next diff starts there. One upsert."""
    if article.live_revision_id is None:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO notifications_readmark AS m (person_id, article_id, revision_id, read_at)"
            " VALUES (%s, %s, %s, now()) ON CONFLICT (person_id, article_id)"
            " DO UPDATE SET revision_id = excluded.revision_id, read_at = now()"
            " WHERE m.revision_id <> excluded.revision_id",
            [person_id, article.pk, article.live_revision_id],
        )


def mark_read(*, access, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the person's notifications read (all of them when `notification_ids` is None);
    the public counter follows."""
    mine = Notification.objects.filter(recipient_id=access.user_id, read_at__isnull=True)
    if notification_ids is not None:
        mine = mine.filter(pk__in=list(notification_ids))
    changed = mine.update(read_at=timezone.now())
    set_counter(access.user_id, access.client.pk, audience.unread_count(access))
    return changed


def mark_must_reads_read(*, access, article_id: int, up_to_number: int) -> int:
    """The person acknowledged revision `up_to_number` of the article (readiness): their
    must-read notifications of it up to that revision are read; the public counter follows.
    How many were marked."""
    changed = Notification.objects.filter(
        recipient_id=access.user_id, read_at__isnull=True, event__article_id=article_id,
        event__materiality=Materiality.MUST_READ, event__revision__number__lte=up_to_number,
    ).update(read_at=timezone.now())
    if changed:
        set_counter(access.user_id, access.client.pk, audience.unread_count(access))
    return changed


# --- Follows ---------------------------------------------------------------------------------


def follow(*, person_id: int, collection: Collection | None = None, article: Article | None = None) -> Follow:
    target = {"collection": collection} if collection is not None else {"article": article}
    found, _created = Follow.objects.get_or_create(person_id=person_id, **target, defaults={"created_by_id": person_id})
    return found


def unfollow(*, person_id: int, collection: Collection | None = None, article: Article | None = None) -> int:
    target = {"collection": collection} if collection is not None else {"article": article}
    deleted, _ = Follow.objects.filter(person_id=person_id, **target).delete()
    return deleted


def team_follow(*, team_id: int, collection: Collection, acting_user) -> Follow:
    found, _created = Follow.objects.get_or_create(team_id=team_id, collection=collection,
                                                   defaults={"created_by_id": acting_user.pk})
    return found


def team_unfollow(*, team_id: int, collection: Collection) -> int:
    deleted, _ = Follow.objects.filter(team_id=team_id, collection=collection).delete()
    return deleted
