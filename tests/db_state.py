"""A fingerprint of what a GET must never change: permissions, memberships, content and
settings. GETs may write the query log, the "recently opened" list, the session and the audit
of confidential reads (by design), nothing else. The permission matrix takes one before and
after each URL name (tests/test_permission_matrix.py); tests/test_db_state.py proves that the
fingerprint sees each kind of change."""

from __future__ import annotations

from django.apps import apps
from django.db import connection
from django_tenants.utils import get_public_schema_name

# Tenant schema: content, grants (ours and guardian's), search tuning. Public schema: tenants
# and their settings, domains, people's access-relevant fields, memberships, providers, teams
# and their members, engagements, invitations, API tokens, groups and permissions.
TENANT_MODELS = (
    "articles.Collection", "articles.Article", "articles.Revision", "articles.Suggestion", "articles.Feedback",
    "permissions.CollectionPersonGrant", "permissions.CollectionTeamGrant",
    "permissions.ArticlePersonGrant", "permissions.ArticleTeamGrant",
    "guardian.UserObjectPermission", "guardian.GroupObjectPermission",
    "search.Synonym", "search.BestBet",
    "readiness.MustRead", "readiness.Assignee", "readiness.Acknowledgement", "readiness.Reminder",
    "readiness.ReadinessSettings",
)
PUBLIC_MODELS = (
    "tenants.Client", "tenants.Domain", "tenants.User", "tenants.Membership", "tenants.ProviderOrganisation",
    "tenants.ProviderMembership", "tenants.ProviderTeam", "tenants.Engagement", "tenants.Invitation",
    "tenants.ApiToken", "auth.Group", "auth.Permission",
)
# Columns a read may move by design: the last sign-in, the last use of a token.
MAY_CHANGE = {"tenants.User": {"last_login"}, "tenants.ApiToken": {"last_used_at"}}


def _tables(labels):
    """(label, db table, columns) of each model and of its many-to-many tables."""
    for label in labels:
        model = apps.get_model(label)
        columns = [f.column for f in model._meta.concrete_fields if f.attname not in MAY_CHANGE.get(label, set())]
        yield label, model._meta.db_table, columns
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through._meta
            yield f"{label}.{field.name}", through.db_table, [f.column for f in through.concrete_fields]


def _query(schema: str, labels) -> tuple[str, list[str]]:
    quote = connection.ops.quote_name
    parts, params = [], []
    for label, table, columns in _tables(labels):
        row = ", ".join(f"t.{quote(c)}" for c in columns)
        parts.append(f"SELECT %s, count(*), md5(coalesce(string_agg(md5(ROW({row})::text), '' ORDER BY t.id), '')) "
                     f"FROM {quote(schema)}.{quote(table)} t")
        params.append(label)
    return " UNION ALL ".join(parts), params


def fingerprint(tenant) -> dict[str, tuple[int, str]]:
    """Label -> (row count, hash of every row) of each table above, in `tenant` and public."""
    tenant_sql, tenant_params = _query(tenant.schema_name, TENANT_MODELS)
    public_sql, public_params = _query(get_public_schema_name(), PUBLIC_MODELS)
    with connection.cursor() as cursor:
        cursor.execute(f"{tenant_sql} UNION ALL {public_sql}", tenant_params + public_params)
        return {label: (count, digest) for label, count, digest in cursor.fetchall()}


def changes(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before.keys() | after.keys() if before.get(label) != after.get(label))
