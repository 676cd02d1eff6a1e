"""`GET /healthz`: the state of the database, Redis and the Celery worker, as JSON; 200 only
when all are up (a monitoring check: with Redis or the worker down the site keeps answering)."""

from __future__ import annotations

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return f"error: {exc.__class__.__name__}"


def _ping(url: str) -> str:
    try:
        redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1).ping()
        return "ok"
    except Exception as exc:  # noqa: BLE001
        return exc.__class__.__name__


def _redis() -> str:
    """Every Redis the site uses, the cache's and the broker's (one in production, REDIS_URL):
    "ok", or which of them is unreachable."""
    uses = {"cache": settings.CACHES["default"]["LOCATION"], "broker": settings.CELERY_BROKER_URL}
    answers: dict[str, str] = {}
    down = []
    for use, url in uses.items():
        if not url.startswith(("redis://", "rediss://", "unix://")):
            continue
        answers.setdefault(url, _ping(url))
        if answers[url] != "ok":
            down.append(f"{use} {answers[url]}")
    return f"error: {', '.join(down)}" if down else "ok"


def _celery() -> str:
    from kbportal.celery import app

    try:
        replies = app.control.ping(timeout=1.0)
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"
    return "ok" if replies else "error: no worker answered"


def healthz(request) -> JsonResponse:
    checks = {"database": _database(), "redis": _redis()}
    checks["celery"] = "error: broker down" if "broker" in checks["redis"] else _celery()
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
