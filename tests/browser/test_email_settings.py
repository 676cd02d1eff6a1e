"""A person changes their e-mail settings for a workspace from the top bar, then opens the
unsubscribe link of a mail in a browser where they are not signed in: the page only asks;
confirming unsubscribes — in the browser.

The world's people are committed; the preference rows and messages this test makes are
deleted afterwards.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from outbox import preferences, services, streams
from outbox.models import EmailPreference, Message, UnsubscribeToken
from tenants.models import User
from tests.mailbox import delivered

from .conftest import sign_in

pytestmark = pytest.mark.browser

STREAM = "browser.changes"
streams.register(STREAM, label="Changes you follow", reason="You follow procedures in %(workspace)s.",
                 unsubscribe=preferences.stop_updates)


@pytest.fixture
def viewer(committed):
    person = User.objects.get(email="viewer@acme.test")
    mail.outbox = []
    yield person
    EmailPreference.objects.filter(person=person).delete()
    UnsubscribeToken.objects.filter(person=person).delete()
    Message.objects.filter(person=person).delete()


def test_a_person_changes_their_email_settings_and_unsubscribes_from_a_link(page, browser, site, viewer):
    sign_in(page, site, viewer.email)
    page.goto(site("acme", "/"))
    page.get_by_role("link", name="E-mail settings").click()
    expect(page.get_by_role("heading", name="E-mail settings")).to_be_visible()
    updates = page.get_by_role("group", name="Changes to what you follow")
    expect(updates.get_by_label("Daily digest")).to_be_checked()  # the default
    expect(page.get_by_role("group", name="Must-read assignments").get_by_label("As it happens")).to_be_checked()
    expect(page.get_by_role("group", name="Must-read assignments").get_by_label("No e-mail")).to_have_count(0)
    updates.get_by_label("Weekly digest").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your e-mail settings are saved.")).to_be_visible()
    expect(page.get_by_role("group", name="Changes to what you follow").get_by_label("Weekly digest")).to_be_checked()
    assert preferences.frequency_for(viewer.pk, "acme") == "weekly"
    assert preferences.frequency_for(viewer.pk, "lumiere") == "daily"  # another workspace, untouched

    # A digest arrives; its unsubscribe link is opened where nobody is signed in.
    services.queue(to=viewer.email, subject="Your weekly digest", text="Two procedures changed.", stream=STREAM,
                   language="en", schema_name="acme", person_id=viewer.pk)
    [message] = delivered()
    link = re.search(r"<(http://[^>]+/mail/unsubscribe/[^>]+/)>", message.extra_headers["List-Unsubscribe"]).group(1)
    port = re.search(r":(\d+)/", site(None, "/")).group(1)
    link = re.sub(r"^http://([^/:]+)(:\d+)?/", rf"http://\1:{port}/", link)  # the live server's port
    context = browser.new_context(locale="en-GB")
    stranger = context.new_page()
    stranger.set_default_timeout(10_000)
    try:
        stranger.goto(link)
        expect(stranger.get_by_role("heading", name="Unsubscribe?")).to_be_visible()
        expect(stranger.get_by_text("Stop “Changes you follow” e-mails from Acme Parcels?")).to_be_visible()
        assert preferences.frequency_for(viewer.pk, "acme") == "weekly"  # the GET changed nothing
        stranger.get_by_role("button", name="Unsubscribe").click()
        expect(stranger.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
        expect(stranger.get_by_text("You will no longer get “Changes you follow” e-mails from Acme Parcels.")).to_be_visible()
    finally:
        context.close()
    assert preferences.frequency_for(viewer.pk, "acme") == "none"
    page.reload()
    expect(page.get_by_role("group", name="Changes to what you follow").get_by_label("No e-mail")).to_be_checked()
    assert page.console_errors == []
