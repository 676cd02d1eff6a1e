"""A provider lead runs their floor: invitations one by one or from a CSV (previewed, per-row
errors, nothing created until confirmed), the invited agent's first sign-in through the link,
deactivating a leaver (sessions and API tokens stop on the next request), the last sign-in.
And no silent escalation when a tenant admin invites a provider person as client staff."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client as HttpClient
from django.utils import translation

from audit.models import Action, AuditEvent
from permissions import access_cache
from tenants import services
from tenants.models import (
    ApiToken,
    Invitation,
    PersonSession,
    ProviderInvitation,
    ProviderMembership,
    Role,
    SiteAddress,
    User,
)
from tenants.services import provider_people

from .conftest import host
from .factories import http_as
from .mailbox import delivered

PUBLIC = "kb.localhost"
JOIN_LINK = re.compile(r"http://kb\.localhost(/provider/join/[-\w]+/)")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def floor(world):
    team = services.team_create(provider=world.helios, name="Parcels desk", clients=[world.acme])
    return team


def events(client, action):
    connection.set_tenant(client)
    try:
        return list(AuditEvent.objects.filter(action=action).order_by("id"))
    finally:
        connection.set_schema_to_public()


def upload(http, world, content: bytes, name="agents.csv"):
    return http.post(f"/provider/{world.helios.pk}/invite/csv/", {"file": SimpleUploadedFile(name, content)},
                     HTTP_HOST=PUBLIC)


CSV = ("\ufeffname;e-mail;team\r\n"
       "Aïcha Ramdin;aicha@helios.test;Parcels desk\r\n"
       "Jean-Marc Li;jm@helios.test;parcels desk\r\n"
       "No Address;;Parcels desk\r\n"
       "Wrong Team;wt@helios.test;Night shift\r\n"
       "Already Here;agent.acme@helios.test;\r\n"
       "Twice;aicha@helios.test;\r\n").encode()


def test_csv_preview_shows_per_row_errors_and_creates_nothing(world, floor):
    lead = http_as(world.lead)
    response = upload(lead, world, CSV)
    body = response.content.decode()
    assert response.status_code == 200
    assert "The e-mail address is missing." in body
    assert "has no team called “Night shift”" in body
    assert "agent.acme@helios.test already works for Helios Contact." in body
    assert "This address is already on an earlier line." in body
    assert "Invite 2 people" in body
    assert not ProviderInvitation.objects.exists()
    assert not [m for m in delivered() if "helios.test" in m.to[0] and "aicha" in m.to[0]]


def test_confirming_the_preview_invites_the_valid_rows_into_their_team(world, floor, django_capture_on_commit_callbacks):
    lead = http_as(world.lead)
    rows = provider_people.parse_invite_csv(world.helios, CSV)
    with django_capture_on_commit_callbacks(execute=True):
        response = lead.post(f"/provider/{world.helios.pk}/invite/csv/confirm/",
                             {"content": CSV.decode("utf-8-sig")}, HTTP_HOST=PUBLIC)
    assert response.status_code == 302
    invited = ProviderInvitation.objects.pending().filter(provider=world.helios)
    assert sorted(invited.values_list("email", flat=True)) == ["aicha@helios.test", "jm@helios.test"]
    assert {i.team_id for i in invited} == {floor.pk}
    assert sum(1 for row in rows if row.ok) == 2
    mails = [m for m in delivered() if m.to[0] in ("aicha@helios.test", "jm@helios.test")]
    assert len(mails) == 2 and "Parcels desk" in mails[0].body
    invited_events = events(world.acme, Action.PERSON_INVITED)
    assert {e.object_label for e in invited_events} >= {"aicha@helios.test", "jm@helios.test"}
    assert not events(world.lumiere, Action.PERSON_INVITED)  # the team does not work for lumiere


def test_comma_separated_without_header_or_bom_reads_too(world, floor):
    rows = provider_people.parse_invite_csv(world.helios, b"Ana,ana@helios.test,Parcels desk\nBo,bo@helios.test,\n")
    assert [(r.name, r.email, r.team_name, r.ok) for r in rows] == [
        ("Ana", "ana@helios.test", "Parcels desk", True), ("Bo", "bo@helios.test", "", True)]
    assert rows[0].line == 1


def test_a_file_not_in_utf8_is_refused_with_what_to_do(world, floor):
    response = upload(http_as(world.lead), world, "Zoé;zoe@helios.test;\n".encode("cp1252"))
    assert response.status_code == 400 and "CSV UTF-8" in response.content.decode()


def test_the_invited_agent_signs_up_and_lands_in_their_workspaces(world, floor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        provider_people.provider_invite(provider=world.helios, email="New.Agent@helios.test", full_name="New Agent",
                                        team=floor, acting_user=world.lead,
                                        site=SiteAddress.configured())
    path = JOIN_LINK.search(delivered()[-1].body).group(1)
    http = HttpClient(HTTP_ACCEPT_LANGUAGE="en")
    page = http.get(path, HTTP_HOST=PUBLIC)
    assert page.status_code == 200 and 'value="New Agent"' in page.content.decode()
    response = http.post(path, {"full_name": "New Agent", "password1": "a-long-agent-passphrase",
                                "password2": "a-long-agent-passphrase"}, HTTP_HOST=PUBLIC)
    assert response.status_code == 302
    agent = User.objects.get(email="new.agent@helios.test")
    assert ProviderMembership.objects.get(user=agent, provider=world.helios).role == "agent"
    assert floor.members.filter(pk=agent.pk).exists()
    landing = http.get("/", HTTP_HOST=PUBLIC)  # just signed in, one workspace: straight into it
    assert landing.status_code == 302 and landing["Location"].startswith(f"http://{host(world.acme)}")
    home = http.get("/", HTTP_HOST=PUBLIC).content.decode()  # later visits list the workspaces
    assert "Acme Parcels" in home and "Lumière" not in home
    assert http.get("/", HTTP_HOST=host(world.acme)).status_code == 200
    assert http.get(path, HTTP_HOST=PUBLIC).status_code == 410  # used


def test_only_the_lead_of_the_provider_reaches_the_onboarding_pages(world, floor):
    for user in (world.agent_both, world.acme_admin, world.outsider):
        assert http_as(user).get(f"/provider/{world.helios.pk}/invite/", HTTP_HOST=PUBLIC).status_code == 404
        assert upload(http_as(user), world, CSV).status_code == 404
    assert http_as(world.lead).get(f"/provider/{world.helios.pk}/invite/", HTTP_HOST=PUBLIC).status_code == 200


# --- Deactivating a leaver --------------------------------------------------------------------


def test_deactivation_stops_sessions_and_tokens_on_the_next_request(world, settings):
    settings.KB_ACCESS_CACHE = True
    access_cache.clear()
    agent = world.agent_acme
    browser = HttpClient(HTTP_ACCEPT_LANGUAGE="en")
    assert browser.post("/accounts/sign-in/", {"username": agent.email, "password": world.password},
                        HTTP_HOST=PUBLIC).status_code == 302
    _token, raw = services.token_create(user=agent, name="CTI")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_HOST": host(world.acme)}
    assert browser.get("/", HTTP_HOST=host(world.acme)).status_code == 200
    assert browser.get("/", HTTP_HOST=host(world.acme)).status_code == 200  # cached now
    assert HttpClient().get("/api/v1/search", {"q": "x"}, **bearer).status_code == 200
    response = http_as(world.lead).post(f"/provider/{world.helios.pk}/people/{agent.pk}/deactivate/",
                                        HTTP_HOST=PUBLIC)
    assert response.status_code == 302
    assert browser.get("/", HTTP_HOST=host(world.acme)).status_code == 302
    assert HttpClient().get("/api/v1/search", {"q": "x"}, **bearer).status_code == 401
    agent.refresh_from_db()
    assert not agent.is_active
    assert not ApiToken.objects.active().filter(user=agent).exists()
    assert not PersonSession.objects.filter(user=agent).exists()
    assert events(world.acme, Action.PROVIDER_PERSON_LEAVES)[-1].detail["deactivated"] is True
    assert not events(world.lumiere, Action.PROVIDER_PERSON_LEAVES)  # agent.acme never served lumiere
    overview = http_as(world.lead).get(f"/provider/{world.helios.pk}/", HTTP_HOST=PUBLIC).content.decode()
    assert "deactivated" in overview


def test_a_lead_cannot_deactivate_client_staff_or_another_providers_person(world):
    services.membership_set(user=world.agent_both, client=world.lumiere, role=Role.VIEWER)
    response = http_as(world.lead).post(f"/provider/{world.helios.pk}/people/{world.agent_both.pk}/deactivate/",
                                        HTTP_HOST=PUBLIC)
    assert response.status_code == 302
    world.agent_both.refresh_from_db()
    assert world.agent_both.is_active
    assert http_as(world.lead).post(f"/provider/{world.helios.pk}/people/{world.acme_admin.pk}/deactivate/",
                                    HTTP_HOST=PUBLIC).status_code == 404
    assert http_as(world.agent_both).post(f"/provider/{world.helios.pk}/people/{world.agent_acme.pk}/deactivate/",
                                          HTTP_HOST=PUBLIC).status_code == 404


def test_the_overview_shows_each_agents_last_sign_in(world):
    page = http_as(world.lead).get(f"/provider/{world.helios.pk}/", HTTP_HOST=PUBLIC).content.decode()
    assert "Last sign-in" in page
    HttpClient().post("/accounts/sign-in/", {"username": "agent.both@helios.test", "password": world.password},
                      HTTP_HOST=PUBLIC)
    world.agent_both.refresh_from_db()
    assert world.agent_both.last_login is not None


# --- No silent escalation -----------------------------------------------------------------------


def admin_invites(world, email, role, **extra):
    return http_as(world.acme_admin).post("/people/invite/", {"email": email, "role": role, **extra},
                                          HTTP_HOST=host(world.acme))


def test_inviting_a_provider_person_as_staff_warns_and_needs_confirmation(world, django_capture_on_commit_callbacks):
    response = admin_invites(world, "agent.both@helios.test", Role.VIEWER)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Provider agent at Helios Contact" in body and "confidential" in body
    assert 'type="checkbox" name="confirm"' in body
    assert not Invitation.objects.filter(email="agent.both@helios.test").exists()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = admin_invites(world, "agent.both@helios.test", Role.VIEWER, confirm="on")
    assert confirmed.status_code == 302
    assert Invitation.objects.pending().filter(email="agent.both@helios.test", role=Role.VIEWER).exists()
    event = events(world.acme, Action.PERSON_INVITED)[-1]
    assert event.detail["role"] == "viewer" and event.detail["escalation_confirmed"] is True
    assert event.detail["provider_roles"] == ["Provider agent (Helios Contact)"]


def test_reinviting_a_pending_address_with_another_role_says_so(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_invites(world, "newcomer@acme.test", Role.VIEWER).status_code == 302
    response = admin_invites(world, "newcomer@acme.test", Role.ADMIN)
    assert response.status_code == 400
    assert "already has a pending invitation as Viewer" in response.content.decode()
    assert Invitation.objects.pending().get(email="newcomer@acme.test").role == Role.VIEWER
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_invites(world, "newcomer@acme.test", Role.ADMIN, confirm="on").status_code == 302
    assert Invitation.objects.pending().get(email="newcomer@acme.test").role == Role.ADMIN
    assert events(world.acme, Action.PERSON_INVITED)[-1].detail["replaced_roles"] == ["viewer"]


def test_reinviting_with_the_same_role_needs_no_confirmation(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_invites(world, "same@acme.test", Role.EDITOR).status_code == 302
        assert admin_invites(world, "same@acme.test", Role.EDITOR).status_code == 302


def test_a_withdrawn_invitation_link_stops_working_and_is_audited(world, floor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = provider_people.provider_invite(
            provider=world.helios, email="gone@helios.test", team=floor, acting_user=world.lead,
            site=SiteAddress.configured())
    response = http_as(world.lead).post(f"/provider/{world.helios.pk}/invitations/{invitation.pk}/revoke/",
                                        HTTP_HOST=PUBLIC)
    assert response.status_code == 302
    assert HttpClient().get(f"/provider/join/{token}/", HTTP_HOST=PUBLIC).status_code == 410
    assert events(world.acme, Action.INVITATION_REVOKED)[-1].object_label == "gone@helios.test"
