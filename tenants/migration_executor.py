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

The schemas that have something to run usually all miss the same migrations (a deploy). Those
are migrated the lean way: the plan, the project state before it and the state after each
operation are computed **once**, then each of TENANT_MULTIPROCESSING_MAX_PROCESSES forked
processes takes a share of the schemas on **one** connection and, per schema, only sets the
search path, runs the operations' SQL and records the migrations (one transaction per migration,
as Django does). Django's `migrate` per schema (with a new connection each, the consistency and
autodetector checks, the state rendered again, the post-migrate signal) cost 0.46 s a schema
(bench_platform); none of it depends on the schema: the router still decides per schema which
operations run there (shared apps' migrations are only recorded). A schema whose records differ
from the rest, a plan that would go backwards or a squashed migration goes through
django-tenants' executors as before. Tenant schemas get no pre/post-migrate signal (content
types and permissions live in public, whose migration sends them).
"""

from __future__ import annotations

import functools
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


@functools.lru_cache(maxsize=1)
def _graph_nodes() -> frozenset[tuple[str, str]]:
    """Every migration on disk (read once per process: 0.5 s under load; creating a tenant asks)."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def schemas_with_pending_migrations(schemas: list[str]) -> list[str]:
    """Those of `schemas` whose django_migrations lacks some migration of the graph, in order."""
    return list(_pending_with_records(schemas))


def _pending_with_records(schemas: list[str]) -> dict[str, frozenset[tuple[str, str]] | None]:
    """The schemas with something to run, in order, each with its migration records (None: no
    migration table)."""
    wanted = _graph_nodes()
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
    has_table = set(with_table)
    return {s: (frozenset(applied.get(s, set())) if s in has_table else None)
            for s in schemas if not wanted <= applied.get(s, set())}


class PendingOnlyExecutor(MigrationExecutor):
    codename = "pending"

    def run_migrations(self, tenants=None):
        tenants = list(tenants or [])
        public = get_public_schema_name()
        verbose = int(self.options.get("verbosity", 1)) >= 1
        if self.options.get("app_label") or self.options.get("migration_name"):
            todo = tenants
            pending: dict[str, frozenset[tuple[str, str]] | None] = {}
        else:
            todo = [t for t in tenants if t == public]
            pending = _pending_with_records([t for t in tenants if t != public])
            todo += list(pending)
        if verbose:
            sys.stdout.write(f"[pending] {len(todo)} of {len(tenants)} schemas have migrations to run\n")
        if not todo:
            return
        if public in todo:
            StandardExecutor(self.args, self.options).run_migrations(tenants=[public])
            todo.remove(public)
        lean = _lean_group(pending) if not self.options.get("fake") and not self.options.get("fake_initial") else []
        migrated = lean_migrate(lean, verbose=verbose) if lean else None
        if migrated is not None:
            if verbose:
                sys.stdout.write(f"[pending] {len(lean)} schemas migrated the lean way ({migrated})\n")
            todo = [t for t in todo if t not in set(lean)]
        if not todo:
            return
        processes = getattr(settings, "TENANT_MULTIPROCESSING_MAX_PROCESSES", 2)
        inner = MultiprocessingExecutor if len(todo) > 1 and processes > 1 else StandardExecutor
        inner(self.args, self.options).run_migrations(tenants=todo)

    def run_multi_type_migrations(self, tenants=None):
        StandardExecutor(self.args, self.options).run_multi_type_migrations(tenants=tenants)


# -- the lean way ------------------------------------------------------------------------------

def _lean_group(pending: dict[str, frozenset[tuple[str, str]] | None]) -> list[str]:
    """The largest group of schemas that hold the same migration records (a migration table
    included), in order; [] when fewer than two schemas share them."""
    groups: dict[frozenset[tuple[str, str]], list[str]] = {}
    for schema, records in pending.items():
        if records:
            groups.setdefault(records, []).append(schema)
    best = max(groups.values(), key=len, default=[])
    return best if len(best) >= 2 else []


_PLAN: list = []  # [(migration, [(operation, state before, state after), ...]), ...], inherited by forks


def _prepare(schema: str) -> list | None:
    """The plan from `schema`'s records to the graph's leaves, each operation with its states;
    None when the lean way does not apply (backwards, a squashed migration)."""
    from django.db.migrations.executor import MigrationExecutor as DjangoExecutor

    connection.set_schema(schema)
    executor = DjangoExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan or any(backwards or migration.replaces for migration, backwards in plan):
        return None
    state = executor._create_project_state(with_applied_migrations=True)
    state.apps  # noqa: B018 - render the models once, before the clones
    steps = []
    for migration, _ in plan:
        operations = []
        for operation in migration.operations:
            before = state.clone()
            operation.state_forwards(migration.app_label, state)
            operations.append((operation, before, state.clone()))
        steps.append((migration, operations))
    connection.set_schema_to_public()
    return steps


def _apply(schema: str) -> None:
    from django.db import transaction
    from django.db.migrations.recorder import MigrationRecorder

    connection.set_schema(schema)
    recorder = MigrationRecorder(connection)
    for migration, operations in _PLAN:
        with connection.schema_editor(atomic=migration.atomic) as editor:
            for operation, before, after in operations:
                atomic_operation = operation.atomic or (migration.atomic and operation.atomic is not False)
                if not editor.atomic_migration and atomic_operation:
                    with transaction.atomic(connection.alias):
                        operation.database_forwards(migration.app_label, editor, before, after)
                else:
                    operation.database_forwards(migration.app_label, editor, before, after)
            recorder.record_applied(migration.app_label, migration.name)


def _apply_share(schemas: list[str]) -> int:
    """In a forked process: its share of the schemas, on one connection."""
    from django.db import connections

    try:
        for schema in schemas:
            _apply(schema)
    finally:
        connections.close_all()
    return len(schemas)


def lean_migrate(schemas: list[str], verbose: bool = False) -> str | None:
    """Migrate `schemas` (which hold the same records) the lean way; a short account, or None
    when the lean way does not apply (nothing was done)."""
    import multiprocessing

    from django.db import connections

    global _PLAN
    steps = _prepare(schemas[0])
    if steps is None:
        return None
    _PLAN = steps
    names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in steps)
    processes = max(1, min(int(getattr(settings, "TENANT_MULTIPROCESSING_MAX_PROCESSES", 2)), len(schemas)))
    try:
        if processes == 1:
            for schema in schemas:  # on this process's connection, which stays open
                _apply(schema)
        else:
            connections.close_all()  # the forks must not share the parent's connection
            shares = [schemas[i::processes] for i in range(processes)]
            with multiprocessing.get_context("fork").Pool(processes) as pool:
                pool.map(_apply_share, shares, 1)
    finally:
        _PLAN = []
        connection.set_schema_to_public()
    return f"{names}; {processes} processes"
