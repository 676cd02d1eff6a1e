"""Tenant-explicit Celery tasks.

Every task that reads or writes tenant data takes the tenant's schema name as its first
argument, in the JSON payload, and checks it before doing anything: an unknown schema or
`public` is refused, so a task enqueued from beat or a shell cannot silently run against the
public schema. The task runs with the connection switched to that tenant, and the connection
is given back in the tenant it was in before (the worker's `public`, or the schema of the code
that called the task synchronously), whatever happens.

Why not tenant-schemas-celery: it infers the tenant from the connection at enqueue time and
carries it in a hidden header, so a task sent from beat or from code that forgot to switch
runs in `public` without complaint. Here the tenant is part of the task's signature.

What fails is retried, boundedly: the errors that actually happen to a task (the database
went away or restarted: `OperationalError`, `InterfaceError`; Redis or the broker is
unreachable: redis and kombu connection errors; any `OSError`) are retried with exponential
backoff and jitter, at most `RETRY_OPTIONS["max_retries"]` times. A broken database connection is
closed by Celery's Django fix-up after the task (and any unusable one before each task), so the
retry opens a new one. Expected errors (`TenantRequired`, a bug's
`TypeError`...) are not retried.

Work that must not be lost: tasks are acknowledged when done (`acks_late`) and put back when the
process running them dies (`reject_on_worker_lost`), so every task must be idempotent. When a
whole worker dies, the broker hands its unacknowledged tasks to another worker after the Redis
`visibility_timeout` (settings: CELERY_VISIBILITY_TIMEOUT): no task may run, or wait for a
retry, longer than that, or it is handed out twice (harmless, since idempotent, but wasted).
A task that can take longer does a bounded share and sends itself for the rest (see
`search.tasks.reconcile_tenant_task`).

Sending is best effort, finding is not: `enqueue` (from `broker`, re-exported here) gives up after a short, configured time
(settings: ENQUEUE_TIMEOUT_SECONDS, the publish retry policy) when the broker is unreachable,
logs it and returns False, and never fails the request that sent it. Every task is idempotent
and its work is also found by a reconciliation (search: `search.reconcile_search_index`, every
5 minutes and each time a worker (re)connects to the broker, see kbportal.celery), so a task
that could not be sent, or was lost with a Redis that restarted empty, is done later, not never.

Periodic work over every tenant: `every_tenant(task, name=...)` declares the beat entry point
that sends `task` once per client tenant (`fan_out`), never to `public` or the template schema.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, connection
from django.db import OperationalError as DatabaseOperationalError
from django_tenants.utils import get_public_schema_name, get_tenant_model

# The broker helpers sit in the bottom layer (`broker`), for the apps below tenants (outbox);
# re-exported here, where the task layer finds them.
from broker import BROKER_UNAVAILABLE, enqueue, enqueue_on_commit


class TenantRequired(ValueError):
    """A tenant task was called without a valid tenant schema."""


# The default connection, as django-tenants' wrapper (its schema attributes are not in django-stubs).
db: Any = connection

# What a task meets when a service it needs is away for a moment: the database (Django wraps
# psycopg's errors: a restart, a terminated backend, a lock or serialization failure), Redis
# (the cache, a lock) or the broker; socket errors (`ConnectionError`, `TimeoutError`) are `OSError`.
DATABASE_ERRORS: tuple[type[BaseException], ...] = (DatabaseOperationalError, InterfaceError)
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = DATABASE_ERRORS + BROKER_UNAVAILABLE

# Declared once for every tenant task (a task may override any of them). A retry waits at most
# 20 s (retry_backoff_max), holding its message: less than the visibility timeout (30 s), after
# which the broker would hand the same message to another worker as well. Eight retries back
# off 1, 2, 4, 8, 16, 20, 20, 20 s (with jitter, at most): a task gives up after about 90 s.
RETRY_OPTIONS: dict[str, Any] = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 20,
    "retry_jitter": True,
    "max_retries": 8,
}
# Acknowledged when done, and put back when the process running it dies: nothing is lost, so
# every task must be idempotent (also the global defaults in settings: CELERY_TASK_ACKS_LATE),
# and bounded: a task that kills its process every time (memory) would come back every time.
DURABLE_OPTIONS: dict[str, Any] = {"acks_late": True, "reject_on_worker_lost": True}
TENANT_TASK_OPTIONS: dict[str, Any] = {**RETRY_OPTIONS, **DURABLE_OPTIONS, "throws": (TenantRequired,)}


def resolve_tenant(schema_name: Any):
    if not isinstance(schema_name, str) or not schema_name:
        raise TenantRequired("A tenant task needs the tenant's schema name as first argument.")
    if schema_name == get_public_schema_name():
        raise TenantRequired("Refusing to run a tenant task in the public schema.")
    try:
        return get_tenant_model().objects.get(schema_name=schema_name)
    except get_tenant_model().DoesNotExist as exc:
        raise TenantRequired(f"Unknown tenant schema {schema_name!r}.") from exc


def tenant_task(func: Callable | None = None, **options: Any):
    """Declare a Celery task whose first argument is the tenant schema name."""

    def decorate(fn: Callable) -> Any:
        @functools.wraps(fn)
        def run(schema_name: str, *args: Any, **kwargs: Any) -> Any:
            previous, include_public = db.tenant, db.include_public_schema
            try:
                db.set_schema_to_public()
                db.set_tenant(resolve_tenant(schema_name))
                return fn(schema_name, *args, **kwargs)
            finally:
                if previous is None:
                    db.set_schema_to_public()
                else:
                    db.set_tenant(previous, include_public=include_public)

        return shared_task(**{**TENANT_TASK_OPTIONS, **options})(run)

    return decorate(func) if func is not None else decorate


def tenant_schemas() -> list[str]:
    """The schema of every client tenant in service, in order: never `public`, never the
    template, never a suspended client (tenants.lifecycle: nobody may use it, so no sweep, digest
    or reminder is sent for it; its work is found again when it is restored)."""
    from .models import ClientStatus

    return list(
        get_tenant_model().objects
        .exclude(schema_name__in=[get_public_schema_name(), settings.TENANT_BASE_SCHEMA])
        .exclude(status=ClientStatus.SUSPENDED)
        .order_by("schema_name").values_list("schema_name", flat=True)
    )


def fan_out(task: Any, *args: Any, **kwargs: Any) -> list[str]:
    """Send the tenant task `task` once for every client tenant, its schema first. A broker that
    fails midway raises (the caller, a task, is retried: tenant tasks are idempotent, so the
    tenants already reached may get it twice, none gets it never). Returns the schemas."""
    schemas = tenant_schemas()
    for schema_name in schemas:
        task.delay(schema_name, *args, **kwargs)
    return schemas


def every_tenant(task: Any, *, name: str, **options: Any) -> Any:
    """Declare the task (a beat entry point, a reconnection sweep) that sends the tenant task
    `task`, which takes no argument but the schema, to every client tenant."""

    def run() -> list[str]:
        """Send the tenant task to every client tenant; returns their schemas."""
        return fan_out(task)

    return shared_task(name=name, **{**RETRY_OPTIONS, **DURABLE_OPTIONS, **options})(run)


__all__ = [
    "BROKER_UNAVAILABLE", "DATABASE_ERRORS", "DURABLE_OPTIONS", "RETRY_OPTIONS", "TENANT_TASK_OPTIONS",
    "TRANSIENT_ERRORS", "TenantRequired", "enqueue", "enqueue_on_commit", "every_tenant", "fan_out",
    "resolve_tenant", "tenant_schemas", "tenant_task",
]
