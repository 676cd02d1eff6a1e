"""`manage.py bench_fanout`: the fan-out of one must-read change to N followers, on a real
Celery worker (a subprocess), with the worker SIGKILLed in the middle if asked.

The bench tenant (`bench_fanout`) holds N provider agents spread over teams of TEAM_SIZE, each
team with a read grant on the bench collection, each agent following it. Just before the
publish (in its transaction) the grants of REVOKED_TEAMS teams are revoked: their agents still
follow, and must get nothing. The expected recipients are known by construction (the agents
of the other teams), never asked of the code under test; the bench then counts:

- duplicates: notification rows beyond one per (person, change), plus public unread counters
  above one (a batch whose insert ran twice would count twice there);
- missing: expected people without a notification;
- leaked: people with a notification who are not expected (no access).

Then it sends the daily digests and times until the last digest e-mail of those people is a
row in the outbox.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from articles import services as articles
from articles.models import Article, Collection, Kind, Materiality
from permissions import services as grants
from permissions.models import CollectionTeamGrant
from tenants import services as tenants
from tenants.models import (
    Client,
    Engagement,
    Membership,
    ProviderMembership,
    ProviderOrganisation,
    ProviderRole,
    ProviderTeam,
    Role,
    User,
)

from .counters.models import UnreadCount
from .models import ChangeEvent, FanoutBatch, Follow, Notification

SCHEMA = "benchfanout"  # a valid host name: benchfanout.<KB_BASE_DOMAIN>
PROVIDER = "Bench Fanout Contact"
TEAM_SIZE = 500
REVOKED_TEAMS = 1  # of every 10 teams: 10 % of the followers lose access at the last moment
EMAIL = "bench-fanout-{n}@bench.example"


def ensure_world(recipients: int, out=print) -> dict:
    """The tenant, an editor, the provider, its teams and N following agents (created once,
    grown when asked for more). Connection left in the tenant."""
    connection.set_schema_to_public()
    client = Client.objects.filter(schema_name=SCHEMA).first()
    if client is None:
        client = tenants.client_create(schema_name=SCHEMA, name="Bench Fan-out")
    editor, _ = User.objects.get_or_create(email="bench-fanout-editor@bench.example", defaults={"full_name": "Bench Editor"})
    Membership.objects.get_or_create(user=editor, client=client, defaults={"role": Role.EDITOR})
    provider, _ = ProviderOrganisation.objects.get_or_create(name=PROVIDER)
    if not Engagement.objects.active().filter(provider=provider, client=client).exists():
        tenants.engagement_start(provider=provider, client=client)
    existing = User.objects.filter(email__startswith="bench-fanout-", email__endswith="@bench.example").exclude(pk=editor.pk).count()
    if existing < recipients:
        password = make_password(None)
        User.objects.bulk_create([
            User(email=EMAIL.format(n=n), full_name=f"Agent {n}", password=password)
            for n in range(existing, recipients)
        ], batch_size=2000)
        out(f"people: {recipients - existing} agents added")
    agents = list(User.objects.filter(email__in=[EMAIL.format(n=n) for n in range(recipients)]).order_by("pk")
                  .values_list("pk", flat=True))
    have = set(ProviderMembership.objects.filter(provider=provider, user_id__in=agents).values_list("user_id", flat=True))
    ProviderMembership.objects.bulk_create([ProviderMembership(user_id=pk, provider=provider, role=ProviderRole.AGENT)
                                            for pk in agents if pk not in have], batch_size=2000)
    memberships = dict(ProviderMembership.objects.filter(provider=provider, user_id__in=agents).values_list("user_id", "pk"))
    serves = ProviderMembership.clients.through
    served = set(serves.objects.filter(providermembership_id__in=memberships.values(), client=client)
                 .values_list("providermembership_id", flat=True))
    serves.objects.bulk_create([serves(providermembership_id=pk, client_id=client.pk)
                                for pk in memberships.values() if pk not in served], batch_size=2000)
    teams = []
    for index in range((len(agents) + TEAM_SIZE - 1) // TEAM_SIZE):
        team = ProviderTeam.objects.filter(provider=provider, name=f"Team {index + 1}").first()
        if team is None:
            team = tenants.team_create(provider=provider, name=f"Team {index + 1}", clients=[client])
        team.clients.add(client)
        teams.append(team)
    through = ProviderTeam.members.through
    through.objects.filter(providerteam__provider=provider).delete()
    through.objects.bulk_create([through(providerteam_id=teams[i // TEAM_SIZE].pk, user_id=pk)
                                 for i, pk in enumerate(agents)], batch_size=2000)
    connection.set_tenant(client)
    collection = Collection.objects.filter(slug="bench-procedures").first()
    if collection is None:
        collection = articles.collection_create(name="Bench procedures", acting_user=editor)
        Collection.objects.filter(pk=collection.pk).update(slug="bench-procedures")
        collection.refresh_from_db()
    for team in teams:
        if not CollectionTeamGrant.objects.active().filter(group_id=team.group_id, content_object=collection).exists():
            grants.grant_give(target=collection, level="read", acting_user=editor, team=team)
    followed = set(Follow.objects.filter(collection=collection, person__isnull=False).values_list("person_id", flat=True))
    Follow.objects.bulk_create([Follow(person_id=pk, collection=collection) for pk in agents if pk not in followed],
                               batch_size=2000)
    Follow.objects.filter(collection=collection, person__isnull=False).exclude(person_id__in=agents).delete()
    _analyze()
    revoked = [team for index, team in enumerate(teams) if index % 10 < REVOKED_TEAMS]
    revoked_people = {pk for i, pk in enumerate(agents) if (i // TEAM_SIZE) % 10 < REVOKED_TEAMS}
    return {"client": client, "editor": editor, "collection": collection, "teams": teams, "agents": agents,
            "revoked_teams": revoked, "expected": set(agents) - revoked_people}


def _analyze() -> None:
    """Fresh statistics after the bulk inserts (as autovacuum would give a real database),
    so that the planner does not take ten thousand rows for a handful."""
    from django.db import DatabaseError

    tables = [User, ProviderMembership, ProviderMembership.clients.through, ProviderTeam.members.through, Follow]
    with connection.cursor() as cursor:
        for model in tables:
            try:
                with transaction.atomic():
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
            except DatabaseError:  # not the owner of the table: autovacuum will
                pass


def publish_must_read(world: dict) -> ChangeEvent:
    """A new guide version published as a must read for every team, the revoked teams losing
    their grant in the same transaction (the last moment before the fan-out)."""
    editor, collection = world["editor"], world["collection"]
    article = Article.objects.filter(slug="bench-fanout-guide").first()
    with transaction.atomic():
        if article is None:
            article = articles.article_create(
                kind=Kind.GUIDE, collection=collection, acting_user=editor, publish=True, slug="bench-fanout-guide",
                content=articles.Content(title="Refund a parcel", language="en", tags=[], body="",
                                         steps=[{"id": "", "title": "Check", "body": "Check the order."}]),
            )
        for team in world["revoked_teams"]:
            for grant in CollectionTeamGrant.objects.filter(group_id=team.group_id, content_object=collection):
                grants.grant_revoke(grant=grant, acting_user=editor)
        latest = article.latest_revision
        revision = articles.revision_create(
            article=article, expected_revision_id=latest.pk, acting_user=editor, publish=True,
            summary=f"Bench change {uuid.uuid4().hex[:6]}",
            content=articles.Content(title="Refund a parcel", language="en", tags=[], body="",
                                     steps=[{**step, "body": step["body"] + " Then check again."} for step in latest.steps]),
            publish_as={"materiality": Materiality.MUST_READ,
                        "must_read": {"everyone": False, "roles": [], "teams": [t.pk for t in world["teams"]], "deadline": None}},
        )
    for _ in range(100):  # the subscriber wrote the change row after the commit
        record = ChangeEvent.objects.filter(revision=revision).first()
        if record is not None:
            return record
        time.sleep(0.01)
    raise RuntimeError("the publish was not heard: is the notifications app installed?")


class Worker:
    """A `celery worker` subprocess on a queue of the bench's own."""

    def __init__(self, queue: str, concurrency: int):
        self.queue, self.concurrency = queue, concurrency
        self.process: subprocess.Popen | None = None
        self.name = ""

    def env(self) -> dict:
        return {**os.environ, "CELERY_TASK_DEFAULT_QUEUE": self.queue, "KB_RECONCILE_ON_CONNECT": "",
                "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
                "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "kbportal.settings.local")}

    def start(self) -> None:
        self.name = f"bench-fanout-{uuid.uuid4().hex[:8]}@%h"
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "celery", "-A", "kbportal", "worker", "-Q", self.queue, "-c", str(self.concurrency),
             "-n", self.name, "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
            env=self.env(), start_new_session=True, stdout=subprocess.DEVNULL, stderr=None,
        )
        from celery import current_app as app

        deadline = time.monotonic() + 60
        node = self.name.replace("%h", os.uname().nodename)
        while time.monotonic() < deadline:
            if app.control.inspect(destination=[node], timeout=0.5).ping():
                return
            if self.process.poll() is not None:
                raise RuntimeError("the worker exited at start")
        raise RuntimeError("the worker did not answer within 60 s")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def purge(queue: str) -> None:
    from celery import current_app as app

    with app.connection_for_write() as conn:
        try:
            conn.default_channel.queue_purge(queue)
        except Exception as exc:  # noqa: BLE001 - a queue that does not exist is empty
            print(f"bench queue {queue} not purged: {exc}")


