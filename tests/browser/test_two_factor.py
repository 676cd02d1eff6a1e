"""Acme requires two-factor authentication: a provider agent who serves Acme and Lumière signs
in, is stopped at Acme with a page that says why, sets up an authenticator app (the test
computes the code the app would show from the key the page gives), keeps the recovery codes,
and enters Acme; Lumière, which does not require it, was open all along. Then a passkey is added
on Chromium's virtual authenticator (CDP WebAuthn) and offered at the next second step.

The setting and the agent's devices are committed (the live server cannot see a test
transaction) and undone afterwards."""

from __future__ import annotations

import re
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tenants.models import Client, User

from .conftest import sign_in

pytestmark = pytest.mark.browser

AGENT = "agent.both@helios.test"


@pytest.fixture
def acme_requires_2fa(committed):
    from twofactor import services

    Client.objects.filter(schema_name="acme").update(require_two_factor=True)
    User.objects.filter(email=AGENT).update(language="")  # the pages read in English below
    agent = User.objects.get(email=AGENT)
    services.devices_remove(agent)
    yield agent
    Client.objects.filter(schema_name="acme").update(require_two_factor=False)
    services.devices_remove(agent)


def app_code(secret: str, *, steps_ahead: int = 0) -> str:
    import base64

    key = base64.b32decode(secret.replace(" ", ""))
    totp = TOTP(key, 30, 0, 6, 0)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_an_agent_stopped_at_acme_sets_up_an_app_and_enters(page, site, acme_requires_2fa):
    sign_in(page, site, AGENT)
    page.goto(site("lumiere", "/"))
    expect(page.get_by_role("heading", name="Your workspaces")).to_have_count(0)
    assert "requires two-factor" not in page.content()

    page.goto(site("acme", "/"))
    expect(page.get_by_role("heading", name=re.compile("Acme Parcels requires two-factor authentication"))).to_be_visible()
    page.console_errors.clear()  # the page itself answers 403 (the browser logs it), and nothing else does
    page.get_by_role("link", name="Set up two-factor authentication").click()
    expect(page.get_by_role("heading", name="Two-factor authentication", exact=True)).to_be_visible()
    page.get_by_role("link", name="Set up an authenticator app").click()
    expect(page.locator(".qr-code svg")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Code from the app").fill(app_code(secret))
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    assert page.locator("#recovery-codes li").count() == 10
    page.get_by_role("link", name="Continue where you were going").click()
    page.wait_for_url(re.compile(r"//acme\.kb\.localhost:\d+/"))
    assert "requires two-factor" not in page.content()
    assert TOTPDevice.objects.filter(user=acme_requires_2fa, confirmed=True).count() == 1

    # The next sign-in asks for the app's code before anything opens.
    page.goto(site(None, "/"))
    page.get_by_role("button", name="Sign out").first.click()
    page.goto(site(None, "/accounts/sign-in/"))
    page.get_by_label("E-mail address").fill(AGENT)
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Second step")).to_be_visible()
    page.get_by_label("Code").fill(app_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Your workspaces")).to_be_visible()
    page.goto(site("acme", "/"))
    assert "requires two-factor" not in page.content()
    assert not page.console_errors, page.console_errors


def test_a_passkey_is_added_on_a_virtual_authenticator_and_offered_at_the_second_step(page, site, acme_requires_2fa):
    device = TOTPDevice.objects.create(user=acme_requires_2fa, name="app", confirmed=True)
    import base64

    secret = base64.b32encode(device.bin_key).decode()
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True, "automaticPresenceSimulation": True}})

    page.goto(site(None, "/accounts/sign-in/"))
    page.get_by_label("E-mail address").fill(AGENT)
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill(app_code(secret))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Your workspaces")).to_be_visible()

    page.goto(site(None, "/accounts/two-factor/"))
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.locator("#passkey-register-status-message")).not_to_be_empty()
    page.reload()
    expect(page.get_by_text(re.compile("Passkey added on"))).to_be_visible()

    page.get_by_role("button", name="Sign out").first.click()
    page.goto(site(None, "/accounts/sign-in/"))
    page.get_by_label("E-mail address").fill(AGENT)
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Second step")).to_be_visible()
    # The second step offers the passkey. (Completing it in the browser is not covered yet: on
    # the verify page the library's script did not answer the click within this test's time.)
    expect(page.get_by_role("button", name="Use a passkey")).to_be_visible()

