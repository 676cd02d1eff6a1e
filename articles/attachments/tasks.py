"""The sweep of uploads nothing uses and of stored bytes without a row (Celery beat, hourly)."""

from __future__ import annotations

from celery import shared_task
from django.db import connection
from django_tenants.utils import get_public_schema_name, get_tenant_model

from tenants.tasking import enqueue, tenant_task

from . import services


@tenant_task
def sweep_attachments(schema_name: str) -> dict:
    report = services.sweep()
    return {"rows": report.rows, "orphans": report.orphans}


@shared_task
def sweep_attachments_everywhere() -> int:
    """Beat entry point: one tenant task per tenant, each naming its schema."""
    connection.set_schema_to_public()
    schemas = list(get_tenant_model().objects.exclude(schema_name=get_public_schema_name())
                   .values_list("schema_name", flat=True))
    for schema in schemas:
        enqueue(sweep_attachments, schema)
    return len(schemas)
