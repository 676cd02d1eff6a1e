"""Sign-in: e-mail login, new session, lock by account (not by IP), session lifetimes."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache
from django.test import Client as HttpClient
from django.test import override_settings

from tenants.models import User

from .conftest import host

PUBLIC = "kb.localhost"


@pytest.fixture(autouse=True)
def _clear_lockouts():
    cache.clear()
    yield
    cache.clear()


def sign_in(http, email, password, next_url=""):
    data = {"username": email, "password": password}
    if next_url:
        data["next"] = next_url
    return http.post("/accounts/sign-in/", data, HTTP_HOST=PUBLIC)


def test_it_signs_in_with_email_and_starts_a_new_session(world):
    http = HttpClient()
    http.get("/accounts/sign-in/", HTTP_HOST=PUBLIC)
    http.session["probe"] = 1
    before = http.session.session_key
    response = sign_in(http, "Editor@Acme.test", world.password)
    assert response.status_code == 302
    assert http.session.session_key != before
    assert int(http.session["_auth_user_id"]) == world.acme_editor.pk


def test_wrong_password_is_a_clear_error_and_keeps_the_email(world):
    response = sign_in(HttpClient(), "editor@acme.test", "nope")
    body = response.content.decode()
    assert response.status_code == 200
    assert "do not match" in body
    assert 'value="editor@acme.test"' in body


def test_account_locks_after_repeated_failures_even_with_the_right_password(world, settings):
    http = HttpClient()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        sign_in(http, "viewer@acme.test", "wrong")
    response = sign_in(http, "viewer@acme.test", world.password)
    assert response.status_code == 200
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in http.session


def test_lock_is_per_account_so_a_shared_office_ip_is_not_locked_out(world, settings):
    for _ in range(settings.LOGIN_MAX_FAILURES + 2):
        sign_in(HttpClient(REMOTE_ADDR="203.0.113.7"), "viewer@acme.test", "wrong")
    colleague = HttpClient(REMOTE_ADDR="203.0.113.7")
    assert sign_in(colleague, "editor@acme.test", world.password).status_code == 302


def test_lock_cools_off(world, settings):
    settings.LOGIN_LOCKOUT_SECONDS = 1
    for _ in range(settings.LOGIN_MAX_FAILURES):
        sign_in(HttpClient(), "viewer@acme.test", "wrong")
    time.sleep(1.2)
    assert sign_in(HttpClient(), "viewer@acme.test", world.password).status_code == 302


def test_redirects_after_sign_in_to_a_tenant_but_never_off_site(world):
    ok = sign_in(HttpClient(), "editor@acme.test", world.password, "http://acme.kb.localhost/")
    assert ok["Location"] == "http://acme.kb.localhost/"
    evil = sign_in(HttpClient(), "editor@acme.test", world.password, "https://evil.example/")
    assert "evil.example" not in evil["Location"]


def test_demo_accounts_only_work_with_the_demo_setting_not_debug(world):
    User.objects.create_user("demo@acme.test", "demo-password-123", is_demo=True)
    assert sign_in(HttpClient(), "demo@acme.test", "demo-password-123").status_code == 200
    with override_settings(DEBUG=True):  # DEBUG alone opens nothing
        assert sign_in(HttpClient(), "demo@acme.test", "demo-password-123").status_code == 200
    with override_settings(KB_DEMO_ACCOUNTS=True):
        assert sign_in(HttpClient(), "demo@acme.test", "demo-password-123").status_code == 302


def signed_in(world):
    http = HttpClient()
    assert sign_in(http, "editor@acme.test", world.password).status_code == 302
    return http


def test_inactivity_ends_the_session(world, settings):
    http = signed_in(world)
    session = http.session
    session["kb_seen_at"] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 5
    session.save()
    response = http.get("/", HTTP_HOST=host(world.acme))
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    assert "_auth_user_id" not in http.session


def test_absolute_lifetime_ends_the_session_even_when_active(world, settings):
    http = signed_in(world)
    session = http.session
    session["kb_signed_in_at"] = int(time.time()) - settings.SESSION_MAX_AGE_SECONDS - 5
    session.save()
    response = http.get("/", HTTP_HOST=host(world.acme))
    assert response.status_code == 302
    assert "_auth_user_id" not in http.session


def test_one_sign_in_serves_every_tenant_subdomain(world, settings):
    assert settings.SESSION_COOKIE_DOMAIN == ".kb.localhost"
    http = HttpClient()
    sign_in(http, "agent.both@helios.test", world.password)
    assert http.get("/", HTTP_HOST=host(world.acme)).status_code == 200
    assert http.get("/", HTTP_HOST=host(world.lumiere)).status_code == 200


def test_sign_out_needs_post_and_ends_the_session(world):
    http = signed_in(world)
    assert http.get("/accounts/sign-out/", HTTP_HOST=host(world.acme)).status_code == 405
    http.post("/accounts/sign-out/", HTTP_HOST=host(world.acme))
    assert "_auth_user_id" not in http.session


def test_forms_require_csrf(world):
    http = HttpClient(enforce_csrf_checks=True)
    response = http.post("/accounts/sign-in/", {"username": "editor@acme.test", "password": world.password}, HTTP_HOST=PUBLIC)
    assert response.status_code == 403


def test_language_switch_persists_on_the_person(world):
    http = signed_in(world)
    http.post("/i18n/setlang/", {"language": "fr", "next": "/"}, HTTP_HOST=host(world.acme))
    world.acme_editor.refresh_from_db()
    assert world.acme_editor.language == "fr"
    fresh = HttpClient()
    fresh.force_login(world.acme_editor)
    body = fresh.get("/", HTTP_HOST=host(world.acme)).content.decode()
    assert "Se déconnecter" in body
    assert '<html lang="fr">' in body
