"""A draft stays the editors' (issue #9): an editor retitles a published procedure and saves a
draft; an agent, in their own browser, keeps seeing the published title everywhere (lookup page,
its hits, the procedure, its collection) until the editor publishes.

Signing in to a tenant writes its append-only audit log, so the data lives in a tenant of its
own, dropped afterwards.
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

from ..conftest import throwaway_workspace
from .conftest import drop_throwaway_tenant, sign_in

pytestmark = pytest.mark.browser

SCHEMA = "draftleak"
EDITOR = "drafts.editor@draftleak.test"
AGENT = "drafts.agent@helios.test"
PUBLISHED = "Refund within fourteen days"
DRAFT = "Price increase on 1 March"


@pytest.fixture
def tenant(committed):
    workspace = throwaway_workspace(schema=SCHEMA, name="Draftleak Telecom", editor=(EDITOR, "Dana Editor"),
                                    agent=(AGENT, "Dario Agent"), team="Draftleak desk")
    client, editor, team = workspace.client, workspace.editor, workspace.team
    refunds = articles.collection_create(name="Refunds", acting_user=editor)
    article = articles.article_create(
        kind=Kind.ARTICLE, collection=refunds, acting_user=editor, publish=True,
        content=articles.Content(title=PUBLISHED, language="en", tags=["refund"],
                                 body="Refund the customer within 14 days of the return."),
    )
    indexing.index_article(article.pk)
    permissions.grant_give(target=refunds, level="read", team=team, acting_user=editor)
    connection.set_schema_to_public()
    engine.clear_caches()
    yield article
    drop_throwaway_tenant(client, teams=[team], emails=[EDITOR, AGENT])
    cache.clear()
    engine.clear_caches()


def test_an_agent_keeps_seeing_the_published_title_while_an_editor_works_on_a_draft(page, browser, site, tenant):
    article = tenant
    sign_in(page, site, EDITOR)
    page.goto(site(SCHEMA, article.get_absolute_url()))
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Title", exact=True).fill(DRAFT)
    page.get_by_label("Change summary").fill("New prices, not announced yet")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", name=DRAFT)).to_be_visible()
    expect(page.get_by_text("draft — readers do not see this version")).to_be_visible()
    # The editor's list keeps the published title and says a draft is waiting.
    page.goto(site(SCHEMA, "/collections/refunds/"))
    row = page.get_by_role("row", name=PUBLISHED)
    expect(row).to_contain_text("unpublished changes")

    context = browser.new_context(locale="en-GB")
    try:
        agent = context.new_page()
        agent.set_default_timeout(10_000)
        sign_in(agent, site, AGENT)
        agent.goto(site(SCHEMA, "/"))
        agent.wait_for_load_state("load")
        agent.keyboard.type("refund", delay=30)
        hit = agent.locator("#lookup-hits [data-hit]").first
        expect(hit).to_contain_text(PUBLISHED)
        agent.keyboard.press("ArrowDown")
        agent.keyboard.press("Enter")
        expect(agent.get_by_role("heading", name=PUBLISHED)).to_be_visible()
        expect(agent.locator("body")).not_to_contain_text(DRAFT)
        agent.goto(site(SCHEMA, "/collections/refunds/"))
        expect(agent.get_by_role("link", name=PUBLISHED)).to_be_visible()
        expect(agent.locator("body")).not_to_contain_text(DRAFT)
        agent.goto(site(SCHEMA, "/search/"))  # recently opened, under the empty box
        expect(agent.locator("#lookup-results")).to_contain_text(PUBLISHED)
        expect(agent.locator("body")).not_to_contain_text(DRAFT)

        # Published: now readers see the new title.
        page.goto(site(SCHEMA, article.get_absolute_url()))
        page.locator("summary", has_text="Publish the latest draft").click()  # how much it matters, then publish
        page.get_by_role("button", name="Publish the latest draft").click()
        expect(page.get_by_role("heading", name=DRAFT)).to_be_visible()
        agent.goto(site(SCHEMA, "/collections/refunds/"))
        expect(agent.get_by_role("link", name=DRAFT)).to_be_visible()
        assert agent.locator("body").inner_text().count(PUBLISHED) == 0
    finally:
        context.close()
    assert page.console_errors == []
