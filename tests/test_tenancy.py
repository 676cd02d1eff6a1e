"""Isolation through the HTTP stack: routing, membership, provider engagements."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from tenants import services
from tenants.models import Engagement

from .conftest import host
from .factories import get


def test_member_sees_own_tenant_shell(world):
    response = get(world.acme_editor, "/", world.acme)
    assert response.status_code == 200
    assert "Acme Parcels" in response.content.decode()


@pytest.mark.parametrize("role", ["admin", "editor", "viewer"])
def test_member_of_acme_gets_nothing_from_lumiere(world, role):
    response = get(getattr(world, f"acme_{role}"), "/", world.lumiere)
    assert response.status_code == 404
    assert "Lumière" not in response.content.decode()


def test_anonymous_is_sent_to_sign_in_on_public_site(world):
    response = get(None, "/", world.acme)
    assert response.status_code == 302
    assert response["Location"].startswith("http://kb.localhost/accounts/sign-in/?next=")
    assert "acme.kb.localhost" in response["Location"]


def test_outsider_signed_in_gets_404(world):
    assert get(world.outsider, "/", world.acme).status_code == 404
    assert get(world.outsider, "/", world.lumiere).status_code == 404


def test_unknown_subdomain_is_a_clear_404(world):
    response = get(world.acme_admin, "/", "nosuchtenant.kb.localhost")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_provider_agent_serving_both_sees_both(world):
    assert get(world.agent_both, "/", world.acme).status_code == 200
    assert get(world.agent_both, "/", world.lumiere).status_code == 200


def test_provider_agent_serving_acme_only_gets_nothing_from_lumiere(world):
    assert get(world.agent_acme, "/", world.acme).status_code == 200
    assert get(world.agent_acme, "/", world.lumiere).status_code == 404


def test_provider_lead_reaches_every_engaged_client(world):
    assert get(world.lead, "/", world.acme).status_code == 200
    assert get(world.lead, "/", world.lumiere).status_code == 200


def test_ending_an_engagement_removes_access_on_next_request(world):
    http = HttpClient()
    http.force_login(world.agent_both)
    assert http.get("/", HTTP_HOST=host(world.lumiere)).status_code == 200
    services.engagement_end(engagement=Engagement.objects.get(pk=world.engagement_lumiere_id))
    assert http.get("/", HTTP_HOST=host(world.lumiere)).status_code == 404
    # ... and only that client: the other engagement is untouched.
    assert http.get("/", HTTP_HOST=host(world.acme)).status_code == 200


def test_a_person_with_one_workspace_lands_in_it_after_signing_in_and_later_sees_the_list(world):
    one, two = HttpClient(), HttpClient()
    one.force_login(world.acme_viewer)
    two.force_login(world.agent_both)
    landed = one.get("/", HTTP_HOST="kb.localhost")
    assert landed.status_code == 302 and "//acme." in landed["Location"]
    assert one.get("/", HTTP_HOST="kb.localhost").status_code == 200  # later: the list, no bounce
    assert two.get("/", HTTP_HOST="kb.localhost").status_code == 200  # two workspaces: the list


def test_workspaces_page_lists_exactly_the_persons_tenants(world):
    def names(user):
        http = HttpClient()
        http.force_login(user)
        http.get("/", HTTP_HOST="kb.localhost")  # the first visit after signing in may land in the workspace
        body = http.get("/", HTTP_HOST="kb.localhost").content.decode()
        return {name for name in ("Acme Parcels", "Lumière Énergie") if name in body}

    assert names(world.acme_viewer) == {"Acme Parcels"}
    assert names(world.agent_both) == {"Acme Parcels", "Lumière Énergie"}
    assert names(world.agent_acme) == {"Acme Parcels"}
    assert names(world.outsider) == set()


def test_workspace_switcher_never_names_other_tenants(world):
    body = get(world.acme_editor, "/", world.acme).content.decode()
    assert "Lumière" not in body


def test_inactive_person_gets_nothing(world):
    world.acme_admin.is_active = False
    world.acme_admin.save()
    http = HttpClient()
    http.force_login(world.acme_admin)
    response = http.get("/", HTTP_HOST=host(world.acme))
    assert response.status_code in (302, 404)
    assert "Acme Parcels knowledge base" not in response.content.decode()


def test_pages_carry_a_strict_content_security_policy(world):
    policy = get(world.acme_editor, "/", world.acme)["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "object-src 'none'" in policy
