"""Two-factor authentication (twofactor/, django-otp): an authenticator app set up with a real
computed code, recovery codes that work once each, the second step at sign-in, and a workspace
that requires it of everyone who opens it — provider agents included — while the others stay open."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client as HttpClient
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import Action, AuditEvent
from tenants import services
from tenants.models import Client, SignInLockout
from tenants.services import tokens

from .conftest import host

PUBLIC = "kb.localhost"


@pytest.fixture(autouse=True)
def _no_lockouts(db):
    SignInLockout.objects.all().delete()


def sign_in(http, email, password, next_url=""):
    data = {"username": email, "password": password, **({"next": next_url} if next_url else {})}
    return http.post("/accounts/sign-in/", data, HTTP_HOST=PUBLIC)


def code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the person's app shows (steps_ahead: a later 30-second step, for a second code
    in the same step: django-otp refuses a code used again)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def set_up_app(http) -> tuple[TOTPDevice, list[str]]:
    page = http.get("/accounts/two-factor/app/", HTTP_HOST=PUBLIC)
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and "otpauth" not in body.split("<svg")[0][-200:]
    device = TOTPDevice.objects.get(user__email=http.session_email, confirmed=False)
    wrong = http.post("/accounts/two-factor/app/", {"code": "000000" if code(device) != "000000" else "111111"},
                      HTTP_HOST=PUBLIC)
    assert wrong.status_code == 400 and "does not match" in wrong.content.decode()
    time.sleep(1.1)  # django-otp throttles the device for a second after a wrong code
    done = http.post("/accounts/two-factor/app/", {"code": code(device)}, HTTP_HOST=PUBLIC)
    assert done.status_code == 200, done.content.decode()[:500]
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    device.refresh_from_db()
    assert device.confirmed
    return device, codes


def browser(world, email) -> HttpClient:
    http = HttpClient()
    assert sign_in(http, email, world.password).status_code == 302
    http.session_email = email
    return http


def test_an_app_is_set_up_with_a_real_code_and_recovery_codes_are_shown_once(world):
    http = browser(world, "viewer@acme.test")
    device, codes = set_up_app(http)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert http.session["kb_second_factor"] == "totp"
    # Shown once: the set-up page does not show them again, nor does the overview.
    overview = http.get("/accounts/two-factor/", HTTP_HOST=PUBLIC).content.decode()
    assert codes[0] not in overview and "10 unused recovery codes" in overview


def test_sign_in_asks_for_the_second_step_and_nothing_opens_before(world):
    http = browser(world, "viewer@acme.test")
    device, _ = set_up_app(http)
    http.post("/accounts/sign-out/", HTTP_HOST=PUBLIC)
    answer = sign_in(http, "viewer@acme.test", world.password, "http://acme.kb.localhost/")
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/two-factor/verify/")
    for url, on in (("/", PUBLIC), ("/profile/", PUBLIC), ("/", host(world.acme))):
        stopped = http.get(url, HTTP_HOST=on)
        assert stopped.status_code == 302 and "/accounts/two-factor/verify/" in stopped["Location"], url
    api = http.get("/api/v1/search?q=x", HTTP_HOST=host(world.acme))
    assert api.status_code == 403 and api.json()["error"]["code"] == "second_factor_pending"
    assert http.post("/accounts/two-factor/verify/", {"code": "12345678"}, HTTP_HOST=PUBLIC).status_code == 400
    time.sleep(1.1)  # the throttle after a wrong code
    # Someone with only the password cannot add an app of their own to get past the step.
    assert http.get("/accounts/two-factor/app/", HTTP_HOST=PUBLIC).status_code == 302
    ok = http.post("/accounts/two-factor/verify/", {"code": code(device, steps_ahead=1),
                                                    "next": "http://acme.kb.localhost/"}, HTTP_HOST=PUBLIC)
    assert ok.status_code == 302 and ok["Location"] == "http://acme.kb.localhost/"
    assert http.session["kb_second_factor"] == "totp"
    assert http.get("/", HTTP_HOST=host(world.acme)).status_code == 200


def test_recovery_codes_work_once_each(world):
    http = browser(world, "viewer@acme.test")
    _, codes = set_up_app(http)
    for used in codes[:2]:
        http.post("/accounts/sign-out/", HTTP_HOST=PUBLIC)
        sign_in(http, "viewer@acme.test", world.password)
        ok = http.post("/accounts/two-factor/verify/", {"code": used.upper()}, HTTP_HOST=PUBLIC)
        assert ok.status_code == 302, (codes, list(StaticToken.objects.values_list("token", "device__user__email")),
                                       re.findall(r'field-error[^>]*>([^<]*)', ok.content.decode()))
        assert http.session["kb_second_factor"] == "recovery"
        http.post("/accounts/sign-out/", HTTP_HOST=PUBLIC)
        sign_in(http, "viewer@acme.test", world.password)
        again = http.post("/accounts/two-factor/verify/", {"code": used}, HTTP_HOST=PUBLIC)
        assert again.status_code == 400 and "kb_second_factor" not in http.session
        time.sleep(1.1)  # the throttle after a wrong code
    assert http.post("/accounts/two-factor/verify/", {"code": codes[2]}, HTTP_HOST=PUBLIC).status_code == 302
    overview = http.get("/accounts/two-factor/", HTTP_HOST=PUBLIC).content.decode()
    assert "7 unused recovery codes" in overview


def require(world, client: Client) -> None:
    Client.objects.filter(pk=client.pk).update(require_two_factor=True)


def test_a_provider_agent_without_2fa_is_stopped_at_acme_walks_through_set_up_and_lumiere_stays_open(world):
    agent = browser(world, "agent.both@helios.test")
    assert agent.get("/", HTTP_HOST=host(world.acme)).status_code == 200  # the access cache has acme now
    require(world, world.acme)
    stopped = agent.get("/", HTTP_HOST=host(world.acme))  # the next request sees the new setting
    assert stopped.status_code == 403
    page = stopped.content.decode()
    assert "requires two-factor authentication" in page and "Set up two-factor authentication" in page
    assert agent.get("/api/v1/search?q=x", HTTP_HOST=host(world.acme)).json()["error"]["code"] == "two_factor_required"
    assert agent.get("/", HTTP_HOST=host(world.lumiere)).status_code == 200
    # The page's link leads to set-up, and back.
    link = re.search(r'href="(http://kb\.localhost[^"]*/accounts/two-factor/\?next=[^"]+)"', page).group(1)
    overview = agent.get(link.replace("http://kb.localhost", "").replace("&amp;", "&"), HTTP_HOST=PUBLIC)
    assert overview.status_code == 200 and "http://acme.kb.localhost/" in overview.content.decode()
    set_up_app(agent)
    assert agent.get("/", HTTP_HOST=host(world.acme)).status_code == 200
    assert agent.get("/", HTTP_HOST=host(world.lumiere)).status_code == 200


def test_an_api_token_of_a_person_without_2fa_is_refused_where_it_is_required(world):
    _, raw = tokens.token_create(user=world.agent_both, name="CRM")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    require(world, world.acme)
    refused = HttpClient().get("/api/v1/search?q=x", HTTP_HOST=host(world.acme), **bearer)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "two_factor_required"
    assert HttpClient().get("/api/v1/search?q=x", HTTP_HOST=host(world.lumiere), **bearer).status_code == 200
    TOTPDevice.objects.create(user=world.agent_both, name="app", confirmed=True)
    assert HttpClient().get("/api/v1/search?q=x", HTTP_HOST=host(world.acme), **bearer).status_code == 200


def test_a_tenant_admin_requires_2fa_once_verified_and_it_is_audited(world, in_tenant):
    http = browser(world, "admin@acme.test")
    url = "/access/two-factor/"
    refused = http.post(url, {"require_two_factor": "on"}, HTTP_HOST=host(world.acme))
    assert refused.status_code == 400 and "yourself first" in refused.content.decode()
    assert not Client.objects.get(pk=world.acme.pk).require_two_factor
    set_up_app(http)
    assert http.post(url, {"require_two_factor": "on"}, HTTP_HOST=host(world.acme)).status_code == 302
    assert Client.objects.get(pk=world.acme.pk).require_two_factor
    in_tenant(world.acme)
    event = AuditEvent.objects.filter(action=Action.SETTINGS_CHANGED).latest("pk")
    assert event.detail == {"require_two_factor": True, "before": False}
    # The admin's own verified session keeps working; an editor without 2FA is stopped.
    assert http.get(url, HTTP_HOST=host(world.acme)).status_code == 200
    assert browser(world, "editor@acme.test").get("/", HTTP_HOST=host(world.acme)).status_code == 403


def test_the_service_refuses_anyone_but_the_admin(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.client_require_two_factor_set(client=world.acme, required=True, acting_user=world.agent_both)


def test_the_two_factor_pages_need_a_signed_in_person(world):
    for url in ("/accounts/two-factor/", "/accounts/two-factor/app/", "/accounts/two-factor/verify/"):
        answer = HttpClient().get(url, HTTP_HOST=PUBLIC)
        assert answer.status_code == 302 and answer["Location"].startswith("/accounts/sign-in/"), url
    for url in ("/accounts/two-factor/recovery-codes/", "/accounts/two-factor/off/"):
        assert HttpClient().post(url, HTTP_HOST=PUBLIC).status_code == 302
        assert browser(world, "viewer@acme.test").get(url, HTTP_HOST=PUBLIC).status_code == 405
