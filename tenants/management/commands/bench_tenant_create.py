"""Measure the time to create one client tenant: schema cloned from the template (what
kbportal does) against running every migration (django-tenants' default)."""

from __future__ import annotations

import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import override_settings

from tenants.models import Client


class Command(BaseCommand):
    help = "Create and drop throwaway tenants, printing the time each creation path takes."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=5)

    def _create(self, schema: str) -> float:
        started = time.perf_counter()
        client = Client(schema_name=schema, name=schema)
        client.save(verbosity=0)
        elapsed = time.perf_counter() - started
        client.delete(force_drop=True)
        connection.set_schema_to_public()
        return elapsed

    def handle(self, *args, **options):
        runs = options["runs"]
        cloned = [self._create(f"bench_clone_{i}") for i in range(runs)]
        with override_settings(TENANT_CREATION_FAKES_MIGRATIONS=False):
            migrated = [self._create(f"bench_migrate_{i}") for i in range(runs)]
        self.stdout.write(
            f"tenant-create runs={runs} template={settings.TENANT_BASE_SCHEMA} "
            f"clone_median_s={statistics.median(cloned):.3f} clone_max_s={max(cloned):.3f} "
            f"migrate_median_s={statistics.median(migrated):.3f} migrate_max_s={max(migrated):.3f}"
        )
