"""Must-read reminders. Thin: the tenant in, `readiness.services` does the work."""

from __future__ import annotations

from celery import shared_task
from django.db import connection
from django_tenants.utils import get_public_schema_name, get_tenant_model

from kbportal.tasking import RETRY_OPTIONS, tenant_task

from . import services


@tenant_task(name="readiness.send_reminders")
def send_reminders_task(schema_name: str) -> int:
    """Idempotent: a reminder is recorded (unique per person, must-read and reason) in the
    transaction that queues its mail, so a task run twice sends nothing twice."""
    return services.reminders_send()


@shared_task(name="readiness.send_reminders_everywhere", **{k: v for k, v in RETRY_OPTIONS.items() if k != "throws"})
def send_reminders_everywhere() -> list[str]:
    """Beat, every 15 minutes: one reminder sweep per tenant, each with its schema named."""
    connection.set_schema_to_public()
    schemas = list(
        get_tenant_model().objects.exclude(schema_name=get_public_schema_name()).values_list("schema_name", flat=True)
    )
    for schema_name in schemas:
        send_reminders_task.delay(schema_name)
    return schemas
