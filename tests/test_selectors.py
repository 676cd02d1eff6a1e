"""The getters that views used to hand-roll, now in the selectors: each one, tried the way an
intruder would (another tenant's id, no grant, a grant revoked since the last request, the
wrong role), answers 404 the same way as for a missing object. Through HTTP where a page or
the API uses it, directly where no single URL shows the case."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.http import Http404
from django.test import Client as HttpClient
from django.utils import translation

from articles import services
from articles.models import Article, Collection, Kind, Suggestion
from permissions import selectors
from permissions import services as grants
from permissions.models import CollectionTeamGrant
from search import selectors as search_selectors
from search import services as search_services
from tenants import selectors as people
from tenants import services as tenants
from tenants.models import Invitation, Membership, ProviderOrganisation, ProviderRole, SiteAddress, User
from tenants.selectors import workspace_access

from .conftest import host


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def http_as(user):
    http = HttpClient()
    http.force_login(user)
    return http


def get(user, client, path):
    return http_as(user).get(path, HTTP_HOST=host(client))


@pytest.fixture
def acme(world, in_tenant):
    in_tenant(world.acme)
    return world


@pytest.fixture
def deliveries(acme):
    return services.collection_create(name="Deliveries", acting_user=acme.acme_editor)


@pytest.fixture
def guide(acme, deliveries):
    return services.article_create(
        kind=Kind.GUIDE, collection=deliveries, acting_user=acme.acme_editor, publish=True,
        content=services.Content(title="Redeliver a parcel", language="en", tags=[], steps=[
            {"title": "Check the tracking", "body": "Open the tracking page."},
        ]),
    )


@pytest.fixture
def desk(acme, deliveries):
    """agent_both's team contributes to Deliveries; agent_acme holds no grant at all."""
    team = tenants.team_create(provider=acme.helios, name="Delivery desk")
    team.members.add(acme.agent_both)
    grants.grant_give(target=deliveries, level="contribute", team=team, acting_user=acme.acme_admin)
    return team


def revoke_all(world, collection):
    for grant in CollectionTeamGrant.objects.filter(content_object=collection):
        grants.grant_revoke(grant=grant, acting_user=world.acme_admin)


def only_in_lumiere(world, in_tenant, make, model):
    """Something `make` creates in the other tenant, whose id names nothing in acme (tenant
    schemas number their rows independently, so the first try may collide)."""
    for _attempt in range(50):
        in_tenant(world.lumiere)
        made = make()
        in_tenant(world.acme)
        if not model.objects.filter(pk=made.pk).exists():
            return made
    raise AssertionError("no id free in acme after 50 tries")


def lumiere_article(world, in_tenant, title="Only in Lumière"):
    def make():
        collection = Collection.objects.filter(name="Lumière only").first() or services.collection_create(
            name="Lumière only", acting_user=world.lumiere_editor)
        return services.article_create(
            kind=Kind.GUIDE, collection=collection, acting_user=world.lumiere_editor, publish=True,
            content=services.Content(title=title, language="en", tags=[], steps=[
                {"title": "Lumière step", "body": "Only in Lumière."}]),
        )

    return only_in_lumiere(world, in_tenant, make, Article)


# --- Content: the suggestion editor, the API's article -------------------------------------------


def test_the_suggestion_editor_opens_for_a_contribute_grant_and_closes_on_the_next_request_after_revoke(
        acme, guide, desk, deliveries):
    url = f"/guides/{guide.slug}/suggest/"
    agent = http_as(acme.agent_both)
    assert agent.get(url, HTTP_HOST=host(acme.acme)).status_code == 200
    assert get(acme.agent_acme, acme.acme, url).status_code == 404  # no grant
    grants.grant_give(target=deliveries, level="read", person=acme.agent_acme, acting_user=acme.acme_admin)
    assert get(acme.agent_acme, acme.acme, guide.get_absolute_url()).status_code == 200
    assert get(acme.agent_acme, acme.acme, url).status_code == 404  # reading is not proposing
    revoke_all(acme, deliveries)
    assert agent.get(url, HTTP_HOST=host(acme.acme)).status_code == 404  # same session, next request
    assert agent.get("/suggestions/editor/rows/steps/", HTTP_HOST=host(acme.acme)).status_code == 404


