"""`migrate_schemas --executor=pending` (tenants.migration_executor) skips only the schemas that
have applied every migration of the graph, and tenant creation skips its fake migrate only then."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.db import connection

from tenants import services
from tenants.migration_executor import schemas_with_pending_migrations


def test_a_schema_missing_one_migration_record_or_its_table_is_pending(world):
    services.client_create(schema_name="pendingx", name="Pending X")
    assert schemas_with_pending_migrations(["acme", "lumiere", "pendingx"]) == []
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM pendingx.django_migrations WHERE app = 'articles' AND name LIKE '0001%'")
        assert cursor.rowcount == 1
    assert schemas_with_pending_migrations(["acme", "pendingx", "lumiere"]) == ["pendingx"]
    # A schema with no migration table at all (or none at all) is never taken for up to date.
    assert schemas_with_pending_migrations(["no_such_schema", "acme"]) == ["no_such_schema"]


def test_a_no_op_deploy_runs_no_migrate_at_all(world, capsys):
    from django_tenants.signals import schema_pre_migration

    started: list[str] = []

    def seen(sender, schema_name, **kwargs):
        started.append(schema_name)

    schema_pre_migration.connect(seen)
    try:
        call_command("migrate_schemas", tenant=True, executor="pending", interactive=False, stdout=io.StringIO())
    finally:
        schema_pre_migration.disconnect(seen)
    assert started == []
    assert "[pending] 0 of " in capsys.readouterr().out


def test_the_derivations_migration_replaces_its_public_function_one_schema_at_a_time(db):
    """search 0006 runs in every tenant schema and replaces one function in public; the pending
    executor runs schemas in parallel, and two transactions replacing it at once fail ("tuple
    concurrently updated"). Its first statement takes an advisory lock held until its commit."""
    import importlib

    from tests.conftest import owner_connection

    migration = importlib.import_module("search.migrations.0006_search_derivations")
    key = migration.DERIVES_LOCK_KEY
    with owner_connection() as first, owner_connection() as second:
        with first.transaction():
            first.execute(migration.DERIVES_SQL)
            # Another schema's migration waits: the lock is not to be had while this one runs.
            assert second.execute("SELECT pg_try_advisory_xact_lock(%s)", [key]).fetchone() == (False,)
        # Committed: the next schema's migration takes it and replaces the function in turn.
        with second.transaction():
            assert second.execute("SELECT pg_try_advisory_xact_lock(%s)", [key]).fetchone() == (True,)
            second.execute(migration.DERIVES_SQL)



LEAN = """
import io, json
from django.core.management import call_command
from django.db import connection
from tenants import services
from tenants.migration_executor import schemas_with_pending_migrations
from tenants.models import Client
made = ["leanx", "leany", "leanz"]
try:
    for schema in made:
        services.client_create(schema_name=schema, name=schema)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {schema}.search_indexfailure")
            cursor.execute(f"ALTER TABLE {schema}.search_querylog DROP COLUMN opened_article_id, DROP COLUMN opened_at")
            cursor.execute(f"DELETE FROM {schema}.django_migrations WHERE app = 'search' AND name IN "
                           "('0005_index_index_failures', '0006_search_derivations', '0007_dashboard_opened_result')")
    connection.set_schema_to_public()
    before = schemas_with_pending_migrations(made)
    out = io.StringIO()
    call_command("migrate_schemas", tenant=True, executor="pending", interactive=False, stdout=out)
    after = schemas_with_pending_migrations(made)
    tables = []
    with connection.cursor() as cursor:
        for schema in made:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [schema + ".search_indexfailure"])
            tables.append(cursor.fetchone()[0])
finally:
    connection.set_schema_to_public()
    for client in Client.objects.filter(schema_name__in=made):
        client.delete(force_drop=True)
print(json.dumps({"before": before, "after": after, "tables": tables}))
"""


def test_schemas_missing_the_same_migrations_are_migrated_the_lean_way(django_db_setup, capfd):
    """The plan and its states computed once, then, in two forked processes, per schema only the
    operations' SQL and the records: a model created again (search 0005), a RunSQL (0006) and two
    added columns (0007).
    As the owner, in a process of its own (DDL), on the session's database."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    from django.conf import settings

    root = Path(__file__).resolve().parent.parent
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "KB_APP_DB_ROLE", "DATABASE_OWNER_URL")}
    env.update(DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{settings.DATABASES['default']['NAME']}",
               DJANGO_SETTINGS_MODULE="kbportal.settings.test", TENANT_MULTIPROCESSING_MAX_PROCESSES="2")
    done = subprocess.run([sys.executable, "manage.py", "shell", "-c", LEAN], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["before"] == ["leanx", "leany", "leanz"]
    assert found["after"] == [] and found["tables"] == [True, True, True]
    assert ("3 schemas migrated the lean way (search.0005_index_index_failures, search.0006_search_derivations, "
            "search.0007_dashboard_opened_result; 2 processes)") in done.stdout
