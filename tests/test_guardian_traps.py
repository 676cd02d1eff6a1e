"""guardian in a schema-per-tenant world: content types and the permission cache."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from guardian.core import ObjectPermissionChecker
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm

from articles.models import Collection
from permissions.access import has_object_permission
from permissions.models import CollectionPersonGrant


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
        cursor.execute(
            """
            SELECT ccu.table_schema, ccu.table_name
            FROM information_schema.table_constraints tc
            JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name
              AND ccu.constraint_schema = tc.constraint_schema
            JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name
              AND kcu.constraint_schema = tc.constraint_schema
            WHERE tc.table_schema = 'acme' AND tc.table_name = 'guardian_userobjectpermission'
              AND tc.constraint_type = 'FOREIGN KEY' AND kcu.column_name = 'content_type_id'
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
        assert has_object_permission(world.agent_both, "view_collection", collection)
    assert ids[0] == ids[1] == ContentType.objects.get_for_model(Collection).pk


def test_permission_cache_never_carries_one_tenants_grants_into_another(world, in_tenant):
    user = world.agent_both
    in_tenant(world.acme)
    acme_collection = Collection.objects.create(pk=9001, name="Refunds", slug="refunds-9001")
    assign_perm("articles.view_collection", user, acme_collection)
    in_tenant(world.lumiere)
    Collection.objects.create(pk=9001, name="Margins", slug="margins-9001", confidential=True)

    in_tenant(world.acme)
    assert has_object_permission(user, "view_collection", Collection.objects.get(pk=9001))
    # The trap is real: one guardian checker reused across the switch answers from its cache.
    reused = ObjectPermissionChecker(user)
    assert reused.has_perm("view_collection", Collection.objects.get(pk=9001))

    in_tenant(world.lumiere)
    lumiere_collection = Collection.objects.get(pk=9001)
    assert reused.has_perm("view_collection", lumiere_collection)  # wrong, and why we wrap it
    # The same user object, through the access layer, gets the truth for this tenant.
    assert not has_object_permission(user, "view_collection", lumiere_collection)
    assert not user.has_perm("articles.view_collection", lumiere_collection)
    assert not CollectionPersonGrant.objects.filter(user=user).exists()
