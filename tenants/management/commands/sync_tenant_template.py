"""Create (or bring up to date) the template schema new tenants are cloned from."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django_tenants.utils import schema_exists


class Command(BaseCommand):
    help = "Create or migrate the tenant template schema (settings.TENANT_BASE_SCHEMA)."

    def handle(self, *args, **options):
        schema = settings.TENANT_BASE_SCHEMA
        if not schema_exists(schema):
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE SCHEMA "{schema}"')
        call_command(
            "migrate_schemas", tenant=True, schema_name=schema, interactive=False,
            verbosity=max(0, options["verbosity"] - 1),
        )
        connection.set_schema_to_public()
        self.stdout.write(f"Tenant template schema {schema!r} is up to date.")
