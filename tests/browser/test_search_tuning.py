"""An editor opens the content-gap report, sees the query an agent searched for in vain, adds
a synonym from it in two clicks, and the agent's query then finds the article.

The data is committed (the live server cannot see a test transaction) and lives in a tenant of
its own, dropped afterwards: signing in writes to the tenant's append-only audit log.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from playwright.sync_api import expect

from articles import services as articles
from articles.models import Kind
from permissions import services as permissions
from search import engine, indexing
from tenants import services as tenants
from tenants.models import ProviderOrganisation, ProviderRole, Role, User
from tenants.selectors import workspace_access

from .conftest import PASSWORD, drop_throwaway_tenant, sign_in

pytestmark = pytest.mark.browser

SCHEMA = "vega"
EDITOR = "tuning.editor@vega.test"
AGENT = "tuning.agent@helios.test"
TEAM = "Vega desk"


@pytest.fixture
def vega(committed):
    client = tenants.client_create(schema_name=SCHEMA, name="Vega Énergie")
    editor = User.objects.create_user(EDITOR, PASSWORD, full_name="Eva Editor")
    tenants.membership_set(user=editor, client=client, role=Role.EDITOR)
    helios = ProviderOrganisation.objects.get(name="Helios Contact")
    tenants.engagement_start(provider=helios, client=client)
    agent = User.objects.create_user(AGENT, PASSWORD, full_name="Tariq Agent")
    tenants.provider_member_add(user=agent, provider=helios, role=ProviderRole.AGENT).clients.add(client)
    team = tenants.team_create(provider=helios, name=TEAM)
    team.members.add(agent)
    access = workspace_access(agent, client)
    connection.set_tenant(client)
    collection = articles.collection_create(name="Contrats", acting_user=editor)
    article = articles.article_create(
        kind=Kind.GUIDE, collection=collection, acting_user=editor, publish=True,
        content=articles.Content(title="Résiliation d'un contrat", language="fr", tags=[], steps=[
            {"title": "Vérifier l'identité", "body": "Demander le numéro de contrat."},
            {"title": "Confirmer la date de fin", "body": "Envoyer la confirmation par e-mail."},
        ]),
    )
    indexing.index_article(article.pk)
    permissions.grant_give(target=collection, level="read", team=team, acting_user=editor)
    engine.clear_caches()
    connection.set_schema_to_public()
    yield client, access, article
    drop_throwaway_tenant(client, teams=[team], emails=[EDITOR, AGENT])
    engine.clear_caches()
    cache.clear()


def agent_search(client, access, query):
    connection.set_tenant(client)
    try:
        return engine.search(access, query)
    finally:
        connection.set_schema_to_public()


def test_an_editor_turns_a_failed_query_into_a_synonym_and_the_agent_then_finds_the_article(page, site, vega):
    client, access, article = vega
    # The agent, mid-call, types the customer's word: nothing.
    assert agent_search(client, access, "désabonnement ").hits == []

    sign_in(page, site, EDITOR)
    page.goto(site(SCHEMA, "/search/manage/"))
    expect(page.get_by_role("heading", name="Content gaps")).to_be_visible()
    row = page.locator("tbody tr", has_text="désabonnement")
    expect(row).to_contain_text("Vega desk: 1")
    expect(row).to_contain_text("1 with no result")

    row.get_by_role("link", name="Add synonym").click()
    expect(page.get_by_role("heading", name="Add synonyms")).to_be_visible()
    expect(page.get_by_label("Word agents type")).to_have_value("desabonnement")
    page.get_by_label("Words that mean the same").fill("résiliation")
    page.get_by_role("button", name="Save the synonyms").click()
    expect(page.get_by_role("status")).to_contain_text("Synonyms saved: “desabonnement ≈ resiliation”")
    expect(page.locator("tbody tr", has_text="desabonnement")).to_contain_text("resiliation")

    # The agent's same query now finds the guide.
    results = agent_search(client, access, "désabonnement ")
    assert [hit.article_id for hit in results.hits] == [article.pk]

    # Back on the report, the tab bar leads to best bets, whose pin form finds the guide as one
    # types (htmx) and pins it for the query.
    page.get_by_role("link", name="Best bets").click()
    page.wait_for_load_state("load")
    page.get_by_label("Query", exact=True).fill("fin de contrat")
    choices = page.get_by_label("Article to show first").locator("option")
    page.get_by_label("Find an article").fill("zzzqqq")
    expect(choices).to_have_text(["— no published article matches —"])
    page.get_by_label("Find an article").fill("résil")
    expect(choices).to_have_text(["— choose an article —", "Résiliation d'un contrat — Contrats"])
    page.get_by_label("Article to show first").select_option(label="Résiliation d'un contrat — Contrats")
    page.get_by_role("button", name="Pin the article").click()
    expect(page.get_by_role("status")).to_contain_text("now comes first for “fin de contrat”")
    results = agent_search(client, access, "fin de contrat ")
    assert results.hits[0].article_id == article.pk and results.hits[0].best_bet
    assert page.console_errors == []
