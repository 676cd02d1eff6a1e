"""Rebuild the search index: `manage.py reindex [--tenant SCHEMA]`."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django_tenants.utils import get_public_schema_name, get_tenant_model

from search import indexing


class Command(BaseCommand):
    help = (
        "Re-index every published article of one tenant (--tenant) or of all tenants. Each tenant's"
        " index is replaced in one transaction: interrupted, it keeps its old index."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tenant", help="schema name of the tenant (default: every tenant)")

    def handle(self, *args, **options):
        tenants = get_tenant_model().objects.exclude(schema_name=get_public_schema_name()).order_by("schema_name")
        if options["tenant"]:
            tenants = tenants.filter(schema_name=options["tenant"])
            if not tenants:
                raise CommandError(f"No tenant {options['tenant']!r}.")
        for tenant in tenants:
            connection.set_tenant(tenant)
            started = time.perf_counter()

            def progress(done: int, total: int, schema=tenant.schema_name, started=started) -> None:
                width = 30
                filled = width * done // max(total, 1)
                rate = done / max(time.perf_counter() - started, 1e-6)
                self.stdout.write(
                    f"\r{schema}: [{'#' * filled}{'.' * (width - filled)}] {done}/{total} ({rate:.0f}/s)", ending=""
                )
                self.stdout.flush()

            failures: list[indexing.Failure] = []
            count = indexing.rebuild(progress=progress, failures=failures)
            self.stdout.write(f"\r{tenant.schema_name}: {count} articles indexed in {time.perf_counter() - started:.1f}s".ljust(70))
            if failures:
                self.stderr.write(
                    f"{tenant.schema_name}: {len(failures)} could not be indexed: "
                    + ", ".join(str(f.article_id) for f in failures)
                )
                for failure in failures:
                    self.stderr.write(f"  article {failure.article_id} (revision {failure.revision_id}): {failure.error}")
        connection.set_schema_to_public()
