"""The application's database role (tenants.db_roles): the suite runs as it, it creates tenants
through the owner's function, and it can neither rewrite nor unprotect any tenant's audit log."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.test import Client as HttpClient

from audit.models import Action, AuditEvent
from tenants import services
from tenants.models import Client, User

from .conftest import APP_ROLE, owner_role

pytestmark = pytest.mark.skipif(not APP_ROLE, reason="KB_TEST_APP_ROLE is empty: the suite runs as the owner")

INSUFFICIENT_PRIVILEGE = "42501"


def one(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def refused(statement: str) -> str:
    """Run `statement`; return the SQLSTATE it was refused with (the test fails if it ran)."""
    with pytest.raises(DatabaseError) as caught, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement)
    return getattr(caught.value.__cause__, "sqlstate", None)


def test_the_suite_runs_as_a_plain_role_that_owns_nothing(world):
    user, superuser, createrole, createdb, bypassrls = one(
        "SELECT current_user, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = current_user")
    assert user == APP_ROLE != owner_role()
    assert not (superuser or createrole or createdb or bypassrls)
    assert one("SELECT pg_has_role(current_user, %s, 'MEMBER')", [owner_role()]) == (False,)
    assert one("SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)") == (0,)
    assert one("SELECT count(*) FROM pg_namespace WHERE nspowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)") == (0,)


def test_the_app_role_cannot_rewrite_or_unprotect_the_audit_log_of_any_tenant(world):
    created = services.client_create(schema_name="rolecheck", name="Role Check")  # as the app role
    schemas = list(Client.objects.exclude(schema_name="public").values_list("schema_name", flat=True))
    assert {"acme", "lumiere", "rolecheck"} <= set(schemas)
    for schema in schemas:
        table = f'"{schema}".permissions_auditevent'
        connection.set_tenant(Client.objects.get(schema_name=schema))
        event = AuditEvent.objects.create(action=Action.EXPORT, actor_label="kept")  # INSERT works
        assert AuditEvent.objects.filter(pk=event.pk).exists()  # SELECT works
        for statement in (
            f"UPDATE {table} SET actor_label = 'forged'",
            f"DELETE FROM {table}",
            f"TRUNCATE {table}",
            f"ALTER TABLE {table} DISABLE TRIGGER audit_no_update_delete",
            f"ALTER TABLE {table} DISABLE TRIGGER ALL",
            f"ALTER TABLE {table} ADD COLUMN note text",
            f"DROP TRIGGER audit_no_truncate ON {table}",
            f"DROP TABLE {table}",
            f'CREATE OR REPLACE FUNCTION "{schema}".kb_audit_append_only() RETURNS trigger'
            " LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
            "SET session_replication_role = replica",  # would skip every trigger
            f'SET ROLE "{owner_role()}"',
            f'ALTER ROLE "{APP_ROLE}" SUPERUSER',
        ):
            assert refused(statement) == INSUFFICIENT_PRIVILEGE, (schema, statement)
        with connection.cursor() as cursor:  # PostgreSQL only warns ("no privileges were granted")
            cursor.execute(f'GRANT UPDATE, DELETE, TRUNCATE ON {table} TO "{APP_ROLE}"')
        for privilege in ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER"):
            assert one("SELECT has_table_privilege(%s, %s)", [table, privilege]) == (False,), (schema, privilege)
        for privilege in ("SELECT", "INSERT"):
            assert one("SELECT has_table_privilege(%s, %s)", [table, privilege]) == (True,), (schema, privilege)
        assert AuditEvent.objects.get(pk=event.pk).actor_label == "kept"
        assert one(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND tgenabled = 'O'", [table]) == (2,)
    connection.set_schema_to_public()
    assert created.pk


def test_the_app_role_cannot_write_into_the_template_nor_make_schemas_of_its_own(world):
    assert refused("INSERT INTO tenant_template.permissions_auditevent (action, actor_label) VALUES ('x', 'x')") \
        == INSUFFICIENT_PRIVILEGE
    assert refused("CREATE SCHEMA intruder") == INSUFFICIENT_PRIVILEGE
    assert refused("SELECT public.kb_grant_app_schema('acme')") == INSUFFICIENT_PRIVILEGE
    # The owner's function only clones for a tenant row without a schema.
    assert refused("SELECT public.kb_create_tenant_schema('norow')") == "P0001"
    assert refused("SELECT public.kb_create_tenant_schema('acme')") == "P0001"


def test_the_platform_admin_adds_a_client_tenant_as_the_app_role(world):
    staff = User.objects.create_superuser("platform.roles@kb.test", world.password)
    http = HttpClient(HTTP_HOST=settings.KB_BASE_DOMAIN)
    http.force_login(staff)
    form = {"name": "Nova Assurances", "schema_name": "nova"}
    for prefix in ("domains", "memberships", "engagements"):
        form.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    page = http.get("/admin/tenants/client/add/").content.decode()
    for prefix in set(re.findall(r'name="([\w-]+)-TOTAL_FORMS"', page)):
        form.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = http.post("/admin/tenants/client/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    nova = Client.objects.get(schema_name="nova")
    connection.set_tenant(nova)
    AuditEvent.objects.create(action=Action.EXPORT, actor_label="first")
    assert refused("DELETE FROM permissions_auditevent") == INSUFFICIENT_PRIVILEGE
    assert refused("ALTER TABLE permissions_auditevent DISABLE TRIGGER ALL") == INSUFFICIENT_PRIVILEGE
    assert one("SELECT reloptions FROM pg_class WHERE oid = 'search_searchdocument'::regclass")[0] == [
        "toast_tuple_target=128"]
