"""E-mail of notifications, through the outbox (`outbox.services.queue`): at once, or in a
daily or weekly digest, per the person's preference for the workspace
(`outbox.preferences.frequency_for`, "updates"), in their language, text and HTML.

- Immediate: once the change's debounce window has closed (several saves are one e-mail),
  the sweep mails each recipient who still has it unread and may still read the article.
- Digest: per person, their notifications not yet mailed, grouped by collection, with their
  open must-reads (readiness, `hooks.open_must_reads`) on top, those with the nearest deadline
  first.

Every mail re-checks access first (`tenants.selectors.workspace_access`, then the permission
layer): a revoked grant, an ended engagement or a team left means no mail about that article,
and never its title. Both streams are bulk: unsubscribing (RFC 8058 one-click, the outbox's)
sets the person's "updates" preference to none for the workspace; in-app notifications go on.
"""

from __future__ import annotations

import datetime
import logging
from collections import OrderedDict

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from outbox import preferences, streams
from outbox import services as outbox
from permissions.selectors import visible_articles
from tenants.models import Client, User
from tenants.selectors import workspace_access

from . import hooks, selectors, services
from .models import ChangeEvent, Notification

log = logging.getLogger(__name__)

UPDATES_STREAM = "notifications.updates"
DIGEST_STREAM = "notifications.digest"
DIGEST_CHUNK = 200
IMMEDIATE_CHUNK = 200


def register_streams() -> None:
    streams.register(UPDATES_STREAM, label=_("Changes to what you follow"),
                     reason=_("You follow procedures in %(workspace)s and asked to hear of each change."),
                     unsubscribe=preferences.stop_updates)
    streams.register(DIGEST_STREAM, label=_("Digest of changes"),
                     reason=_("You follow procedures in %(workspace)s and asked for a digest of their changes."),
                     unsubscribe=preferences.stop_updates)


def _schema() -> str:
    return connection.schema_name  # type: ignore[attr-defined]


def _client() -> Client:
    return Client.objects.prefetch_related("domains").get(schema_name=_schema())


def _links(schema_name: str, path: str) -> str:
    return outbox.tenant_url(schema_name, path)


# --- Immediate ------------------------------------------------------------------------------


def due_immediate_events() -> list[int]:
    """Changes fanned out, not mailed yet, whose debounce window has closed."""
    quiet_since = timezone.now() - datetime.timedelta(seconds=services.DEBOUNCE_SECONDS)
    return list(ChangeEvent.objects.filter(mailed_at__isnull=True, fanned_out_at__isnull=False,
                                           updated_at__lt=quiet_since).values_list("pk", flat=True)[:200])


def send_immediate(event_id: int) -> int:
    """Mail the change to its recipients who want each change at once; how many were queued.
    Runs in chunks, each in its own transaction (the event row locked), until none is left."""
    queued = 0
    client = _client()
    while True:
        with transaction.atomic():
            record = ChangeEvent.objects.select_for_update(skip_locked=True, of=("self",)).filter(
                pk=event_id, mailed_at__isnull=True).first()
            if record is None:
                return queued
            pending = list(record.notifications.filter(emailed_at__isnull=True, digested_at__isnull=True, read_at__isnull=True)
                           .order_by("pk").values_list("pk", "recipient_id")[:IMMEDIATE_CHUNK * 5])
            frequencies = preferences.frequencies_for({pid for _pk, pid in pending}, client.schema_name)
            chunk = [(pk, pid) for pk, pid in pending if frequencies.get(pid) == "immediate"][:IMMEDIATE_CHUNK]
            if not chunk:
                record.mailed_at = timezone.now()
                record.save(update_fields=["mailed_at"])
                return queued
            people = {user.pk: user for user in User.objects.filter(pk__in=[pid for _pk, pid in chunk], is_active=True)}
            for pk, person_id in chunk:
                user = people.get(person_id)
                access = workspace_access(user, client) if user is not None else None
                notification = (selectors.visible_notifications(access).filter(pk=pk).first() if access else None)
                if notification is not None:
                    _queue_change(notification, user, client)  # type: ignore[arg-type]
                    queued += 1
            Notification.objects.filter(pk__in=[pk for pk, _pid in chunk]).update(emailed_at=timezone.now())


