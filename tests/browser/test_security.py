"""In a browser: a phishing link that starts with our sign-in page leaves the person on our
site; a tenant page sends an anonymous visitor through sign-in and back to it; an article's
remote "tracking pixel" is never fetched, while an image from a site the tenant admin allows
(Access → Image sources) is.

Signing in to a tenant writes its append-only audit log, so the data lives in a tenant of its
own, dropped afterwards."""

from __future__ import annotations

import base64

import pytest
from django.db import connection
from playwright.sync_api import expect

from articles import services as articles
from articles.models import Kind
from tenants import services as tenants
from tenants.models import Role, User

from .conftest import PASSWORD, drop_throwaway_tenant

pytestmark = pytest.mark.browser

SCHEMA = "pixel"
ADMIN = "security.admin@pixel.test"
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")


@pytest.fixture
def pixel(committed):
    from tenants.models import SignInLockout

    SignInLockout.objects.all().delete()
    client = tenants.client_create(schema_name=SCHEMA, name="Pixel Telecom")
    person = User.objects.create_user(ADMIN, PASSWORD, full_name="Sam Admin")
    tenants.membership_set(user=person, client=client, role=Role.ADMIN)
    connection.set_tenant(client)
    collection = articles.collection_create(name="Lignes", acting_user=person)
    article = articles.article_create(
        kind=Kind.ARTICLE, collection=collection, acting_user=person, publish=True,
        content=articles.Content(title="Porting a number", language="en", tags=[], body=(
            "Our diagram: ![diagram](https://images.pixel.example/porting.png)\n\n"
            "Someone's pixel: ![pixel](https://tracker.example/p.png?who=agent)\n")),
    )
    connection.set_schema_to_public()
    yield article
    drop_throwaway_tenant(client, emails=[ADMIN])


def sign_in_here(page, email=ADMIN):
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def only_refused(console_errors: list[str], *hosts: str) -> bool:
    """The browser says why the images of `hosts` are missing (the policy refused each of
    them), and nothing else went wrong."""
    refused = {host for host in hosts for e in console_errors if host in e and "Content Security Policy" in e}
    return refused == set(hosts) and all("Content Security Policy" in e for e in console_errors)


def answer_remote_images(page) -> list[str]:
    """No real network: any remote image the browser does ask for is answered here, and listed."""
    fetched: list[str] = []

    def remote(route):
        fetched.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=PNG)

    page.route("https://**/*", remote)
    return fetched


def test_a_phishing_next_stays_home_and_a_tenant_page_comes_back_after_sign_in(page, site, pixel):
    answer_remote_images(page)
    port = site(None).rsplit(":", 1)[1].strip("/")
    page.goto(site(None, f"/accounts/sign-in/?next=http://kb.localhost:{port}@evil.com/"))
    sign_in_here(page)
    # Home, never evil.com: the workspaces page, which sends a person with one workspace into it.
    expect(page).to_have_url(site(SCHEMA, "/"))
    page.get_by_role("button", name="Sign out").click()

    # The legitimate case: a tenant page, sign in on the public site, back on that page.
    reading = site(SCHEMA, pixel.get_absolute_url())
    page.goto(reading)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert page.url.startswith(site(None, "/accounts/sign-in/?next=http%3A//pixel.kb.localhost"))
    sign_in_here(page)
    expect(page).to_have_url(reading)
    expect(page.get_by_role("heading", name="Porting a number")).to_be_visible()
    page.wait_for_load_state("load")
    assert only_refused(page.console_errors, "tracker.example", "images.pixel.example"), page.console_errors


def test_a_remote_pixel_is_never_fetched_and_an_allowed_image_is(page, site, pixel):
    fetched = answer_remote_images(page)
    page.goto(site(None, "/accounts/sign-in/"))
    sign_in_here(page)
    expect(page).to_have_url(site(SCHEMA, "/"))  # the one workspace
    response = page.goto(site(SCHEMA, pixel.get_absolute_url()))
    assert "private" in response.headers["cache-control"] and "no-store" in response.headers["cache-control"]
    assert "camera=()" in response.headers["permissions-policy"]
    expect(page.get_by_role("heading", name="Porting a number")).to_be_visible()
    page.wait_for_load_state("load")
    assert fetched == []  # by default, images come from here only: neither is asked for

    # The admin allows the site of the diagram (and only that one).
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Access").click()
    page.get_by_role("link", name="Image sources").click()
    page.get_by_role("textbox", name="Image sources").fill("https://images.pixel.example/ *")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".field-error")).to_contain_text("“*” is not an image origin")
    expect(page.get_by_role("textbox", name="Image sources")).to_have_value("https://images.pixel.example/ *")
    page.get_by_role("textbox", name="Image sources").fill("https://images.pixel.example/")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved: the image sources of Pixel Telecom.")).to_be_visible()
    expect(page.get_by_role("textbox", name="Image sources")).to_have_value("https://images.pixel.example")

    page.goto(site(SCHEMA, pixel.get_absolute_url()))
    expect(page.get_by_role("img", name="diagram")).to_be_visible()
    page.wait_for_function("document.querySelector('img[alt=diagram]').complete")
    assert page.evaluate("document.querySelector('img[alt=diagram]').naturalWidth") == 1
    assert page.evaluate("document.querySelector('img[alt=pixel]').naturalWidth") == 0
    assert fetched == ["https://images.pixel.example/porting.png"]
    page.console_errors.clear()
    page.reload()
    page.wait_for_function("document.querySelector('img[alt=diagram]').complete")
    assert only_refused(page.console_errors, "tracker.example"), page.console_errors