def test_the_contributable_article_getter_refuses_the_other_kind_archived_and_other_tenants(
        acme, in_tenant, guide, desk):
    access = workspace_access(acme.agent_both, acme.acme)
    assert selectors.get_contributable_article_for_user(access, "guides", guide.slug) == guide
    with pytest.raises(Http404):
        selectors.get_contributable_article_for_user(access, "faqs", guide.slug)
    with pytest.raises(Http404):
        selectors.get_contributable_article_for_user(access, "nonsense", guide.slug)
    other = lumiere_article(acme, in_tenant)
    with pytest.raises(Http404):
        selectors.get_contributable_article_for_user(access, "guides", other.slug)
    services.article_archive(article=guide, archived=True, acting_user=acme.acme_editor)
    with pytest.raises(Http404):
        selectors.get_contributable_article_for_user(access, "guides", guide.slug)


def test_the_api_article_is_404_for_another_tenants_id_no_grant_a_revoked_grant_and_a_draft(
        acme, in_tenant, guide, desk, deliveries):
    url = f"/api/v1/articles/{guide.pk}"
    agent = http_as(acme.agent_both)
    assert agent.get(url, HTTP_HOST=host(acme.acme)).status_code == 200
    assert get(acme.agent_acme, acme.acme, url).status_code == 404
    other = lumiere_article(acme, in_tenant)
    assert get(acme.acme_admin, acme.acme, f"/api/v1/articles/{other.pk}").status_code == 404
    assert get(acme.lumiere_admin, acme.lumiere, f"/api/v1/articles/{other.pk}").status_code == 200
    in_tenant(acme.acme)  # a request leaves the connection on its tenant
    draft = services.article_create(
        kind=Kind.ARTICLE, collection=deliveries, acting_user=acme.acme_editor, publish=False,
        content=services.Content(title="Not yet", language="en", tags=[], body="Draft."))
    assert get(acme.acme_editor, acme.acme, f"/api/v1/articles/{draft.pk}").status_code == 404
    revoke_all(acme, deliveries)
    response = agent.get(url, HTTP_HOST=host(acme.acme))
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_the_api_collection_filter_is_unknown_for_another_tenants_slug_and_hostile_slugs(acme, in_tenant, deliveries):
    in_tenant(acme.lumiere)
    lumiere_slug = services.collection_create(name="Lumière only", acting_user=acme.lumiere_editor).slug
    in_tenant(acme.acme)
    viewer = workspace_access(acme.acme_viewer, acme.acme)
    assert selectors.find_collection_for_user(viewer, deliveries.slug) == deliveries
    for slug in (lumiere_slug, "", "a\x00b", "x" * 10_000, "missing"):
        assert selectors.find_collection_for_user(viewer, slug) is None
    response = get(acme.acme_viewer, acme.acme, f"/api/v1/search?q=parcel&collection={lumiere_slug}")
    assert response.status_code == 400 and response.json()["error"]["code"] == "unknown_collection"


# --- Suggestions ---------------------------------------------------------------------------------


@pytest.fixture
def suggestion(acme, guide, desk):
    content = services.Content(title=guide.title, language="en", tags=[], steps=[
        dict(guide.live_revision.steps[0], body="Open the tracking page, then the map.")])
    return services.suggestion_create(access=workspace_access(acme.agent_both, acme.acme), acting_user=acme.agent_both,
                                      article=guide, content=content, reason="Agents look for the map.")


def test_a_suggestion_is_its_contributors_and_the_editors_only(acme, suggestion):
    url = f"/suggestions/{suggestion.pk}/"
    assert get(acme.agent_both, acme.acme, url).status_code == 200
    assert get(acme.acme_editor, acme.acme, url).status_code == 200
    assert get(acme.agent_acme, acme.acme, url).status_code == 404  # another provider person
    assert get(acme.acme_viewer, acme.acme, url).status_code == 404
    contributor = workspace_access(acme.agent_both, acme.acme)
    with pytest.raises(Http404):  # the contributor reads, never reviews
        selectors.get_rw_suggestion_for_user(contributor, suggestion.pk)
    assert http_as(acme.agent_both).post(f"/suggestions/{suggestion.pk}/reject/", {"reason": "no"},
                                         HTTP_HOST=host(acme.acme)).status_code == 404