def _queue_change(notification: Notification, user: User, client: Client) -> None:
    what = selectors.what_changed(notification, user.pk)
    context = {
        "what": what, "notification": notification, "workspace": client.name,
        "article_url": _links(client.schema_name, what.article.get_absolute_url()),
        "diff_url": _links(client.schema_name, f"/notifications/{notification.pk}/"),
    }
    subject = _("Changed: %(title)s") % {"title": what.article.title}
    outbox.queue_template(
        to=user.email, template="notifications/email/change", context=context, subject=subject,
        stream=UPDATES_STREAM, language=user.language or None, schema_name=client.schema_name, person_id=user.pk,
    )


# --- Digests --------------------------------------------------------------------------------


def digest_recipients(frequency: str) -> list[int]:
    """People with notifications not yet mailed whose preference here is `frequency`."""
    ids = set(Notification.objects.filter(emailed_at__isnull=True, digested_at__isnull=True, read_at__isnull=True)
              .values_list("recipient_id", flat=True).distinct())
    wanted = preferences.frequencies_for(ids, _schema())
    return sorted(pid for pid, value in wanted.items() if value == frequency)


def send_digests(person_ids: list[int], frequency: str) -> int:
    """One digest per person (those whose preference is still `frequency`); how many queued."""
    client = _client()
    wanted = preferences.frequencies_for(person_ids, client.schema_name)
    queued = 0
    users = {user.pk: user for user in User.objects.filter(pk__in=person_ids)}
    for person_id in person_ids:
        user = users.get(person_id)
        if user is None or wanted.get(person_id) != frequency:
            continue
        with transaction.atomic():
            queued += _send_digest(user, client, frequency)
    return queued


def _send_digest(user: User, client: Client, frequency: str) -> int:
    mine = Notification.objects.select_for_update(skip_locked=True).filter(
        recipient_id=user.pk, emailed_at__isnull=True, digested_at__isnull=True, read_at__isnull=True)
    ids = list(mine.values_list("pk", flat=True))
    if not ids:
        return 0
    access = workspace_access(user, client)
    shown: list[Notification] = []
    if access is not None:
        shown = list(selectors.visible_notifications(access).filter(pk__in=ids)
                     .order_by("event__article__collection__name", "-created_at"))
    Notification.objects.filter(pk__in=ids).update(digested_at=timezone.now())
    must_reads = _open_must_reads(access) if access is not None else []
    if not shown and not must_reads:
        return 0
    groups: OrderedDict[str, list[dict]] = OrderedDict()
    for notification in shown:
        what = selectors.what_changed(notification, user.pk)
        groups.setdefault(what.article.collection.name, []).append({
            "what": what, "notification": notification,
            "diff_url": _links(client.schema_name, f"/notifications/{notification.pk}/"),
        })
    context = {"groups": groups, "must_reads": must_reads, "workspace": client.name, "frequency": frequency,
               "list_url": _links(client.schema_name, "/notifications/")}
    subject = (_("Your daily digest of %(workspace)s") if frequency == "daily" else
               _("Your weekly digest of %(workspace)s")) % {"workspace": client.name}
    outbox.queue_template(
        to=user.email, template="notifications/email/digest", context=context, subject=subject,
        stream=DIGEST_STREAM, language=user.language or None, schema_name=client.schema_name, person_id=user.pk,
        headers={"X-Kb-Digest": frequency},
    )
    return 1


def _open_must_reads(access) -> list[dict]:
    """The person's open must-reads (readiness' hook) they may read, nearest deadline first
    (those without one last)."""
    found = hooks.open_must_reads(access.user_id)
    if not found:
        return []
    titles = dict(visible_articles(access).filter(pk__in=[m["article_id"] for m in found]).values_list("pk", "title"))
    articles = {a.pk: a for a in Article.objects.filter(pk__in=titles)}
    rows = []
    for item in found:
        article = articles.get(item["article_id"])
        if article is None:
            continue
        deadline = item.get("deadline")
        if isinstance(deadline, str):
            deadline = datetime.date.fromisoformat(deadline[:10])
        rows.append({"title": titles[article.pk], "deadline": deadline,
                     "url": _links(_schema(), article.get_absolute_url()),
                     "overdue": bool(deadline and deadline < timezone.localdate())})
    rows.sort(key=lambda row: (row["deadline"] is None, row["deadline"] or datetime.date.max))
    return rows
