"""An editor writes a guide with three steps, previews it, publishes, edits step 2 and
compares the two revisions — in the browser, with htmx and the page's own JavaScript."""

from __future__ import annotations

import pytest
from django.db import connection
from playwright.sync_api import expect

from articles.models import Article, Collection
from tenants.models import Client

from .conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def acme_collection(committed):
    acme = Client.objects.get(schema_name="acme")
    connection.set_tenant(acme)
    collection, _ = Collection.objects.get_or_create(slug="browser-deliveries", defaults={"name": "Browser deliveries"})
    connection.set_schema_to_public()
    yield collection
    connection.set_tenant(acme)
    Article.objects.filter(collection=collection).delete()
    collection.delete()
    connection.set_schema_to_public()


def test_editor_writes_previews_publishes_edits_and_compares_a_guide(page, site, acme_collection):
    sign_in(page, site, "editor@acme.test")
    page.goto(site("acme", f"/collections/{acme_collection.slug}/"))
    page.get_by_role("link", name="New guide").click()
    page.wait_for_load_state("load")  # htmx and app.js are deferred

    page.get_by_label("Title", exact=True).fill("Redeliver a missed parcel")
    steps = page.locator("#steps [data-row]")
    expect(steps).to_have_count(1)
    page.get_by_role("button", name="Add a step").click()
    page.get_by_role("button", name="Add a step").click()
    expect(steps).to_have_count(3)
    for index, (title, body) in enumerate([
        ("Check the tracking", "Open the **tracking** page."),
        ("Offer a new date", "Propose the next two slots."),
        ("Confirm by SMS", "Send the confirmation."),
    ]):
        steps.nth(index).get_by_label("Step title").fill(title)
        steps.nth(index).locator("textarea").fill(body)

    # Live preview: rendered and sanitised by the server, no page reload.
    preview = page.locator("#preview")
    expect(preview.locator("strong", has_text="tracking")).to_be_visible()
    expect(preview).to_contain_text("Confirm by SMS")

    page.get_by_label("Change summary").fill("First version")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_role("heading", name="Redeliver a missed parcel")).to_be_visible()
    expect(page.locator("#step-2")).to_contain_text("Offer a new date")
    expect(page.locator("#step-3 .copy")).to_be_visible()

    page.get_by_role("link", name="Edit").click()
    step_two = page.locator("#steps [data-row]").nth(1)
    step_two.locator("textarea").fill("Propose the next three slots, including Saturday.")
    page.get_by_label("Change summary").fill("Saturday slots")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator("#step-2")).to_contain_text("three slots")

    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("cell", name="Saturday slots")).to_be_visible()
    page.get_by_role("button", name="Compare selected revisions").click()
    expect(page.get_by_role("heading", name="Revision 1 → revision 2")).to_be_visible()
    diff = page.locator(".diff")
    expect(diff.locator("del", has_text="two")).to_be_visible()
    expect(diff.locator("ins", has_text="three")).to_be_visible()
    # The unchanged step is folded away, one line that opens to show it.
    unchanged = diff.locator("details.diff-unchanged", has_text="Check the tracking")
    expect(unchanged).to_have_count(1)
    expect(unchanged).not_to_have_attribute("open", "")
    expect(unchanged.locator(".diff-text")).to_be_hidden()
    assert page.console_errors == []


def test_step_reorder_with_the_keyboard_buttons(page, site, acme_collection):
    sign_in(page, site, "editor@acme.test")
    page.goto(site("acme", f"/new/guide/?collection={acme_collection.slug}"))
    page.wait_for_load_state("load")  # htmx and app.js are deferred
    page.get_by_label("Title", exact=True).fill("Order matters")
    page.get_by_role("button", name="Add a step").click()
    steps = page.locator("#steps [data-row]")
    expect(steps).to_have_count(2)
    steps.nth(0).get_by_label("Step title").fill("Second")
    steps.nth(1).get_by_label("Step title").fill("First")
    steps.nth(1).get_by_role("button", name="Move step up").click()
    expect(steps.nth(0).get_by_label("Step title")).to_have_value("First")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#step-1")).to_contain_text("First")
    expect(page.locator("#step-2")).to_contain_text("Second")