def counts(record: ChangeEvent, expected: set[int], client: Client) -> dict:
    told = list(Notification.objects.filter(event=record).values_list("recipient_id", flat=True))
    told_set = set(told)
    connection.set_schema_to_public()
    over = sum(n - 1 for n in UnreadCount.objects.filter(client=client, unread__gt=1).values_list("unread", flat=True))
    connection.set_tenant(client)
    return {"duplicates": len(told) - len(told_set) + over, "missing": len(expected - told_set),
            "leaked": len(told_set - expected), "recipients": len(told_set)}


def reset(world: dict) -> None:
    """Nothing left of earlier runs: notifications, changes, counters; grants given again."""
    client = world["client"]
    Notification.objects.all().delete()
    FanoutBatch.objects.all().delete()
    ChangeEvent.objects.all().delete()
    connection.set_schema_to_public()
    UnreadCount.objects.filter(client=client).delete()
    from outbox.models import Message

    Message.objects.filter(schema_name=SCHEMA).delete()
    connection.set_tenant(client)


def digest_rows(client: Client, people: set[int], since) -> int:
    from outbox.models import Message

    connection.set_schema_to_public()
    n = Message.objects.filter(schema_name=SCHEMA, stream="notifications.digest", created_at__gte=since,
                               person_id__in=people).count()
    connection.set_tenant(client)
    return n


def default_queue() -> str:
    return f"bench-fanout-{os.getpid()}"


def visibility_timeout() -> int:
    return int(settings.CELERY_VISIBILITY_TIMEOUT)


def now():
    return timezone.now()
