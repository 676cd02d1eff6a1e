"""Two PostgreSQL roles: the *owner* (owns every table, runs migrations, creates tenant schemas,
backs up and restores) and the *app* role the site, worker and beat connect as.

The app role is not a superuser, owns nothing and is no member of the owner, so it cannot
ALTER a table, DROP or DISABLE a trigger, TRUNCATE, or `SET session_replication_role`; on
each tenant's audit log it holds only SELECT and INSERT. Everything else is plain DML
(SELECT, INSERT, UPDATE, DELETE on tables; sequences).

Creating a tenant needs DDL (its schema is cloned from the template), so the owner installs
`public.kb_create_tenant_schema(name)`, a SECURITY DEFINER function the app role may execute:
it clones the template into a schema named after a tenant row that already exists and has no
schema yet, then grants the app role its DML there. It cannot touch an existing schema.
`Client.create_schema` calls it, so the platform admin's "add client tenant" works as the app.

All of this is idempotent and safe to run concurrently (roles are cluster-wide: several
databases on one cluster may share one app role; privileges are per database).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import connection
from psycopg import sql

from . import template_snapshot

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
AUDIT_TABLE = "permissions_auditevent"
CREATE_FUNCTION = "kb_create_tenant_schema"
GRANT_FUNCTION = "kb_grant_app_schema"


def _ident(name: str) -> sql.Identifier:
    return sql.Identifier(name)


def ensure_app_role(role: str, password: str | None = None) -> None:
    """Create the app role when it does not exist (race-safe), and make sure it is restricted."""
    if not ROLE_NAME.match(role):
        raise ValueError(f"invalid role name {role!r}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = %s", [role])
        row = cursor.fetchone()
        if row is None:
            cursor.execute(sql.SQL(
                "DO $$ BEGIN CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;"
                " EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
            ).format(_ident(role)))
        elif any(row):
            raise RuntimeError(
                f"the app role {role!r} exists with superuser, CREATEROLE, CREATEDB or BYPASSRLS: "
                "it must be a plain role (ALTER ROLE … NOSUPERUSER NOCREATEROLE NOCREATEDB NOBYPASSRLS)"
            )
        if password:
            cursor.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(_ident(role), sql.Literal(password)))
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
        cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [role, owner])
        if cursor.fetchone()[0]:
            raise RuntimeError(f"the app role {role!r} is a member of the owner {owner!r}: it could SET ROLE to it")


def configured_app_role() -> str | None:
    """The app role an earlier `install` granted the tenant-creation function to, if any."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.rolname FROM pg_proc p, aclexplode(p.proacl) a JOIN pg_roles r ON r.oid = a.grantee"
            " WHERE p.oid = to_regprocedure(%s) AND a.privilege_type = 'EXECUTE' AND a.grantee <> p.proowner",
            [f"public.{CREATE_FUNCTION}(text)"],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def install(app_role: str | None) -> None:
    """(Re)install the tenant-creation function and, with an app role (by default the one
    configured before, so that a later `kb_setup` without it keeps it), grant it what it needs
    in the public schema and every tenant schema (never the template's schema)."""
    from django_tenants.clone import CloneSchema

    app_role = app_role or configured_app_role()

    template = settings.TENANT_BASE_SCHEMA
    CloneSchema()._create_clone_schema_function()  # the library's clone, owned by this (owner) role
    template_snapshot.take(template)  # what new tenants are made from while the template is unchanged
    grants = sql.SQL("")
    if app_role:
        grants = sql.SQL(
            """
            EXECUTE format('GRANT USAGE ON SCHEMA %I TO {app}', target);
            EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO {app}', target);
            EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO {app}', target);
            IF to_regclass(format('%I.{audit}', target)) IS NOT NULL THEN
                EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON %I.{audit} FROM {app}', target);
            END IF;
            """
        ).format(app=_ident(app_role), audit=sql.SQL(AUDIT_TABLE))
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL(
            """
            CREATE OR REPLACE FUNCTION public.{grant_fn}(target text) RETURNS void
            LANGUAGE plpgsql SET search_path = pg_catalog, public AS $fn$
            BEGIN
                NULL;
                {grants}
            END $fn$;
            REVOKE ALL ON FUNCTION public.{grant_fn}(text) FROM PUBLIC;

            CREATE OR REPLACE FUNCTION public.{create_fn}(new_schema text) RETURNS void
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public
            SET check_function_bodies = off AS $fn$
            DECLARE r record; snapshot text;
            BEGIN
                IF new_schema !~ '^[a-z_][a-z0-9_]{{0,62}}$' OR new_schema ~ '^pg_'
                   OR new_schema IN ('public', 'information_schema', {template}) THEN
                    RAISE EXCEPTION 'invalid tenant schema name %', new_schema;
                END IF;
                IF NOT EXISTS (SELECT 1 FROM public.tenants_client WHERE schema_name = new_schema) THEN
                    RAISE EXCEPTION 'no client tenant row for schema %', new_schema;
                END IF;
                IF EXISTS (SELECT 1 FROM pg_namespace WHERE lower(nspname) = lower(new_schema)) THEN
                    RAISE EXCEPTION 'schema % already exists', new_schema;
                END IF;
                -- The template's DDL as kb_setup dumped it, while its migrations are the same
                -- (tenants.template_snapshot); else the clone, whose cost grows with every tenant.
                IF to_regclass({snapshot_name}) IS NOT NULL THEN
                    SELECT s.ddl INTO snapshot FROM {snapshot_table} s WHERE s.migrations = ({signature});
                END IF;
                IF snapshot IS NOT NULL THEN
                    EXECUTE format('CREATE SCHEMA %I', new_schema);
                    EXECUTE replace(snapshot, {placeholder}, quote_ident(new_schema) || '.');
                ELSE
                    PERFORM public.clone_schema({template}, new_schema, 'DATA');
                    -- The clone copies columns, not table options (e.g. search rows' toast_tuple_target).
                    FOR r IN SELECT c.relname, c.reloptions FROM pg_class c
                             JOIN pg_namespace n ON n.oid = c.relnamespace
                             WHERE n.nspname = {template} AND c.relkind = 'r' AND c.reloptions IS NOT NULL LOOP
                        EXECUTE format('ALTER TABLE %I.%I SET (%s)', new_schema, r.relname,
                                       array_to_string(r.reloptions, ', '));
                    END LOOP;
                END IF;
                PERFORM public.{grant_fn}(new_schema);
            END $fn$;
            REVOKE ALL ON FUNCTION public.{create_fn}(text) FROM PUBLIC;
            """
        ).format(
            grant_fn=sql.Identifier(GRANT_FUNCTION), create_fn=sql.Identifier(CREATE_FUNCTION),
            grants=grants, template=sql.Literal(template), snapshot_table=sql.SQL(template_snapshot.TABLE),
            snapshot_name=sql.Literal(template_snapshot.TABLE),
            placeholder=sql.Literal(template_snapshot.PLACEHOLDER + "."),
            signature=sql.SQL(template_snapshot.SIGNATURE_SQL.format(template=connection.ops.quote_name(template))),
        ))
        from .lifecycle import install_drop_function

        install_drop_function(app_role)  # deleting a client drops its schema (tenants.lifecycle)
        if not app_role:
            return
        app = _ident(app_role)
        cursor.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(_ident(connection.settings_dict["NAME"]), app))
        cursor.execute(sql.SQL("GRANT EXECUTE ON FUNCTION public.{}(text) TO {}").format(sql.Identifier(CREATE_FUNCTION), app))
        # Tables a later migration adds (when someone runs migrate_schemas without kb_setup)
        # are usable at once; kb_setup then narrows the audit log again.
        cursor.execute(sql.SQL(
            "ALTER DEFAULT PRIVILEGES GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app};"
            "ALTER DEFAULT PRIVILEGES GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {app};"
        ).format(app=app))
        cursor.execute("SELECT schema_name FROM public.tenants_client")
        for (schema,) in cursor.fetchall():
            cursor.execute(sql.SQL("SELECT public.{}(%s)").format(sql.Identifier(GRANT_FUNCTION)), [schema])
        # The template gets the same table privileges (clones copy them) but no USAGE: the app
        # can never write into what every new tenant will be cloned from.
        cursor.execute(sql.SQL("SELECT public.{}(%s)").format(sql.Identifier(GRANT_FUNCTION)), [template])
        cursor.execute(sql.SQL("REVOKE ALL ON SCHEMA {} FROM {}").format(_ident(template), app))
        template_snapshot.protect(app_role)


def function_installed() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regprocedure(%s) IS NOT NULL", [f"public.{CREATE_FUNCTION}(text)"])
        return cursor.fetchone()[0]


def create_tenant_schema(schema_name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("SELECT public.{}(%s)").format(sql.Identifier(CREATE_FUNCTION)), [schema_name])
