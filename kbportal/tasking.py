"""Tenant-explicit Celery tasks.

Every task that reads or writes tenant data takes the tenant's schema name as its first
argument, in the JSON payload, and checks it before doing anything: an unknown schema or
`public` is refused, so a task enqueued from beat or a shell cannot silently run against the
public schema. The worker switches its connection to that tenant for the duration of the task
and back to public afterwards, whatever happens.

Why not tenant-schemas-celery: it infers the tenant from the connection at enqueue time and
carries it in a hidden header, so a task sent from beat or from code that forgot to switch
runs in `public` without complaint. Here the tenant is part of the task's signature.

Sending is best effort, finding is not: `enqueue` gives up after a short, configured time
(settings: ENQUEUE_TIMEOUT_SECONDS, the publish retry policy) when the broker is unreachable,
logs it and returns False, and never fails the request that sent it. Every task is idempotent
and its work is also found by a reconciliation (search: `search.reconcile_search_index`, every
5 minutes and each time a worker (re)connects to the broker, see kbportal.celery), so a task
that could not be sent, or was lost with a Redis that restarted empty, is done later, not never.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

import redis.exceptions
from celery import shared_task
from django.db import connection, transaction
from django_tenants.utils import get_public_schema_name, get_tenant_model
from kombu.exceptions import OperationalError


class TenantRequired(ValueError):
    """A tenant task was called without a valid tenant schema."""


logger = logging.getLogger(__name__)

# What an unreachable or hanging broker raises at the sender (kombu wraps most of it).
BROKER_UNAVAILABLE = (OperationalError, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError,
                      ConnectionError, TimeoutError, OSError)

# Retries declared once for every tenant task; expected errors are not retried. A retry waits
# (holding its message) at most 20 s: less than the visibility timeout, after which the broker
# would hand the same message to another worker as well.
RETRY_OPTIONS: dict[str, Any] = {
    "autoretry_for": (ConnectionError, TimeoutError, OSError),
    "retry_backoff": True,
    "retry_backoff_max": 20,
    "retry_jitter": True,
    "max_retries": 8,
    "acks_late": True,
    "throws": (TenantRequired,),
}


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
            connection.set_schema_to_public()
            tenant = resolve_tenant(schema_name)
            connection.set_tenant(tenant)
            try:
                return fn(schema_name, *args, **kwargs)
            finally:
                connection.set_schema_to_public()

        return shared_task(**{**RETRY_OPTIONS, **options})(run)

    return decorate(func) if func is not None else decorate


def enqueue(task: Any, *args: Any, **kwargs: Any) -> bool:
    """Send `task` now; False (logged) when the broker cannot take it within the configured time.
    Only for work that a reconciliation also finds: nothing is retried or stored here."""
    try:
        task.delay(*args, **kwargs)
    except BROKER_UNAVAILABLE as exc:
        logger.warning("Could not enqueue %s%r (%s: %s); reconciliation will do it once the broker is back.",
                       task.name, args, exc.__class__.__name__, exc)
        return False
    return True


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Send `task` with the current tenant's schema once the surrounding transaction commits
    (best effort, see `enqueue`: the request that committed never fails because of it)."""
    schema_name = connection.schema_name
    transaction.on_commit(lambda: enqueue(task, schema_name, *args, **kwargs))
