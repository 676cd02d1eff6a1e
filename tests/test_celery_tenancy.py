"""Tenant tasks through a real worker and the real Redis broker."""

from __future__ import annotations

import time
import uuid

import pytest
import redis
from celery import shared_task
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection

from articles.models import Collection
from kbportal.celery import app
from tenants.models import Client
from tenants.tasking import TenantRequired, enqueue_on_commit, fan_out, tenant_schemas, tenant_task


@tenant_task(ignore_result=False)
def where_am_i(schema_name: str, token: str = "") -> dict:
    """Test task: reports the schema it ran in and what it sees there (also in Redis, under
    `token`, for callers that do not hold the result)."""
    report = {
        "schema": connection.schema_name,
        "collections": sorted(Collection.objects.values_list("slug", flat=True)),
    }
    if token:
        redis.Redis.from_url(settings.REDIS_URL).set(f"kbtest:{token}", report["schema"], ex=60)
    return report


def store() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)


@tenant_task(ignore_result=False, max_retries=3, retry_backoff_max=1, retry_jitter=False)
def flaky(schema_name: str, token: str, failures: int = 1) -> dict:
    """Test task: on its first `failures` attempts the database ends its connection under it (the
    server terminates the backend, as a restart or a failover does: a real OperationalError)."""
    attempt = store().incr(f"kbtest:{token}")
    store().expire(f"kbtest:{token}", 60)
    if attempt <= failures:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
    return {"attempt": attempt, "schema": connection.schema_name,
            "collections": sorted(Collection.objects.values_list("slug", flat=True))}


@tenant_task(ignore_result=False)
def calls_another_tenant(schema_name: str) -> dict:
    """Test task: calls a tenant task of another tenant directly, then says where it is."""
    inner = where_am_i("lumiere")
    return {"inner": inner["schema"], "after": connection.schema_name}


@shared_task(ignore_result=False)
def worker_schema() -> str:
    """Test task, not a tenant task: the schema the worker's connection is in between tasks."""
    return connection.schema_name


@tenant_task
def note_schema(schema_name: str, token: str) -> None:
    """Test task: appends the schema it ran in to a Redis list."""
    store().rpush(f"kbtest:{token}", connection.schema_name)
    store().expire(f"kbtest:{token}", 60)


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        connection.set_tenant(Client.objects.get(schema_name="acme"))
        Collection.objects.get_or_create(slug="celery-acme", defaults={"name": "Acme only"})
        connection.set_schema_to_public()
        app.conf.broker_connection_retry_on_startup = True
        with start_worker(app, pool="threads", concurrency=1, perform_ping_check=False, shutdown_timeout=10):
            yield app
        connection.set_tenant(Client.objects.get(schema_name="acme"))
        Collection.objects.filter(slug="celery-acme").delete()
        connection.set_schema_to_public()


def test_task_runs_in_the_tenant_it_names(worker, world):
    acme = where_am_i.delay("acme").get(timeout=20)
    lumiere = where_am_i.delay("lumiere").get(timeout=20)
    assert acme["schema"] == "acme" and "celery-acme" in acme["collections"]
    assert lumiere["schema"] == "lumiere" and "celery-acme" not in lumiere["collections"]


@pytest.mark.parametrize("bad", ["public", "nosuchtenant", "", None])
def test_task_refuses_to_run_without_a_real_tenant(worker, world, bad):
    result = where_am_i.delay(bad)
    with pytest.raises(TenantRequired):
        result.get(timeout=20)


def test_enqueue_on_commit_sends_the_current_tenant_after_commit(worker, world, in_tenant, django_capture_on_commit_callbacks):
    token = uuid.uuid4().hex
    store = redis.Redis.from_url(settings.REDIS_URL)
    in_tenant(world.lumiere)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_on_commit(where_am_i, token=token)
    assert len(callbacks) == 1
    time.sleep(0.5)
    assert store.get(f"kbtest:{token}") is None  # nothing sent before commit
    connection.set_schema_to_public()  # whatever the connection says at commit time...
    callbacks[0]()
    for _ in range(100):
        if store.get(f"kbtest:{token}"):
            break
        time.sleep(0.1)
    assert store.get(f"kbtest:{token}") == b"lumiere"  # ...the task runs where it was enqueued


def test_a_task_whose_database_connection_dies_is_retried_on_a_new_one_and_succeeds(worker, world):
    token = uuid.uuid4().hex
    report = flaky.delay("acme", token).get(timeout=30)
    assert report["attempt"] == 2  # the first attempt met the OperationalError, the retry succeeded
    assert report["schema"] == "acme" and "celery-acme" in report["collections"]


