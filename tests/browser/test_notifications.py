"""An agent follows a guide; an editor publishes an update to it; the agent's bell count rises
without a reload (htmx polling), and opening the notification lands on the diff of the
changed step — in the browser, with the fan-out done by a Celery worker.

The data is committed (the live server cannot see a test transaction), in a tenant of its own,
dropped afterwards (publishing and granting write to its append-only audit log)."""

from __future__ import annotations

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection
from playwright.sync_api import expect

from articles import services as articles
from articles.models import Kind
from kbportal.celery import app
from permissions import services as grants

from ..conftest import PASSWORD, throwaway_workspace
from .conftest import drop_throwaway_tenant, sign_in

pytestmark = pytest.mark.browser

SCHEMA = "vega"


@pytest.fixture
def vega(committed):
    world = throwaway_workspace(schema=SCHEMA, name="Vega Parcels", editor=("editor@vega.test", "Vera Editor"),
                                agent=("agent@vega.test", "Ahmed Agent"), team="Vega desk")
    collection = articles.collection_create(name="Returns", acting_user=world.editor)
    world.guide = articles.article_create(
        kind=Kind.GUIDE, collection=collection, acting_user=world.editor, publish=True,
        content=articles.Content(title="Take back a parcel", language="en", tags=[], steps=[
            {"title": "Check the label", "body": "Read the return label."},
            {"title": "Scan the parcel", "body": "Scan it at the counter."},
        ]),
    )
    grants.grant_give(target=collection, level="read", team=world.team, acting_user=world.editor)
    connection.set_schema_to_public()
    yield world
    drop_throwaway_tenant(world.client, teams=[world.team], emails=["editor@vega.test", "agent@vega.test"])


def test_the_agent_sees_the_bell_rise_and_lands_on_the_diff(vega, browser, site):
    agent_context, editor_context = browser.new_context(locale="en-GB"), browser.new_context(locale="en-GB")
    agent, editor = agent_context.new_page(), editor_context.new_page()
    for page in (agent, editor):
        page.set_default_timeout(15_000)
    guide_path = f"/guides/{vega.guide.slug}/"
    try:
        with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False, shutdown_timeout=10):
            sign_in(agent, site, "agent@vega.test", PASSWORD)
            agent.goto(site(SCHEMA, guide_path))
            agent.get_by_role("button", name="Follow").click()
            expect(agent.get_by_role("button", name="Following ✓ (unfollow)")).to_be_visible()
            agent.goto(site(SCHEMA, "/"))
            bell = agent.locator("[data-bell]")
            expect(bell.locator("[data-bell-count]")).to_have_attribute("data-bell-count", "0")

            sign_in(editor, site, "editor@vega.test", PASSWORD)
            editor.goto(site(SCHEMA, f"{guide_path}edit/"))
            editor.locator("#steps [data-row]").nth(1).locator("textarea").fill("Scan it twice at the counter.")
            editor.get_by_label("Change summary").fill("Scan twice")
            editor.get_by_label("Update: followers are notified").check()
            editor.get_by_role("button", name="Publish", exact=True).click()
            expect(editor.locator("#step-2")).to_contain_text("twice")

            # No reload on the agent's page: the bell's polling brings the count.
            expect(bell.locator("[data-bell-count]")).to_have_attribute("data-bell-count", "1", timeout=40_000)
        bell.click()
        expect(agent.get_by_role("heading", name="Notifications")).to_be_visible()
        agent.get_by_role("link", name="Take back a parcel").click()
        expect(agent.get_by_role("heading", name="What changed in “Take back a parcel”")).to_be_visible()
        diff = agent.locator("[data-diff]")
        expect(diff).to_contain_text("Step 2: Scan the parcel")
        expect(diff.locator("ins")).to_contain_text("twice")
        agent.get_by_role("link", name="Step 2: Scan the parcel").click()
        expect(agent.locator("#step-2")).to_contain_text("Scan it twice")
    finally:
        agent_context.close()
        editor_context.close()
