"""The keystroke's cache of the person, their access and their grants' reach
(permissions.access_cache): few statements per keystroke, and every change to access — a grant
revoked or expired, an engagement ended, a team left, a membership removed, a collection made
confidential, a person deactivated — seen by the very next request."""

from __future__ import annotations

import datetime
import time

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import services
from articles.models import Collection, Kind
from permissions import access_cache
from permissions.models import CollectionTeamGrant, Level
from permissions.services import grant_give, grant_revoke
from search import engine, indexing
from tenants import services as tenant_services
from tenants.models import Engagement, Membership, ProviderTeam

from .conftest import host

SECRET_WORD = "quokkavolant"  # only in the granted article: its presence is the access


@pytest.fixture
def setup(world, in_tenant, settings):
    settings.KB_ACCESS_CACHE = True  # what these tests are about (KB_ACCESS_CACHE=0 turns it off)
    access_cache.clear()  # a process cache outlives the test's rolled-back rows
    engine.clear_caches()
    in_tenant(world.acme)
    billing = services.collection_create(name="Billing", acting_user=world.acme_editor)
    article = services.article_create(
        kind=Kind.ARTICLE, collection=billing, acting_user=world.acme_editor, publish=True,
        content=services.Content(title=f"Refund a {SECRET_WORD} parcel", language="en", tags="",
                                 body=f"Open a {SECRET_WORD} investigation.", steps=[], faqs=[]),
    )
    indexing.index_article(article.pk)
    connection.set_schema_to_public()
    team = ProviderTeam.objects.filter(provider=world.helios, name="Cache team").first() or \
        tenant_services.team_create(provider=world.helios, name="Cache team")
    team.members.add(world.agent_acme)
    connection.set_tenant(world.acme)
    grant = grant_give(target=billing, level=Level.READ, acting_user=world.acme_admin, team=team)
    connection.set_schema_to_public()
    agent = HttpClient()
    agent.force_login(world.agent_acme)
    yield world, agent, grant, team, billing
    access_cache.clear()
    engine.clear_caches()


def keystroke(http, client, q=SECRET_WORD):
    return http.get("/search/", {"q": q}, HTTP_HOST=host(client), HTTP_HX_REQUEST="true",
                    HTTP_HX_TARGET="lookup-results")


def shows(response) -> bool:
    return response.status_code == 200 and f"Refund a <mark>{SECRET_WORD}</mark>" in response.content.decode()


def hidden(response) -> bool:
    """Answered, and the article is not among the hits (the query itself is echoed)."""
    return response.status_code == 200 and "Refund a" not in response.content.decode()


def warm(agent, world):
    """Two keystrokes: the session and sign-in audit settled, the access cached."""
    assert shows(keystroke(agent, world.acme))
    assert shows(keystroke(agent, world.acme))


def test_a_keystroke_costs_at_most_six_statements_and_no_access_query(setup):
    world, agent, *_ = setup
    warm(agent, world)
    for q in (SECRET_WORD, "refund", "quokkavolnat", "zzzqqq volants"):  # the third: a typo corrected
        with CaptureQueriesContext(connection) as queries:
            response = keystroke(agent, world.acme, q)
        assert response.status_code == 200
        sql = [query["sql"] for query in queries]
        # the domain, the session, the generations, the search (a typo: its retry and the log's update)
        assert len(sql) <= 6, "\n".join(s[:150] for s in sql)
        assert not [s for s in sql if "grant" in s.split(" FROM ", 1)[-1][:60] or "tenants_membership" in s
                    or "tenants_providermembership" in s or "tenants_user" in s], "\n".join(s[:150] for s in sql)
    assert "quokkavolant" in keystroke(agent, world.acme, "quokkavolnat").content.decode()


def test_a_revoked_grant_is_gone_on_the_very_next_keystroke(setup):
    world, agent, grant, *_ = setup
    warm(agent, world)
    connection.set_tenant(world.acme)
    grant_revoke(grant=grant, acting_user=world.acme_admin)
    connection.set_schema_to_public()
    response = keystroke(agent, world.acme)
    assert hidden(response)


def test_an_ended_engagement_closes_the_workspace_on_the_very_next_request(setup):
    world, agent, *_ = setup
    warm(agent, world)
    tenant_services.engagement_end(engagement=Engagement.objects.get(pk=world.engagement_acme_id))
    assert keystroke(agent, world.acme).status_code == 404


def test_leaving_the_team_is_seen_on_the_very_next_keystroke(setup):
    world, agent, _, team, _ = setup
    warm(agent, world)
    tenant_services.team_member_remove(team=team, user=world.agent_acme, acting_user=world.lead)
    response = keystroke(agent, world.acme)
    assert hidden(response)


def test_a_grant_that_expires_stops_at_its_expiry_without_any_write(setup):
    world, agent, grant, team, billing = setup
    connection.set_tenant(world.acme)
    grant_revoke(grant=grant, acting_user=world.acme_admin)
    expires = timezone.now() + datetime.timedelta(seconds=3)
    grant_give(target=billing, level=Level.READ, acting_user=world.acme_admin, team=team, expires_at=expires)
    connection.set_schema_to_public()
    warm(agent, world)  # cached while the grant is active
    before = access_cache.read_generations(world.agent_acme.pk, world.acme.pk)
    time.sleep(max(0.0, (expires - timezone.now()).total_seconds()) + 0.2)
    assert access_cache.read_generations(world.agent_acme.pk, world.acme.pk) == before  # nothing was written
    response = keystroke(agent, world.acme)
    assert hidden(response)


