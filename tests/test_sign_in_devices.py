"""OWASP's device cookies (tenants.auth): failures from browsers that never signed in to an
account lock only those browsers, with growing delays; a browser that signed in before keeps a
count of its own, so an attacker hammering an agent's e-mail cannot lock the agent out of their
own workstation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client as HttpClient
from django.utils import timezone

from tenants import auth
from tenants.models import SignInLockout

PUBLIC = "kb.localhost"
LOCKED = "Too many failed attempts"


def sign_in(http, email, password):
    return http.post("/accounts/sign-in/", {"username": email, "password": password}, HTTP_HOST=PUBLIC)


@pytest.fixture(autouse=True)
def _no_lockouts(db):
    SignInLockout.objects.all().delete()


def trusted_browser(world, email="viewer@acme.test") -> HttpClient:
    """A browser that signed in to the account once, then signed out: it keeps its device cookie."""
    http = HttpClient()
    assert sign_in(http, email, world.password).status_code == 302
    assert http.cookies[auth.DEVICE_COOKIE].value
    http.post("/accounts/sign-out/", HTTP_HOST=PUBLIC)
    assert "_auth_user_id" not in http.session
    return http


def test_an_attackers_failures_never_lock_the_trusted_browser(world, settings):
    workstation = trusted_browser(world)
    attacker = HttpClient()
    for n in range(settings.LOGIN_MAX_FAILURES * 3):
        sign_in(attacker, "viewer@acme.test", f"guess-{n}")
    assert LOCKED in sign_in(attacker, "viewer@acme.test", world.password).content.decode()
    # The agent's own browser still signs in, while the account is being hammered.
    assert sign_in(workstation, "viewer@acme.test", world.password).status_code == 302
    assert "_auth_user_id" in workstation.session


def test_an_untrusted_browser_is_locked_after_the_threshold(world, settings):
    trusted_browser(world)  # the account has a trusted browser somewhere: it does not help others
    first = HttpClient()
    for n in range(settings.LOGIN_MAX_FAILURES):
        assert "do not match" in sign_in(first, "viewer@acme.test", f"guess-{n}").content.decode()
    assert LOCKED in sign_in(first, "viewer@acme.test", world.password).content.decode()
    # Every browser without the account's device cookie shares that lock: a new one is locked
    # too (the attacker cannot shed it by dropping cookies), and so is a forged cookie.
    assert LOCKED in sign_in(HttpClient(), "viewer@acme.test", world.password).content.decode()
    forged = HttpClient()
    forged.cookies[auth.DEVICE_COOKIE] = signing.dumps([["0" * 32, "x"]], salt="another-salt")
    assert LOCKED in sign_in(forged, "viewer@acme.test", world.password).content.decode()
    # Another account is not touched.
    assert sign_in(HttpClient(), "editor@acme.test", world.password).status_code == 302


def test_a_trusted_browsers_own_failures_lock_only_that_browser(world, settings):
    workstation = trusted_browser(world)
    for n in range(settings.LOGIN_MAX_FAILURES):
        sign_in(workstation, "viewer@acme.test", f"typo-{n}")
    assert LOCKED in sign_in(workstation, "viewer@acme.test", world.password).content.decode()
    # The untrusted browsers' count was never touched: a new browser still signs in.
    assert sign_in(HttpClient(), "viewer@acme.test", world.password).status_code == 302


def test_the_device_cookie_is_signed_per_account_and_http_only(world, settings):
    http = HttpClient()
    sign_in(http, "viewer@acme.test", world.password)
    cookie = http.cookies[auth.DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == auth.DEVICE_MAX_AGE
    entries = signing.loads(cookie.value, salt=auth.DEVICE_SALT)
    assert len(entries) == 1 and "viewer" not in cookie.value  # a keyed hash, not the address
    # Signing in to a second account from the same desk keeps the first one trusted.
    http.post("/accounts/sign-out/", HTTP_HOST=PUBLIC)
    sign_in(http, "editor@acme.test", world.password)
    assert len(signing.loads(http.cookies[auth.DEVICE_COOKIE].value, salt=auth.DEVICE_SALT)) == 2
    # The cookie of one account does not make another account's attempts trusted.
    request = type("R", (), {"COOKIES": {auth.DEVICE_COOKIE: http.cookies[auth.DEVICE_COOKIE].value}})()
    assert auth.is_trusted(request, "viewer@acme.test") and auth.is_trusted(request, "editor@acme.test")
    assert not auth.is_trusted(request, "admin@acme.test")


def test_each_lock_of_the_untrusted_browsers_lasts_longer(world, settings):
    limit, base = settings.LOGIN_MAX_FAILURES, settings.LOGIN_LOCKOUT_SECONDS
    lengths = []
    for _ in range(3):
        for n in range(limit):
            sign_in(HttpClient(), "viewer@acme.test", f"guess-{n}")
        row = SignInLockout.objects.get(key=auth._key("viewer@acme.test"))
        lengths.append(round((row.locked_until - row.last_failure_at).total_seconds()))
        assert LOCKED in sign_in(HttpClient(), "viewer@acme.test", world.password).content.decode()
        # The lock runs out (its times moved back, as the clock would).
        past = timedelta(seconds=lengths[-1] + 1)
        SignInLockout.objects.filter(pk=row.pk).update(locked_until=timezone.now() - timedelta(seconds=1),
                                                        last_failure_at=row.last_failure_at - past)
    assert lengths == [base, 2 * base, 4 * base]
    # Once it has run out, the right password signs in and the count is forgotten.
    assert sign_in(HttpClient(), "viewer@acme.test", world.password).status_code == 302
    assert not SignInLockout.objects.filter(key=auth._key("viewer@acme.test")).exists()
