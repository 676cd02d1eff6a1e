"""The rules that keep the migrated schema ready for Citus schema-based sharding (docs/scaling.md),
read from PostgreSQL's catalogue so that a later migration cannot break them silently:

1. 64-bit keys: every integer primary-key and foreign-key column is `bigint`. Keys that are not
   integers (a uuid, the session's text key) are not surrogate counters and are not checked.
   The exceptions are Django's and guardian's own tables, whose AppConfigs pin `AutoField` whatever
   DEFAULT_AUTO_FIELD says (INT_KEY_EXCEPTIONS, with the reason for each).
2. A tenant table refers by foreign key to a public table only if that table is on
   REFERENCE_TABLES: the shared tables Citus would replicate to every node as reference tables
   (a distributed schema's tables may refer to reference tables, not to local or distributed ones).
3. No view joins two tenant schemas (read from pg_depend, exact) and no function names two
   tenant schemas in its body (read from its source text): on Citus each distributed schema
   lives on one node, so such a query would cross nodes.

Each rule takes a DB-API cursor (Django's or psycopg's) and the names of the schemas to check,
and returns the violations as sentences (empty: the rule holds).
"""

from __future__ import annotations

# Public tables that become Citus reference tables: small or slowly growing, read by every tenant.
REFERENCE_TABLES = frozenset({
    "tenants_user",  # people: tenant grants and the audit log's actor refer to them
    "auth_group",  # provider teams' groups, named by team grants
    "auth_permission",  # the permission codenames grants carry
    "django_content_type",  # guardian's object permissions name the model
})

# Integer (32-bit) key columns accepted, by table name (in any schema) and column.
# Django's contrib apps and guardian set `default_auto_field = AutoField` in their AppConfigs, so
# their tables keep `integer` keys although DEFAULT_AUTO_FIELD is BigAutoField; columns that
# refer to those keys are integer too. Each is bounded far below 2**31:
_AUTH = "django.contrib.auth pins AutoField: permissions number a few hundred, groups one per provider team"
_CT = "django.contrib.contenttypes pins AutoField: one row per model"
_ADMIN = "django.contrib.admin pins AutoField: one row per platform-admin change"
_GUARDIAN = ("guardian pins AutoField: object permissions of one tenant (2**31 per schema, and on Citus "
             "each schema's table is its own)")
INT_KEY_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("auth_group", "id"): _AUTH,
    ("auth_permission", "id"): _AUTH,
    ("auth_permission", "content_type_id"): _CT,
    ("auth_group_permissions", "group_id"): _AUTH,
    ("auth_group_permissions", "permission_id"): _AUTH,
    ("django_content_type", "id"): _CT,
    ("django_admin_log", "id"): _ADMIN,
    ("django_admin_log", "content_type_id"): _CT,
    ("tenants_user_groups", "group_id"): _AUTH,
    ("tenants_user_user_permissions", "permission_id"): _AUTH,
    ("tenants_providerteam", "group_id"): _AUTH,
    ("guardian_userobjectpermission", "id"): _GUARDIAN,
    ("guardian_userobjectpermission", "permission_id"): _AUTH,
    ("guardian_userobjectpermission", "content_type_id"): _CT,
    ("guardian_groupobjectpermission", "id"): _GUARDIAN,
    ("guardian_groupobjectpermission", "permission_id"): _AUTH,
    ("guardian_groupobjectpermission", "group_id"): _AUTH,
    ("guardian_groupobjectpermission", "content_type_id"): _CT,
    ("permissions_articlepersongrant", "permission_id"): _AUTH,
    ("permissions_articleteamgrant", "permission_id"): _AUTH,
    ("permissions_articleteamgrant", "group_id"): _AUTH,
    ("permissions_collectionpersongrant", "permission_id"): _AUTH,
    ("permissions_collectionteamgrant", "permission_id"): _AUTH,
    ("permissions_collectionteamgrant", "group_id"): _AUTH,
}

_SMALL_INTEGERS = ("int2", "int4")


