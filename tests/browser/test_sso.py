"""A provider organisation signs its people in through its own identity provider: a new agent
types their work address, signs in at the identity provider (django-oauth-toolkit's OpenID
provider, on loopback: tests/idp), and comes back signed in, an agent of the organisation;
with single sign-on required, the password sign-in sends them to their organisation.

The data is committed (the live server cannot see a test transaction); the organisation is one
of the test's own, in the public schema, deleted afterwards."""

from __future__ import annotations

import pytest
from django.db import connection
from playwright.sync_api import expect

from sso.models import IdentityProvider
from sso.services import identity_provider_configure
from tenants.models import Client, ProviderMembership, ProviderOrganisation, ProviderRole, User
from tests.idp.server import Person, start

pytestmark = pytest.mark.browser

AGENT = "zara.agent@orion-sso.test"
IDP_PASSWORD = "idp-pass-2026"


@pytest.fixture
def orion(committed, site, tmp_path):
    idp = start(tmp_path / "idp", redirect_uris=[site(None, "/accounts/sso/callback/")],
                people=[Person("zara", AGENT, IDP_PASSWORD, "Zara Agent")])
    provider = ProviderOrganisation.objects.create(name="Orion Calls (browser test)")
    identity_provider_configure(provider=provider, issuer=idp.issuer, client_id=idp.client_id,
                                client_secret=idp.client_secret, domains=["orion-sso.test"])
    yield provider
    idp.stop()
    # A person's related rows include tenant tables (guardian's): delete them from inside a
    # tenant (they hold nothing in any), public stays on the search path.
    connection.set_tenant(Client.objects.get(schema_name="acme"))
    User.objects.filter(email=AGENT).delete()
    connection.set_schema_to_public()
    IdentityProvider.objects.filter(provider=provider).delete()
    provider.delete()


def test_a_new_agent_signs_in_through_their_organisations_identity_provider(page, site, orion):
    page.goto(site(None, "/accounts/sign-in/"))
    page.get_by_role("link", name="Sign in with your organisation (single sign-on)").click()
    page.get_by_label("Work e-mail address").fill(AGENT)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Test identity provider")).to_be_visible()
    page.get_by_label("User name").fill("zara")
    page.get_by_label("Password").fill(IDP_PASSWORD)
    page.get_by_role("button", name="Sign in at the identity provider").click()

    expect(page.get_by_role("heading", name="Your workspaces")).to_be_visible()
    person = User.objects.get(email=AGENT)
    membership = ProviderMembership.objects.get(user=person)
    assert (membership.provider_id, membership.role) == (orion.pk, ProviderRole.AGENT)
    assert page.console_errors == []

    # The organisation now requires single sign-on: the password sign-in sends the person there.
    IdentityProvider.objects.filter(provider=orion).update(require_sso=True)
    page.context.clear_cookies()
    page.goto(site(None, "/accounts/sign-in/"))
    page.get_by_label("E-mail address").fill(AGENT)
    page.get_by_label("Password").fill("any password at all")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Sign in with your organisation")).to_be_visible()
    expect(page.get_by_text("passwords are not accepted for your address")).to_be_visible()
    expect(page.get_by_label("Work e-mail address")).to_have_value(AGENT)
