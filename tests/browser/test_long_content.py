"""The largest FAQ the product documents (200 questions) is edited and saved in the browser;
far past the limits, the editor says so before posting and keeps everything typed."""

from __future__ import annotations

import pytest
from django.db import connection
from playwright.sync_api import expect

from articles import limits, services
from articles.models import Article, Collection, Kind
from tenants.models import Client, User

from .conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def big_faq(committed):
    acme = Client.objects.get(schema_name="acme")
    editor = User.objects.get(email="editor@acme.test")
    connection.set_tenant(acme)
    collection, _ = Collection.objects.get_or_create(slug="browser-long-faq", defaults={"name": "Browser long FAQ"})
    faq = services.article_create(
        kind=Kind.FAQ, collection=collection, acting_user=editor, publish=True,
        content=services.Content(title="Every billing question", language="en", tags="", faqs=[
            {"question": f"Billing question {n}?", "alternatives": [f"Other wording {n}"], "answer": f"Answer **{n}**."}
            for n in range(1, limits.MAX_FAQS + 1)
        ]),
    )
    connection.set_schema_to_public()
    yield faq
    connection.set_tenant(acme)
    Article.objects.filter(collection=collection).delete()
    collection.delete()
    connection.set_schema_to_public()


def live_revision(faq):
    connection.set_tenant(Client.objects.get(schema_name="acme"))
    revision = Article.objects.get(pk=faq.pk).live_revision
    connection.set_schema_to_public()
    return revision


def test_a_200_question_faq_is_edited_and_saved_in_the_browser(page, site, big_faq):
    page.set_default_timeout(60_000)  # a long page on a shared machine (and its full-page screenshot)
    sign_in(page, site, "editor@acme.test")
    page.goto(site("acme", f"{big_faq.get_absolute_url()}edit/"))
    page.wait_for_load_state("load")
    rows = page.locator("#faqs [data-row]")
    expect(rows).to_have_count(200)
    last = rows.nth(199)
    last.get_by_label("Answer", exact=True).fill("Answer 200, corrected: refund within 14 days.")
    rows.nth(0).get_by_label("Question", exact=True).fill("Billing question 1, reworded?")
    page.get_by_label("Change summary").fill("Two fixes")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_role("heading", name="Every billing question")).to_be_visible()
    expect(page.locator("#faq-200")).to_contain_text("refund within 14 days")
    revision = live_revision(big_faq)
    assert revision.number == 2 and len(revision.faqs) == 200
    assert revision.faqs[0]["question"] == "Billing question 1, reworded?"
    assert page.console_errors == []


def test_far_past_the_limits_the_editor_keeps_the_text_and_says_why(page, site, big_faq):
    page.set_default_timeout(60_000)
    sign_in(page, site, "editor@acme.test")
    edit_url = site("acme", f"{big_faq.get_absolute_url()}edit/")
    page.goto(edit_url)
    page.wait_for_load_state("load")
    # 250 more questions (450 in all: more fields than any documented FAQ needs, twice over).
    page.evaluate("""() => {
        const list = document.querySelector('#faqs');
        const model = list.querySelector('[data-row]');
        for (let n = 0; n < 250; n++) {
            const row = model.cloneNode(true);
            row.querySelectorAll('[name]').forEach((field) => {
                field.name = field.name.replace(/^faqs-[^-]+-/, `faqs-extra${n}-`);
                if (field.name.endsWith('-id')) field.value = '';
            });
            list.appendChild(row);
        }
    }""")
    rows = page.locator("#faqs [data-row]")
    expect(rows).to_have_count(450)
    last_answer = rows.nth(449).locator("textarea[name$='-answer']")
    last_answer.fill("Typed by hand, must not be lost.")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator("[data-form-too-large]")).to_be_visible()
    expect(page.locator("[data-form-too-large]")).to_contain_text("a FAQ at most 200 questions")
    assert page.url == edit_url  # not sent: still on the editor
    expect(last_answer).to_have_value("Typed by hand, must not be lost.")
    assert live_revision(big_faq).number == 1
    page.goto("about:blank")  # the full-page screenshot of 450 rows takes minutes; keep it for failures
