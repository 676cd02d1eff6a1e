"""A person creates a personal API token on their profile page, sees it once, a tool (here a
plain HTTP client, without any cookie) uses it to search a workspace's JSON API, the person
revokes it in the page, and the tool's next call is refused.

The data is committed (the live server cannot see a test transaction) and lives in a tenant
of its own, dropped afterwards: a token's use writes to the tenant's append-only audit log,
which no cleanup may delete.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from playwright.sync_api import expect

from articles import services as articles
from articles.models import Kind
from search import indexing
from tenants import services as tenants
from tenants.models import ApiToken, Client, Role, User

pytestmark = pytest.mark.browser

SCHEMA = "tokenia"
PERSON = "tina.tools@tokenia.test"
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def tokenia(committed):
    client = tenants.client_create(schema_name=SCHEMA, name="Tokenia Mobile")
    person = User.objects.create_user(PERSON, PASSWORD, full_name="Tina Tools")
    tenants.membership_set(user=person, client=client, role=Role.VIEWER)
    connection.set_tenant(client)
    collection = articles.collection_create(name="Roaming", acting_user=person)
    article = articles.article_create(
        kind=Kind.GUIDE, collection=collection, acting_user=person, publish=True,
        content=articles.Content(title="Activate roaming abroad", language="en", tags=[],
                                 steps=[{"title": "Check the plan", "body": "Open the customer's plan."}]),
    )
    indexing.index_article(article.pk)
    connection.set_schema_to_public()
    yield article
    connection.set_tenant(client)
    User.objects.filter(email=PERSON).delete()
    connection.set_schema_to_public()
    Client.objects.get(pk=client.pk).delete(force_drop=True)
    cache.clear()


def api_get(port: int, path: str, token: str) -> tuple[int, dict, dict]:
    """What a CTI tool does: no browser, no cookie, the token in the Authorization header."""
    request = urllib.request.Request(  # noqa: S310 - a fixed http URL to the test server
        f"http://127.0.0.1:{port}{path}",
        headers={"Host": f"{SCHEMA}.{settings.KB_BASE_DOMAIN}:{port}", "Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def test_a_person_creates_a_token_uses_it_and_revokes_it(page, site, tokenia, live_server_port):
    article = tokenia
    cache.clear()
    page.goto(site(None, "/accounts/sign-in/"))
    page.get_by_label("E-mail address").fill(PERSON)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/sign-in/" not in url)  # the workspace, the only one

    page.goto(site(None, "/profile/"))
    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()
    expect(page.get_by_text("You have no API token.")).to_be_visible()
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Create the token").click()
    expect(page.get_by_text("Give the token a name")).to_be_visible()
    page.get_by_label("Token name").fill("Softphone")
    page.get_by_role("button", name="Create the token").click()
    expect(page.get_by_role("heading", name="Your new token “Softphone”")).to_be_visible()
    expect(page.get_by_text("Copy it now: it will not be shown again.")).to_be_visible()
    token = page.locator("#new-token").inner_text().strip()
    assert token.startswith("kbp_")
    assert ApiToken.objects.get(user__email=PERSON).token_hash != token

    status, headers, body = api_get(live_server_port, "/api/v1/search?q=roaming", token)
    assert status == 200, body
    assert [hit["title"] for hit in body["results"]] == ["Activate roaming abroad"]
    assert body["results"][0]["api_url"].endswith(f"/api/v1/articles/{article.pk}")
    assert "Set-Cookie" not in headers
    status, _headers, body = api_get(live_server_port, f"/api/v1/articles/{article.pk}", token)
    assert status == 200 and body["steps"][0]["title"] == "Check the plan"

    page.goto(site(None, "/profile/"))
    expect(page.get_by_role("cell", name="Softphone", exact=True)).to_be_visible()
    expect(page.locator("#new-token")).to_have_count(0)
    assert token not in page.content()
    page.get_by_role("button", name="Revoke the token Softphone").click()
    expect(page.get_by_text("Token “Softphone” revoked: it no longer works.")).to_be_visible()
    expect(page.get_by_role("button", name="Revoke the token Softphone")).to_have_count(0)

    status, headers, body = api_get(live_server_port, "/api/v1/search?q=roaming", token)
    assert status == 401
    assert body["error"]["code"] == "invalid_token"
    assert headers["WWW-Authenticate"].startswith("Bearer")
    # The one console message: the form sent without a name answered 400, as it should.
    assert [e for e in page.console_errors if "status of 400" not in e] == []
