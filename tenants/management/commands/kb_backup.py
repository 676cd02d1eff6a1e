"""Back up the whole database (every tenant's schema, the template and public) with pg_dump."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from tenants import backup


class Command(BaseCommand):
    help = "Dump the whole database (pg_dump, custom format). Run as the owner role."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="The file to write (default: backups/kbportal-<UTC time>.dump).")

    def handle(self, *args, **options):
        output = Path(options["output"] or f"backups/kbportal-{timezone.now():%Y%m%dT%H%M%SZ}.dump")
        backup.backup(output)
        self.stdout.write(f"Backup written to {output} (taken at {backup.backup_time(output):%Y-%m-%d %H:%M:%S} UTC).")
