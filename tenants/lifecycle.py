"""A client's life cycle on the platform (issue 18): read-only, suspended, exported, deleted.

- **Read-only**: people still sign in and read; every write (a form post, an API write) answers a
  page (or JSON) saying the workspace is read-only, never a 500. For a client whose contract ends.
- **Suspended**: nobody gets in; members see a page saying so (non-members still get the 404 of
  any workspace that is not theirs: the status is not shown to strangers).
- **Export**: everything the client owns as one zip to take away: the knowledge base as Markdown
  (articles.transfer's format, importable again), every table of its schema as JSON lines (the
  audit log among them, also as `audit-log.jsonl`), and its public rows (domains, members,
  engagements, invitations) as `client.json`. Uploaded images and files are in the knowledge
  base's zip (those its exported revisions show: articles.transfer).
- **Delete**: only a suspended client; its public rows are removed (the cascade: domains,
  memberships, engagements, invitations), then its schema is dropped; once that commits,
  `client_deleted` lets the apps above remove what they keep outside the database (the
  attachments' stored bytes). A platform event (public
  schema, tenants.models.PlatformEvent) records who deleted what, with the counts, and outlives it.

Each step writes a PlatformEvent. Commands: kb_tenant_status, kb_tenant_export, kb_tenant_delete;
platform admin: the client list's actions (tenants.admin).

The site connects as the restricted app role (tenants.db_roles), which cannot drop a schema: the
owner installs `public.kb_drop_tenant_schema(name)` (SECURITY DEFINER), which drops only a schema
that no client row names any more and whose deletion the platform log has just recorded.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
import json
import logging
import zipfile
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.dispatch import Signal
from django.http import HttpResponse
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context
from psycopg import sql

from audit.services import Channel

from .api_auth import api_error, is_api_request
from .models import Client, ClientStatus, PlatformEvent

DROP_FUNCTION = "kb_drop_tenant_schema"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
# How long after its recorded deletion a schema may still be dropped by the app role.
DROP_WINDOW = "1 hour"

logger = logging.getLogger(__name__)

# Sent once a client's deletion has committed, with `schema_name`: what the apps above keep
# outside the database for that schema (the attachments' stored bytes) goes too.
client_deleted = Signal()


class LifecycleError(Exception):
    """A life-cycle step refused (deleting an active client, a wrong confirmation)."""


def _event(action: str, client: Client, *, actor=None, channel: Channel, detail: dict | None = None) -> PlatformEvent:
    person = actor if getattr(actor, "is_authenticated", False) else None
    return PlatformEvent.objects.create(
        action=action, schema_name=client.schema_name, client_name=client.name, channel=str(channel),
        actor=person, actor_label=getattr(person, "email", "") or "", detail=detail or {},
    )


def _require_tenant(client: Client) -> None:
    if client.schema_name in (get_public_schema_name(), settings.TENANT_BASE_SCHEMA):
        raise LifecycleError(_("The public site and the template are not clients."))


# --------------------------------------------------------------------------- status

def client_status_set(*, client: Client, status: str, actor=None, channel: Channel = Channel.COMMAND) -> Client:
    _require_tenant(client)
    status = ClientStatus(status)
    before = client.status
    if before == status:
        return client
    Client.objects.filter(pk=client.pk).update(status=status)
    client.status = status
    _event(PlatformEvent.Action.STATUS_CHANGED, client, actor=actor, channel=channel,
           detail={"before": before, "after": str(status)})
    return client


class ClientStatusMiddleware:
    """After TenantAccessMiddleware: a suspended client answers members with a page saying so; a
    read-only one refuses writes with a page (JSON on the API). 403: the person may not do it now."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant = getattr(request, "tenant", None)
        if getattr(request, "workspace", None) is None or tenant is None:
            return self.get_response(request)
        if tenant.status == ClientStatus.SUSPENDED:
            return self._refuse(request, "suspended", _("This workspace is suspended: nobody can use it for now."))
        if tenant.status == ClientStatus.READ_ONLY and request.method not in SAFE_METHODS:
            return self._refuse(request, "read_only", _("This workspace is read-only: you can read it, nothing can be changed."))
        return self.get_response(request)

    def _refuse(self, request, code: str, message: str) -> HttpResponse:
        if is_api_request(request):
            return api_error(403, f"workspace_{code}", message)
        html = loader.render_to_string("tenants/workspace_status.html", {"code": code, "message": message}, request=request)
        if request.headers.get("HX-Request"):
            # htmx swaps nothing on a 4xx: an htmx write gets the page in place of the whole body.
            response = HttpResponse(html, status=200)
            response["HX-Retarget"] = "body"
            response["HX-Reswap"] = "innerHTML"
            return response
        return HttpResponse(html, status=403)


# --------------------------------------------------------------------------- export

def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def _public_rows(client: Client) -> dict:
    return {
        "client": {"schema": client.schema_name, "name": client.name, "status": client.status,
                   "created_at": client.created_at, "image_sources": client.image_sources,
                   "hide_author_names_from_providers": client.hide_author_names_from_providers},
        "domains": list(client.domains.values("domain", "is_primary")),
        "members": list(client.memberships.values("user__email", "user__full_name", "role", "created_at")),
        "engagements": list(client.engagements.values("provider__name", "started_at", "ended_at")),
        "invitations": list(client.invitations.values("email", "role", "created_at", "expires_at",
                                                      "accepted_at", "revoked_at")),
    }


def _tables(cursor, schema: str) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", [schema])
    return [name for (name,) in cursor.fetchall()]