def test_a_suggestion_id_of_another_tenant_is_404(acme, in_tenant):
    in_tenant(acme.lumiere)
    collection = services.collection_create(name="Lumière desk", acting_user=acme.lumiere_editor)
    team = tenants.team_create(provider=acme.helios, name="Lumière desk")
    team.members.add(acme.agent_both)
    grants.grant_give(target=collection, level="contribute", team=team, acting_user=acme.lumiere_admin)

    def make():
        return services.suggestion_create(
            access=workspace_access(acme.agent_both, acme.lumiere), acting_user=acme.agent_both,
            collection=collection, kind=Kind.ARTICLE, reason="A new one.",
            content=services.Content(title="An idea", language="en", tags=[], body="Text."))

    created = only_in_lumiere(acme, in_tenant, make, Suggestion)
    for user in (acme.acme_editor, acme.agent_both):
        assert get(user, acme.acme, f"/suggestions/{created.pk}/").status_code == 404
    assert get(acme.agent_both, acme.lumiere, f"/suggestions/{created.pk}/").status_code == 200
    assert get(acme.lumiere_editor, acme.lumiere, f"/suggestions/{created.pk}/").status_code == 200


# --- The access pages: grants and the access review ----------------------------------------------


def test_a_grant_of_another_tenant_or_kind_is_404_and_only_admins_reach_one(acme, in_tenant, desk, deliveries):
    grant = CollectionTeamGrant.objects.get(content_object=deliveries)
    admin = workspace_access(acme.acme_admin, acme.acme)
    assert selectors.get_grant_for_admin(admin, "collection-team", grant.pk) == grant
    for kind, pk in (("collection-person", grant.pk), ("article-team", grant.pk), ("nonsense", grant.pk),
                     ("collection-team", grant.pk + 1000)):
        with pytest.raises(Http404):
            selectors.get_grant_for_admin(admin, kind, pk)
    with pytest.raises(Http404):
        selectors.get_grant_for_admin(workspace_access(acme.acme_editor, acme.acme), "collection-team", grant.pk)
    # The same id on the other tenant's host names nothing there.
    response = http_as(acme.lumiere_admin).post(f"/access/grants/collection-team/{grant.pk}/revoke/",
                                                HTTP_HOST=host(acme.lumiere))
    assert response.status_code == 404
    in_tenant(acme.acme)  # a request leaves the connection on its tenant
    assert CollectionTeamGrant.objects.filter(pk=grant.pk).exists()


def test_only_people_of_this_tenant_can_be_reviewed(acme):
    admin = workspace_access(acme.acme_admin, acme.acme)
    assert selectors.get_reviewable_person_for_admin(admin, acme.acme_viewer.pk) == acme.acme_viewer
    assert selectors.get_reviewable_person_for_admin(admin, acme.agent_acme.pk) == acme.agent_acme
    for stranger in (acme.lumiere_viewer, acme.outsider):
        assert get(acme.acme_admin, acme.acme, f"/access/review/people/{stranger.pk}/").status_code == 404
    with pytest.raises(Http404):
        selectors.get_reviewable_person_for_admin(workspace_access(acme.acme_editor, acme.acme), acme.acme_viewer.pk)


# --- People of a client tenant ---------------------------------------------------------------------


def test_a_membership_or_invitation_of_another_tenant_is_404(acme):
    lumiere_membership = Membership.objects.get(client=acme.lumiere, user=acme.lumiere_viewer)
    admin = workspace_access(acme.acme_admin, acme.acme)
    with pytest.raises(Http404):
        people.get_membership_for_admin(admin, lumiere_membership.pk)
    assert get(acme.acme_admin, acme.acme, f"/people/{lumiere_membership.pk}/remove/").status_code == 404
    mine = Membership.objects.get(client=acme.acme, user=acme.acme_viewer)
    assert people.get_membership_for_admin(admin, mine.pk) == mine
    with pytest.raises(Http404):  # an editor is not an admin
        people.get_membership_for_admin(workspace_access(acme.acme_editor, acme.acme), mine.pk)
    invitation, _token = tenants.invitation_create(
        client=acme.lumiere, email="new@lumiere.test", role="viewer", acting_user=acme.lumiere_admin,
        site=SiteAddress.configured())
    with pytest.raises(Http404):
        people.get_pending_invitation_for_admin(admin, invitation.pk)
    lumiere_admin = workspace_access(acme.lumiere_admin, acme.lumiere)
    assert people.get_pending_invitation_for_admin(lumiere_admin, invitation.pk) == invitation
    tenants.invitation_revoke(invitation=invitation, acting_user=acme.lumiere_admin)
    with pytest.raises(Http404):  # withdrawn: no longer pending
        people.get_pending_invitation_for_admin(lumiere_admin, invitation.pk)
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_staff_and_providers_lists_are_for_admins_only(acme):
    admin = workspace_access(acme.acme_admin, acme.acme)
    assert {m.user for m in people.client_staff(admin)} == {acme.acme_admin, acme.acme_editor, acme.acme_viewer}
    assert [row["provider"] for row in people.engaged_providers(admin)] == [acme.helios]
    for who in (acme.acme_editor, acme.agent_both):
        with pytest.raises(Http404):
            people.client_staff(workspace_access(who, acme.acme))


