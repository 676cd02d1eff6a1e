"""The access layer: every object-permission question goes through here.

guardian's ObjectPermissionChecker caches answers by (content type id, primary key). Primary
keys repeat across tenant schemas (collection 1 exists in every tenant), so a checker kept on a
user object and reused after a schema switch would answer for the wrong tenant. Checkers here
are kept per (user, schema) and never cross a schema boundary.
"""

from __future__ import annotations

from django.db import connection
from guardian.core import ObjectPermissionChecker


def checker_for(user) -> ObjectPermissionChecker:
    """The permission checker of `user` for the tenant the connection is on now."""
    checkers = user.__dict__.setdefault("_kb_checkers", {})
    schema = connection.schema_name  # type: ignore[attr-defined]  # django-tenants' connection
    if schema not in checkers:
        checkers[schema] = ObjectPermissionChecker(user)
    return checkers[schema]


def has_object_permission(user, codename: str, obj) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return checker_for(user).has_perm(codename, obj)
