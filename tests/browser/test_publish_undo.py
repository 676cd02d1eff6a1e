"""Undo a publish, in the browser (issue 14, no one-click accidents): an editor publishes a new
text from the editor, the page says "Revision 2 is live." with an Undo button; after Undo, an
agent reading the article in their own browser sees the previous text.

The data is committed (the live server cannot see a test transaction), in a tenant of its own
dropped afterwards.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from playwright.sync_api import expect

from articles import services as articles
from articles.models import Kind
from permissions import services as permissions

from ..conftest import throwaway_workspace
from .conftest import drop_throwaway_tenant, sign_in

pytestmark = pytest.mark.browser

SCHEMA = "undopub"
EDITOR = ("undo.editor@undopub.test", "Uma Editor")
AGENT = ("undo.agent@helios.test", "Ugo Agent")
OLD = "Refund the customer within 14 days of the return."
NEW = "Refund the customer within 30 days of the return."


@pytest.fixture
def tenant(committed):
    workspace = throwaway_workspace(schema=SCHEMA, name="Undo Parcels", editor=EDITOR, agent=AGENT, team="Undo desk")
    refunds = articles.collection_create(name="Refunds", acting_user=workspace.editor)
    article = articles.article_create(
        kind=Kind.ARTICLE, collection=refunds, acting_user=workspace.editor, publish=True,
        content=articles.Content(title="Refunds policy", language="en", tags=[], body=OLD))
    permissions.grant_give(target=refunds, level="read", team=workspace.team, acting_user=workspace.editor)
    connection.set_schema_to_public()
    yield article
    drop_throwaway_tenant(workspace.client, teams=[workspace.team], emails=[EDITOR[0], AGENT[0]])
    cache.clear()


def test_an_editor_undoes_a_publish_and_the_reader_sees_the_previous_text(page, browser, site, tenant):
    article = tenant
    sign_in(page, site, EDITOR[0])
    page.goto(site(SCHEMA, article.url("edit")))
    page.locator("textarea[name=body]").fill(NEW)
    page.get_by_label("Change summary").fill("Thirty days")
    page.get_by_role("button", name="Publish", exact=True).click()
    offer = page.locator("#publish-undo")
    expect(offer).to_contain_text("Revision 2 is live.")
    expect(page.locator("article.reading")).to_contain_text("30 days")
    offer.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("Publish undone: readers see the previous text again (as revision 3).")).to_be_visible()
    expect(page.locator("#publish-undo")).to_have_count(0)

    agent_context = browser.new_context(locale="en-GB")
    agent = agent_context.new_page()
    agent.set_default_timeout(10_000)
    sign_in(agent, site, AGENT[0])
    agent.goto(site(SCHEMA, article.get_absolute_url()))
    expect(agent.locator("article.reading")).to_contain_text(OLD)
    expect(agent.locator("article.reading")).not_to_contain_text("30 days")
    agent_context.close()
    assert not page.console_errors
