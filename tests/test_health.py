from __future__ import annotations

import pytest
from celery.contrib.testing.worker import start_worker
from django.test import Client as HttpClient

from kbportal.celery import app


@pytest.mark.parametrize("hostname", ["kb.localhost", "acme.kb.localhost", "127.0.0.1"])
def test_healthz_reports_each_service_on_any_host(world, hostname):
    response = HttpClient().get("/healthz", HTTP_HOST=hostname)
    data = response.json()
    assert data["database"] == "ok" and data["redis"] == "ok"
    assert set(data) == {"status", "database", "redis", "celery"}
    assert response.status_code == (200 if data["celery"] == "ok" else 503)


def test_healthz_is_200_only_with_a_worker_up(django_db_setup, django_db_blocker):
    # No test transaction here: the in-process worker closes database connections when it
    # starts, which a test transaction would not survive (a real worker is another process).
    with django_db_blocker.unblock():
        with start_worker(app, pool="threads", concurrency=1, perform_ping_check=False):
            up = HttpClient().get("/healthz", HTTP_HOST="kb.localhost")
        down = HttpClient().get("/healthz", HTTP_HOST="kb.localhost")
    assert up.status_code == 200, up.json()
    assert down.status_code == 503
    assert down.json()["celery"].startswith("error")


def test_healthz_says_what_is_down_when_redis_is_unreachable(world, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = HttpClient().get("/healthz", HTTP_HOST="kb.localhost")
    assert response.status_code == 503
    assert response.json()["redis"] == "error: broker ConnectionError"
    assert response.json()["celery"] == "error: broker down"


def test_healthz_names_the_cache_when_only_the_cache_is_unreachable(world, settings):
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}}
    response = HttpClient().get("/healthz", HTTP_HOST="kb.localhost")
    assert response.status_code == 503
    assert response.json()["redis"] == "error: cache ConnectionError"
    assert response.json()["celery"] != "error: broker down"  # the broker is up: the worker is asked
