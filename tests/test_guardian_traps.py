"""guardian in a schema-per-tenant world: content types and the permission cache.

kbportal stores grants in guardian's direct-foreign-key tables but never asks guardian's
checker: the access layer (permissions.selectors, through permissions.grants) reads the grant
tables of the tenant the connection is on. These tests show why (the checker's cache crosses
schemas) and that the access layer does not fall into it; tests/test_architecture.py checks
that no app code calls the checker.
"""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from guardian.core import ObjectPermissionChecker
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm

from articles.models import Collection
from permissions.models import CollectionPersonGrant
from permissions.selectors import visible_collections
from tenants.selectors import workspace_access


def tables_in(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s", [schema])
        return {row[0] for row in cursor.fetchall()}


def test_content_types_and_permissions_exist_only_in_public(world):
    for schema in ("acme", "lumiere", "tenant_template"):
        tables = tables_in(schema)
        assert "guardian_userobjectpermission" in tables
        assert "django_content_type" not in tables
        assert "auth_permission" not in tables
    assert {"django_content_type", "auth_permission"} <= tables_in("public")


def test_guardian_rows_point_at_the_public_content_type_table(world):
    with connection.cursor() as cursor:
        # pg_catalog, not information_schema: the latter shows constraints only to the tables'
        # owner, and the suite runs as the application's role (tests/conftest.py).
        cursor.execute(
            """
            SELECT fn.nspname, ft.relname
            FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace tn ON tn.oid = t.relnamespace
            JOIN pg_class ft ON ft.oid = c.confrelid JOIN pg_namespace fn ON fn.oid = ft.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
            WHERE tn.nspname = 'acme' AND t.relname = 'guardian_userobjectpermission'
              AND c.contype = 'f' AND a.attname = 'content_type_id'
            """
        )
        assert cursor.fetchall() == [("public", "django_content_type")]


def test_a_grant_uses_the_same_content_type_id_in_every_tenant(world, in_tenant):
    ids = []
    for tenant in (world.acme, world.lumiere):
        in_tenant(tenant)
        collection = Collection.objects.create(name="Refunds", slug=f"refunds-{tenant.schema_name}")
        permission = Permission.objects.get(codename="view_collection")
        # guardian's generic table names the object by content type id...
        generic = UserObjectPermission.objects.assign_perm("view_collection", world.agent_both, collection)
        assert generic.content_type_id == permission.content_type_id
        ids.append(generic.content_type_id)
        # ...and kbportal's grants (direct foreign keys) name it by permission, also public.
        direct = assign_perm("articles.view_collection", world.agent_both, collection)
        assert isinstance(direct, CollectionPersonGrant)
        assert direct.permission.content_type_id == permission.content_type_id
        # ...and the access layer opens it in this tenant.
        access = workspace_access(world.agent_both, tenant)
        assert visible_collections(access).filter(pk=collection.pk).exists()
    assert ids[0] == ids[1] == ContentType.objects.get_for_model(Collection).pk


def test_permission_cache_never_carries_one_tenants_grants_into_another(world, in_tenant):
    user = world.agent_both
    in_tenant(world.acme)
    acme_collection = Collection.objects.create(pk=9001, name="Refunds", slug="refunds-9001")
    assign_perm("articles.view_collection", user, acme_collection)
    in_tenant(world.lumiere)
    Collection.objects.create(pk=9001, name="Margins", slug="margins-9001", confidential=True)

    in_tenant(world.acme)
    assert visible_collections(workspace_access(user, world.acme)).filter(pk=9001).exists()
    # The trap is real: one guardian checker reused across the switch answers from its cache.
    reused = ObjectPermissionChecker(user)
    assert reused.has_perm("view_collection", Collection.objects.get(pk=9001))

    in_tenant(world.lumiere)
    lumiere_collection = Collection.objects.get(pk=9001)
    assert reused.has_perm("view_collection", lumiere_collection)  # wrong, and why we never ask it
    # The same user object, through the access layer, gets the truth for this tenant.
    assert not visible_collections(workspace_access(user, world.lumiere)).filter(pk=9001).exists()
    assert not user.has_perm("articles.view_collection", lumiere_collection)
    assert not CollectionPersonGrant.objects.filter(user=user).exists()
