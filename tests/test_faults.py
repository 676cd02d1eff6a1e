"""Faults, tried as an operator would: Redis stopped and Redis hanging under a running site, and
a Celery worker killed with SIGKILL in the middle of a task.

The site runs as it does in production: gunicorn and `celery worker` processes on the test
database, pointed by environment variables at a Redis of the test's own (a redis-server on a
free port, never the machine's). The data lives in a tenant of its own, committed (the servers
cannot see a test transaction) and dropped afterwards (sign-ins write to the tenant's append-only
audit log, which no cleanup may delete).
"""

from __future__ import annotations

import logging
import os
import signal
import time

import pytest
from django.conf import settings
from django.db import connection

from articles import services as articles
from articles.models import Article, Kind
from audit.models import Action, AuditEvent
from permissions import services as permissions
from search import indexing
from search.models import SearchDocument
from tenants.models import Client
from tenants.services import tokens

from .conftest import PASSWORD, throwaway_workspace
from .faults import (
    RedisServer,
    Visitor,
    free_port,
    hidden_value,
    service_env,
    start_web,
    start_worker,
    wait_until,
)

# Timed against a whole stack of processes: run alone, after the parallel part of `make test`.
pytestmark = pytest.mark.serial

SCHEMA = "faultia"
EDITOR = "fault.editor@faultia.test"
AGENT = "fault.agent@helios.test"
PUBLIC = settings.KB_BASE_DOMAIN
TENANT = f"{SCHEMA}.{settings.KB_BASE_DOMAIN}"
# What a request may cost while Redis is unreachable (the brief: "publish fast, < 2 s").
FAST = 2.0


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker, tmp_path_factory):
    directory = tmp_path_factory.mktemp("faults")
    with django_db_blocker.unblock():
        workspace = throwaway_workspace(schema=SCHEMA, name="Faultia Parcels", editor=(EDITOR, "Fanny Editor"),
                                        agent=(AGENT, "Fred Agent"), team="Faultia desk")
        client, editor, agent, team = workspace.client, workspace.editor, workspace.agent, workspace.team
        collection = articles.collection_create(name="Parcels", acting_user=editor)
        article = articles.article_create(
            kind=Kind.ARTICLE, collection=collection, acting_user=editor, publish=True,
            content=articles.Content(title="Lost parcel", language="en", tags=["parcel", "claim"],
                                     body="Open a claim with the carrier."),
        )
        indexing.index_article(article.pk)  # its task went to this run's queue, which no worker reads
        permissions.grant_give(target=collection, level="read", team=team, acting_user=editor)
        connection.set_schema_to_public()
        _token, raw_token = tokens.token_create(user=agent, name="CTI")
        db = connection.settings_dict
        database_url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"

    redis_server = RedisServer(directory)
    redis_server.start()
    env = service_env(database_url, redis_server.url, settings.RUN)
    port = free_port()
    web = start_web(port, env, directory)
    services = [web]

    def up() -> bool:
        assert web.alive(), web.tail()
        try:
            Visitor(port).get(PUBLIC, "/healthz", timeout=2)
            return True
        except OSError:
            return False

    wait_until(up, timeout=60, interval=0.3)

    class Stack:
        pass

    stack = Stack()
    stack.__dict__.update(
        redis=redis_server, env=env, port=port, web=web, directory=directory, client=client,
        article_id=article.pk, token=raw_token, services=services,
    )

    def worker(name: str, **options):
        service = start_worker(name, env, directory, **options)
        services.append(service)
        return service

    stack.worker = worker
    yield stack
    for service in services:
        service.stop()
    redis_server.stop()
    with django_db_blocker.unblock():
        from .browser.conftest import drop_throwaway_tenant

        drop_throwaway_tenant(Client.objects.get(pk=client.pk), teams=[team], emails=[EDITOR, AGENT])


@pytest.fixture
def committed(stack, django_db_blocker):
    with django_db_blocker.unblock():
        if stack.redis.process is None or stack.redis.process.poll() is not None:
            stack.redis.start()
        yield stack
        connection.set_schema_to_public()


def in_tenant(stack):
    connection.set_tenant(Client.objects.get(schema_name=SCHEMA))


