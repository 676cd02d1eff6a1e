"""New tenants are made from a snapshot of the template's DDL (tenants.template_snapshot), not
by django-tenants' clone whose cost grows with every tenant: the snapshot's schema must be the
clone's, object for object, and a template migrated since the snapshot must fall back to the
clone rather than make a stale tenant."""

from __future__ import annotations

import contextlib

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from tenants import services
from tenants.template_snapshot import PLACEHOLDER, SCHEMA, TABLE, statements

from .conftest import APP_ROLE, owner_connection

pytestmark = pytest.mark.skipif(not APP_ROLE, reason="KB_TEST_APP_ROLE is empty: no owner's function")

CATALOGUE = {
    "columns": """SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity,
                         replace(coalesce(pg_get_expr(d.adbin, d.adrelid), ''), %(schema)s, 'S')
                  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                  WHERE c.relnamespace = %(schema)s::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
                    AND c.relkind IN ('r', 'p', 'v', 'm')""",
    "relations": """SELECT relname, relkind, coalesce(reloptions, '{}'), relpersistence FROM pg_class
                    WHERE relnamespace = %(schema)s::regnamespace""",
    "indexes": "SELECT indexname, replace(indexdef, %(schema)s, 'S') FROM pg_indexes WHERE schemaname = %(schema)s",
    "constraints": """SELECT conrelid::regclass::text, conname, replace(pg_get_constraintdef(oid), %(schema)s, 'S')
                      FROM pg_constraint WHERE connamespace = %(schema)s::regnamespace""",
    "triggers": """SELECT tgname, replace(pg_get_triggerdef(t.oid), %(schema)s, 'S') FROM pg_trigger t
                   JOIN pg_class c ON c.oid = t.tgrelid
                   WHERE c.relnamespace = %(schema)s::regnamespace AND NOT t.tgisinternal""",
    "functions": "SELECT proname, prosrc FROM pg_proc WHERE pronamespace = %(schema)s::regnamespace",
    "sequences": """SELECT sequencename, start_value, increment_by, coalesce(last_value, 0) FROM pg_sequences
                    WHERE schemaname = %(schema)s""",
    "grants": """SELECT table_name, privilege_type FROM information_schema.role_table_grants
                 WHERE table_schema = %(schema)s AND grantee = %(app)s""",
    "migrations": "SELECT app, name FROM {schema}.django_migrations",
}


def catalogue(schema: str) -> dict[str, list]:
    described = {}
    with connection.cursor() as cursor:
        for part, query in CATALOGUE.items():
            if part == "migrations" and schema == settings.TENANT_BASE_SCHEMA:
                continue  # the app role cannot read the template's rows: template_migrations()
            # Table names in another schema's relnames are printed qualified when not on the path.
            cursor.execute(query.replace("{schema}", connection.ops.quote_name(schema)),
                           {"schema": schema, "app": APP_ROLE})
            described[part] = sorted(tuple(str(value).replace(f"{schema}.", "S.") for value in row)
                                     for row in cursor.fetchall())
    return described


def template_migrations() -> list[tuple]:
    """The template's migration records (only the owner may read the template's tables)."""
    with owner_connection() as owner:
        schema = connection.ops.quote_name(settings.TENANT_BASE_SCHEMA)
        return sorted(owner.execute(f"SELECT app, name FROM {schema}.django_migrations").fetchall())


def chain(error: BaseException | None):
    while error is not None:
        yield error
        error = error.__cause__ or error.__context__


@contextlib.contextmanager
def snapshot_changed(statement: str):
    """Change the owner's snapshot row for the block, and put it back whatever happens."""
    with owner_connection() as owner:
        saved = owner.execute(f"SELECT migrations, ddl FROM {TABLE} WHERE id = 1").fetchone()
        assert saved is not None, "kb_setup took no snapshot of the template"
        owner.execute(statement)
        try:
            yield
        finally:
            owner.execute(f"UPDATE {TABLE} SET migrations = %s, ddl = %s WHERE id = 1", saved)


@pytest.mark.django_db
def test_a_tenant_made_from_the_snapshot_is_the_template_object_for_object():
    services.client_create(schema_name="snapped", name="From the snapshot")
    connection.set_schema_to_public()
    snapped, template = catalogue("snapped"), catalogue(settings.TENANT_BASE_SCHEMA)
    template["migrations"] = template_migrations()
    assert len(snapped["relations"]) > 100 and len(snapped["migrations"]) > 50 and snapped["grants"]
    for part in CATALOGUE:
        assert snapped[part] == template[part], (part, sorted(set(snapped[part]) ^ set(template[part]))[:20])


@pytest.mark.django_db
def test_the_snapshot_makes_the_tenant_while_the_template_is_unchanged_and_the_clone_after():
    broken = f"UPDATE {TABLE} SET ddl = ddl || ' SELECT 1 / 0;'"
    # A snapshot that cannot run shows it is the one used: the creation fails and leaves nothing.
    with snapshot_changed(broken):
        with pytest.raises(DatabaseError) as caught, transaction.atomic():
            services.client_create(schema_name="broken", name="Broken snapshot")
    assert "division by zero" in " ".join(str(error) for error in chain(caught.value))
    # Once the template's migrations differ from the snapshot's, the clone makes the tenant.
    with snapshot_changed(f"{broken}, migrations = 'migrated since'"):
        services.client_create(schema_name="cloned", name="From the clone")
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname IN ('broken', 'cloned')")
        assert cursor.fetchall() == [("cloned",)]
    assert catalogue("cloned")["migrations"] == template_migrations()


@pytest.mark.django_db
def test_the_app_role_can_neither_read_nor_rewrite_the_snapshot():
    """Whoever could write the snapshot's DDL would have the owner's function run it."""
    for statement in (f"UPDATE {TABLE} SET ddl = 'SELECT 1'", f"SELECT ddl FROM {TABLE}",
                      f"CREATE TABLE {SCHEMA}.planted (id bigint)"):
        with pytest.raises(DatabaseError) as caught, transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement)
        assert getattr(caught.value.__cause__, "sqlstate", None) == "42501", statement
    with owner_connection() as owner:
        privileges = owner.execute(
            "SELECT has_table_privilege(%s, %s, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE'),"
            " has_schema_privilege(%s, %s, 'USAGE, CREATE')", [APP_ROLE, TABLE, APP_ROLE, SCHEMA]).fetchone()
    assert privileges == (False, False)


def test_the_dump_is_kept_to_schema_qualified_statements():
    dump = "\n".join([
        "\\restrict abc", "SET statement_timeout = 0;", "SELECT pg_catalog.set_config('search_path', '', false);",
        "-- Name: t", "CREATE SCHEMA tpl;", "CREATE TABLE tpl.t (id bigint);",
        "INSERT INTO tpl.django_migrations VALUES (1, 'a', 'b', now());", "\\unrestrict abc",
    ])
    assert statements(dump, "tpl") == (f"CREATE TABLE {PLACEHOLDER}.t (id bigint);\n"
                                       f"INSERT INTO {PLACEHOLDER}.django_migrations VALUES (1, 'a', 'b', now());")
    # The template's name anywhere else (a default, a function body) refuses the snapshot.
    with pytest.raises(ValueError):
        statements(dump + "\nCOMMENT ON TABLE tpl.t IS 'copied from tpl';", "tpl")
