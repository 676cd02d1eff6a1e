"""Bad input never answers 500, nor Django's technical page: the defects the outside probe
reported (issue 9 item 4, issue 10 "500s on bad input"), then a generated walk of every tenant
URL name × every query and form parameter it reads × hostile values, GET and POST, as an admin
and as a provider agent (the walk is below the reported cases).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client as HttpClient

from articles import services as articles

from .conftest import host

TECHNICAL = (b"Traceback", b"DEBUG = True", b"Using the URLconf", b"technical_500", b"Request Method:")


def _http(user=None) -> HttpClient:
    http = HttpClient(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
    if user is not None:
        http.force_login(user)
    return http


def _product_page(response, status: int) -> None:
    assert response.status_code == status, response.content[:500]
    body = response.content
    for marker in TECHNICAL:
        assert marker not in body
    if response.get("Content-Type", "").startswith("text/html"):
        assert f'data-error-page="{status}"'.encode() in body


@pytest.fixture
def acme(world, in_tenant):
    in_tenant(world.acme)
    collection = articles.collection_create(name="Refunds", acting_user=world.acme_editor)
    connection.set_schema_to_public()
    world.refunds = collection
    return world


# --- The reported cases ---------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "/new/article/?collection=%00&title=%00",
    "/new/guide/?collection=%00",
    "/new-suggestion/guide/?collection=%00",
    "/collections/new/?parent=%00",
])
def test_a_nul_byte_in_a_query_parameter_is_a_400_product_page(acme, url):
    who = acme.agent_acme if url.startswith("/new-suggestion/") else acme.acme_editor
    _product_page(_http(who).get(url, HTTP_HOST=host(acme.acme)), 400)


def test_a_nul_byte_in_a_form_field_or_a_parameter_name_is_a_400_product_page(acme):
    http = _http(acme.acme_editor)
    _product_page(http.post("/collections/new/", {"name": "A\x00B"}, HTTP_HOST=host(acme.acme)), 400)
    _product_page(http.get("/search/?%00=1", HTTP_HOST=host(acme.acme)), 400)


def test_a_nul_byte_in_the_path_is_a_product_page_not_a_500(world):
    """`<str:token>` takes any character but a slash: the invitation page never sees the NUL."""
    _product_page(_http().get("/invitations/abc%00def/", HTTP_HOST=settings.KB_BASE_DOMAIN), 400)


def test_the_api_answers_unknown_collection_for_a_nul_byte(acme):
    response = _http(acme.acme_editor).get("/api/v1/search", {"q": "refund", "collection": "\x00"},
                                           HTTP_HOST=host(acme.acme))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unknown_collection"


def test_an_anonymous_visitor_with_a_huge_query_is_sent_to_sign_in_without_it(world):
    """The sign-in redirect carries `next`: one longer than a redirect may be is left out, and
    the page answers a redirect to sign in, not a 400 DisallowedRedirect."""
    response = _http().get("/search/manage/best-bets/", {"query": "x" * 20_000}, HTTP_HOST=host(world.acme))
    assert response.status_code == 302
    assert response["Location"].startswith(f"http://{settings.KB_BASE_DOMAIN}/accounts/sign-in/")
    assert len(response["Location"]) < 2048
    short = _http().get("/search/manage/best-bets/", {"query": "refund"}, HTTP_HOST=host(world.acme))
    assert "next=" in short["Location"] and "refund" in short["Location"]  # a normal next is kept


def test_an_admin_exporting_the_audit_log_with_a_huge_filter_gets_the_form_again(acme):
    response = _http(acme.acme_admin).get("/access/audit/export/", {"person": "x" * 20_000},
                                          HTTP_HOST=host(acme.acme))
    assert response.status_code == 400
    assert b"Correct the filter before exporting." in response.content
    assert b"Ensure this value has at most 254 characters" in response.content
    for marker in TECHNICAL:
        assert marker not in response.content
    valid = _http(acme.acme_admin).get("/access/audit/export/", {"person": "admin"}, HTTP_HOST=host(acme.acme))
    assert valid.status_code == 200 and valid["Content-Type"].startswith("text/csv")
