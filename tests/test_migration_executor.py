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
