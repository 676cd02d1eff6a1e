"""A tenant admin revokes a team's grant in the browser, and the provider agent, signed in in a
browser of their own, loses access on their next click.

The data is committed (the live server cannot see a test transaction) and lives in a tenant
of its own, dropped afterwards: grants write to the tenant's append-only audit log, which no
cleanup may delete.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from playwright.sync_api import expect

from articles import services as articles
from articles.models import Kind
from permissions import services as permissions
from tenants import services as tenants
from tenants.models import ProviderOrganisation, ProviderRole, Role, User

from .conftest import PASSWORD, drop_throwaway_tenant, sign_in

pytestmark = pytest.mark.browser

SCHEMA = "orion"
ADMIN = "access.admin@orion.test"
AGENT = "access.agent@helios.test"
TEAM = "Orion desk"


@pytest.fixture
def orion(committed):
    client = tenants.client_create(schema_name=SCHEMA, name="Orion Telecom")
    admin = User.objects.create_user(ADMIN, PASSWORD, full_name="Olga Admin")
    tenants.membership_set(user=admin, client=client, role=Role.ADMIN)
    helios = ProviderOrganisation.objects.get(name="Helios Contact")
    tenants.engagement_start(provider=helios, client=client)
    agent = User.objects.create_user(AGENT, PASSWORD, full_name="Arno Agent")
    tenants.provider_member_add(user=agent, provider=helios, role=ProviderRole.AGENT).clients.add(client)
    team = tenants.team_create(provider=helios, name=TEAM)
    team.members.add(agent)
    connection.set_tenant(client)
    collection = articles.collection_create(name="Roaming", acting_user=admin)
    article = articles.article_create(
        kind=Kind.GUIDE, collection=collection, acting_user=admin, publish=True,
        content=articles.Content(title="Activate roaming", language="en", tags=[],
                                 steps=[{"title": "Check the plan", "body": "Open the customer's plan."}]),
    )
    permissions.grant_give(target=collection, level="read", team=team, acting_user=admin)
    connection.set_schema_to_public()
    yield collection, article
    drop_throwaway_tenant(client, teams=[team], emails=[ADMIN, AGENT])
    cache.clear()


def test_an_admin_revokes_a_team_grant_and_the_agent_loses_access_on_the_next_click(page, browser, site, orion):
    collection, article = orion

    context = browser.new_context(locale="en-GB")
    agent = context.new_page()
    agent.set_default_timeout(10_000)
    try:
        sign_in(agent, site, AGENT)
        agent.goto(site(SCHEMA, collection.get_absolute_url()))
        expect(agent.get_by_role("heading", name="Roaming")).to_be_visible()
        expect(agent.get_by_role("link", name="Activate roaming")).to_be_visible()

        sign_in(page, site, ADMIN)
        page.goto(site(SCHEMA, collection.get_absolute_url()))
        page.locator("#main").get_by_role("link", name="Access", exact=True).click()
        expect(page.get_by_role("heading", name="Access to Roaming")).to_be_visible()
        expect(page.get_by_role("cell", name=f"Team {TEAM} (Helios Contact)")).to_be_visible()
        # Two steps (issue 14): the first button asks, the second revokes.
        page.locator("summary", has_text=f"Revoke the access of {TEAM}").click()
        page.get_by_role("button", name="Yes, revoke").click()
        expect(page.get_by_text(f"Access of Helios Contact / {TEAM} revoked.")).to_be_visible()
        expect(page.get_by_text("No grant on this collection.")).to_be_visible()

        with agent.expect_response(lambda response: article.slug in response.url) as opened:
            agent.get_by_role("link", name="Activate roaming").click()
        assert opened.value.status == 404
        # The product's page, not Django's: it says why, whom to ask, and the way back.
        expect(agent.get_by_role("heading", name="Page not found")).to_be_visible()
        expect(agent.get_by_text("This page does not exist, or you no longer have access to it.")).to_be_visible()
        expect(agent.get_by_text("ask an administrator of this workspace")).to_be_visible()
        expect(agent.locator(".error-admins")).to_have_text("Olga Admin")
        expect(agent.get_by_text("Check the plan")).to_have_count(0)
        agent.get_by_role("link", name="Back to the lookup").click()
        expect(agent.locator("#lookup-q")).to_be_focused()
        assert agent.url.endswith("/search/")
    finally:
        context.close()
    assert page.console_errors == []
