"""A person signs in once on the public site and moves between their workspaces."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tenants.models import User

pytestmark = pytest.mark.browser


def sign_in(page, site, email, password):
    page.goto(site(None, "/accounts/sign-in/"))
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def no_saved_language(committed):
    """The agent's saved language is committed: unset before, and again after (the next
    browser test of this worker's database signs the same agent in and reads English)."""
    User.objects.filter(email="agent.both@helios.test").update(language="")
    yield
    User.objects.filter(email="agent.both@helios.test").update(language="")


def test_sign_in_switch_workspaces_language_and_sign_out(page, site, no_saved_language):
    cache.clear()
    sign_in(page, site, "agent.both@helios.test", "correct-horse-battery-staple")

    expect(page.get_by_role("heading", name="Your workspaces")).to_be_visible()
    expect(page.get_by_role("link", name="Lumière Énergie")).to_be_visible()
    page.get_by_role("link", name="Acme Parcels").first.click()

    # The tenant shell: tenant name, switcher, language, sign out; a provider agent's home is
    # the lookup page, its box focused on load and on "/".
    expect(page).to_have_url(site("acme", "/"))
    box = page.get_by_role("combobox", name="Look up a procedure in Acme Parcels")
    expect(box).to_be_focused()
    page.wait_for_load_state("load")  # app.js is deferred
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("/")
    expect(box).to_be_focused()
    page.keyboard.press("Escape")

    # One sign-in serves every subdomain: switch to lumiere without signing in again.
    page.locator("summary", has_text="Workspaces").click()
    page.get_by_role("link", name="Lumière Énergie").click()
    expect(page).to_have_url(site("lumiere", "/"))
    expect(page.get_by_role("combobox", name="Look up a procedure in Lumière Énergie")).to_be_visible()

    page.get_by_role("button", name="FR").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    assert User.objects.get(email="agent.both@helios.test").language == "fr"

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(site(None, "/accounts/sign-in/"))
    page.goto(site("acme", "/"))
    expect(page).to_have_url(site(None, "/accounts/sign-in/?next=") + "http%3A//acme.kb.localhost%3A" + page.url.split("%3A")[-1])
    assert page.console_errors == []


def test_non_member_gets_nothing_from_a_tenant(page, site, committed):
    cache.clear()
    sign_in(page, site, "outsider@nowhere.test", "correct-horse-battery-staple")
    expect(page.get_by_text("You do not belong to any workspace yet.")).to_be_visible()
    response = page.goto(site("acme", "/"))
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.get_by_role("link", name="Your workspaces")).to_be_visible()
    assert "Acme Parcels" not in page.content()
    assert "administrator of this workspace" not in page.content()  # nobody is named to a non-member
