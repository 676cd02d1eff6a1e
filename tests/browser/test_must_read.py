"""Must read, in the browser: an editor publishes a must-read change to a guide for a team; an
agent of that team sees the bell count rise without reloading, opens the diff since the revision
they acknowledged last, acknowledges, and the editor's readiness view shows it.

The data is committed (the live server cannot see a test transaction), in a tenant of its own
dropped afterwards. A Celery worker runs in this process, as in production, for the fan-out.
"""

from __future__ import annotations

import datetime

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from articles import services as articles
from articles.models import Kind, Materiality, Revision
from kbportal.celery import app
from permissions import services as grants
from readiness import services as readiness
from tenants.selectors import workspace_access

from ..conftest import throwaway_workspace
from .conftest import drop_throwaway_tenant, sign_in

pytestmark = pytest.mark.browser

SCHEMA = "vega"
EDITOR = ("editor@vega.test", "Vic Editor")
AGENT = ("agent@vega.test", "Aman Agent")


@pytest.fixture
def vega(committed):
    """A guide granted to the "Vega desk" team; its revision 2 was a must-read for the team,
    which the agent acknowledged."""
    workspace = throwaway_workspace(schema=SCHEMA, name="Vega Parcels", editor=EDITOR, agent=AGENT, team="Vega desk")
    collection = articles.collection_create(name="Deliveries", acting_user=workspace.editor)
    guide = articles.article_create(
        kind=Kind.GUIDE, collection=collection, acting_user=workspace.editor, publish=True,
        content=articles.Content(title="Redeliver a missed parcel", language="en", tags=["delivery"], steps=[
            {"title": "Check the tracking", "body": "Open the tracking page."},
            {"title": "Offer a new date", "body": "Propose the next two slots."},
            {"title": "Confirm by SMS", "body": "Send the confirmation."},
        ]))
    grants.grant_give(target=collection, level="read", team=workspace.team, acting_user=workspace.editor)
    steps = [dict(step) for step in guide.latest_revision.steps]
    steps[2]["body"] = "Send the confirmation by SMS and e-mail."
    second = articles.revision_create(
        article=guide, expected_revision_id=guide.latest_revision_id, acting_user=workspace.editor,
        summary="Confirm by e-mail too", content=articles.Content(
            title=guide.title, language="en", tags=["delivery"], steps=steps))
    # Revision 2 was a must-read long ago (its notification is old news): published quietly here,
    # then assigned as a must-read directly, so that the bell starts at zero.
    articles.article_publish(article=guide, revision=second, acting_user=workspace.editor,
                             materiality=Materiality.MINOR)
    Revision.objects.filter(pk=second.pk).update(materiality=Materiality.MUST_READ)
    readiness.publication_record(article_id=guide.pk, revision_id=second.pk, materiality=Materiality.MUST_READ,
                                 actor_id=workspace.editor.pk, must_read={"teams": [workspace.team.pk]},
                                 client=workspace.client)
    guide.refresh_from_db()
    readiness.acknowledge(access=workspace_access(workspace.agent, workspace.client), article=guide,
                          revision_id=second.pk)
    connection.set_schema_to_public()
    workspace.guide = guide
    yield workspace
    drop_throwaway_tenant(workspace.client, teams=[workspace.team], emails=[EDITOR[0], AGENT[0]])
    cache.clear()


def test_a_must_read_reaches_the_team_is_acknowledged_and_shows_in_readiness(page, browser, site, vega):
    guide = vega.guide
    deadline = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False, shutdown_timeout=10):
        # The agent is on their lookup page; nothing is waiting.
        agent_context = browser.new_context(locale="en-GB")
        agent = agent_context.new_page()
        agent.set_default_timeout(10_000)
        sign_in(agent, site, AGENT[0])
        agent.goto(site(SCHEMA, "/"))
        count = agent.locator("[data-bell] [data-bell-count]")
        expect(count).to_have_attribute("data-bell-count", "0")
        expect(agent.locator("[data-must-read-pins]")).to_have_count(0)

        # The editor rewords step 2 and publishes it as a must read for the team, by a deadline.
        sign_in(page, site, EDITOR[0])
        page.goto(site(SCHEMA, guide.url("edit")))
        page.locator("#steps [data-row]").nth(1).locator("textarea").fill("Propose the next three slots, Saturday included.")
        page.get_by_label("Change summary").fill("Saturday slots")
        page.get_by_label("Must read: the people you choose must acknowledge it").check()
        page.get_by_label("Helios Contact / Vega desk").check()
        page.get_by_label("Read by (optional)").fill(deadline)
        page.get_by_role("button", name="Publish", exact=True).click()
        expect(page.locator("#step-2")).to_contain_text("three slots")

        # The agent's bell rises without a reload (it polls).
        expect(count).to_have_attribute("data-bell-count", "1", timeout=40_000)

        # Back home, the must-read is pinned; it opens on the diff since revision 2, which the
        # agent acknowledged (not since revision 1, nor the whole guide).
        agent.goto(site(SCHEMA, "/"))
        pins = agent.locator("[data-must-read-pins]")
        expect(pins).to_contain_text("Redeliver a missed parcel")
        pins.get_by_role("link", name="Redeliver a missed parcel").click()
        expect(agent.get_by_text("What changed since revision 2, which you acknowledged last:")).to_be_visible()
        diff = agent.locator(".diff")
        expect(diff.locator("del", has_text="two")).to_be_visible()
        expect(diff.locator("ins", has_text="three")).to_be_visible()
        # Step 3 changed in revision 2, already acknowledged: here it is unchanged, folded away.
        expect(diff.locator("section.diff-section", has_text="e-mail")).to_have_count(0)
        expect(diff.locator("details.diff-unchanged", has_text="e-mail").locator(".diff-text")).to_be_hidden()
        agent.get_by_role("button", name="I have read and understood revision 3").click()
        expect(agent.get_by_text("Thank you: you acknowledged revision 3")).to_be_visible()
        expect(agent.get_by_text("Nothing to acknowledge: you are up to date.")).to_be_visible()
        agent_context.close()

    # The editor's readiness view shows it.
    page.goto(site(SCHEMA, "/readiness/"))
    page.get_by_role("link", name="Redeliver a missed parcel").first.click()
    expect(page.get_by_role("heading", name="Helios Contact")).to_be_visible()
    row = page.locator("tr", has_text=AGENT[0])
    expect(row).to_contain_text("acknowledged")
    expect(row).to_contain_text("revision 3")
    expect(page.locator(".readiness-summary")).to_contain_text("1 of 1")
    assert not page.console_errors
