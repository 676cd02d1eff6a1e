"""Security headers on every answer, error answers included: CSP (images from our own origin
and an explicit allow-list only), Permissions-Policy, X-Frame-Options, and
`Cache-Control: private, no-store` for whatever a signed-in person gets. The walk of every tenant
URL for every role is in tests/test_get_requests.py."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import Client as HttpClient
from django.test import override_settings

from kbportal import csp

from .conftest import host

PUBLIC = "kb.localhost"


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";")}


def signed_in(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def assert_security_headers(response) -> None:
    policy = directives(response)
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["script-src"] == "script-src 'self'"
    assert policy["img-src"] == "img-src 'self'"
    assert response["X-Frame-Options"] == "DENY"
    features = dict(item.strip().split("=") for item in response["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()", feature


@pytest.mark.parametrize("bad_host", ["evil.com", "kb.localhost.evil.com", "acme.kb.localhost@evil.com", "[::1"])
def test_a_host_that_is_not_ours_gets_an_error_with_every_security_header(db, bad_host):
    """Refused before any view (Django's DisallowedHost; django-tenants answers it with a bare
    404), and still with the headers."""
    response = HttpClient().get("/", HTTP_HOST=bad_host)
    assert response.status_code in (400, 404)
    assert_security_headers(response)


def test_every_kind_of_answer_carries_the_security_headers(world):
    answers = {
        "public page": HttpClient().get("/accounts/sign-in/", HTTP_HOST=PUBLIC),
        "tenant page": signed_in(world.acme_editor).get("/", HTTP_HOST=host(world.acme)),
        "tenant 404": signed_in(world.acme_editor).get("/collections/no-such-thing/", HTTP_HOST=host(world.acme)),
        "not a member": signed_in(world.outsider).get("/", HTTP_HOST=host(world.acme)),
        "unknown tenant": HttpClient().get("/", HTTP_HOST="nosuch.kb.localhost"),
        "anonymous on a tenant": HttpClient().get("/", HTTP_HOST=host(world.acme)),
        "API": signed_in(world.acme_editor).get("/api/v1/search?q=x", HTTP_HOST=host(world.acme)),
        "405": signed_in(world.acme_editor).get("/accounts/sign-out/", HTTP_HOST=host(world.acme)),
    }
    for name, response in answers.items():
        try:
            assert_security_headers(response)
        except (AssertionError, KeyError) as error:
            raise AssertionError(f"{name} ({response.status_code}): {error!r}") from error


def test_remote_images_are_off_by_default(world):
    policy = signed_in(world.acme_viewer).get("/", HTTP_HOST=host(world.acme))["Content-Security-Policy"]
    assert "https:" not in policy.replace("https://", "")
    assert "data:" not in policy
    assert directives_of(policy)["img-src"] == "img-src 'self'"


def directives_of(policy: str) -> dict[str, str]:
    return {part.split()[0]: part.strip() for part in policy.split(";")}


def test_the_site_wide_allow_list_adds_image_origins_everywhere(world):
    with override_settings(KB_IMG_SRC_ALLOW=["https://cdn.example.com", "https://*.images.example"]):
        for http, where in ((signed_in(world.acme_viewer), host(world.acme)), (HttpClient(), PUBLIC)):
            policy = directives(http.get("/", HTTP_HOST=where))
            assert policy["img-src"] == "img-src 'self' https://cdn.example.com https://*.images.example"


def test_a_wrong_site_wide_entry_stops_the_start():
    for wrong in (["https:"], ["*"], ["'unsafe-inline'"], ["http://cdn.example.com"], ["https://a.example;script-src"]):
        with override_settings(KB_IMG_SRC_ALLOW=wrong), pytest.raises(ImproperlyConfigured):
            csp.ContentSecurityPolicyMiddleware(lambda request: None)


def test_a_tenant_allows_its_own_image_origins_and_no_one_elses(world):
    world.acme.image_sources = "https://images.acme.example\nhttps://cdn.acme.example:8443/"
    world.acme.full_clean()
    world.acme.save(update_fields=["image_sources"])
    acme = directives(signed_in(world.acme_viewer).get("/", HTTP_HOST=host(world.acme)))
    assert acme["img-src"] == "img-src 'self' https://images.acme.example https://cdn.acme.example:8443"
    lumiere = directives(signed_in(world.lumiere_viewer).get("/", HTTP_HOST=host(world.lumiere)))
    assert lumiere["img-src"] == "img-src 'self'"
    public = directives(signed_in(world.acme_viewer).get("/", HTTP_HOST=PUBLIC))
    assert public["img-src"] == "img-src 'self'"


@pytest.mark.parametrize("entry", [
    "*", "https:", "https://*", "'unsafe-inline'", "'self'", "data:", "http://images.example.com",
    "https://images.example.com; script-src *", "https://images.example.com/pixel.png",
    "https://user@images.example.com", "https://images.example.com'", "javascript:alert(1)", "images.example.com",
    "https://localhost", "https://ima ges.example.com;", "https://\u0430cme.example",
])
def test_a_tenant_cannot_widen_its_policy(world, entry):
    world.acme.image_sources = entry
    with pytest.raises(ValidationError):
        world.acme.full_clean()
    with pytest.raises(ValidationError):
        csp.parse_image_sources(entry)


def test_an_entry_saved_around_the_check_is_left_out_rather_than_widening(world):
    world.acme.image_sources = "https://ok.example 'unsafe-inline'"
    world.acme.save(update_fields=["image_sources"])  # not through a form
    policy = signed_in(world.acme_viewer).get("/", HTTP_HOST=host(world.acme))["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and directives_of(policy)["img-src"] == "img-src 'self'"


def test_tenant_answers_and_signed_in_public_answers_are_never_stored(world):
    answers = {
        "tenant home": signed_in(world.acme_viewer).get("/", HTTP_HOST=host(world.acme)),
        "tenant 404": signed_in(world.acme_viewer).get("/collections/nope/", HTTP_HOST=host(world.acme)),
        "not a member": signed_in(world.outsider).get("/", HTTP_HOST=host(world.acme)),
        "anonymous on a tenant": HttpClient().get("/", HTTP_HOST=host(world.acme)),
        "workspaces": signed_in(world.acme_viewer).get("/", HTTP_HOST=PUBLIC),
        "profile": signed_in(world.acme_viewer).get("/profile/", HTTP_HOST=PUBLIC),
    }
    for name, response in answers.items():
        control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
        assert {"private", "no-store"} <= control, f"{name}: {response.get('Cache-Control')!r}"
        assert "public" not in control