def client_export(*, client: Client, actor=None, channel: Channel = Channel.COMMAND) -> tuple[bytes, dict]:
    """The client's archive (bytes) and what is in it, read in one transaction."""
    from articles import transfer
    from articles.models import Article, Collection

    _require_tenant(client)
    counts: dict[str, int] = {}
    buffer = io.BytesIO()
    with transaction.atomic():
        public = _public_rows(client)
        with schema_context(client.schema_name), zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            knowledge = transfer.export_zip(Collection.objects.all(), Article.objects.all())
            archive.writestr("knowledge-base.zip", knowledge)
            archive.writestr("client.json", json.dumps(public, indent=2, default=_jsonable, ensure_ascii=False) + "\n")
            with connection.cursor() as cursor:
                for table in _tables(cursor, client.schema_name):
                    cursor.execute(sql.SQL("SELECT row_to_json(t)::text FROM {}.{} t").format(
                        sql.Identifier(client.schema_name), sql.Identifier(table)))
                    rows = [row for (row,) in cursor.fetchall()]
                    counts[table] = len(rows)
                    archive.writestr(f"tables/{table}.jsonl", "".join(f"{row}\n" for row in rows))
                    if table == "permissions_auditevent":
                        archive.writestr("audit-log.jsonl", "".join(f"{row}\n" for row in rows))
            manifest = {"format": "kbportal-client-export/1", "client": client.schema_name, "name": client.name,
                        "exported_at": timezone.now().isoformat(), "tables": counts,
                        "members": len(public["members"])}
            archive.writestr("MANIFEST.json", json.dumps(manifest, indent=2) + "\n")
    data = buffer.getvalue()
    summary = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
               "articles": counts.get("articles_article", 0), "audit_events": counts.get("permissions_auditevent", 0)}
    _event(PlatformEvent.Action.EXPORTED, client, actor=actor, channel=channel, detail=summary)
    return data, summary


# --------------------------------------------------------------------------- delete

def client_delete(*, client: Client, confirm: str, actor=None, channel: Channel = Channel.COMMAND) -> PlatformEvent:
    """Delete a suspended client: the platform event first, then its public rows, then its
    schema, in one transaction (the schema is dropped or nothing is)."""
    _require_tenant(client)
    if confirm != client.schema_name:
        raise LifecycleError(_("Type the client's schema name to confirm the deletion."))
    client.refresh_from_db(fields=["status"])
    if client.status != ClientStatus.SUSPENDED:
        raise LifecycleError(_("Only a suspended client can be deleted: suspend it first."))
    with transaction.atomic():
        detail = {"members": client.memberships.count(), "domains": list(client.domains.values_list("domain", flat=True)),
                  "engagements": client.engagements.count()}
        with schema_context(client.schema_name), connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM articles_article")
            detail["articles"] = cursor.fetchone()[0]
        event = _event(PlatformEvent.Action.DELETED, client, actor=actor, channel=channel, detail=detail)
        schema = client.schema_name
        client.delete()  # the row and its cascade; auto_drop_schema is off
        _drop_schema(schema)
        transaction.on_commit(functools.partial(_announce_deleted, schema))
    connection.set_schema_to_public()
    return event


def _announce_deleted(schema: str) -> None:
    for receiver, outcome in client_deleted.send_robust(sender=Client, schema_name=schema):
        if isinstance(outcome, Exception):
            logger.error("after deleting client %s: %r failed: %r", schema, receiver, outcome)


def _drop_schema(schema: str) -> None:
    with connection.cursor() as cursor:
        # Deferred foreign-key checks of rows written earlier in this transaction must run before
        # their tables can be dropped.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SELECT to_regprocedure(%s) IS NOT NULL", [f"public.{DROP_FUNCTION}(text)"])
        if cursor.fetchone()[0]:
            cursor.execute(sql.SQL("SELECT public.{}(%s)").format(sql.Identifier(DROP_FUNCTION)), [schema])
        else:  # a database kb_setup has not prepared: the owner drops it directly
            cursor.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def install_drop_function(app_role: str | None) -> None:
    """(Re)install `public.kb_drop_tenant_schema(name)` (called by tenants.db_roles.install, as the owner)."""
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL(
            """
            CREATE OR REPLACE FUNCTION public.{fn}(old_schema text) RETURNS void
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $fn$
            BEGIN
                IF old_schema !~ '^[a-z_][a-z0-9_]{{0,62}}$' OR old_schema ~ '^pg_'
                   OR old_schema IN ('public', 'information_schema', {template}) THEN
                    RAISE EXCEPTION 'invalid tenant schema name %', old_schema;
                END IF;
                IF EXISTS (SELECT 1 FROM public.tenants_client WHERE schema_name = old_schema) THEN
                    RAISE EXCEPTION 'schema % still belongs to a client', old_schema;
                END IF;
                IF NOT EXISTS (SELECT 1 FROM public.tenants_platformevent WHERE schema_name = old_schema
                               AND action = 'client.deleted' AND at > now() - interval {window}) THEN
                    RAISE EXCEPTION 'no recorded deletion of client %', old_schema;
                END IF;
                EXECUTE format('DROP SCHEMA IF EXISTS %I CASCADE', old_schema);
            END $fn$;
            REVOKE ALL ON FUNCTION public.{fn}(text) FROM PUBLIC;
            """
        ).format(fn=sql.Identifier(DROP_FUNCTION), template=sql.Literal(settings.TENANT_BASE_SCHEMA),
                 window=sql.Literal(DROP_WINDOW)))
        if app_role:
            cursor.execute(sql.SQL("GRANT EXECUTE ON FUNCTION public.{}(text) TO {}").format(
                sql.Identifier(DROP_FUNCTION), sql.Identifier(app_role)))
