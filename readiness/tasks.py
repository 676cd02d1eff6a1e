"""Must-read reminders. Thin: the tenant in, `readiness.services` does the work."""

from __future__ import annotations

from tenants.tasking import every_tenant, tenant_task

from . import services


@tenant_task(name="readiness.send_reminders")
def send_reminders_task(schema_name: str) -> int:
    """Idempotent: a reminder is recorded (unique per person, must-read and reason) in the
    transaction that queues its mail, so a task run twice sends nothing twice."""
    return services.reminders_send()


# Beat, every 15 minutes: one reminder sweep per client tenant in service, its schema named.
send_reminders_everywhere = every_tenant(send_reminders_task, name="readiness.send_reminders_everywhere")
