"""Backup and restore of the whole database (every schema), around pg_dump / pg_restore, run as
the owner role. A restore must never reopen access that was closed after the backup was taken:

- every session is deleted (everyone signs in again: a sign-out, a deactivation or a password
  change made after the backup cannot be undone by the restore);
- every API token still active in the backup is revoked (a revocation made after the backup is
  unknown to it); their owners create new ones in their profile;
- grants revoked or expired after the backup, read from the audit logs of the database being
  replaced (when it is still readable), are revoked again;
- each tenant's audit log records the restore (backup time, what was cleared and re-revoked).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone
from psycopg import sql

from audit.services import Actor, Channel

CREATED_AT = re.compile(r"^;\s+Archive created at (.+)$", re.MULTILINE)


def _db() -> dict:
    return settings.DATABASES["default"]


def _env() -> dict:
    db = _db()
    # TZ=UTC: pg_dump writes its "created at" in local time, which the restore reads back.
    env = {**os.environ, "TZ": "UTC", "PGHOST": db["HOST"] or "127.0.0.1", "PGPORT": str(db["PORT"] or 5432),
           "PGUSER": db["USER"] or "postgres"}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def backup(output: Path) -> Path:
    """Dump the whole database (custom format: compressed, restorable object by object)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603 - fixed argv
        ["pg_dump", "--format=custom", "--file", str(output), "--dbname", _db()["NAME"]],  # noqa: S607
        env=_env(), check=True,
    )
    return output


def backup_time(path: Path) -> dt.datetime:
    """When the dump was taken (pg_dump writes it into the archive's header)."""
    listing = subprocess.run(  # noqa: S603 - fixed argv
        ["pg_restore", "--list", str(path)], env=_env(), check=True, capture_output=True, text=True,  # noqa: S607
    ).stdout
    found = CREATED_AT.search(listing)
    if not found:
        raise ValueError(f"{path} is not a pg_dump archive")
    stamp = found.group(1).strip()
    for fmt in ("%Y-%m-%d %H:%M:%S %Z", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(stamp.replace(" UTC", ""), fmt.replace(" %Z", "")).replace(tzinfo=dt.UTC)
        except ValueError:
            continue
    raise ValueError(f"cannot read the backup time {stamp!r}")


@dataclass
class RestoreReport:
    backed_up_at: dt.datetime
    sessions_cleared: int = 0
    tokens_revoked: int = 0
    grants_revoked_again: list[dict] = field(default_factory=list)
    revocations_not_replayed: list[dict] = field(default_factory=list)
    tenants: list[str] = field(default_factory=list)


REPLAYED = ("grant.revoked", "grant.expired")
# Access closed after the backup that the restore already undoes by clearing sessions and
# tokens, or that cannot be matched reliably: reported, for an admin to check.
REPORTED = ("person.removed", "role.changed", "engagement.ended", "team.member-removed", "provider.leaves")


def closed_access_since(moment: dt.datetime) -> list[dict]:
    """Access-closing events after `moment` in every tenant's audit log of the current database."""
    from audit.models import AuditEvent
    from tenants.models import Client

    events = []
    for client in Client.objects.exclude(schema_name="public"):
        connection.set_tenant(client)
        for event in AuditEvent.objects.filter(at__gt=moment, action__in=REPLAYED + REPORTED).order_by("at", "id"):
            events.append({"schema": client.schema_name, "action": event.action, "at": event.at.isoformat(),
                           "object_type": event.object_type, "object_id": event.object_id,
                           "object_label": event.object_label, "detail": event.detail})
    connection.set_schema_to_public()
    return events


def other_connections(name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [name])
        return cursor.fetchone()[0]


def _maintenance():
    import psycopg

    db = _db()
    return psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"] or "postgres",
                           password=db.get("PASSWORD") or None, dbname="postgres", autocommit=True)


def database_exists(name: str) -> bool:
    with _maintenance() as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def replace_database(path: Path, *, terminate: bool) -> None:
    """Drop the database, create it again (owned by this role) and restore the dump into it."""
    name = _db()["NAME"]
    connections.close_all()
    with _maintenance() as conn:
        others = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [name]).fetchall()
        if others and not terminate:
            raise RuntimeError(
                f"{len(others)} other connection(s) to {name}: stop the site, worker and beat first "
                "(or pass --terminate to close them)")
        for (pid,) in others:
            conn.execute("SELECT pg_terminate_backend(%s)", [pid])
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(sql.Identifier(name)))
    subprocess.run(  # noqa: S603 - fixed argv
        ["pg_restore", "--exit-on-error", "--single-transaction", "--dbname", name, str(path)],  # noqa: S607
        env=_env(), check=True,
    )


def _revoke_again(event: dict) -> bool:
    """Revoke, in the restored tenant, the grant an audit event says was revoked or expired."""
    from permissions import services
    from permissions.models import (
        ArticlePersonGrant,
        ArticleTeamGrant,
        CollectionPersonGrant,
        CollectionTeamGrant,
    )

    grantee, level = event["detail"].get("grantee"), event["detail"].get("level")
    models = {"collection": (CollectionTeamGrant, CollectionPersonGrant), "article": (ArticleTeamGrant, ArticlePersonGrant)}
    kind = (event["object_type"] or "").split(".")[-1].lower()
    if kind not in models or not grantee or not event["object_id"]:
        return False
    team_model, person_model = models[kind]
    grants = [g for g in team_model.objects.filter(content_object_id=event["object_id"]).select_related("group__provider_team")
              if str(g.group.provider_team) == grantee]
    grants += list(person_model.objects.filter(content_object_id=event["object_id"], user__email=grantee))
    grants = [g for g in grants if g.level == level] or grants
    for grant in grants:
        services.grant_revoke(grant=grant, acting_user=None, actor=Actor.system(Channel.COMMAND))
    return bool(grants)


@transaction.atomic
def invalidate_after_restore(report: RestoreReport, closed: list[dict]) -> None:
    from django.contrib.sessions.models import Session

    from audit import services as audit
    from audit.models import Action
    from tenants.models import ApiToken, Client

    now = timezone.now()
    report.sessions_cleared = Session.objects.count()
    Session.objects.all().delete()
    report.tokens_revoked = ApiToken.objects.active().update(revoked_at=now)
    clients = {c.schema_name: c for c in Client.objects.exclude(schema_name="public")}
    for event in closed:
        client = clients.get(event["schema"])
        if client is None:
            continue
        connection.set_tenant(client)
        if event["action"] in REPLAYED and _revoke_again(event):
            report.grants_revoked_again.append(event)
        elif event["action"] in REPORTED:
            report.revocations_not_replayed.append(event)
    for schema, client in clients.items():
        connection.set_tenant(client)
        audit.record(Action.BACKUP_RESTORED, actor=Actor.system(Channel.COMMAND), label="kbportal restore", detail={
            "backed_up_at": report.backed_up_at.isoformat(), "restored_at": now.isoformat(),
            "sessions_cleared": report.sessions_cleared, "api_tokens_revoked": report.tokens_revoked,
            "grants_revoked_again": sum(1 for e in report.grants_revoked_again if e["schema"] == schema),
            "to_check": [f'{e["action"]} {e["object_label"]} ({e["at"]})'
                         for e in report.revocations_not_replayed if e["schema"] == schema],
        })
        report.tenants.append(schema)
    connection.set_schema_to_public()
