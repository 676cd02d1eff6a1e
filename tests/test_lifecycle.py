"""A client's life cycle (tenants.lifecycle, issue 18) against the real database, as the app role:
read-only refuses writes with a page, suspended lets nobody in, the export holds everything the
client owns, deletion drops the schema and the public rows and leaves the platform's record.
Each through its management command and through the platform admin's actions."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client as HttpClient

from articles import services as articles
from articles.models import Article, Collection, Kind
from audit.models import Action
from audit.services import Actor, record
from tenants import lifecycle, services
from tenants.models import Client, ClientStatus, Domain, Membership, PlatformEvent, Role, User

SCHEMA = "lifecyclex"
HOST = f"{SCHEMA}.{settings.KB_BASE_DOMAIN}"


@pytest.fixture
def client_x(world):
    client = services.client_create(schema_name=SCHEMA, name="Lifecycle Parcels")
    services.membership_set(user=world.acme_editor, client=client, role=Role.EDITOR)
    connection.set_tenant(client)
    collection = articles.collection_create(name="Refunds", acting_user=world.acme_editor)
    articles.article_create(
        kind=Kind.ARTICLE, collection=collection, acting_user=world.acme_editor, publish=True,
        content=articles.Content(title="Refunds over 100 EUR", language="en", tags=[], body="Ask a lead first."),
    )
    record(Action.SETTINGS_CHANGED, actor=Actor.of(world.acme_editor), label="life-cycle fixture")
    connection.set_schema_to_public()
    return client


def signed_in(user) -> HttpClient:
    http = HttpClient(HTTP_HOST=HOST)
    http.force_login(user)
    return http


def schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
        return cursor.fetchone() is not None


def collections_in(client) -> list[str]:
    connection.set_tenant(client)
    names = list(Collection.objects.values_list("name", flat=True))
    connection.set_schema_to_public()
    return sorted(names)


def test_read_only_reads_but_refuses_every_write_with_a_page_then_suspended_lets_nobody_in(world, client_x):
    http = signed_in(world.acme_editor)
    assert http.post("/collections/new/", {"name": "Before", "review_interval_days": 180}).status_code == 302
    call_command("kb_tenant_status", SCHEMA, "read-only", stdout=io.StringIO())
    assert http.get("/").status_code == 200
    refused = http.post("/collections/new/", {"name": "During", "review_interval_days": 180})
    assert refused.status_code == 403
    assert 'data-workspace-status="read_only"' in refused.content.decode()
    swapped = http.post("/collections/new/", {"name": "During"}, HTTP_HX_REQUEST="true")
    assert swapped["HX-Retarget"] == "body" and 'data-workspace-status="read_only"' in swapped.content.decode()
    api = http.post("/api/v1/search", {"q": "refund"})
    assert api.status_code == 403 and api.json()["error"]["code"] == "workspace_read_only"
    assert collections_in(client_x) == ["Before", "Refunds"]

    call_command("kb_tenant_status", SCHEMA, "suspended", stdout=io.StringIO())
    page = http.get("/")
    assert page.status_code == 403 and 'data-workspace-status="suspended"' in page.content.decode()
    assert http.get("/api/v1/search?q=refund").json()["error"]["code"] == "workspace_suspended"
    # Someone without access learns nothing of the status: the usual 404.
    assert signed_in(world.outsider).get("/").status_code == 404

    call_command("kb_tenant_status", SCHEMA, "active", stdout=io.StringIO())
    assert http.get("/").status_code == 200
    changes = [e.detail for e in PlatformEvent.objects.filter(schema_name=SCHEMA, action=PlatformEvent.Action.STATUS_CHANGED).order_by("at", "id")]
    assert changes == [{"before": "active", "after": "read-only"}, {"before": "read-only", "after": "suspended"},
                       {"before": "suspended", "after": "active"}]


def test_the_export_holds_the_knowledge_base_every_table_the_audit_log_and_the_members(world, client_x, tmp_path):
    output = tmp_path / "x.zip"
    call_command("kb_tenant_export", SCHEMA, "--output", str(output), stdout=io.StringIO())
    with zipfile.ZipFile(output) as archive:
        names = set(archive.namelist())
        assert {"MANIFEST.json", "client.json", "knowledge-base.zip", "audit-log.jsonl",
                "tables/articles_article.jsonl", "tables/permissions_auditevent.jsonl"} <= names
        with zipfile.ZipFile(io.BytesIO(archive.read("knowledge-base.zip"))) as knowledge:
            markdown = [n for n in knowledge.namelist() if n.endswith(".md") and "refunds-over" in n]
            assert markdown and "Ask a lead first." in knowledge.read(markdown[0]).decode()
        audit = [json.loads(line) for line in archive.read("audit-log.jsonl").decode().splitlines()]
        assert "life-cycle fixture" in [e["object_label"] for e in audit]
        public = json.loads(archive.read("client.json"))
        assert public["client"]["schema"] == SCHEMA
        assert [m["user__email"] for m in public["members"]] == [world.acme_editor.email]
        assert public["domains"] == [{"domain": HOST, "is_primary": True}]
        manifest = json.loads(archive.read("MANIFEST.json"))
        assert manifest["tables"]["articles_article"] == 1
        # Nothing of another client.
        assert b"Acme" not in archive.read("client.json")
    event = PlatformEvent.objects.get(schema_name=SCHEMA, action=PlatformEvent.Action.EXPORTED)
    assert event.detail["articles"] == 1 and event.detail["bytes"] == output.stat().st_size


def test_deleting_needs_a_suspended_client_and_its_name_then_drops_schema_and_rows_and_keeps_the_record(world, client_x):
    with pytest.raises(CommandError, match="suspend it first"):
        call_command("kb_tenant_delete", SCHEMA, "--confirm", SCHEMA)
    lifecycle.client_status_set(client=client_x, status=ClientStatus.SUSPENDED)
    with pytest.raises(CommandError, match="schema name"):
        call_command("kb_tenant_delete", SCHEMA, "--confirm", "acme")
    assert schema_exists(SCHEMA)
    call_command("kb_tenant_delete", SCHEMA, "--confirm", SCHEMA, stdout=io.StringIO())
    assert not schema_exists(SCHEMA)
    assert not Client.objects.filter(schema_name=SCHEMA).exists()
    assert not Domain.objects.filter(domain=HOST).exists()
    assert not Membership.objects.filter(client_id=client_x.pk).exists()
    event = PlatformEvent.objects.get(schema_name=SCHEMA, action=PlatformEvent.Action.DELETED)
    assert event.client_name == "Lifecycle Parcels"
    assert event.detail == {"members": 1, "domains": [HOST], "engagements": 0, "articles": 1}
    # The other clients are untouched.
    assert schema_exists("acme") and Client.objects.filter(schema_name="acme").exists()
    with pytest.raises(ValueError):
        event.delete()


def test_the_app_role_cannot_drop_a_schema_whose_deletion_is_not_recorded(world):
    from django.db import transaction
    from django.db.utils import DatabaseError

    with pytest.raises(DatabaseError, match="still belongs to a client"), transaction.atomic():
        lifecycle._drop_schema("acme")
    with pytest.raises(DatabaseError, match="invalid tenant schema name"), transaction.atomic():
        lifecycle._drop_schema("public")
    assert schema_exists("acme")


@pytest.fixture
def platform(world):
    staff = User.objects.create_superuser("platform.lifecycle@kb.test", world.password)
    http = HttpClient(HTTP_HOST=settings.KB_BASE_DOMAIN)
    http.force_login(staff)
    return http, staff


def test_the_platform_admin_suspends_exports_and_deletes_through_its_actions(world, client_x, platform):
    http, staff = platform
    url = "/admin/tenants/client/"
    assert http.post(url, {"action": "suspend", "_selected_action": [client_x.pk]}).status_code == 302
    client_x.refresh_from_db()
    assert client_x.status == ClientStatus.SUSPENDED
    event = PlatformEvent.objects.get(schema_name=SCHEMA, action=PlatformEvent.Action.STATUS_CHANGED)
    assert event.actor == staff and event.channel == "admin"

    export = http.post(url, {"action": "export_archive", "_selected_action": [client_x.pk]})
    assert export.status_code == 200 and export["Content-Type"] == "application/zip"
    assert "knowledge-base.zip" in zipfile.ZipFile(io.BytesIO(export.content)).namelist()

    # Deleting asks for the schema name first; a wrong one deletes nothing.
    confirm = http.post(url, {"action": "delete_clients", "_selected_action": [client_x.pk]})
    assert confirm.status_code == 200 and f'name="confirm_{client_x.pk}"' in confirm.content.decode()
    http.post(url, {"action": "delete_clients", "_selected_action": [client_x.pk], "confirmed": "yes",
                    f"confirm_{client_x.pk}": "wrong"})
    assert schema_exists(SCHEMA)
    http.post(url, {"action": "delete_clients", "_selected_action": [client_x.pk], "confirmed": "yes",
                    f"confirm_{client_x.pk}": SCHEMA})
    assert not schema_exists(SCHEMA) and not Client.objects.filter(pk=client_x.pk).exists()
    assert PlatformEvent.objects.get(schema_name=SCHEMA, action=PlatformEvent.Action.DELETED).actor == staff
    # The platform log is read-only in the admin too.
    assert http.get("/admin/tenants/platformevent/").status_code == 200
    assert http.get("/admin/tenants/platformevent/add/").status_code == 403


def test_an_active_client_cannot_be_deleted_from_the_admin(world, client_x, platform):
    http, _ = platform
    http.post("/admin/tenants/client/", {"action": "delete_clients", "_selected_action": [client_x.pk],
                                         "confirmed": "yes", f"confirm_{client_x.pk}": SCHEMA})
    assert schema_exists(SCHEMA) and Client.objects.filter(pk=client_x.pk).exists()
    connection.set_tenant(client_x)
    assert Article.objects.count() == 1


def test_deleting_a_client_removes_its_uploaded_files_from_the_storage(world, client_x, django_capture_on_commit_callbacks):
    from PIL import Image

    from articles.attachments import services as attachments
    from articles.attachments import storage

    image = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 200)).save(image, "PNG")
    connection.set_tenant(client_x)
    attachment = attachments.attachment_upload(data=image.getvalue(), name="map.png", acting_user=world.acme_editor)
    connection.set_schema_to_public()
    assert storage.stored_ids(schema=SCHEMA) == [str(attachment.pk)]
    connection.set_tenant(world.acme)
    kept = attachments.attachment_upload(data=image.getvalue(), name="kept.png", acting_user=world.acme_editor)
    connection.set_schema_to_public()
    lifecycle.client_status_set(client=client_x, status=ClientStatus.SUSPENDED)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.client_delete(client=client_x, confirm=SCHEMA)
    assert storage.stored_ids(schema=SCHEMA) == []
    assert not storage.store().exists(storage.path(attachment.pk, schema=SCHEMA))
    # Another client's files stay.
    assert storage.store().exists(storage.path(kept.pk, schema="acme"))
    storage.delete(kept.pk, schema="acme")


def test_a_platform_admin_who_may_only_view_clients_can_neither_suspend_nor_export_nor_delete(world, client_x):
    from django.contrib.auth.models import Permission

    viewer = User.objects.create_user("platform.viewer@kb.test", world.password, is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_client", content_type__app_label="tenants"))
    http = HttpClient(HTTP_HOST=settings.KB_BASE_DOMAIN)
    http.force_login(viewer)
    url = "/admin/tenants/client/"
    assert http.get(url).status_code == 200  # the list is theirs to see
    http.post(url, {"action": "suspend", "_selected_action": [client_x.pk]})
    client_x.refresh_from_db()
    assert client_x.status == ClientStatus.ACTIVE
    export = http.post(url, {"action": "export_archive", "_selected_action": [client_x.pk]})
    assert export.get("Content-Type") != "application/zip"
    Client.objects.filter(pk=client_x.pk).update(status=ClientStatus.SUSPENDED)
    http.post(url, {"action": "delete_clients", "_selected_action": [client_x.pk], "confirmed": "yes",
                    f"confirm_{client_x.pk}": SCHEMA})
    assert schema_exists(SCHEMA) and Client.objects.filter(pk=client_x.pk).exists()
    assert not PlatformEvent.objects.filter(schema_name=SCHEMA).exists()
