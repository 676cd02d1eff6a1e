"""Set a client's life-cycle status: active, read-only (people read, nobody writes) or suspended
(nobody gets in). Recorded in the platform log (tenants.lifecycle)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from audit.services import Channel
from tenants import lifecycle
from tenants.models import Client, ClientStatus


class Command(BaseCommand):
    help = "Make a client active, read-only or suspended."

    def add_arguments(self, parser):
        parser.add_argument("schema", help="the client's schema name")
        parser.add_argument("status", choices=[str(s) for s in ClientStatus])

    def handle(self, *args, **options):
        client = Client.objects.filter(schema_name=options["schema"]).first()
        if client is None:
            raise CommandError(f"no client with schema {options['schema']!r}")
        try:
            lifecycle.client_status_set(client=client, status=options["status"], channel=Channel.COMMAND)
        except lifecycle.LifecycleError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{client.schema_name}: {client.status}")
