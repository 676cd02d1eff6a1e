"""Moved to `tenants.tasking` (tenants is the bottom layer, and every app declares tasks).

This module re-exports it for one session, for branches written before the move; import
`tenants.tasking` in new code. It goes, with its import-linter exception, once nothing imports it.
"""

from tenants.tasking import (  # noqa: F401
    BROKER_UNAVAILABLE,
    DATABASE_ERRORS,
    DURABLE_OPTIONS,
    RETRY_OPTIONS,
    TENANT_TASK_OPTIONS,
    TRANSIENT_ERRORS,
    TenantRequired,
    enqueue,
    enqueue_on_commit,
    every_tenant,
    fan_out,
    resolve_tenant,
    tenant_schemas,
    tenant_task,
)

__all__ = [
    "BROKER_UNAVAILABLE", "DATABASE_ERRORS", "DURABLE_OPTIONS", "RETRY_OPTIONS", "TENANT_TASK_OPTIONS",
    "TRANSIENT_ERRORS", "TenantRequired", "enqueue", "enqueue_on_commit", "every_tenant", "fan_out",
    "resolve_tenant", "tenant_schemas", "tenant_task",
]
