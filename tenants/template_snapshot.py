"""A snapshot of the tenant template's DDL, from which new tenants are created (issue 18).

django-tenants' `clone_schema` reads the catalogue through views such as `pg_indexes` that scan
every schema's objects: at 90 tenants one clone took 4.3 s (41 index lookups alone 2 s) and the
time grows with every tenant added, so that the 1,000th client would wait minutes. Instead the
owner dumps the template once, when `kb_setup` has brought it up to date (`pg_dump`, which the
backups need anyway), and `kb_create_tenant_schema` runs that DDL under the new schema's name:
a fixed list of CREATE statements whose cost does not depend on how many tenants exist.

The snapshot carries the signature of the template's migration records. When the template has
been migrated since (someone ran `migrate_schemas` without `kb_setup`), the signatures differ and
the function clones as before: slower, never stale. Without `pg_dump` (or with one older than
the server) there is no snapshot and the same fallback applies.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess

from django.conf import settings
from django.db import connection

log = logging.getLogger(__name__)

# In a schema of the owner's that the app role has no USAGE on: whoever could write the DDL
# would have the owner's function run it (a SECURITY DEFINER function, tenants.db_roles).
SCHEMA = "kb_private"
TABLE = f"{SCHEMA}.template_snapshot"
PLACEHOLDER = "kb__new_schema__"
# The signature of the template's migrations, computed the same way when the snapshot is taken
# and when a tenant is created (tenants.db_roles).
SIGNATURE_SQL = ("SELECT md5(coalesce(string_agg(app || '.' || name, ',' ORDER BY app, name), ''))"
                 " FROM {template}.django_migrations")
_SESSION_LINE = re.compile(r"^(SET [a-z_]+ = .*;|SELECT pg_catalog\.set_config\(.*\);)$")


def ensure_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}; REVOKE ALL ON SCHEMA {SCHEMA} FROM PUBLIC;"
            f" CREATE TABLE IF NOT EXISTS {TABLE} (id bigint PRIMARY KEY CHECK (id = 1),"
            " migrations text NOT NULL, ddl text NOT NULL, taken_at timestamptz NOT NULL DEFAULT now());"
            f" REVOKE ALL ON {TABLE} FROM PUBLIC"
        )


def protect(app_role: str) -> None:
    """Take back from the app role what the owner's default privileges give it on every new
    table: it must not even read the snapshot, and has no USAGE on its schema."""
    from psycopg import sql

    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("REVOKE ALL ON {table} FROM {app}; REVOKE ALL ON SCHEMA {schema} FROM {app}").format(
            table=sql.SQL(TABLE), schema=sql.Identifier(SCHEMA), app=sql.Identifier(app_role)))


def statements(dump: str, template: str) -> str:
    """The dump's DDL and data with the template's name replaced by the placeholder; without the
    session settings (they would outlive the function in the app's connection), the psql
    meta-commands, the comments and the CREATE SCHEMA (the function creates the schema)."""
    kept = [
        line for line in dump.splitlines()
        if not (line.startswith(("\\", "--")) or _SESSION_LINE.match(line) or line == f"CREATE SCHEMA {template};")
    ]
    ddl = re.sub(rf"(?<![\w\"]){re.escape(template)}\.", f"{PLACEHOLDER}.", "\n".join(kept))
    if re.search(rf"\b{re.escape(template)}\b", ddl) or PLACEHOLDER not in ddl:
        raise ValueError("the template's name appears outside schema-qualified names: not snapshotting")
    return ddl


def _dump(template: str) -> str:
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or os.environ.get("PGPASSWORD", "")}
    command = [shutil.which("pg_dump") or "pg_dump", "--schema", template, "--no-owner", "--no-privileges", "--inserts"]
    if db.get("HOST"):  # none: the Unix socket, as Django means it
        command += ["--host", db["HOST"]]
    if db.get("PORT"):
        command += ["--port", str(db["PORT"])]
    if db.get("USER"):
        command += ["--username", db["USER"]]
    command += ["--dbname", db["NAME"]]
    if (db.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    done = subprocess.run(  # noqa: S603 - pg_dump with the settings' own connection, fixed options
        command, env=env, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip()[:500] or f"pg_dump exited with {done.returncode}")
    return done.stdout


def take(template: str | None = None) -> bool:
    """Snapshot the template (as the owner); False, with the snapshot removed, when pg_dump is
    missing or fails (tenants are then cloned, slower)."""
    template = template or settings.TENANT_BASE_SCHEMA
    ensure_table()
    try:
        ddl = statements(_dump(template), template)
    except (OSError, RuntimeError, ValueError, subprocess.TimeoutExpired) as error:
        log.warning("no snapshot of the tenant template (%s): new tenants are cloned instead", error)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")
        return False
    with connection.cursor() as cursor:
        cursor.execute(SIGNATURE_SQL.format(template=connection.ops.quote_name(template)))
        signature = cursor.fetchone()[0]
        cursor.execute(
            f"INSERT INTO {TABLE} (id, migrations, ddl) VALUES (1, %s, %s)"
            " ON CONFLICT (id) DO UPDATE SET migrations = EXCLUDED.migrations, ddl = EXCLUDED.ddl, taken_at = now()",
            [signature, ddl],
        )
    return True
