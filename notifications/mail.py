"""E-mail of notifications, through the outbox (`outbox.services.queue`): at once, or in a
daily or weekly digest, per the person's preference for the workspace
(`outbox.preferences.frequency_for`: "must_read" for must-read changes, "updates" for the
others), in their language (subject included), text and HTML. A must-read the person has
acknowledged since (readiness, `hooks.last_acknowledged`) is not mailed.

- Immediate: once the change's debounce window has closed (several saves are one e-mail),
  the sweep mails each recipient who still has it unread and may still read the article.
- Digest: per person, their notifications not yet mailed, grouped by collection, with their
  open must-reads (readiness, `hooks.open_must_reads`) on top, those with the nearest deadline
  first.

Every mail re-checks access first (immediate: `tenants.selectors.workspace_access`, then the permission
layer): a revoked grant, an ended engagement or a team left means no mail about that article,
and never its title. The updates and digest streams are bulk: unsubscribing (RFC 8058 one-click,
the outbox's) sets the person's "updates" preference to none for the workspace; in-app
notifications go on. A must-read change mailed at once goes on a stream of its own that cannot
be unsubscribed (it is work; its footer links to the e-mail settings).
"""

from __future__ import annotations

import datetime
import logging
from collections import OrderedDict

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Materiality
from outbox import compose, preferences, streams
from outbox import services as outbox
from tenants.models import Client, User
from tenants.selectors import workspace_access

from . import audience, hooks, selectors, services
from .models import ChangeEvent, Notification

log = logging.getLogger(__name__)

UPDATES_STREAM = "notifications.updates"
DIGEST_STREAM = "notifications.digest"
# Must-read changes mailed at once are work, not marketing: no one-click unsubscribe, the footer
# links to the person's e-mail settings (outbox.streams: a stream without `unsubscribe`).
MUST_READ_STREAM = "notifications.must-read"
DIGEST_CHUNK = 200
IMMEDIATE_CHUNK = 200


def register_streams() -> None:
    streams.register(UPDATES_STREAM, label=_("Changes to what you follow"),
                     reason=_("You follow procedures in %(workspace)s and asked to hear of each change."),
                     unsubscribe=preferences.stop_updates)
    streams.register(MUST_READ_STREAM, label=_("Must-read changes"),
                     reason=_("You are asked to read and acknowledge changes in %(workspace)s. This is part of "
                              "your work and cannot be unsubscribed."))
    streams.register(DIGEST_STREAM, label=_("Digest of changes"),
                     reason=_("You follow procedures in %(workspace)s and asked for a digest of their changes."),
                     unsubscribe=preferences.stop_updates)


def _schema() -> str:
    return connection.schema_name  # type: ignore[attr-defined]


def _client() -> Client:
    return Client.objects.prefetch_related("domains").get(schema_name=_schema())


def _links(schema_name: str, path: str) -> str:
    return outbox.tenant_url(schema_name, path)


def _kind(materiality: str) -> str:
    """The preference that governs the mail of a change of this materiality."""
    return preferences.MUST_READ if materiality == Materiality.MUST_READ else preferences.UPDATES


def _wanted(person_ids, schema_name: str) -> dict[str, dict[int, str]]:
    """Everyone's frequency for both kinds of change, in two queries."""
    ids = list(person_ids)
    return {kind: preferences.frequencies_for(ids, schema_name, kind) for kind in preferences.KINDS}


def _acknowledged(notification: Notification, person_id: int) -> bool:
    """A must-read change the person has acknowledged since (or a later revision of it)."""
    event = notification.event
    if event.materiality != Materiality.MUST_READ or event.revision is None:
        return False
    number = hooks.last_acknowledged(person_id, event.article_id)
    return number is not None and number >= event.revision.number


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
                           .order_by("pk").values_list("pk", "recipient_id"))
            frequencies = preferences.frequencies_for({pid for _pk, pid in pending}, client.schema_name,
                                                      _kind(record.materiality))
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
                if notification is not None and not _acknowledged(notification, person_id):
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
    language = compose.language_or_default(user.language)
    with translation.override(language):
        subject = gettext("Changed: %(title)s") % {"title": what.article.title}
    outbox.queue_template(
        to=user.email, template="notifications/email/change", context=context, subject=subject,
        stream=MUST_READ_STREAM if notification.event.materiality == Materiality.MUST_READ else UPDATES_STREAM,
        language=language, schema_name=client.schema_name, person_id=user.pk,
    )


# --- Digests --------------------------------------------------------------------------------


def digest_recipients(frequency: str) -> list[int]:
    """People with notifications not yet mailed whose preference here for that kind of change
    (must-read or update) is `frequency`."""
    rows = set(Notification.objects.filter(emailed_at__isnull=True, digested_at__isnull=True, read_at__isnull=True)
               .values_list("recipient_id", "event__materiality").distinct())
    wanted = _wanted({pid for pid, _materiality in rows}, _schema())
    return sorted({pid for pid, materiality in rows if wanted[_kind(materiality)][pid] == frequency})


