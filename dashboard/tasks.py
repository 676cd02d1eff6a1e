"""The weekly summary. Thin: the tenant in, `dashboard.services` does the work."""

from __future__ import annotations

from tenants.tasking import every_tenant, tenant_task

from . import rollup, services


@tenant_task(name="dashboard.send_summaries")
def send_summaries_task(schema_name: str) -> int:
    return services.summaries_send()


# Beat, Monday 06:00: one summary run per client tenant in service.
send_summaries_everywhere = every_tenant(send_summaries_task, name="dashboard.send_summaries_everywhere")


@tenant_task(name="dashboard.roll_lookups")
def roll_lookups_task(schema_name: str) -> int:
    return rollup.lookups_roll()


# Beat, nightly: the search-success rollup of the days that became final (dashboard.rollup).
roll_lookups_everywhere = every_tenant(roll_lookups_task, name="dashboard.roll_lookups_everywhere")
