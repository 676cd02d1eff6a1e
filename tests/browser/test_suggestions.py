"""A provider agent proposes a change to a guide step, a client editor accepts it from the
queue, and the agent sees it credited — in the browser.

The data is committed (the live server cannot see a test transaction). It lives in a tenant of
its own, dropped afterwards: accepting a suggestion and giving a grant write to the tenant's
append-only audit log, which no cleanup may delete, so sharing `acme` would leave events behind
for the tests that read acme's audit log.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from playwright.sync_api import expect

from articles import services as articles
from articles.models import Kind
from permissions import services as grants
from tenants import services as tenants
from tenants.models import Client, ProviderMembership, ProviderOrganisation, Role, User

from .conftest import sign_in

pytestmark = pytest.mark.browser

SCHEMA = "orion"


@pytest.fixture
def orion(committed):
    """A client tenant engaging Helios; editor@acme.test edits it, agent.both@helios.test serves
    it with a contribute grant (through a team) on the collection holding one guide."""
    # Pages are read in English (an earlier test may have left a person on French).
    User.objects.filter(email__in=["editor@acme.test", "agent.both@helios.test"]).update(language="")
    editor = User.objects.get(email="editor@acme.test")
    agent = User.objects.get(email="agent.both@helios.test")
    helios = ProviderOrganisation.objects.get(name="Helios Contact")
    client = tenants.client_create(schema_name=SCHEMA, name="Orion Freight")
    tenants.membership_set(user=editor, client=client, role=Role.EDITOR)
    tenants.engagement_start(provider=helios, client=client)
    ProviderMembership.objects.get(user=agent, provider=helios).clients.add(client)
    team = tenants.team_create(provider=helios, name="Orion desk")
    team.members.add(agent)
    connection.set_tenant(client)
    collection = articles.collection_create(name="Deliveries", acting_user=editor)
    guide = articles.article_create(
        kind=Kind.GUIDE, collection=collection, acting_user=editor, publish=True,
        content=articles.Content(title="Redeliver a missed parcel", language="en", tags=["delivery"], steps=[
            {"title": "Check the tracking", "body": "Open the tracking page."},
            {"title": "Offer a new date", "body": "Propose the next two slots."},
            {"title": "Confirm by SMS", "body": "Send the confirmation."},
        ]),
    )
    grants.grant_give(target=collection, level="contribute", team=team, acting_user=editor)
    connection.set_schema_to_public()
    yield guide
    # The team's auth group is referenced from tenant tables (its grants): delete it from
    # inside the tenant, the only one where it holds anything.
    connection.set_tenant(client)
    group = team.group
    team.delete()
    group.delete()
    connection.set_schema_to_public()
    ProviderMembership.objects.get(user=agent, provider=helios).clients.remove(client)
    Client.objects.get(pk=client.pk).delete(force_drop=True)
    cache.clear()


def test_an_agent_proposes_a_step_change_an_editor_accepts_it_and_the_agent_is_credited(
    page, browser, site, orion
):
    guide_path = orion.get_absolute_url()

    # The agent proposes a change to step 2, from the guide's page.
    sign_in(page, site, "agent.both@helios.test")
    page.goto(site(SCHEMA, guide_path))
    page.get_by_role("link", name="Suggest a change").click()
    expect(page.get_by_role("heading", name="Suggest a change to “Redeliver a missed parcel”")).to_be_visible()
    step_two = page.locator("#steps [data-row]").nth(1)
    step_two.locator("textarea").fill("Propose the next three slots, including Saturday.")
    expect(page.locator("#preview")).to_contain_text("including Saturday")
    page.get_by_role("button", name="Send the suggestion").click()
    expect(page.locator(".field-error", has_text="Tell the editors why")).to_be_visible()
    page.get_by_label("Why this change?").fill("Customers keep asking about Saturday deliveries.")
    page.get_by_role("button", name="Send the suggestion").click()
    expect(page.get_by_role("heading", name="My suggestions")).to_be_visible()
    expect(page.locator("tr.suggestion-pending")).to_contain_text("Waiting for an editor.")
    # The only console error so far is the 400 of the form sent without a reason.
    assert [e for e in page.console_errors if "status of 400" not in e] == []
    page.console_errors.clear()

    # The editor accepts it from the queue, after reading the diff.
    editor_context = browser.new_context(locale="en-GB")
    editor = editor_context.new_page()
    editor.set_default_timeout(10_000)
    try:
        sign_in(editor, site, "editor@acme.test")
        editor.goto(site(SCHEMA, "/suggestions/"))
        row = editor.get_by_role("row", name="Redeliver a missed parcel")
        expect(row).to_contain_text("Agent.Both")
        row.get_by_role("link", name="Redeliver a missed parcel").click()
        diff = editor.locator(".diff")
        expect(diff.locator("del", has_text="two")).to_be_visible()
        expect(diff.locator("ins", has_text="three")).to_be_visible()
        expect(editor.get_by_text("Customers keep asking about Saturday deliveries.")).to_be_visible()
        editor.get_by_role("button", name="Accept and publish").click()
        expect(editor.get_by_role("status")).to_contain_text("Accepted and published as revision 2")
        expect(editor.get_by_text("No suggestion is waiting for review.")).to_be_visible()
        editor.goto(site(SCHEMA, orion.url("history")))
        expect(editor.get_by_role("cell", name="suggested by Agent.Both")).to_be_visible()
    finally:
        editor_context.close()

    # The agent sees it accepted, published and credited to them.
    page.goto(site(SCHEMA, "/suggestions/mine/"))
    accepted = page.locator("tr.suggestion-accepted")
    expect(accepted).to_contain_text("Accepted")
    expect(accepted).to_contain_text("published as revision 2, credited to you")
    expect(accepted).to_contain_text("Accepted by Orion Freight editor")  # the client hides its authors' names
    accepted.get_by_role("link", name="Read it").click()
    expect(page.locator("#step-2")).to_contain_text("three slots, including Saturday")
    expect(page.get_by_text("This version includes your suggestion. Thank you!")).to_be_visible()
    assert page.console_errors == []
