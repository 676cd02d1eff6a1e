"""In the browser: pressing Enter in the "what was missing or wrong?" field records *not
helpful* with the reason (it used to submit the first button, Yes); saving the editor without
a change makes no revision although the browser sends the text back with CRLF line endings."""

from __future__ import annotations

import pytest
from django.db import connection
from playwright.sync_api import expect

from articles import services as articles
from articles.models import Article, Collection, Feedback, Kind
from tenants.models import Client, User

from .conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def guide(committed):
    User.objects.filter(email="viewer@acme.test").update(language="")
    editor = User.objects.get(email="editor@acme.test")
    acme = Client.objects.get(schema_name="acme")
    connection.set_tenant(acme)
    collection = articles.collection_create(name="Browser feedback", acting_user=editor, slug="browser-feedback")
    guide = articles.article_create(
        kind=Kind.GUIDE, collection=collection, acting_user=editor, publish=True,
        content=articles.Content(title="Refund a damaged parcel", language="en", tags=[], body="First line\nSecond line", steps=[
            {"title": "Ask for a photo", "body": "Ask the customer for a photo.\n\nCheck the label."},
        ]),
    )
    connection.set_schema_to_public()
    yield guide
    connection.set_tenant(acme)
    Article.objects.filter(collection=collection).delete()
    Collection.objects.filter(pk=collection.pk).delete()
    connection.set_schema_to_public()


def _feedback(guide):
    connection.set_tenant(Client.objects.get(schema_name="acme"))
    try:
        return list(Feedback.objects.filter(revision__article_id=guide.pk).values_list("helpful", "reason"))
    finally:
        connection.set_schema_to_public()


def test_enter_in_the_reason_field_records_not_helpful(page, site, guide):
    sign_in(page, site, "viewer@acme.test")
    page.goto(site("acme", guide.get_absolute_url()))
    page.wait_for_load_state("load")  # htmx is deferred
    reason = page.get_by_label("What was missing or wrong?")
    reason.fill("The fee for a second delivery is missing")
    reason.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Thank you")
    assert _feedback(guide) == [(False, "The fee for a second delivery is missing")]
    assert page.console_errors == []


def test_yes_records_helpful(page, site, guide):
    sign_in(page, site, "viewer@acme.test")
    page.goto(site("acme", guide.get_absolute_url()))
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Yes", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Thank you")
    assert _feedback(guide) == [(True, "")]


def _revisions(guide):
    connection.set_tenant(Client.objects.get(schema_name="acme"))
    try:
        return list(Article.objects.get(pk=guide.pk).revisions.values_list("body", flat=True))
    finally:
        connection.set_schema_to_public()


def test_saving_without_a_change_makes_no_revision(page, site, guide):
    User.objects.filter(email="editor@acme.test").update(language="")
    sign_in(page, site, "editor@acme.test")
    page.goto(site("acme", guide.url("edit")))
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text("Nothing changed: no new revision was made.")).to_be_visible()
    assert _revisions(guide) == ["First line\nSecond line"]

    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Introduction").fill("First line\nSecond line, longer")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_role("heading", name="Refund a damaged parcel")).to_be_visible()
    assert _revisions(guide) == ["First line\nSecond line, longer", "First line\nSecond line"]
    assert page.console_errors == []
