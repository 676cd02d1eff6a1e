"""People of a tenant (invitations, roles, removal), provider leads' teams, and the audit trail
of both. Tenant pages are for tenant admins only; provider pages for provider leads only."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone, translation

from audit.models import Action, AuditEvent
from tenants import services
from tenants.models import (
    Engagement,
    Invitation,
    Membership,
    ProviderOrganisation,
    ProviderRole,
    ProviderTeam,
    Role,
    SiteAddress,
    User,
)

from .conftest import host
from .factories import http_as
from .mailbox import delivered

PUBLIC = "kb.localhost"
LINK = re.compile(r"http://kb\.localhost/invitations/([-\w]+)/")


@pytest.fixture(autouse=True)
def _english_and_no_lockouts():
    cache.clear()
    with translation.override("en"):
        yield


def events(client, action):
    connection.set_tenant(client)
    try:
        return list(AuditEvent.objects.filter(action=action).order_by("id"))
    finally:
        connection.set_schema_to_public()


def membership(user, client):
    return Membership.objects.filter(user=user, client=client).first()


@pytest.fixture
def invite(world, django_capture_on_commit_callbacks):
    """Invite `email` to acme through the page, as acme's admin; returns the link's token."""

    def send(email: str, role: str = Role.EDITOR, **extra: str) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            response = http_as(world.acme_admin).post(
                "/people/invite/", {"email": email, "role": role, **extra}, HTTP_HOST=host(world.acme)
            )
        assert response.status_code == 302, response.content.decode()
        return LINK.search(delivered()[-1].body).group(1)

    return send


# --- The people page -----------------------------------------------------------------------


def test_admin_sees_staff_invitations_and_engaged_providers(world):
    team = services.team_create(provider=world.helios, name="Parcels desk")
    team.members.add(world.agent_acme)
    body = http_as(world.acme_admin).get("/people/", HTTP_HOST=host(world.acme)).content.decode()
    for email in ("admin@acme.test", "editor@acme.test", "viewer@acme.test"):
        assert email in body
    assert "lumiere.test" not in body
    assert "No pending invitation" in body
    assert "Helios Contact" in body and "Parcels desk" in body
    assert "agent.acme@helios.test" in body and "agent.both@helios.test" in body


@pytest.mark.parametrize("who", ["acme_editor", "acme_viewer", "lead", "agent_both", "agent_acme", "lumiere_admin"])
def test_people_pages_are_404_for_everyone_but_tenant_admins(world, who):
    http = http_as(getattr(world, who))
    target = membership(world.acme_viewer, world.acme)
    invitation, _ = services.invitation_create(
        client=world.acme, email="x@new.test", role=Role.VIEWER, acting_user=world.acme_admin,
        site=SiteAddress(scheme="http"))
    for method, path in [
        ("get", "/people/"),
        ("post", "/people/invite/"),
        ("post", f"/people/{target.pk}/role/"),
        ("get", f"/people/{target.pk}/remove/"),
        ("post", f"/people/{target.pk}/remove/"),
        ("post", f"/people/invitations/{invitation.pk}/revoke/"),
        ("post", f"/people/invitations/{invitation.pk}/resend/"),
    ]:
        response = getattr(http, method)(path, {"email": "y@new.test", "role": "admin"}, HTTP_HOST=host(world.acme))
        assert response.status_code == 404, (method, path)
        assert "viewer@acme.test" not in response.content.decode()
    assert membership(world.acme_viewer, world.acme).role == Role.VIEWER
    assert not Membership.objects.filter(user__email="y@new.test").exists()


def test_a_membership_of_another_tenant_is_404(world):
    other = membership(world.lumiere_viewer, world.lumiere)
    http = http_as(world.acme_admin)
    assert http.post(f"/people/{other.pk}/role/", {"role": "admin"}, HTTP_HOST=host(world.acme)).status_code == 404
    assert http.post(f"/people/{other.pk}/remove/", HTTP_HOST=host(world.acme)).status_code == 404
    assert membership(world.lumiere_viewer, world.lumiere).role == Role.VIEWER


# --- Invitations ----------------------------------------------------------------------------


def test_an_invitation_is_emailed_with_a_link_and_only_its_hash_is_stored(world, invite):
    token = invite("new.person@example.test")
    message = delivered()[-1]
    assert message.to == ["new.person@example.test"]
    assert "Acme Parcels" in message.subject
    assert "Editor" in message.body
    invitation = Invitation.objects.get(client=world.acme, email="new.person@example.test")
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.token_hash
    assert timedelta(days=6, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=7)
    [event] = events(world.acme, Action.PERSON_INVITED)
    assert event.actor_id == world.acme_admin.pk and event.detail["email"] == "new.person@example.test"
    body = http_as(world.acme_admin).get("/people/", HTTP_HOST=host(world.acme)).content.decode()
    assert "new.person@example.test" in body and "No pending invitation" not in body


def test_the_link_keeps_the_port_of_the_request(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        http_as(world.acme_admin).post("/people/invite/", {"email": "port@example.test", "role": "viewer"},
                                       HTTP_HOST=host(world.acme) + ":8000")
    assert "http://kb.localhost:8000/invitations/" in delivered()[-1].body


def test_a_new_person_sets_a_name_and_password_and_lands_in_the_tenant(world, invite):
    token = invite("new.person@example.test")
    http = http_as()
    page = http.get(f"/invitations/{token}/", HTTP_HOST=PUBLIC)
    assert page.status_code == 200
    assert "Join Acme Parcels" in page.content.decode()

    weak = http.post(f"/invitations/{token}/", {"full_name": "Nora New", "password1": "123", "password2": "123"},
                     HTTP_HOST=PUBLIC)
    assert weak.status_code == 200
    assert "too short" in weak.content.decode()
    assert not User.objects.filter(email="new.person@example.test").exists()

    password = "a-long-and-unusual-passphrase-42"
    response = http.post(f"/invitations/{token}/", {"full_name": "Nora New", "password1": password,
                                                     "password2": password}, HTTP_HOST=PUBLIC)
    assert response.status_code == 302
    assert response["Location"] == "http://acme.kb.localhost/"
    person = User.objects.get(email="new.person@example.test")
    assert person.full_name == "Nora New" and person.check_password(password)
    assert membership(person, world.acme).role == Role.EDITOR
    assert http.get("/", HTTP_HOST=host(world.acme)).status_code == 200
    [joined] = events(world.acme, Action.PERSON_JOINED)
    assert joined.actor_id == person.pk

    # The link works once.
    reused = http_as().get(f"/invitations/{token}/", HTTP_HOST=PUBLIC)
    assert reused.status_code == 410
    assert "already been used" in reused.content.decode()


def test_a_person_with_an_account_signs_in_first_then_joins(world, invite):
    token = invite(world.outsider.email, role=Role.VIEWER)
    http = http_as()
    response = http.get(f"/invitations/{token}/", HTTP_HOST=PUBLIC)
    assert response.status_code == 302
    assert response["Location"] == f"http://kb.localhost/accounts/sign-in/?next=/invitations/{token}/"
    assert membership(world.outsider, world.acme) is None

    signed_in = http.post("/accounts/sign-in/", {"username": world.outsider.email, "password": world.password,
                                                  "next": f"/invitations/{token}/"}, HTTP_HOST=PUBLIC)
    assert signed_in["Location"] == f"/invitations/{token}/"
    confirm = http.get(f"/invitations/{token}/", HTTP_HOST=PUBLIC)
    assert confirm.status_code == 200 and "Join Acme Parcels" in confirm.content.decode()
    assert membership(world.outsider, world.acme) is None  # opening the link alone changes nothing

    joined = http.post(f"/invitations/{token}/", HTTP_HOST=PUBLIC)
    assert joined["Location"] == "http://acme.kb.localhost/"
    assert membership(world.outsider, world.acme).role == Role.VIEWER
    assert http.get("/", HTTP_HOST=host(world.acme)).status_code == 200


def test_a_person_signed_in_with_another_address_cannot_use_the_link(world, invite):
    token = invite("someone.else@example.test")
    http = http_as(world.lumiere_viewer)
    for response in (http.get(f"/invitations/{token}/", HTTP_HOST=PUBLIC),
                     http.post(f"/invitations/{token}/", HTTP_HOST=PUBLIC)):
        assert response.status_code == 403
        assert "someone.else@example.test" in response.content.decode()
        assert "Sign out" in response.content.decode()
    assert membership(world.lumiere_viewer, world.acme) is None
    assert Invitation.objects.get(client=world.acme, email="someone.else@example.test").accepted_at is None


def test_an_expired_invitation_is_a_clear_error(world, invite):
    token = invite("late@example.test")
    Invitation.objects.filter(email="late@example.test").update(expires_at=timezone.now() - timedelta(minutes=1))
    response = http_as().get(f"/invitations/{token}/", HTTP_HOST=PUBLIC)
    assert response.status_code == 410
    assert "has expired" in response.content.decode()
    response = http_as().post(f"/invitations/{token}/", {"full_name": "Late", "password1": "x-long-passphrase-9",
                                                          "password2": "x-long-passphrase-9"}, HTTP_HOST=PUBLIC)
    assert response.status_code == 410
    assert not User.objects.filter(email="late@example.test").exists()


def test_an_unknown_link_is_a_clear_404(world):
    response = http_as().get("/invitations/not-a-real-token/", HTTP_HOST=PUBLIC)
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_inviting_again_replaces_the_pending_invitation(world, invite):
    first = invite("twice@example.test", role=Role.VIEWER)
    second = invite("twice@example.test", role=Role.EDITOR, confirm="on")  # another role: confirmed
    pending = Invitation.objects.pending().filter(client=world.acme, email="twice@example.test")
    assert [i.role for i in pending] == [Role.EDITOR]
    response = http_as().get(f"/invitations/{first}/", HTTP_HOST=PUBLIC)
    assert response.status_code == 410 and "latest e-mail" in response.content.decode()
    assert http_as().get(f"/invitations/{second}/", HTTP_HOST=PUBLIC).status_code == 200


def test_withdrawing_an_invitation_kills_its_link(world, invite):
    token = invite("withdrawn@example.test")
    invitation = Invitation.objects.get(email="withdrawn@example.test")
    response = http_as(world.acme_admin).post(f"/people/invitations/{invitation.pk}/revoke/",
                                              HTTP_HOST=host(world.acme))
    assert response.status_code == 302
    assert http_as().get(f"/invitations/{token}/", HTTP_HOST=PUBLIC).status_code == 410


def test_inviting_a_member_is_a_clear_error(world):
    response = http_as(world.acme_admin).post("/people/invite/", {"email": "Editor@Acme.test", "role": "viewer"},
                                              HTTP_HOST=host(world.acme))
    assert response.status_code == 400
    assert "already a member of Acme Parcels" in response.content.decode()
    assert not Invitation.objects.filter(email="editor@acme.test").exists()
    assert delivered() == []


def test_only_an_admin_of_the_tenant_may_invite(world):
    from django.core.exceptions import PermissionDenied

    for user in (world.acme_editor, world.lumiere_admin, world.lead):
        with pytest.raises(PermissionDenied):
            services.invitation_create(client=world.acme, email="x@example.test", role=Role.ADMIN,
                                       acting_user=user, site=SiteAddress(scheme="http"))


# --- Roles and removal -----------------------------------------------------------------------


def test_an_admin_changes_a_role_and_it_is_audited(world):
    target = membership(world.acme_viewer, world.acme)
    response = http_as(world.acme_admin).post(f"/people/{target.pk}/role/", {"role": "editor"},
                                              HTTP_HOST=host(world.acme))
    assert response.status_code == 302
    assert membership(world.acme_viewer, world.acme).role == Role.EDITOR
    [event] = events(world.acme, Action.ROLE_CHANGED)
    assert event.detail == {"before": "viewer", "after": "editor"}
    assert event.actor_id == world.acme_admin.pk and event.object_label == "viewer@acme.test"
    assert events(world.lumiere, Action.ROLE_CHANGED) == []


def test_the_last_admin_cannot_demote_or_remove_themselves(world):
    own = membership(world.acme_admin, world.acme)
    http = http_as(world.acme_admin)
    demote = http.post(f"/people/{own.pk}/role/", {"role": "viewer"}, HTTP_HOST=host(world.acme), follow=True)
    assert "needs at least one tenant admin" in demote.content.decode()
    remove = http.post(f"/people/{own.pk}/remove/", HTTP_HOST=host(world.acme), follow=True)
    assert "needs at least one tenant admin" in remove.content.decode()
    assert membership(world.acme_admin, world.acme).role == Role.ADMIN
    assert events(world.acme, Action.ROLE_CHANGED) == events(world.acme, Action.PERSON_REMOVED) == []

    # With a second admin, stepping down works.
    services.membership_set(user=world.acme_editor, client=world.acme, role=Role.ADMIN)
    response = http.post(f"/people/{own.pk}/role/", {"role": "viewer"}, HTTP_HOST=host(world.acme))
    assert response.status_code == 302
    assert membership(world.acme_admin, world.acme).role == Role.VIEWER
    assert http.get("/people/", HTTP_HOST=host(world.acme)).status_code == 404


def test_removing_a_person_takes_access_away_on_their_next_request(world):
    editor = http_as(world.acme_editor)
    assert editor.get("/", HTTP_HOST=host(world.acme)).status_code == 200
    target = membership(world.acme_editor, world.acme)
    confirm = http_as(world.acme_admin).get(f"/people/{target.pk}/remove/", HTTP_HOST=host(world.acme))
    assert confirm.status_code == 200 and "Remove Editor?" in confirm.content.decode()
    assert membership(world.acme_editor, world.acme) is not None  # asking is not removing
    response = http_as(world.acme_admin).post(f"/people/{target.pk}/remove/", HTTP_HOST=host(world.acme))
    assert response.status_code == 302
    assert editor.get("/", HTTP_HOST=host(world.acme)).status_code == 404
    [event] = events(world.acme, Action.PERSON_REMOVED)
    assert event.object_label == "editor@acme.test" and event.detail == {"role": "editor"}


def test_services_write_to_the_tenant_log_and_put_the_connection_back(world, in_tenant):
    in_tenant(world.lumiere)
    services.membership_role_change(membership=membership(world.acme_viewer, world.acme), role=Role.EDITOR,
                                    acting_user=world.acme_admin)
    assert connection.schema_name == "lumiere"
    assert len(events(world.acme, Action.ROLE_CHANGED)) == 1
    assert events(world.lumiere, Action.ROLE_CHANGED) == []


# --- Engagements -------------------------------------------------------------------------------


def test_engagement_start_and_end_are_audited_in_the_client_tenant(world, in_tenant):
    orion = ProviderOrganisation.objects.create(name="Orion Calls")
    in_tenant(world.lumiere)
    engagement = services.engagement_start(provider=orion, client=world.acme)
    assert services.engagement_start(provider=orion, client=world.acme) == engagement  # no second event
    services.engagement_end(engagement=engagement)
    services.engagement_end(engagement=engagement)  # already ended: no second event
    assert connection.schema_name == "lumiere"
    started = [e for e in events(world.acme, Action.ENGAGEMENT_STARTED) if e.detail.get("provider") == "Orion Calls"]
    ended = [e for e in events(world.acme, Action.ENGAGEMENT_ENDED) if e.detail.get("provider") == "Orion Calls"]
    assert len(started) == len(ended) == 1
    assert ended[0].object_id == str(engagement.pk)
    assert not [e for e in events(world.lumiere, Action.ENGAGEMENT_STARTED) if e.detail.get("provider") == "Orion Calls"]


# --- Provider leads ----------------------------------------------------------------------------


@pytest.fixture
def orion(world):
    """A second provider engaged by acme, with its own lead, agent and team."""
    provider = ProviderOrganisation.objects.create(name="Orion Calls")
    services.engagement_start(provider=provider, client=world.acme)
    lead = User.objects.create_user("lead@orion.test", world.password, full_name="Olga Orion")
    agent = User.objects.create_user("agent@orion.test", world.password, full_name="Oscar Orion")
    services.provider_member_add(user=lead, provider=provider, role=ProviderRole.LEAD)
    services.provider_member_add(user=agent, provider=provider, role=ProviderRole.AGENT).clients.add(world.acme)
    team = services.team_create(provider=provider, name="Orion night shift")
    team.members.add(agent)
    return provider, lead, agent, team


def test_a_lead_creates_renames_and_staffs_a_team(world):
    http = http_as(world.lead)
    home = http.get("/provider/", HTTP_HOST=PUBLIC)
    assert home["Location"] == f"/provider/{world.helios.pk}/"
    base = f"/provider/{world.helios.pk}"
    assert "No team yet" in http.get(f"{base}/", HTTP_HOST=PUBLIC).content.decode()

    created = http.post(f"{base}/teams/new/", {"name": "Returns desk"}, HTTP_HOST=PUBLIC)
    team = ProviderTeam.objects.get(provider=world.helios, name="Returns desk")
    assert created["Location"] == f"{base}/teams/{team.pk}/"
    duplicate = http.post(f"{base}/teams/new/", {"name": "returns DESK"}, HTTP_HOST=PUBLIC)
    assert duplicate.status_code == 400 and "already has a team called" in duplicate.content.decode()

    http.post(f"{base}/teams/{team.pk}/members/add/", {"user": world.agent_both.pk}, HTTP_HOST=PUBLIC)
    http.post(f"{base}/teams/{team.pk}/members/add/", {"user": world.agent_acme.pk}, HTTP_HOST=PUBLIC)
    assert set(team.members.all()) == {world.agent_both, world.agent_acme}
    http.post(f"{base}/teams/{team.pk}/members/{world.agent_acme.pk}/remove/", HTTP_HOST=PUBLIC)
    assert list(team.members.all()) == [world.agent_both]

    http.post(f"{base}/teams/{team.pk}/rename/", {"name": "Returns & refunds"}, HTTP_HOST=PUBLIC)
    team.refresh_from_db()
    assert team.name == "Returns & refunds"
    assert team.group.name.endswith(":Returns & refunds")
    # The old name is free again.
    http.post(f"{base}/teams/new/", {"name": "Returns desk"}, HTTP_HOST=PUBLIC)
    assert ProviderTeam.objects.filter(provider=world.helios, name="Returns desk").exists()

    page = http.get(f"{base}/", HTTP_HOST=PUBLIC).content.decode()
    assert "Returns &amp; refunds" in page and "Agent.Both" in page


def test_a_lead_chooses_which_engaged_clients_an_agent_works_for(world, orion):
    http = http_as(world.lead)
    url = f"/provider/{world.helios.pk}/people/{world.agent_acme.pk}/"
    page = http.get(url, HTTP_HOST=PUBLIC).content.decode()
    assert "Acme Parcels" in page and "Lumière Énergie" in page
    response = http.post(url, {"clients": [world.lumiere.pk]}, HTTP_HOST=PUBLIC)
    assert response.status_code == 302
    assert http_as(world.agent_acme).get("/", HTTP_HOST=host(world.lumiere)).status_code == 200
    assert http_as(world.agent_acme).get("/", HTTP_HOST=host(world.acme)).status_code == 404

    # Only clients that engage the provider can be chosen.
    services.engagement_end(engagement=Engagement.objects.get(pk=world.engagement_lumiere_id))
    refused = http.post(url, {"clients": [world.lumiere.pk]}, HTTP_HOST=PUBLIC)
    assert refused.status_code == 200 and "not one of the available choices" in refused.content.decode()


@pytest.mark.parametrize("who", ["agent_both", "acme_admin", "outsider"])
def test_provider_pages_are_404_for_everyone_but_leads(world, who):
    team = services.team_create(provider=world.helios, name="Night shift")
    http = http_as(getattr(world, who))
    base = f"/provider/{world.helios.pk}"
    for method, path in [
        ("get", "/provider/"),
        ("get", f"{base}/"),
        ("post", f"{base}/teams/new/"),
        ("get", f"{base}/teams/{team.pk}/"),
        ("post", f"{base}/teams/{team.pk}/rename/"),
        ("post", f"{base}/teams/{team.pk}/members/add/"),
        ("get", f"{base}/people/{world.agent_acme.pk}/"),
    ]:
        response = getattr(http, method)(path, {"name": "Hijacked", "user": world.agent_acme.pk}, HTTP_HOST=PUBLIC)
        assert response.status_code == 404, (method, path)
    team.refresh_from_db()
    assert team.name == "Night shift" and not team.members.exists()


def test_anonymous_people_are_asked_to_sign_in_for_provider_pages(world):
    response = http_as().get(f"/provider/{world.helios.pk}/", HTTP_HOST=PUBLIC)
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_a_lead_never_reaches_another_providers_teams_or_people(world, orion):
    provider, orion_lead, orion_agent, orion_team = orion
    http = http_as(world.lead)
    assert http.get(f"/provider/{provider.pk}/", HTTP_HOST=PUBLIC).status_code == 404
    assert http.get(f"/provider/{provider.pk}/teams/{orion_team.pk}/", HTTP_HOST=PUBLIC).status_code == 404
    # Another provider's ids under one's own provider are 404 too.
    base = f"/provider/{world.helios.pk}"
    assert http.get(f"{base}/teams/{orion_team.pk}/", HTTP_HOST=PUBLIC).status_code == 404
    assert http.get(f"{base}/people/{orion_agent.pk}/", HTTP_HOST=PUBLIC).status_code == 404
    own = services.team_create(provider=world.helios, name="Helios day shift")
    http.post(f"{base}/teams/{own.pk}/members/add/", {"user": orion_agent.pk}, HTTP_HOST=PUBLIC)
    assert not own.members.exists()
    page = http.get(f"{base}/", HTTP_HOST=PUBLIC).content.decode()
    assert "Orion" not in page
    team_page = http.get(f"{base}/teams/{own.pk}/", HTTP_HOST=PUBLIC).content.decode()
    assert "agent@orion.test" not in team_page and "Oscar" not in team_page
    # ... and the other lead sees only Orion.
    orion_page = http_as(orion_lead).get(f"/provider/{provider.pk}/", HTTP_HOST=PUBLIC).content.decode()
    assert "Orion night shift" in orion_page and "Helios" not in orion_page and "helios.test" not in orion_page
    assert http_as(orion_lead).get(f"{base}/", HTTP_HOST=PUBLIC).status_code == 404


def test_the_people_page_shows_only_provider_people_who_serve_this_client(world, orion):
    team = services.team_create(provider=world.helios, name="Mixed")
    team.members.add(world.agent_acme, world.agent_both)
    ProviderOrganisation.objects.create(name="Not Engaged Ltd")
    body = http_as(world.lumiere_admin).get("/people/", HTTP_HOST=host(world.lumiere)).content.decode()
    assert "Helios Contact" in body and "agent.both@helios.test" in body
    assert "agent.acme@helios.test" not in body  # works for acme only
    assert "Orion" not in body and "Not Engaged" not in body


def _events(client, *actions):
    connection.set_tenant(client)
    found = list(AuditEvent.objects.filter(action__in=actions).order_by("id").values_list("action", "object_label", "detail"))
    connection.set_schema_to_public()
    return found


def test_withdrawing_an_invitation_is_audited_once(world, invite):
    invite("withdrawn@example.test")
    invitation = Invitation.objects.get(email="withdrawn@example.test")
    for _attempt in range(2):
        http_as(world.acme_admin).post(f"/people/invitations/{invitation.pk}/revoke/", HTTP_HOST=host(world.acme))
    assert _events(world.acme, Action.INVITATION_REVOKED) == [
        (Action.INVITATION_REVOKED, "withdrawn@example.test", {"role": invitation.role})]


def test_team_changes_reach_the_log_of_each_workspace_the_team_works_in_and_no_other(world):
    from permissions.models import Level
    from permissions.services import grant_give

    team = services.team_create(provider=world.helios, name="Audit desk")
    connection.set_tenant(world.acme)
    from articles import services as articles

    collection = articles.collection_create(name="Audited", acting_user=world.acme_editor)
    grant_give(target=collection, level=Level.READ, acting_user=world.acme_admin, team=team)
    connection.set_schema_to_public()
    http = http_as(world.lead)
    base = f"/provider/{world.helios.pk}/teams/{team.pk}"
    http.post(f"{base}/members/add/", {"user": world.agent_both.pk}, HTTP_HOST=PUBLIC)
    http.post(f"{base}/members/add/", {"user": world.agent_both.pk}, HTTP_HOST=PUBLIC)  # no change, no event
    http.post(f"{base}/members/{world.agent_both.pk}/remove/", HTTP_HOST=PUBLIC)
    email = world.agent_both.email
    assert _events(world.acme, Action.TEAM_MEMBER_ADDED, Action.TEAM_MEMBER_REMOVED) == [
        # The team's id too, so that the log names the team as it is called when it is read.
        (Action.TEAM_MEMBER_ADDED, email, {"team": "Audit desk", "team_id": team.pk}),
        (Action.TEAM_MEMBER_REMOVED, email, {"team": "Audit desk", "team_id": team.pk}),
    ]
    # The team holds no grant in lumiere: lumiere learns nothing of it.
    assert _events(world.lumiere, Action.TEAM_MEMBER_ADDED, Action.TEAM_MEMBER_REMOVED) == []


def test_the_workspaces_an_agent_starts_or_stops_serving_record_it(world):
    http = http_as(world.lead)
    url = f"/provider/{world.helios.pk}/people/{world.agent_acme.pk}/"
    http.post(url, {"clients": [world.lumiere.pk]}, HTTP_HOST=PUBLIC)
    email = world.agent_acme.email
    assert _events(world.acme, Action.PROVIDER_PERSON_SERVES, Action.PROVIDER_PERSON_LEAVES) == [
        (Action.PROVIDER_PERSON_LEAVES, email, {"provider": "Helios Contact"})]
    assert _events(world.lumiere, Action.PROVIDER_PERSON_SERVES, Action.PROVIDER_PERSON_LEAVES) == [
        (Action.PROVIDER_PERSON_SERVES, email, {"provider": "Helios Contact"})]


def test_a_team_is_seen_only_by_the_clients_it_works_for(world):
    """A team serving lumiere only: acme's admins never see its name (people page, access
    overview, grant form) until the lead says it works for acme too."""
    team = services.team_create(provider=world.helios, name="Lumière night shift", clients=[world.lumiere])
    connection.set_tenant(world.acme)
    from articles import services as articles

    collection = articles.collection_create(name="Night", acting_user=world.acme_editor)
    connection.set_schema_to_public()
    admin = http_as(world.acme_admin)
    pages = ("/people/", "/access/", f"/access/collections/{collection.slug}/")

    def seen_by_acme() -> list[bool]:
        return ["Lumière night shift" in admin.get(path, HTTP_HOST=host(world.acme)).content.decode() for path in pages]

    assert seen_by_acme() == [False, False, False]
    assert "Lumière night shift" in http_as(world.lumiere_admin).get("/people/", HTTP_HOST=host(world.lumiere)).content.decode()
    # Nor can acme's admin grant it access by posting its id.
    response = admin.post(f"/access/collections/{collection.slug}/", {"grantee": f"team:{team.pk}", "level": "read"},
                          HTTP_HOST=host(world.acme))
    assert response.status_code == 400
    connection.set_tenant(world.acme)
    from permissions.models import CollectionTeamGrant

    assert not CollectionTeamGrant.objects.filter(group_id=team.group_id).exists()
    connection.set_schema_to_public()

    # The lead says the team works for acme as well: now acme's admins see it.
    lead = http_as(world.lead)
    url = f"/provider/{world.helios.pk}/teams/{team.pk}/clients/"
    assert lead.post(url, {"clients": [world.acme.pk, world.lumiere.pk]}, HTTP_HOST=PUBLIC).status_code == 302
    assert seen_by_acme() == [True, True, True]
    # Nobody but the lead may choose; only engaged clients can be chosen.
    connection.set_schema_to_public()
    assert http_as(world.agent_both).post(url, {"clients": []}, HTTP_HOST=PUBLIC).status_code == 404
    assert set(team.clients.all()) == {world.acme, world.lumiere}
    services.engagement_end(engagement=Engagement.objects.get(pk=world.engagement_lumiere_id))
    lead.post(url, {"clients": [world.acme.pk, world.lumiere.pk]}, HTTP_HOST=PUBLIC)
    assert set(team.clients.all()) == {world.acme, world.lumiere}  # refused: lumiere is kept as it was
    lead.post(url, {"clients": []}, HTTP_HOST=PUBLIC)
    # Emptied while lumiere's engagement is over: acme is dropped, lumiere (not the lead's to
    # change now) is kept for when the engagement resumes.
    assert set(team.clients.all()) == {world.lumiere}


def test_a_team_a_lead_creates_works_for_no_client_until_chosen(world):
    http = http_as(world.lead)
    http.post(f"/provider/{world.helios.pk}/teams/new/", {"name": "Fresh desk"}, HTTP_HOST=PUBLIC)
    team = ProviderTeam.objects.get(provider=world.helios, name="Fresh desk")
    assert not team.clients.exists()
    page = http.get(f"/provider/{world.helios.pk}/teams/{team.pk}/", HTTP_HOST=PUBLIC).content.decode()
    assert "works for no client yet" in page
    assert "Fresh desk" not in http_as(world.acme_admin).get("/people/", HTTP_HOST=host(world.acme)).content.decode()