def test_a_collection_made_confidential_is_gone_on_the_very_next_keystroke(setup, in_tenant):
    world, agent, _, team, billing = setup
    # The grant is on a parent; the article sits in a child, reached by inheritance.
    in_tenant(world.acme)
    parent = services.collection_create(name="Parent", acting_user=world.acme_editor)
    grant_give(target=parent, level=Level.READ, acting_user=world.acme_admin, team=team)
    Collection.objects.filter(pk=billing.pk).update(parent=parent)
    connection.set_schema_to_public()
    warm(agent, world)
    connection.set_tenant(world.acme)
    for direct in CollectionTeamGrant.objects.filter(content_object_id=billing.pk):
        grant_revoke(grant=direct, acting_user=world.acme_admin)
    connection.set_schema_to_public()
    assert shows(keystroke(agent, world.acme))  # still reached through the parent
    connection.set_tenant(world.acme)
    Collection.objects.filter(pk=billing.pk).update(confidential=True)  # inheritance stops there
    connection.set_schema_to_public()
    response = keystroke(agent, world.acme)
    assert hidden(response)


def test_a_removed_member_is_out_on_the_very_next_request(setup):
    world, *_ = setup
    viewer = HttpClient()
    viewer.force_login(world.acme_viewer)
    warm(viewer, world)
    Membership.objects.filter(user=world.acme_viewer, client=world.acme).delete()
    assert keystroke(viewer, world.acme).status_code == 404


def test_a_deactivated_person_is_signed_out_on_the_very_next_request(setup):
    world, agent, *_ = setup
    warm(agent, world)
    world.agent_acme.is_active = False
    world.agent_acme.save(update_fields=["is_active"])
    response = keystroke(agent, world.acme)
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_a_new_password_signs_out_the_other_sessions_at_once(setup):
    world, agent, *_ = setup
    warm(agent, world)
    world.agent_acme.set_password("another-long-passphrase")
    world.agent_acme.save(update_fields=["password"])
    assert keystroke(agent, world.acme).status_code == 302


def test_the_cache_is_what_answers(setup):
    """Not a cache that is never hit: the second keystroke asks for no access at all, and a
    cache emptied (a new process) only costs the statements it saved."""
    world, agent, *_ = setup
    warm(agent, world)
    access_cache.clear()
    with CaptureQueriesContext(connection) as cold:
        assert shows(keystroke(agent, world.acme))
    with CaptureQueriesContext(connection) as warm_queries:
        assert shows(keystroke(agent, world.acme))
    assert len(warm_queries) < len(cold) - 4, (len(cold), len(warm_queries))


def test_a_removed_domain_answers_404_on_the_very_next_request(setup):
    world, agent, *_ = setup
    warm(agent, world)
    world.acme.domains.filter(domain=host(world.acme)).delete()
    assert keystroke(agent, world.acme).status_code == 404


def test_a_host_that_now_names_another_workspace_serves_it_on_the_very_next_request(setup):
    """A domain moved to another client (or a client dropped and created again under the same
    host, as the browser tests' throwaway workspaces are) is that workspace at once, not a 404."""
    world, *_ = setup
    both = HttpClient()
    both.force_login(world.agent_both)
    for _ in range(2):  # the second is served from the cache
        assert both.get("/search/", HTTP_HOST=host(world.acme)).status_code == 200
    world.acme.domains.filter(domain=host(world.acme)).update(tenant=world.lumiere, is_primary=False)
    page = both.get("/search/", HTTP_HOST=host(world.acme))
    assert page.status_code == 200 and world.lumiere.name in page.content.decode()


def test_a_tenant_changed_is_read_afresh_on_the_very_next_request(setup):
    world, agent, *_ = setup
    warm(agent, world)
    type(world.acme).objects.filter(pk=world.acme.pk).update(name="Acme Renamed Parcels")
    page = agent.get("/search/", HTTP_HOST=host(world.acme))
    assert page.status_code == 200 and "Acme Renamed Parcels" in page.content.decode()


def test_a_removed_domain_stops_routing_requests_not_signed_in_after_the_tenant_max_age(setup, monkeypatch):
    """A request not signed in reads no generation: the host's cached tenant is reused only
    TENANT_MAX_AGE seconds, then read again, so a removed domain (or a deleted client) stops
    routing in every process, not never."""
    world, *_ = setup
    monkeypatch.setattr(access_cache, "TENANT_MAX_AGE", 1.0)
    access_cache.clear()
    stranger = HttpClient()
    first = stranger.get("/", HTTP_HOST=host(world.acme))
    assert first.status_code == 302 and "/accounts/sign-in/" in first["Location"]  # routed to acme
    world.acme.domains.filter(domain=host(world.acme)).delete()
    # Within the max age the cached tenant still answers (what the bound is about)...
    assert stranger.get("/", HTTP_HOST=host(world.acme)).status_code == 302
    time.sleep(1.2)
    # ...after it, the host is read again and no longer names a tenant.
    assert stranger.get("/", HTTP_HOST=host(world.acme)).status_code == 404