def indexed_revision(stack) -> tuple[int | None, int | None]:
    """(live revision, indexed revision) of the test's article, as the database has them now."""
    in_tenant(stack)
    article = Article.objects.get(pk=stack.article_id)
    document = SearchDocument.objects.filter(article_id=article.pk).first()
    connection.set_schema_to_public()
    return article.live_revision_id, document.indexed_revision_id if document else None


def api_finds(visitor: Visitor, stack, word: str) -> bool:
    answer = visitor.get(TENANT, f"/api/v1/search?q={word}", headers={"Authorization": f"Bearer {stack.token}"})
    assert answer.status == 200, answer.body[:500]
    return any(hit["id"] == stack.article_id for hit in answer.json()["results"])


def publish_through_the_editor(editor: Visitor, stack, body: str):
    """The editor opens the article's edit page, changes the body and presses Publish."""
    in_tenant(stack)
    article = Article.objects.get(pk=stack.article_id)
    edit = article.url("edit")
    connection.set_schema_to_public()
    page = editor.get(TENANT, edit)
    assert page.status == 200, page.body[:500]
    return editor.post(TENANT, edit, {
        "title": "Lost parcel", "collection": hidden_value_select(page.body), "language": "en",
        "tags": "parcel, claim", "review_by": "", "summary": "carrier changed", "body": body,
        "base_revision": hidden_value(page.body, "base_revision"), "action": "publish",
    })


def hidden_value_select(html: str) -> str:
    import re

    match = re.search(r'<option value="(\d+)"[^>]*selected', html)
    assert match, "no collection selected in the editor"
    return match.group(1)


def token_sign_ins(stack) -> int:
    in_tenant(stack)
    count = AuditEvent.objects.filter(action=Action.SIGN_IN, detail__via="api-token").count()
    connection.set_schema_to_public()
    return count


