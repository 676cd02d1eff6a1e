"""A tenant admin invites a new person by e-mail; the person opens the link in another
browser, chooses a name and a password, and lands in the workspace — in the browser.

The data is committed (the live server cannot see a test transaction) and lives in a tenant
of its own, dropped afterwards: invitations write to the tenant's append-only audit log, which
no cleanup may delete. The invitation waits in the outbox; the test sends it as the worker would, through the
locmem e-mail backend, so `mail.outbox` holds it (tests/mailbox.py).
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from playwright.sync_api import expect

from outbox.models import Message
from tenants import services as tenants
from tenants.models import Client, Membership, Role, User
from tests.mailbox import delivered

pytestmark = pytest.mark.browser

SCHEMA = "vega"
ADMIN = "people.admin@vega.test"
INVITEE = "nina.new@vega.test"
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def vega(committed):
    client = tenants.client_create(schema_name=SCHEMA, name="Vega Insurance")
    admin = User.objects.create_user(ADMIN, PASSWORD, full_name="Vera Admin")
    tenants.membership_set(user=admin, client=client, role=Role.ADMIN)
    mail.outbox = []
    yield client
    # A person's related rows include tenant tables (guardian's): delete the two people from
    # inside the tenant, the only one where they hold anything.
    connection.set_tenant(client)
    User.objects.filter(email__in=[ADMIN, INVITEE]).delete()
    connection.set_schema_to_public()
    Message.objects.filter(to__in=[ADMIN, INVITEE]).delete()
    Client.objects.get(pk=client.pk).delete(force_drop=True)
    cache.clear()


def test_an_admin_invites_a_new_person_who_sets_a_password_and_lands_in_the_workspace(page, browser, site, vega):
    cache.clear()
    page.goto(site(None, "/accounts/sign-in/"))
    page.get_by_label("E-mail address").fill(ADMIN)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/sign-in/" not in url)  # the workspace, the only one

    page.goto(site(SCHEMA, "/"))
    page.get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", name="People", exact=True)).to_be_visible()
    expect(page.get_by_text("No pending invitation")).to_be_visible()
    invite = page.locator("form", has=page.get_by_role("button", name="Send the invitation"))
    invite.get_by_label("E-mail address").fill(INVITEE)
    invite.get_by_label("Role").select_option("editor")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text(f"Invitation sent to {INVITEE}.")).to_be_visible()
    expect(page.get_by_role("cell", name=INVITEE, exact=True)).to_be_visible()

    [message] = delivered()
    assert message.to == [INVITEE]
    link = re.search(r"http://\S+/invitations/\S+/", message.body).group(0)
    assert link.startswith(site(None, "/invitations/"))

    # The invited person, in a browser of their own.
    context = browser.new_context(locale="en-GB")
    guest = context.new_page()
    guest.set_default_timeout(10_000)
    try:
        guest.goto(link)
        expect(guest.get_by_role("heading", name="Join Vega Insurance")).to_be_visible()
        guest.get_by_label("Your name").fill("Nina New")
        guest.get_by_label("Choose a password").fill("short")
        guest.get_by_label("Repeat the password").fill("short")
        guest.get_by_role("button", name="Create my account and join").click()
        expect(guest.get_by_text("This password is too short")).to_be_visible()

        guest.get_by_label("Choose a password").fill("a-long-and-unusual-passphrase-42")
        guest.get_by_label("Repeat the password").fill("a-long-and-unusual-passphrase-42")
        guest.keyboard.press("Enter")
        expect(guest).to_have_url(site(SCHEMA, "/"))
        expect(guest.get_by_text("Welcome to Vega Insurance.")).to_be_visible()
        # The top bar names the person and their role on the profile link (its title since the shell).
        expect(guest.get_by_role("link", name="Profile", exact=True)).to_have_attribute(
            "title", "Profile · Nina New · Editor")
        # An editor has no people page.
        assert guest.goto(site(SCHEMA, "/people/")).status == 404
    finally:
        context.close()

    assert Membership.objects.get(user__email=INVITEE, client=vega).role == Role.EDITOR
    page.reload()
    expect(page.get_by_text("No pending invitation")).to_be_visible()
    expect(page.get_by_role("cell", name=INVITEE, exact=True)).to_be_visible()
    assert page.console_errors == []
