"""`manage.py kb_backup` / `kb_restore` (tenants.backup) on a database of their own, a copy of the
test world: a restore never reopens access closed after the backup.

Backup; then a token revoked, a session signed out and a grant revoked; restore: the token and
the session are refused, the grant is revoked again, and every tenant's log records the restore.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent

SETUP = """
import json
from django.db import connection
from django.test import Client as Http
from articles.models import Collection
from permissions import services as grants
from tenants import services
from tenants.services import tokens
from tenants.models import Client, ProviderOrganisation, User
agent = User.objects.get(email="agent.both@helios.test")
_, raw = tokens.token_create(user=agent, name="CTI")
http = Http(HTTP_HOST="acme.kb.localhost")
http.force_login(User.objects.get(email="viewer@acme.test"))
acme = Client.objects.get(schema_name="acme")
team = services.team_create(provider=ProviderOrganisation.objects.get(name="Helios Contact"), name="Night shift")
connection.set_tenant(acme)
refunds = Collection.objects.create(name="Refunds", slug="refunds-restore")
grants.grant_give(target=refunds, level="read", team=team, acting_user=User.objects.get(email="admin@acme.test"))
print(json.dumps({"token": raw, "session": http.cookies["kb_session"].value, "collection": refunds.pk}))
"""

REVOKE = """
import json
from django.contrib.sessions.models import Session
from django.db import connection
from permissions import services as grants
from permissions.models import CollectionTeamGrant
from tenants.services import tokens
from tenants.models import ApiToken, Client, User
agent = User.objects.get(email="agent.both@helios.test")
tokens.token_revoke(token=ApiToken.objects.get(user=agent, name="CTI"), acting_user=agent)
Session.objects.filter(session_key=STATE["session"]).delete()  # signed out
connection.set_tenant(Client.objects.get(schema_name="acme"))
grant = CollectionTeamGrant.objects.get(content_object_id=STATE["collection"])
grants.grant_revoke(grant=grant, acting_user=User.objects.get(email="admin@acme.test"))
print(json.dumps({}))
"""

CHECK = """
import json
from django.db import connection
from django.test import Client as Http
from audit.models import AuditEvent
from permissions.models import CollectionTeamGrant
from tenants.models import Client
api = Http(HTTP_HOST="acme.kb.localhost").get("/api/v1/search?q=refund", HTTP_AUTHORIZATION="Bearer " + STATE["token"])
browser = Http(HTTP_HOST="acme.kb.localhost")
browser.cookies["kb_session"] = STATE["session"]
page = browser.get("/")
logs = {}
for client in Client.objects.exclude(schema_name="public"):
    connection.set_tenant(client)
    logs[client.schema_name] = [e.detail for e in AuditEvent.objects.filter(action="backup.restored")]
connection.set_tenant(Client.objects.get(schema_name="acme"))
grant = CollectionTeamGrant.objects.filter(content_object_id=STATE["collection"]).exists()
print(json.dumps({"api": api.status_code, "page": page.status_code, "location": page.get("Location", ""),
                  "grant": grant, "logs": logs}))
"""


def _env(database: str) -> dict:
    base = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "KB_APP_DB_ROLE", "DATABASE_OWNER_URL")}
    return {**base, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
            "DJANGO_SETTINGS_MODULE": "kbportal.settings.test", "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}


def manage(database: str, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=_env(database),
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def shell(database: str, code: str, state: dict | None = None) -> dict:
    out = manage(database, "shell", "-c", f"STATE = {state or {}!r}\n{code}").stdout
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture
def scratch(django_db_setup, tmp_path):
    """A database of the test's own, restored from a backup of the session's world."""
    source = settings.DATABASES["default"]["NAME"]
    name = f"{source}_restore"
    manage(source, "kb_backup", "--output", str(tmp_path / "world.dump"))
    manage(name, "kb_restore", str(tmp_path / "world.dump"), "--yes")
    yield name
    with psycopg.connect(host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def test_a_restore_never_reopens_access_closed_after_the_backup(scratch, tmp_path):
    state = shell(scratch, SETUP)
    before = shell(scratch, CHECK, state)
    assert (before["api"], before["page"], before["grant"]) == (200, 200, True)

    backup = manage(scratch, "kb_backup", "--output", str(tmp_path / "nightly.dump"))
    assert "Backup written to" in backup.stdout
    shell(scratch, REVOKE, state)
    revoked = shell(scratch, CHECK, state)
    assert (revoked["api"], revoked["page"], revoked["grant"]) == (401, 302, False)

    restore = manage(scratch, "kb_restore", str(tmp_path / "nightly.dump"), "--yes")
    assert "grants revoked after the backup, revoked again: 1" in restore.stdout
    after = shell(scratch, CHECK, state)
    assert after["api"] == 401, "the token revoked after the backup works again"
    assert after["page"] == 302 and "/accounts/sign-in/" in after["location"], "the signed-out session works again"
    assert after["grant"] is False, "the grant revoked after the backup is back"
    for schema in ("acme", "lumiere"):
        entry = after["logs"][schema][0]  # the latest (the fixture's own restore came first)
        assert len(after["logs"][schema]) == 2
        assert entry["api_tokens_revoked"] >= 1 and entry["sessions_cleared"] >= 1
    assert after["logs"]["acme"][0]["grants_revoked_again"] == 1


def test_a_restore_refuses_while_the_site_is_connected_and_asks_before_replacing(scratch, tmp_path):
    manage(scratch, "kb_backup", "--output", str(tmp_path / "b.dump"))
    with psycopg.connect(host="127.0.0.1", user="postgres", dbname=scratch):  # "the site", still running
        result = subprocess.run([sys.executable, "manage.py", "kb_restore", str(tmp_path / "b.dump"), "--yes"],
                                cwd=ROOT, env=_env(scratch), capture_output=True, text=True, timeout=600)
        assert result.returncode != 0
        assert "other connection(s)" in result.stderr and "stop the site" in result.stderr
    cancelled = subprocess.run([sys.executable, "manage.py", "kb_restore", str(tmp_path / "b.dump")], input="no\n",
                               cwd=ROOT, env=_env(scratch), capture_output=True, text=True, timeout=600)
    assert cancelled.returncode != 0 and "Restore cancelled" in cancelled.stderr


def test_after_a_point_in_time_recovery_the_clean_up_alone_signs_everyone_out(scratch):
    state = shell(scratch, SETUP)
    assert shell(scratch, CHECK, state)["api"] == 200
    result = manage(scratch, "kb_restore", "--recovered-to", "2026-01-01T02:00:00Z")
    assert "API tokens revoked (their owners create new ones): 1" in result.stdout
    after = shell(scratch, CHECK, state)
    assert (after["api"], after["page"]) == (401, 302)
    assert after["grant"] is True  # nothing was restored
    assert after["logs"]["acme"][0]["backed_up_at"] == "2026-01-01T02:00:00+00:00"
