"""Tenant tasks through a real worker and the real Redis broker."""

from __future__ import annotations

import time
import uuid

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection

from articles.models import Collection
from kbportal.celery import app
from kbportal.tasking import TenantRequired, enqueue_on_commit, tenant_task
from tenants.models import Client


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