# --- A provider lead's pages -------------------------------------------------------------------------


def test_a_lead_reaches_only_their_own_providers_teams_and_people(acme):
    other = ProviderOrganisation.objects.create(name="Other Call Centre", country="France")
    other_team = tenants.team_create(provider=other, name="Night shift")
    stranger = User.objects.create_user("agent@other.test", acme.password)
    tenants.provider_member_add(user=stranger, provider=other, role=ProviderRole.AGENT)
    team = tenants.team_create(provider=acme.helios, name="Day shift")
    team.members.add(acme.agent_acme)
    lead = acme.lead
    assert people.get_team_for_lead(lead, acme.helios.pk, team.pk) == team
    assert people.get_team_member_for_lead(lead, team, acme.agent_acme.pk) == acme.agent_acme
    for call in (
        lambda: people.get_provider_for_lead(lead, other.pk),
        lambda: people.get_team_for_lead(lead, acme.helios.pk, other_team.pk),  # another provider's team
        lambda: people.get_team_for_lead(lead, other.pk, other_team.pk),
        lambda: people.get_team_member_for_lead(lead, team, acme.agent_both.pk),  # not in the team
        lambda: people.get_provider_person_for_lead(lead, acme.helios.pk, stranger.pk),
        lambda: people.get_provider_for_lead(acme.agent_acme, acme.helios.pk),  # an agent is no lead
    ):
        with pytest.raises(Http404):
            call()
    public = settings.KB_BASE_DOMAIN
    assert http_as(lead).get(f"/provider/{acme.helios.pk}/teams/{other_team.pk}/",
                             HTTP_HOST=public).status_code == 404
    assert http_as(lead).get(f"/provider/{acme.helios.pk}/people/{stranger.pk}/", HTTP_HOST=public).status_code == 404
    assert http_as(lead).get(f"/provider/{acme.helios.pk}/people/{acme.agent_acme.pk}/",
                             HTTP_HOST=public).status_code == 200


def test_a_token_is_revoked_only_by_its_person(acme):
    token, _raw = tenants.token_create(user=acme.acme_viewer, name="CTI")
    assert people.get_own_api_token(acme.acme_viewer, token.pk) == token
    with pytest.raises(Http404):
        people.get_own_api_token(acme.acme_editor, token.pk)
    response = http_as(acme.acme_editor).post("/profile/", {"action": "revoke", "token": token.pk},
                                              HTTP_HOST=settings.KB_BASE_DOMAIN)
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


# --- Search tuning and the lookup page's shortcuts -------------------------------------------------


def test_search_tuning_objects_are_the_editors(acme, guide):
    synonym = search_services.synonym_create(term="colis", synonyms=["parcel"])
    bet = search_services.best_bet_add(query="parcel", article=guide, acting_user=acme.acme_editor)
    editor = workspace_access(acme.acme_editor, acme.acme)
    assert search_selectors.get_synonym_for_editor(editor, synonym.pk) == synonym
    assert search_selectors.get_best_bet_for_editor(editor, bet.pk) == bet
    viewer = workspace_access(acme.acme_viewer, acme.acme)
    for call in (lambda: search_selectors.get_synonym_for_editor(viewer, synonym.pk),
                 lambda: search_selectors.get_best_bet_for_editor(viewer, bet.pk),
                 lambda: search_selectors.get_synonym_for_editor(editor, synonym.pk + 1000)):
        with pytest.raises(Http404):
            call()


def test_a_pinned_procedure_disappears_when_the_grant_is_revoked(acme, guide, desk, deliveries):
    access = workspace_access(acme.agent_both, acme.acme)
    search_services.pin(access=access, article=guide)
    assert search_selectors.is_pinned(access=access, article=guide)
    assert search_selectors.shortcuts(access)["pinned"] == [guide]
    revoke_all(acme, deliveries)
    assert search_selectors.shortcuts(workspace_access(acme.agent_both, acme.acme))["pinned"] == []
