"""Knowledge checks, in the browser: an editor writes two questions on two steps of a guide and
publishes a must-read change that requires the check; the agent fails once, re-reads the step
the result links to, passes after the retry delay (made to last seconds here) and the
must-read is acknowledged; the editor then changes one step and sees exactly one question
flagged to review, and the collaboration dashboard counts the acknowledgement.

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
from permissions import services as grants

from ..conftest import throwaway_workspace
from .conftest import drop_throwaway_tenant, sign_in

pytestmark = pytest.mark.browser

SCHEMA = "quiz"
EDITOR = ("editor@quiz.test", "Quinn Editor")
AGENT = ("agent@quiz.test", "Quentin Agent")


@pytest.fixture
def quiz(committed, settings):
    settings.KB_CHECK_RETRY_UNIT_SECONDS = 1  # a retry delay of "2 minutes" lasts 2 seconds
    workspace = throwaway_workspace(schema=SCHEMA, name="Quiz Parcels", editor=EDITOR, agent=AGENT, team="Quiz desk")
    collection = articles.collection_create(name="Deliveries", acting_user=workspace.editor)
    workspace.guide = articles.article_create(
        kind=Kind.GUIDE, collection=collection, acting_user=workspace.editor, publish=True,
        content=articles.Content(title="Redeliver a missed parcel", language="en", tags=[], steps=[
            {"title": "Check the tracking", "body": "Open the tracking page."},
            {"title": "Offer a new date", "body": "Propose the next two slots."},
            {"title": "Confirm by SMS", "body": "Send the confirmation."},
        ]))
    grants.grant_give(target=collection, level="read", team=workspace.team, acting_user=workspace.editor)
    connection.set_schema_to_public()
    yield workspace
    drop_throwaway_tenant(workspace.client, teams=[workspace.team], emails=[EDITOR[0], AGENT[0]])
    cache.clear()


def write_question(page, site, guide, *, text, step, right, wrong, explanation):
    page.goto(site(SCHEMA, f"/questions/guides/{guide.slug}/new/"))
    page.get_by_label("Question", exact=True).fill(text)
    page.get_by_label(step).check()
    page.get_by_label("Explanation").fill(explanation)
    page.locator("#id_choice_0").fill(right)
    page.locator("#id_right_0").check()
    page.locator("#id_choice_1").fill(wrong)
    page.get_by_role("button", name="Save the question").click()
    expect(page.get_by_text("Question saved.")).to_be_visible()


def answer(agent, question, choice):
    agent.locator("fieldset.question", has_text=question).get_by_label(choice).check()


def test_a_check_fails_links_the_step_passes_after_the_delay_and_a_changed_step_flags_one_question(
        page, browser, site, quiz):
    guide = quiz.guide
    sign_in(page, site, EDITOR[0])
    write_question(page, site, guide, text="Where do you check the parcel first?", step="Step 1: Check the tracking",
                   right="On the tracking page", wrong="With the depot", explanation="Step 1: the tracking page.")
    write_question(page, site, guide, text="How many slots do you offer?", step="Step 2: Offer a new date",
                   right="Two", wrong="One", explanation="Step 2: the next two slots.")

    # A must-read change (step 3) requiring the check: all right to pass, retry after 2 "minutes".
    page.goto(site(SCHEMA, guide.url("edit")))
    page.locator("#steps [data-row]").nth(2).locator("textarea").fill("Send the confirmation by SMS and e-mail.")
    page.get_by_label("Change summary").fill("Confirm by e-mail too")
    page.get_by_label("Must read: the people you choose must acknowledge it").check()
    page.get_by_label("Helios Contact / Quiz desk").check()
    page.get_by_label("Requires its knowledge check").check()
    page.get_by_label("Pass mark (%)").fill("100")
    page.get_by_label("Retry after (minutes)").fill("2")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator("#step-3")).to_contain_text("e-mail")

    agent_context = browser.new_context(locale="en-GB")
    agent = agent_context.new_page()
    agent.set_default_timeout(10_000)
    sign_in(agent, site, AGENT[0])
    agent.goto(site(SCHEMA, f"/must-read/guides/{guide.slug}/"))
    expect(agent.get_by_role("button", name="I have read and understood revision 2")).to_have_count(0)
    agent.get_by_role("link", name="Take the knowledge check").click()

    # One wrong answer: not passed, the explanation and the step to re-read, a retry later.
    answer(agent, "Where do you check the parcel first?", "On the tracking page")
    answer(agent, "How many slots do you offer?", "One")
    agent.get_by_role("button", name="Submit my answers").click()
    expect(agent.locator("[data-last-attempt]")).to_have_attribute("data-last-attempt", "failed")
    expect(agent.get_by_text("Step 2: the next two slots.")).to_be_visible()
    expect(agent.locator("[data-retry-at]")).to_be_visible()
    agent.locator("[data-reread]", has_text="Step 2: Offer a new date").click()
    expect(agent).to_have_url(f"{site(SCHEMA, guide.get_absolute_url())}#step-2")
    expect(agent.locator("#step-2")).to_contain_text("Propose the next two slots.")

    # After the delay, all right: passed, and the must-read is acknowledged.
    agent.wait_for_timeout(2_500)
    agent.goto(site(SCHEMA, f"/check/guides/{guide.slug}/"))
    answer(agent, "Where do you check the parcel first?", "On the tracking page")
    answer(agent, "How many slots do you offer?", "Two")
    agent.get_by_role("button", name="Submit my answers").click()
    expect(agent.get_by_text("Passed: 2 of 2 right.", exact=True)).to_be_visible()
    agent.goto(site(SCHEMA, "/must-read/"))
    expect(agent.get_by_text("Nothing to acknowledge: you are up to date.")).to_be_visible()
    agent_context.close()

    # The editor changes step 2 only: exactly one question is flagged, shown old and new.
    page.goto(site(SCHEMA, guide.url("edit")))
    page.locator("#steps [data-row]").nth(1).locator("textarea").fill("Propose the next three slots.")
    page.get_by_label("Change summary").fill("Three slots")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator("#step-2")).to_contain_text("three slots")
    page.goto(site(SCHEMA, f"/questions/guides/{guide.slug}/"))
    flagged = page.locator('[data-question-status="to_review"]')
    expect(flagged).to_have_count(1)
    expect(flagged).to_contain_text("How many slots do you offer?")
    expect(page.locator('[data-question-status="active"]')).to_have_count(1)
    flagged.get_by_role("link", name="Review").click()
    expect(page.locator("[data-old]")).to_contain_text("next two slots")
    expect(page.locator("[data-new]")).to_contain_text("next three slots")

    # The collaboration dashboard counts the pass: the one agent asked has acknowledged.
    page.goto(site(SCHEMA, "/dashboard/"))
    expect(page.locator('[data-figure="readiness-share"]')).to_have_text("100 %")
    expect(page.locator("#section-readiness")).to_contain_text("1 of 1 asked")
    assert not page.console_errors
