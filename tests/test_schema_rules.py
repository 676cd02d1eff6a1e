"""The migrated schema keeps the rules Citus schema-based sharding needs (tenants.schema_rules,
docs/scaling.md): 64-bit keys, tenant tables refer only to public reference tables, nothing joins
two tenant schemas. First the rules catch a fixture schema broken on purpose, then the real one."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from psycopg import sql

from tenants import schema_rules
from tests.conftest import owner_connection

BROKEN = ("kb_rules_broken_a", "kb_rules_broken_b")


@pytest.fixture
def broken_schemas(django_db_setup):
    """Two throwaway 'tenant' schemas breaking every rule: an integer primary key, an integer
    foreign key, a foreign key to a public table that is no reference table and one to the other
    tenant, a view and a function reading both. Made (and dropped) as the owner."""
    a, b = (sql.Identifier(name) for name in BROKEN)
    with owner_connection() as conn:
        for name in (a, b):
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(name))
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(name))
        conn.execute(sql.SQL("CREATE TABLE {}.thing (id integer PRIMARY KEY, owner_id bigint)").format(a))
        conn.execute(sql.SQL(
            "CREATE TABLE {b}.other (id bigint PRIMARY KEY, thing_id integer REFERENCES {a}.thing(id),"
            " domain_id bigint REFERENCES public.tenants_domain(id), person_id bigint REFERENCES public.tenants_user(id))"
        ).format(a=a, b=b))
        conn.execute(sql.SQL("CREATE VIEW {a}.both_tenants AS SELECT t.id FROM {a}.thing t JOIN {b}.other o ON o.thing_id = t.id").format(a=a, b=b))
        conn.execute(sql.SQL(
            "CREATE FUNCTION {a}.count_both() RETURNS bigint LANGUAGE sql AS "
            "$$ SELECT (SELECT count(*) FROM kb_rules_broken_a.thing) + (SELECT count(*) FROM kb_rules_broken_b.other) $$"
        ).format(a=a))
    yield list(BROKEN)
    with owner_connection() as conn:
        for name in (a, b):
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(name))


def test_each_rule_catches_the_schema_broken_on_purpose(broken_schemas):
    with owner_connection() as conn, conn.cursor() as cursor:
        narrow = schema_rules.narrow_integer_keys(cursor, broken_schemas)
        outward = schema_rules.foreign_keys_out_of_tenant(cursor, broken_schemas)
        views = schema_rules.views_joining_tenants(cursor, broken_schemas)
        functions = schema_rules.functions_naming_tenants(cursor, broken_schemas)
    assert narrow == [
        "kb_rules_broken_a.thing.id is primary key int4, not bigint",
        "kb_rules_broken_b.other.thing_id is foreign key int4, not bigint",
    ]
    assert len(outward) == 2
    assert any("refers to a non-reference table public.tenants_domain" in v for v in outward)
    assert any("refers to another tenant's table kb_rules_broken_a.thing" in v for v in outward)
    assert not any("tenants_user" in v for v in outward)  # a reference table: allowed
    assert views == ["view kb_rules_broken_a.both_tenants joins tenant schemas kb_rules_broken_a, kb_rules_broken_b"]
    assert functions == ["function kb_rules_broken_a.count_both names tenant schemas kb_rules_broken_a, kb_rules_broken_b"]


def test_an_exception_must_be_listed_by_table_and_column(broken_schemas):
    with owner_connection() as conn, conn.cursor() as cursor:
        allowed = {("thing", "id"): "fixture"}
        assert schema_rules.narrow_integer_keys(cursor, broken_schemas, exceptions=allowed) == [
            "kb_rules_broken_b.other.thing_id is foreign key int4, not bigint",
        ]


@pytest.mark.django_db
def test_the_migrated_public_template_and_tenant_schemas_keep_every_rule(world):
    tenants = [settings.TENANT_BASE_SCHEMA, world.acme.schema_name, world.lumiere.schema_name]
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        assert schema_rules.violations(cursor, tenant_schemas=tenants) == []
        # The exceptions are real: each names a column that exists and is an integer key.
        cursor.execute(
            "SELECT DISTINCT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
            " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ANY(%s) AND a.atttypid = 'int4'::regtype",
            [["public", *tenants]],
        )
        integer_columns = set(cursor.fetchall())
    stale = set(schema_rules.INT_KEY_EXCEPTIONS) - integer_columns
    assert not stale, f"exceptions that no longer exist (remove them): {sorted(stale)}"


def test_default_auto_field_is_64_bit():
    assert settings.DEFAULT_AUTO_FIELD == "django.db.models.BigAutoField"