def test_retries_are_bounded(worker, world):
    token = uuid.uuid4().hex
    result = flaky.delay("acme", token, failures=99)
    with pytest.raises(Exception) as failure:  # noqa: B017 - the type is rebuilt from the result backend
        result.get(timeout=60)
    assert type(failure.value).__name__ == "OperationalError"
    assert int(store().get(f"kbtest:{token}")) == 4  # the first attempt and max_retries=3 retries, no more


def test_a_task_called_directly_gives_the_callers_schema_back(world, in_tenant):
    in_tenant(world.lumiere)
    assert where_am_i("acme")["schema"] == "acme"
    assert connection.schema_name == "lumiere"
    with pytest.raises(TenantRequired):
        where_am_i("nosuchtenant")
    assert connection.schema_name == "lumiere"


def test_in_a_worker_each_task_gives_the_connection_back_as_it_found_it(worker, world):
    assert calls_another_tenant.delay("acme").get(timeout=20) == {"inner": "lumiere", "after": "acme"}
    assert worker_schema.delay().get(timeout=20) == "public"


def test_fan_out_reaches_every_client_tenant_exactly_once(worker, world, settings):
    # A stray tenant row naming the template schema (no schema is created: bulk_create saves
    # the row only) must not be reached, nor the public tenant.
    Client.objects.bulk_create([Client(schema_name=settings.TENANT_BASE_SCHEMA, name="Template")])
    assert Client.objects.filter(schema_name="public").exists()
    token = uuid.uuid4().hex
    sent = fan_out(note_schema, token)
    assert "acme" in sent and "lumiere" in sent
    assert "public" not in sent and settings.TENANT_BASE_SCHEMA not in sent
    assert sorted(sent) == sorted(set(Client.objects.values_list("schema_name", flat=True))
                                  - {"public", settings.TENANT_BASE_SCHEMA})
    key = f"kbtest:{token}"
    for _ in range(200):
        if store().llen(key) >= len(sent):
            break
        time.sleep(0.1)
    time.sleep(1)  # and nothing more arrives
    reached = [schema.decode() for schema in store().lrange(key, 0, -1)]
    assert sorted(reached) == sorted(sent) and len(reached) == len(set(reached))


def test_the_beat_entry_points_fan_out_with_the_helper(worker, world):
    from permissions import tasks as permission_tasks
    from search import tasks as search_tasks

    assert permission_tasks.expire_grants_everywhere.name == "permissions.tasks.expire_grants_everywhere"
    assert search_tasks.reconcile_search_index.name == "search.reconcile_search_index"
    for entry in (permission_tasks.expire_grants_everywhere, search_tasks.reconcile_search_index):
        assert entry.apply().get() == tenant_schemas()


def test_a_suspended_client_gets_no_sweep_digest_or_reminder(worker, world):
    """Nobody may use a suspended workspace (tenants.lifecycle): the beat sends it nothing, so
    no mail with its titles goes out; a read-only one still gets them."""
    from notifications import tasks as notification_tasks
    from readiness import tasks as readiness_tasks
    from tenants.models import ClientStatus

    Client.objects.filter(schema_name="lumiere").update(status=ClientStatus.SUSPENDED)
    Client.objects.filter(schema_name="acme").update(status=ClientStatus.READ_ONLY)
    schemas = tenant_schemas()
    assert "lumiere" not in schemas and "acme" in schemas
    assert notification_tasks.sweep.name == "notifications.sweep"
    assert readiness_tasks.send_reminders_everywhere.name == "readiness.send_reminders_everywhere"
    assert notification_tasks.sweep.apply().get() == schemas
    assert notification_tasks.digests.apply(args=["daily"]).get() == schemas
    assert readiness_tasks.send_reminders_everywhere.apply().get() == schemas
    Client.objects.filter(schema_name="lumiere").update(status=ClientStatus.ACTIVE)
    assert "lumiere" in tenant_schemas()


def test_no_task_waits_for_a_retry_longer_than_the_visibility_timeout_and_none_is_lost(worker):
    from permissions import tasks as permission_tasks  # noqa: F401 - registers the tasks
    from search import tasks as search_tasks  # noqa: F401

    ours = {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}
    assert "search.index_article" in ours and "permissions.tasks.expire_grants" in ours
    for name, task in ours.items():
        assert task.acks_late and task.reject_on_worker_lost, name
        if getattr(task, "autoretry_for", ()):
            assert task.retry_backoff_max < settings.CELERY_VISIBILITY_TIMEOUT, name
