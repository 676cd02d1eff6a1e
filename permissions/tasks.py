"""Grant tasks. Thin: the tenant in, `permissions.services` does the work."""

from __future__ import annotations

from tenants.tasking import every_tenant, tenant_task

from . import services


@tenant_task
def expire_grants(schema_name: str) -> int:
    return services.grants_expire_sweep()


# Beat, every 15 minutes: one `expire_grants` per client tenant, each naming its schema.
expire_grants_everywhere = every_tenant(expire_grants, name="permissions.tasks.expire_grants_everywhere")
