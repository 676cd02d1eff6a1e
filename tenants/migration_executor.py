"""`migrate_schemas --executor=pending`: run migrations only in the schemas that have some to run.

django-tenants runs Django's whole `migrate` in every schema, even with nothing to do: loading
the graph, rendering the project state twice and the post-migrate signal cost about 2 s a schema
on our 2 shared cores (bench_platform), so a no-op deploy at 1,000 tenants took over half an hour.
This executor first reads every schema's `django_migrations` in one query per batch of schemas
and compares it with the migration graph; schemas that have applied every migration are skipped,
the others go to django-tenants' multiprocessing executor (TENANT_MULTIPROCESSING_MAX_PROCESSES)
or, for one schema, its standard one. A schema it is unsure of (no migration table, a squashed
migration recorded under its old names) is migrated: a false "pending" costs time, never a skip.
A run aimed at a given app or migration (`migrate_schemas articles 0003`, which may go
backwards) is never filtered.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django_tenants.migration_executors.base import MigrationExecutor
from django_tenants.migration_executors.multiproc import MultiprocessingExecutor
from django_tenants.migration_executors.standard import StandardExecutor
from django_tenants.utils import get_public_schema_name
from psycopg import sql

BATCH = 200


def schemas_with_pending_migrations(schemas: list[str]) -> list[str]:
    """Those of `schemas` whose django_migrations lacks some migration of the graph, in order."""
    wanted = set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)
    applied: dict[str, set[tuple[str, str]]] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace n JOIN pg_class c ON c.relnamespace = n.oid "
                       "WHERE c.relname = 'django_migrations' AND c.relkind = 'r' AND n.nspname = ANY(%s)", [schemas])
        with_table = [name for (name,) in cursor.fetchall()]
        for start in range(0, len(with_table), BATCH):
            batch = with_table[start:start + BATCH]
            query = sql.SQL(" UNION ALL ").join(
                sql.SQL("SELECT {}::text, app, name FROM {}.django_migrations").format(sql.Literal(s), sql.Identifier(s))
                for s in batch)
            cursor.execute(query)
            for schema, app, name in cursor.fetchall():
                applied.setdefault(schema, set()).add((app, name))
    return [s for s in schemas if not wanted <= applied.get(s, set())]


class PendingOnlyExecutor(MigrationExecutor):
    codename = "pending"

    def run_migrations(self, tenants=None):
        tenants = list(tenants or [])
        public = get_public_schema_name()
        if self.options.get("app_label") or self.options.get("migration_name"):
            todo = tenants
        else:
            todo = [t for t in tenants if t == public]
            todo += schemas_with_pending_migrations([t for t in tenants if t != public])
        if int(self.options.get("verbosity", 1)) >= 1:
            sys.stdout.write(f"[pending] {len(todo)} of {len(tenants)} schemas have migrations to run\n")
        if not todo:
            return
        processes = getattr(settings, "TENANT_MULTIPROCESSING_MAX_PROCESSES", 2)
        inner = MultiprocessingExecutor if len(todo) > 1 and processes > 1 else StandardExecutor
        inner(self.args, self.options).run_migrations(tenants=todo)

    def run_multi_type_migrations(self, tenants=None):
        StandardExecutor(self.args, self.options).run_multi_type_migrations(tenants=tenants)
