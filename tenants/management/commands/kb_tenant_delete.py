"""Delete a suspended client: its public rows and its schema; the platform log keeps the record
(tenants.lifecycle.client_delete). Export it first (kb_tenant_export) if it is to be kept."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from audit.services import Channel
from tenants import lifecycle
from tenants.models import Client


class Command(BaseCommand):
    help = "Delete a suspended client for good: schema dropped, public rows removed, deletion logged."

    def add_arguments(self, parser):
        parser.add_argument("schema", help="the client's schema name")
        parser.add_argument("--confirm", required=True, help="the schema name again")

    def handle(self, *args, **options):
        client = Client.objects.filter(schema_name=options["schema"]).first()
        if client is None:
            raise CommandError(f"no client with schema {options['schema']!r}")
        try:
            event = lifecycle.client_delete(client=client, confirm=options["confirm"], channel=Channel.COMMAND)
        except lifecycle.LifecycleError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"deleted {event.schema_name} ({event.client_name}): {event.detail}")