@pytest.fixture
def own_redis(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def test_the_cache_answers_a_miss_at_once_while_redis_hangs_and_comes_back_with_it(own_redis, caplog, monkeypatch):
    from kbportal.cache import FaultTolerantRedisCache

    # An in-process Celery worker started by an earlier test may have reconfigured logging.
    logger = logging.getLogger("kbportal.cache")
    monkeypatch.setattr(logger, "disabled", False)
    monkeypatch.setattr(logger, "propagate", True)
    caplog.set_level(logging.INFO, logger="kbportal.cache")

    cache = FaultTolerantRedisCache(own_redis.url, {"KEY_PREFIX": "faults", "OPTIONS": {"retry_after": 1}})
    cache.set("tags", ["parcel"])
    assert cache.get("tags") == ["parcel"]
    own_redis.freeze()
    try:
        started = time.monotonic()
        assert cache.get("tags", "missed") == "missed"  # waits for the socket timeout, once...
        first = time.monotonic() - started
        started = time.monotonic()
        assert cache.get("tags") is None  # ...then does not ask Redis at all
        assert cache.add("audited", True) is True  # "first time": the caller checks its source of truth
        assert cache.set("tags", ["claim"]) is None and cache.get_many(["tags"]) == {}
        assert cache.has_key("tags") is False and cache.delete("tags") is False
        with pytest.raises(ValueError):
            cache.incr("counter")
        rest = time.monotonic() - started
    finally:
        own_redis.thaw()
    assert 0.2 < first < 1.0 and rest < 0.05, (first, rest)
    assert [r.getMessage() for r in caplog.records if r.name == "kbportal.cache"][0].startswith("Cache unavailable")
    time.sleep(1.1)
    assert cache.get("tags") == ["parcel"]  # the entry written before is read again
    assert [r.getMessage() for r in caplog.records if r.name == "kbportal.cache"][-1] == "Cache is back."


def test_the_cache_answers_a_miss_when_redis_refuses(own_redis):
    from kbportal.cache import FaultTolerantRedisCache

    own_redis.stop()
    cache = FaultTolerantRedisCache(own_redis.url, {"KEY_PREFIX": "faults", "OPTIONS": {"retry_after": 0}})
    started = time.monotonic()
    assert cache.get("tags", "missed") == "missed" and cache.add("audited", True) is True
    assert time.monotonic() - started < 0.5


def test_with_redis_stopped_people_keep_working_and_search_catches_up_when_it_returns(committed):
    stack = committed
    worker = stack.worker("fault-a")
    agent, editor = Visitor(stack.port), Visitor(stack.port)
    assert agent.sign_in(PUBLIC, AGENT, PASSWORD).status == 302  # signed in before the outage
    for path in ("/", "/search/", "/search/?q=claim"):  # a running site: nothing is loaded for the first time
        assert agent.get(TENANT, path).status == 200
    wait_until(lambda: worker.alive() and "ready" in worker.tail(), timeout=60)
    agent.log.clear()

    stack.redis.stop()
    outage = time.monotonic()

    signed_in = editor.sign_in(PUBLIC, EDITOR, PASSWORD)
    assert signed_in.status == 302, signed_in.body[:500]
    assert agent.get(TENANT, "/").status == 200  # the agents' home
    lookup = agent.get(TENANT, "/search/")
    assert lookup.status == 200 and "parcel" in lookup.body  # the tag list, rebuilt without the cache
    typed = agent.get(TENANT, "/search/?q=lost+parcl")
    assert typed.status == 200 and "/articles/lost-parcel/" in typed.body  # typo corrected
    in_tenant(stack)
    read_url = Article.objects.get(pk=stack.article_id).get_absolute_url()
    connection.set_schema_to_public()
    assert agent.get(TENANT, read_url).status == 200
    assert token_sign_ins(stack) == 0
    assert api_finds(agent, stack, "claim") and api_finds(agent, stack, "parcel")
    assert token_sign_ins(stack) == 1  # the token's first use today is logged, once, with or without the cache
    health = agent.get(PUBLIC, "/healthz")
    assert health.status == 503 and health.json()["redis"].startswith("error"), health.body

    published = publish_through_the_editor(editor, stack, "Open a claim with the new carrier, Zanzibex.")
    assert published.status == 302, published.body[:800]
    assert published.seconds < FAST, f"publish took {published.seconds:.1f} s with Redis down"
    live, indexed = indexed_revision(stack)
    assert indexed != live  # the indexing task could not be sent...
    assert editor.get(TENANT, published.headers["Location"]).status == 200  # ...but the revision is live
    in_tenant(stack)
    assert Article.objects.get(pk=stack.article_id).revisions.count() == 2  # published once, no conflict
    connection.set_schema_to_public()

    slow = [entry for entry in agent.log + editor.log if entry[3] > FAST]
    assert not agent.errors() and not editor.errors(), agent.errors() + editor.errors()
    assert not slow, slow
    down_for = time.monotonic() - outage

    stack.redis.start()
    back = time.monotonic()
    caught_up = wait_until(lambda: api_finds(agent, stack, "zanzibex"), timeout=60, interval=0.5)
    live, indexed = indexed_revision(stack)
    assert indexed == live
    assert agent.get(PUBLIC, "/healthz").json()["redis"] == "ok"
    print(f"\nredis-stopped: down {down_for:.1f} s; requests {len(agent.log) + len(editor.log)}, "
          f"slowest {max(e[3] for e in agent.log + editor.log):.2f} s, publish {published.seconds:.2f} s; "
          f"search caught up {caught_up:.1f} s after Redis returned ({time.monotonic() - back:.1f} s)")
    worker.stop()


def test_with_redis_hanging_requests_stay_fast(committed):
    """Redis stops answering but its port still accepts connections (a partition, a frozen VM):
    every wait on it is bounded by the configured timeouts."""
    stack = committed
    agent, editor = Visitor(stack.port), Visitor(stack.port)
    assert agent.sign_in(PUBLIC, AGENT, PASSWORD).status == 302
    assert editor.sign_in(PUBLIC, EDITOR, PASSWORD).status == 302
    for path in ("/", "/search/", "/search/?q=claim"):
        assert agent.get(TENANT, path).status == 200
    agent.log.clear()
    editor.log.clear()
    stack.redis.freeze()
    try:
        for _ in range(2):
            assert agent.get(TENANT, "/search/").status == 200
            assert agent.get(TENANT, "/search/?q=claim").status == 200
            assert api_finds(agent, stack, "claim")
            published = publish_through_the_editor(editor, stack, f"Open a claim {time.time()}.")
            assert published.status == 302, published.body[:500]
        health = agent.get(PUBLIC, "/healthz")
        assert health.status == 503 and health.json()["redis"].startswith("error"), health.body
    finally:
        stack.redis.thaw()
    assert not agent.errors() and not editor.errors()
    pages = [entry for entry in agent.log + editor.log if not entry[1].endswith("/healthz")]
    slow = [entry for entry in pages if entry[3] > FAST]
    assert not slow, slow
    publishes = ", ".join(f"{e[3]:.2f}" for e in editor.log if e[0] == "POST")
    print(f"\nredis-hanging: {len(pages)} requests, slowest {max(e[3] for e in pages):.2f} s, publishes {publishes} s")


class AdvisoryLock:
    """Holds the lock the indexer takes for one article, so that an indexing task of that article
    is caught waiting in the middle of its transaction: a task known to be running."""

    def __init__(self, article_id: int) -> None:
        self.key = (indexing.LOCK_CLASS, article_id % 2147483647)

    def __enter__(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", self.key)
        return self

    def waiters(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                " AND classid::bigint = %s AND objid::bigint = %s", self.key)
            return cursor.fetchone()[0]

    def __exit__(self, *exc) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", self.key)


def _publish_and_catch_the_task_running(stack, worker, word: str) -> AdvisoryLock:
    editor = Visitor(stack.port)
    assert editor.sign_in(PUBLIC, EDITOR, PASSWORD).status == 302
    wait_until(lambda: worker.alive() and "ready" in worker.tail(), timeout=60)
    lock = AdvisoryLock(stack.article_id).__enter__()
    published = publish_through_the_editor(editor, stack, f"Open a claim; the carrier is now {word}.")
    assert published.status == 302, published.body[:500]
    wait_until(lambda: lock.waiters() == 1, timeout=30)  # the worker is inside the indexing task
    return lock


def test_a_worker_killed_mid_task_has_its_task_done_by_another_within_60_s(committed):
    """The whole worker dies (SIGKILL, as the OOM killer or a lost machine does it): its task
    was handed out but never acknowledged, so the broker hands it to another worker once the
    visibility timeout has passed. The other worker does no catch-up sweep here, so only the
    redelivery of the task itself can make search right."""
    stack = committed
    doomed = stack.worker("fault-doomed", extra_env={"KB_RECONCILE_ON_CONNECT": ""})
    lock = _publish_and_catch_the_task_running(stack, doomed, "Quokkaroute")
    doomed.kill()
    killed = time.monotonic()
    lock.__exit__()
    assert not doomed.alive()
    successor = stack.worker("fault-successor", extra_env={"KB_RECONCILE_ON_CONNECT": ""})
    visitor = Visitor(stack.port)
    wait_until(lambda: api_finds(visitor, stack, "quokkaroute"), timeout=60, interval=0.5)
    live, indexed = indexed_revision(stack)
    assert indexed == live
    assert "search.index_article" in successor.tail(200)
    print(f"\nworker-sigkill: search right {time.monotonic() - killed:.1f} s after the kill"
          f" (visibility timeout {settings.CELERY_VISIBILITY_TIMEOUT} s)")
    assert time.monotonic() - killed < 60
    successor.stop()


def test_a_pool_process_killed_mid_task_has_its_task_run_again_at_once(committed):
    """The process running the task dies but its worker lives: the task is rejected back to the
    queue (task_reject_on_worker_lost) and run again by the worker's next pool process."""
    stack = committed
    worker = stack.worker("fault-prefork", pool="prefork", extra_env={"KB_RECONCILE_ON_CONNECT": ""})
    lock = _publish_and_catch_the_task_running(stack, worker, "Wallabyway")
    [child] = worker.children()
    os.kill(child, signal.SIGKILL)
    killed = time.monotonic()
    lock.__exit__()
    visitor = Visitor(stack.port)
    wait_until(lambda: api_finds(visitor, stack, "wallabyway"), timeout=30, interval=0.5)
    recovered = time.monotonic() - killed
    assert worker.alive()
    print(f"\npool-process-sigkill: search right {recovered:.1f} s after the kill")
    assert recovered < 15
    worker.stop()
