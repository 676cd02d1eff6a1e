"""A provider lead onboards agents from a CSV (the sample in docs/samples/agents.csv): the
preview, then the invitations; one agent opens their link in a browser of their own, chooses a
password and lands in the workspace their team serves. Then a person who forgot their password
resets it by e-mail and signs in with the new one — in the browser.

The data is committed (the live server cannot see a test transaction) in a tenant and a provider
of their own, dropped afterwards. Mail waits in the outbox; the test sends it as the worker
would (tests/mailbox.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from outbox.models import Message
from tenants import services as tenants
from tenants.models import ProviderInvitation, ProviderOrganisation, ProviderRole, User
from tests.mailbox import delivered

from .conftest import PASSWORD, drop_throwaway_tenant, sign_in

pytestmark = pytest.mark.browser

SCHEMA = "orion"
LEAD = "lead@orion-call.test"
SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "samples" / "agents.csv"
AGENTS = ["aicha.ramdin@helios.example", "jean-marc.li@helios.example", "priya.sewpaul@helios.example"]
NEW_PASSWORD = "an-agent-passphrase-2026"


@pytest.fixture
def orion(committed):
    client = tenants.client_create(schema_name=SCHEMA, name="Orion Telecom")
    provider = ProviderOrganisation.objects.create(name="Orion Call", country="Senegal")
    tenants.engagement_start(provider=provider, client=client)
    lead = User.objects.create_user(LEAD, PASSWORD, full_name="Léa Lead")
    tenants.provider_member_add(user=lead, provider=provider, role=ProviderRole.LEAD)
    team = tenants.team_create(provider=provider, name="Acme front line", clients=[client])  # as in the sample
    mail.outbox = []
    yield provider
    ProviderInvitation.objects.filter(provider=provider).delete()
    Message.objects.filter(to__in=[LEAD, *AGENTS]).delete()
    drop_throwaway_tenant(client, teams=[team], emails=[LEAD, *AGENTS])
    provider.delete()
    cache.clear()


def test_a_lead_invites_agents_from_a_csv_and_one_signs_in_for_the_first_time(page, browser, site, orion):
    sign_in(page, site, LEAD)
    page.goto(site(None, "/provider/"))
    page.get_by_role("link", name="Invite agents").click()
    page.get_by_label("CSV file").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Check the file before inviting")).to_be_visible()
    expect(page.get_by_text("Nothing has been sent yet.")).to_be_visible()
    expect(page.get_by_role("cell", name="Aïcha Ramdin")).to_be_visible()
    assert not ProviderInvitation.objects.filter(provider=orion).exists()
    page.get_by_role("button", name="Invite 3 people").click()
    expect(page.get_by_text("3 invitations sent.")).to_be_visible()
    expect(page.get_by_role("cell", name=AGENTS[0], exact=True)).to_be_visible()

    message = next(m for m in delivered() if m.to == [AGENTS[0]])
    link = re.search(r"http://\S+/provider/join/\S+/", message.body).group(0)

    context = browser.new_context(locale="en-GB")
    agent = context.new_page()
    agent.set_default_timeout(10_000)
    try:
        agent.goto(link)
        expect(agent.get_by_role("heading", name="Join Orion Call")).to_be_visible()
        expect(agent.get_by_label("Your name")).to_have_value("Aïcha Ramdin")
        agent.get_by_label("Choose a password").fill(NEW_PASSWORD)
        agent.get_by_label("Repeat the password").fill(NEW_PASSWORD)
        agent.get_by_role("button", name="Create my account and join").click()
        expect(agent.get_by_text("Welcome to Orion Call.")).to_be_visible()
        agent.get_by_role("link", name="Orion Telecom").click()
        expect(agent).to_have_url(site(SCHEMA, "/"))
    finally:
        context.close()

    page.goto(site(None, f"/provider/{orion.pk}/"))
    expect(page.get_by_role("cell", name=AGENTS[0], exact=True)).to_be_visible()
    assert page.console_errors == []


def test_a_forgotten_password_is_reset_by_e_mail(page, site, orion):
    cache.clear()
    page.goto(site(None, "/accounts/sign-in/"))
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("E-mail address").fill(LEAD)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()

    message = next(m for m in delivered() if m.to == [LEAD])
    link = re.search(r"http://\S+/accounts/password/reset/\S+/", message.body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    assert "set-password" in page.url  # the token left the address
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the new password").click()
    expect(page.get_by_text("Your new password is set. Sign in with it.")).to_be_visible()
    sign_in(page, site, LEAD, NEW_PASSWORD)
    assert page.console_errors == []
    page.goto(link)  # used once: it works no more (answered 410 Gone)
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()
