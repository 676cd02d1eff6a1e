"""Write everything a client owns to one zip (tenants.lifecycle.client_export): its knowledge base
as Markdown, every table of its schema as JSON lines (the audit log among them), its public rows."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit.services import Channel
from tenants import lifecycle
from tenants.models import Client


class Command(BaseCommand):
    help = "Export a client's content, audit log and public rows as one zip."

    def add_arguments(self, parser):
        parser.add_argument("schema", help="the client's schema name")
        parser.add_argument("--output", type=Path, help="the zip to write (default: exports/<schema>-<time>.zip)")

    def handle(self, *args, **options):
        from django.utils import timezone

        client = Client.objects.filter(schema_name=options["schema"]).first()
        if client is None:
            raise CommandError(f"no client with schema {options['schema']!r}")
        output = options["output"] or Path("exports") / f"{client.schema_name}-{timezone.now():%Y%m%dT%H%M%SZ}.zip"
        try:
            data, summary = lifecycle.client_export(client=client, channel=Channel.COMMAND)
        except lifecycle.LifecycleError as exc:
            raise CommandError(str(exc)) from exc
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
        self.stdout.write(f"{output} bytes={summary['bytes']} sha256={summary['sha256']} "
                          f"articles={summary['articles']} audit_events={summary['audit_events']}")
