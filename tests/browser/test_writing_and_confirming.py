"""Issue 14 in the browser: the Markdown toolbar and its shortcuts, the link-to-an-article
picker, the focus after removing a step, the two-step archive and bringing it back from the
archive list, and the inline / side-by-side switch of a comparison, remembered."""

from __future__ import annotations

import pytest
from django.db import connection
from playwright.sync_api import expect

from articles import services
from articles.models import Article, Collection, Kind
from tenants.models import Client, User

from .conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def shelf(committed):
    acme = Client.objects.get(schema_name="acme")
    connection.set_tenant(acme)
    collection, _ = Collection.objects.get_or_create(slug="browser-polish", defaults={"name": "Browser polish"})
    connection.set_schema_to_public()
    yield acme, collection
    connection.set_tenant(acme)
    Article.objects.filter(collection=collection).delete()
    collection.delete()
    connection.set_schema_to_public()


def _guide(acme, collection, title, steps):
    editor = User.objects.get(email="editor@acme.test")
    connection.set_tenant(acme)
    try:
        return services.article_create(
            kind=Kind.GUIDE, collection=collection, acting_user=editor, publish=True,
            content=services.Content(title=title, language="en", tags=[],
                                     steps=[{"title": t, "body": b} for t, b in steps]),
        )
    finally:
        connection.set_schema_to_public()


def test_the_toolbar_formats_the_text_and_links_to_another_article(page, site, shelf):
    acme, collection = shelf
    target = _guide(acme, collection, "Redeliver a missed parcel", [("Check", "Check tracking.")])
    connection.set_tenant(acme)
    from search import indexing

    indexing.index_article(target.pk)
    connection.set_schema_to_public()

    sign_in(page, site, "editor@acme.test")
    page.goto(site("acme", f"/new/article/?collection={collection.slug}"))
    page.wait_for_load_state("load")
    body = page.locator("textarea[name=body]")
    toolbar = page.get_by_role("toolbar", name="Formatting")
    expect(toolbar).to_be_visible()

    body.fill("Say hello")
    body.evaluate("field => field.setSelectionRange(4, 9)")
    toolbar.get_by_role("button", name="Bold (Ctrl+B)").click()
    expect(body).to_have_value("Say **hello**")

    body.fill("calm")
    body.evaluate("field => field.setSelectionRange(0, 4)")
    body.press("Control+i")
    expect(body).to_have_value("_calm_")

    body.fill("one\ntwo")
    body.evaluate("field => field.setSelectionRange(0, 7)")
    toolbar.get_by_role("button", name="Numbered list").click()
    expect(body).to_have_value("1. one\n2. two")

    # The link button draws the vendored icon, not an emoji (an empty box without an emoji font).
    mask = toolbar.get_by_role("button", name="Link (Ctrl+K)").evaluate("b => getComputedStyle(b, '::before').webkitMaskImage")
    assert "/icons/link" in mask, mask
    assert page.evaluate("url => fetch(url).then(r => r.status)", mask.split('"')[1]) == 200, mask

    # One tab stop for the whole toolbar; the arrows move inside it.
    bold = toolbar.get_by_role("button", name="Bold (Ctrl+B)")
    bold.focus()
    page.keyboard.press("ArrowRight")
    expect(toolbar.get_by_role("button", name="Italic (Ctrl+I)")).to_be_focused()

    body.fill("See ")
    body.evaluate("field => field.setSelectionRange(4, 4)")
    toolbar.get_by_role("button", name="Link to an article").click()
    search = page.get_by_role("searchbox", name="Search for the article")
    expect(search).to_be_focused()
    search.fill("missed parcel")
    choice = page.locator("[data-md-picker] button", has_text="Redeliver a missed parcel")
    choice.click()
    expect(body).to_have_value(f"See [Redeliver a missed parcel](/guides/{target.slug}/)")
    expect(page.locator("#preview a", has_text="Redeliver a missed parcel")).to_be_visible()
    assert page.console_errors == []


def test_removing_a_step_keeps_the_focus_on_a_neighbour(page, site, shelf):
    _acme, collection = shelf
    sign_in(page, site, "editor@acme.test")
    page.goto(site("acme", f"/new/guide/?collection={collection.slug}"))
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Add a step").click()
    steps = page.locator("#steps [data-row]")
    expect(steps).to_have_count(2)
    steps.nth(0).get_by_role("button", name="Remove").click()
    expect(steps.nth(0)).to_be_hidden()
    expect(steps.nth(1).get_by_role("button", name="Remove")).to_be_focused()
    steps.nth(1).get_by_role("button", name="Remove").click()
    expect(page.get_by_role("button", name="Add a step")).to_be_focused()


def test_archiving_asks_first_and_the_archive_list_brings_it_back(page, site, shelf):
    acme, collection = shelf
    guide = _guide(acme, collection, "Old procedure", [("Step", "Text")])
    sign_in(page, site, "editor@acme.test")
    page.goto(site("acme", guide.get_absolute_url()))
    page.locator("summary", has_text="Archive…").click()
    expect(page.get_by_text("It leaves the lists and search")).to_be_visible()
    page.get_by_role("button", name="Yes, archive it").click()
    expect(page.get_by_text("Archived.", exact=True)).to_be_visible()

    page.goto(site("acme", "/archive/"))
    expect(page.get_by_role("heading", name="Archived content")).to_be_visible()
    page.get_by_role("button", name="Bring back Old procedure").click()
    expect(page.get_by_text("Restored from the archive.")).to_be_visible()
    expect(page.get_by_text("Nothing is archived.")).to_be_visible()


def test_the_comparison_switches_to_side_by_side_and_remembers_it(page, site, shelf):
    acme, collection = shelf
    guide = _guide(acme, collection, "Compare me", [("Check tracking", "Open tracking."), ("Confirm", "Ask two questions.")])
    editor = User.objects.get(email="editor@acme.test")
    connection.set_tenant(acme)
    base = guide.latest_revision
    steps = [dict(s) for s in base.steps]
    steps[1]["body"] = "Ask three questions."
    services.revision_create(article=guide, expected_revision_id=base.pk, summary="three", acting_user=editor,
                             content=services.Content(title="Compare me", language="en", tags=[], steps=steps))
    connection.set_schema_to_public()

    sign_in(page, site, "editor@acme.test")
    page.goto(site("acme", guide.url("compare")))
    page.wait_for_load_state("load")
    diff = page.locator(".diff")
    expect(diff.locator(".diff-unified del", has_text="two")).to_be_visible()
    expect(page.locator("details.diff-unchanged", has_text="Check tracking")).to_be_visible()

    page.get_by_role("button", name="Side by side").click()
    expect(diff.locator(".diff-old del", has_text="two")).to_be_visible()
    expect(diff.locator(".diff-new ins", has_text="three")).to_be_visible()
    expect(diff.locator(".diff-old ins")).to_have_count(0)
    expect(diff.locator(".diff-unified")).to_be_hidden()
    expect(page.get_by_role("button", name="Side by side")).to_have_attribute("aria-pressed", "true")

    page.reload()  # remembered: the page comes back side by side, from the server
    expect(page.locator(".diff.diff-side .diff-old del", has_text="two")).to_be_visible()
    page.get_by_role("button", name="Inline").click()
    expect(diff.locator(".diff-unified ins", has_text="three")).to_be_visible()
    expect(diff.locator(".diff-columns")).to_be_hidden()
    page.reload()
    expect(page.locator(".diff.diff-inline")).to_have_count(1)
    assert page.console_errors == []
