"""The demo (`make run`: kbportal.settings.local) serves the product's own error pages, never
Django's technical ones, and its demo accounts still sign in: "demo accounts allowed" is
KB_DEMO_ACCOUNTS, not DEBUG.

The app runs in a process of its own with the demo's settings, exactly as `make run` loads
them (no DEBUG or KB_DEMO_ACCOUNTS in the environment), on this run's test database (the
session's world is committed) and the tests' Redis database. Two routes are added to the
public URLconf in that process to provoke a 500 and a DisallowedRedirect; every other answer
comes from the real site.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
TECHNICAL = ("Traceback", "DEBUG = True", "Using the URLconf", "technical_500", "Request Method:",
             "You’re seeing this error", "You're seeing this error")

SCRIPT = r"""
import json, os
import django
django.setup()
from django.conf import settings
from django.http import HttpResponseRedirect
from django.test import Client
from django.urls import path

import kbportal.urls_public as urls_public
from tenants.auth import AccountBackend
from tenants.models import User


def boom(request):
    raise RuntimeError("a bug")


def far(request):
    return HttpResponseRedirect("/" + "x" * 20_000)  # longer than Django lets a redirect be


urls_public.urlpatterns += [path("demo-test/boom/", boom), path("demo-test/far/", far)]
base = settings.KB_BASE_DOMAIN
results = {}


def record(name, response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    results[name] = {"status": response.status_code, "body": body.decode(errors="replace")}


anonymous = Client(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
record("404", anonymous.get("/no-such-page/", HTTP_HOST=base))
record("404_no_workspace", anonymous.get("/", HTTP_HOST="nowhere." + base))
record("500", anonymous.get("/demo-test/boom/", HTTP_HOST=base))
record("400_redirect", anonymous.get("/demo-test/far/", HTTP_HOST=base))
record("400_fields", anonymous.get("/accounts/sign-in/?" + "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)), HTTP_HOST=base))
record("400_nul", anonymous.get("/accounts/sign-in/?next=%00", HTTP_HOST=base))
record("400_host", anonymous.get("/", HTTP_HOST="evil.example"))
record("static", anonymous.get("/static/css/app.css", HTTP_HOST=base))
agent = Client(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
agent.force_login(User.objects.get(email="agent.acme@helios.test"))
record("404_agent", agent.get("/articles/nope/nothing-here/", HTTP_HOST="acme." + base))
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "KB_DEMO_ACCOUNTS": settings.KB_DEMO_ACCOUNTS,
    "demo_account_may_sign_in": AccountBackend().user_can_authenticate(User(is_active=True, is_demo=True)),
    "results": results,
}))
"""


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        name = connection.settings_dict["NAME"]
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "KB_DEMO_ACCOUNTS"}}
    env.update(
        DJANGO_SETTINGS_MODULE="kbportal.settings.local",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{name}",
        DB_CONN_MAX_AGE="0",
        REDIS_URL=settings.CACHES["default"]["LOCATION"],
        LOG_LEVEL="CRITICAL",
    )
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_demo_runs_with_debug_off_and_demo_accounts_on(demo):
    assert demo["DEBUG"] is False
    assert demo["KB_DEMO_ACCOUNTS"] is True
    assert demo["demo_account_may_sign_in"] is True


@pytest.mark.parametrize(("case", "status"), [
    ("404", 404), ("404_no_workspace", 404), ("404_agent", 404), ("500", 500),
    ("400_redirect", 400), ("400_fields", 400), ("400_nul", 400), ("400_host", 400),
])
def test_the_demo_answers_errors_with_the_product_pages(demo, case, status):
    result = demo["results"][case]
    assert result["status"] == status
    for marker in TECHNICAL:
        assert marker not in result["body"], f"{case}: Django's technical page ({marker!r})"
    assert f'data-error-page="{status}"' in result["body"]


def test_the_demo_names_the_admins_to_a_member_only(demo):
    assert "administrator of this workspace" in demo["results"]["404_agent"]["body"]
    assert "Back to the lookup" in demo["results"]["404_agent"]["body"]
    assert "administrator of this workspace" not in demo["results"]["404_no_workspace"]["body"]


def test_the_demo_serves_static_files_with_debug_off(demo):
    assert demo["results"]["static"]["status"] == 200
    assert ".topbar" in demo["results"]["static"]["body"]