def send_digests(person_ids: list[int], frequency: str) -> int:
    """One digest per person (those whose preference is still `frequency`); how many queued.

    Set-based for a chunk of people: their pending notifications in one query, who may still
    read each article in one `audience.readers_among` per article (the rules of the
    permission layer, for all of them at once), their read marks in one query."""
    client = _client()
    wanted = _wanted(person_ids, client.schema_name)
    by_kind = {kind: [pid for pid, value in values.items() if value == frequency] for kind, values in wanted.items()}
    users = {user.pk: user for user in User.objects.filter(
        pk__in=set(by_kind[preferences.UPDATES]) | set(by_kind[preferences.MUST_READ]), is_active=True)}
    if not users:
        return 0
    # Each notification by the preference of its kind: must-reads by "must_read", the rest by "updates".
    of_kind = (Q(event__materiality=Materiality.MUST_READ, recipient_id__in=by_kind[preferences.MUST_READ])
               | (~Q(event__materiality=Materiality.MUST_READ) & Q(recipient_id__in=by_kind[preferences.UPDATES])))
    base_url = outbox.tenant_url(client.schema_name, "")
    queued = 0
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(of_kind, recipient_id__in=list(users), emailed_at__isnull=True, digested_at__isnull=True,
                    read_at__isnull=True)
            .select_related("event__article__collection", "event__article__live_revision", "event__revision",
                            "event__base_revision")
            .order_by("event__article__collection__name", "-created_at")
        )
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(digested_at=timezone.now())
        by_person: dict[int, list[Notification]] = {}
        for notification in pending:
            by_person.setdefault(notification.recipient_id, []).append(notification)
        readable = _Readable(client, list(users))
        marks = selectors.read_numbers(by_person, {n.event.article_id for n in pending})
        for person_id, user in users.items():
            shown = [n for n in by_person.get(person_id, []) if readable.may_read(n.event.article, person_id)
                     and not _acknowledged(n, person_id)]
            if not shown:  # nothing new: the must-reads alone are readiness' reminders, not a digest
                continue
            must_reads = _open_must_reads(person_id, readable, base_url)
            # Keyed by the collection (two collections may share a name), shown by its name.
            by_collection: OrderedDict[int, tuple[str, list[dict]]] = OrderedDict()
            for notification in shown:
                what = selectors.what_changed(notification, person_id,
                                              read_number=marks.get((person_id, notification.event.article_id)))
                by_collection.setdefault(what.article.collection_id, (what.article.collection.name, []))[1].append({
                    "what": what, "notification": notification,
                    "diff_url": f"{base_url}/notifications/{notification.pk}/",
                })
            groups = list(by_collection.values())
            context = {"groups": groups, "must_reads": must_reads, "workspace": client.name, "frequency": frequency,
                       "list_url": f"{base_url}/notifications/"}
            language = compose.language_or_default(user.language)
            with translation.override(language):
                subject = (gettext("Your daily digest of %(workspace)s") if frequency == "daily" else
                           gettext("Your weekly digest of %(workspace)s")) % {"workspace": client.name}
            outbox.queue_template(
                to=user.email, template="notifications/email/digest", context=context, subject=subject,
                stream=DIGEST_STREAM, language=language, schema_name=client.schema_name, person_id=user.pk,
                headers={"X-Kb-Digest": frequency},
            )
            queued += 1
    return queued


class _Readable:
    """Who of a chunk of people may read an article, asked once per article."""

    def __init__(self, client: Client, people: list[int]):
        self.client, self.people, self.cache = client, people, {}

    def may_read(self, article: Article, person_id: int) -> bool:
        if article.pk not in self.cache:
            self.cache[article.pk] = audience.readers_among(article, self.people, client=self.client)
        return person_id in self.cache[article.pk]


def _open_must_reads(person_id: int, readable: _Readable, base_url: str) -> list[dict]:
    """The person's open must-reads (readiness' hook) they may read, nearest deadline first
    (those without one last)."""
    found = hooks.open_must_reads(person_id)
    if not found:
        return []
    articles = {a.pk: a for a in Article.objects.filter(pk__in=[m["article_id"] for m in found]).select_related("live_revision")}
    rows = []
    for item in found:
        article = articles.get(item["article_id"])
        if article is None or not readable.may_read(article, person_id):
            continue
        deadline = item.get("deadline")
        if isinstance(deadline, str):
            deadline = datetime.date.fromisoformat(deadline[:10])
        rows.append({"title": article.title, "deadline": deadline, "url": f"{base_url}{article.get_absolute_url()}",
                     "overdue": bool(deadline and deadline < timezone.localdate())})
    rows.sort(key=lambda row: (row["deadline"] is None, row["deadline"] or datetime.date.max))
    return rows
