"""Sending a task to the broker, best effort: the bottom layer, under every app.

`enqueue` gives up after a short, configured time (settings: ENQUEUE_TIMEOUT_SECONDS, the
publish retry policy) when the broker is unreachable, logs it and returns False, and never fails
the request that sent it: only for work that a reconciliation or a sweep also finds.
`enqueue_on_commit` does it once the surrounding transaction commits, with the current tenant's
schema first. Nothing here knows about tenants or apps (only the connection's schema name), so
the lowest apps (outbox) send tasks too; `tenants.tasking` re-exports these for the task layer.
"""

from __future__ import annotations

import logging
from typing import Any

import kombu.exceptions
import redis.exceptions
from django.db import connection, transaction

logger = logging.getLogger(__name__)
# The default connection, as django-tenants' wrapper (its schema attributes are not in django-stubs).
db: Any = connection

# What an unreachable or hanging broker raises at the sender (kombu wraps most of it).
BROKER_UNAVAILABLE: tuple[type[BaseException], ...] = (
    kombu.exceptions.OperationalError, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError,
)


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
    schema_name = db.schema_name
    transaction.on_commit(lambda: enqueue(task, schema_name, *args, **kwargs))