def narrow_integer_keys(cursor, schemas: list[str], exceptions=INT_KEY_EXCEPTIONS) -> list[str]:
    """Primary- and foreign-key columns of type smallint or integer, not on `exceptions`."""
    cursor.execute(
        """
        SELECT DISTINCT n.nspname, c.relname, a.attname, t.typname,
               CASE con.contype WHEN 'p' THEN 'primary key' ELSE 'foreign key' END
        FROM pg_constraint con
        JOIN pg_class c ON c.oid = con.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN LATERAL unnest(con.conkey) AS k(attnum) ON true
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
        JOIN pg_type t ON t.oid = a.atttypid
        WHERE con.contype IN ('p', 'f') AND n.nspname = ANY(%s) AND t.typname = ANY(%s)
        ORDER BY 1, 2, 3
        """,
        [list(schemas), list(_SMALL_INTEGERS)],
    )
    return [
        f"{schema}.{table}.{column} is {kind} {typname}, not bigint"
        for schema, table, column, typname, kind in cursor.fetchall()
        if (table, column) not in exceptions
    ]


def foreign_keys_out_of_tenant(cursor, tenant_schemas: list[str], public_schema: str = "public",
                               reference_tables=REFERENCE_TABLES) -> list[str]:
    """Foreign keys from a tenant schema to any other schema, but for the public reference tables."""
    cursor.execute(
        """
        SELECT n.nspname, c.relname, con.conname, fn.nspname, fc.relname
        FROM pg_constraint con
        JOIN pg_class c ON c.oid = con.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_class fc ON fc.oid = con.confrelid
        JOIN pg_namespace fn ON fn.oid = fc.relnamespace
        WHERE con.contype = 'f' AND n.nspname = ANY(%s) AND fn.nspname <> n.nspname
        ORDER BY 1, 2, 3
        """,
        [list(tenant_schemas)],
    )
    found = []
    for schema, table, name, target_schema, target in cursor.fetchall():
        if target_schema == public_schema and target in reference_tables:
            continue
        where = "another tenant's" if target_schema in tenant_schemas else "a non-reference"
        found.append(f"{schema}.{table} ({name}) refers to {where} table {target_schema}.{target}")
    return found


def views_joining_tenants(cursor, tenant_schemas: list[str]) -> list[str]:
    """Views (and materialised views), in any schema, that read tables of two tenant schemas."""
    cursor.execute(
        """
        SELECT DISTINCT vn.nspname, v.relname, tn.nspname
        FROM pg_rewrite r
        JOIN pg_class v ON v.oid = r.ev_class
        JOIN pg_namespace vn ON vn.oid = v.relnamespace
        JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
                        AND d.refclassid = 'pg_class'::regclass
        JOIN pg_class t ON t.oid = d.refobjid AND t.oid <> v.oid
        JOIN pg_namespace tn ON tn.oid = t.relnamespace
        WHERE v.relkind IN ('v', 'm') AND tn.nspname = ANY(%s)
        """,
        [list(tenant_schemas)],
    )
    reads: dict[str, set[str]] = {}
    for schema, view, read_schema in cursor.fetchall():
        reads.setdefault(f"{schema}.{view}", set()).add(read_schema)
    return [f"view {view} joins tenant schemas {', '.join(sorted(names))}"
            for view, names in sorted(reads.items()) if len(names) > 1]


def functions_naming_tenants(cursor, tenant_schemas: list[str]) -> list[str]:
    """Functions (outside PostgreSQL's own schemas) whose source names two tenant schemas, as
    `schema.` or `"schema".` (a function that takes the schema as an argument names none)."""
    cursor.execute(
        """
        SELECT n.nspname, p.proname, lower(p.prosrc)
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%%'
        """
    )
    found = []
    for schema, name, source in cursor.fetchall():
        named = {s for s in tenant_schemas if f"{s.lower()}." in source or f'"{s.lower()}".' in source}
        if len(named) > 1:
            found.append(f"function {schema}.{name} names tenant schemas {', '.join(sorted(named))}")
    return found


def violations(cursor, *, tenant_schemas: list[str], public_schema: str = "public") -> list[str]:
    """Every rule over the public schema and the given tenant schemas."""
    return [
        *narrow_integer_keys(cursor, [public_schema, *tenant_schemas]),
        *foreign_keys_out_of_tenant(cursor, tenant_schemas, public_schema),
        *views_joining_tenants(cursor, tenant_schemas),
        *functions_naming_tenants(cursor, tenant_schemas),
    ]
