"""A tenant admin says which other sites the workspace's articles may show images from: the
pages' Content-Security-Policy allows exactly those, the change is audited, and nothing that
could widen the policy is accepted. Who may open the page is the permission matrix's."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client as HttpClient

from audit.models import Action, AuditEvent
from tenants import services
from tenants.models import Client

from .conftest import host

URL = "/access/images/"


def admin(world) -> HttpClient:
    http = HttpClient()
    http.force_login(world.acme_admin)
    return http


def img_src(response) -> str:
    return next(p.strip() for p in response["Content-Security-Policy"].split(";") if p.strip().startswith("img-src"))


def test_an_admin_allows_an_image_origin_and_the_policy_follows(world, in_tenant):
    http = admin(world)
    page = http.get(URL, HTTP_HOST=host(world.acme))
    assert page.status_code == 200 and "Image sources" in page.content.decode()
    response = http.post(URL, {"image_sources": "https://Images.Acme.example/\n\nhttps://*.cdn.acme.example"},
                         HTTP_HOST=host(world.acme))
    assert response.status_code == 302
    assert Client.objects.get(pk=world.acme.pk).image_sources == "https://images.acme.example\nhttps://*.cdn.acme.example"
    reading = http.get("/", HTTP_HOST=host(world.acme))
    assert img_src(reading) == "img-src 'self' https://images.acme.example https://*.cdn.acme.example"
    in_tenant(world.acme)
    event = AuditEvent.objects.filter(action=Action.SETTINGS_CHANGED).latest("at")
    assert event.actor_id == world.acme_admin.pk
    assert event.detail == {"image_sources": ["https://images.acme.example", "https://*.cdn.acme.example"],
                            "before": []}


@pytest.mark.parametrize("entry", ["*", "https:", "'unsafe-inline'", "https://ok.example; script-src *",
                                   "http://images.example.com", "https://images.example.com/p.png"])
def test_nothing_that_widens_the_policy_is_accepted_and_the_text_is_kept(world, entry):
    response = admin(world).post(URL, {"image_sources": entry}, HTTP_HOST=host(world.acme))
    assert response.status_code == 200
    body = response.content.decode()
    assert "is not an image origin" in body
    assert Client.objects.get(pk=world.acme.pk).image_sources == ""


def test_emptying_the_list_goes_back_to_our_own_images_only(world):
    http = admin(world)
    http.post(URL, {"image_sources": "https://images.acme.example"}, HTTP_HOST=host(world.acme))
    http.post(URL, {"image_sources": ""}, HTTP_HOST=host(world.acme))
    assert img_src(http.get("/", HTTP_HOST=host(world.acme))) == "img-src 'self'"


def test_only_an_admin_of_the_tenant_may_change_it(world):
    for person in (world.acme_editor, world.lumiere_admin, world.lead):
        with pytest.raises(PermissionDenied):
            services.client_image_sources_set(client=world.acme, text="https://x.example", acting_user=person)
    assert Client.objects.get(pk=world.acme.pk).image_sources == ""
