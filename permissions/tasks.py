from __future__ import annotations

from celery import shared_task
from django.db import connection
from django_tenants.utils import get_public_schema_name, get_tenant_model

from kbportal.tasking import tenant_task

from . import services


@tenant_task
def expire_grants(schema_name: str) -> int:
    return services.grants_expire_sweep()


@shared_task
def expire_grants_everywhere() -> int:
    """Beat entry point: fans out one tenant task per tenant, each naming its schema."""
    connection.set_schema_to_public()
    schemas = get_tenant_model().objects.exclude(schema_name=get_public_schema_name()).values_list("schema_name", flat=True)
    for schema in schemas:
        expire_grants.delay(schema)
    return len(schemas)
