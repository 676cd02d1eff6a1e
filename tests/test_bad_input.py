"""Bad input never answers 500, nor Django's technical page: the defects the outside probe
reported (issue 9 item 4, issue 10 "500s on bad input"), then a generated walk of every tenant
URL name × every query and form parameter it reads × hostile values, GET and POST, as an admin
and as a provider agent (the walk is below the reported cases).
"""

from __future__ import annotations

import inspect
import logging
import re
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client as HttpClient
from django.urls import reverse

from articles import services as articles

from . import permission_matrix as pm
from .conftest import host
from .test_permission_matrix import ROUTES, _kwargs, matrix, matrix_world  # noqa: F401 - fixtures

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
def acme(acme):
    collection = articles.collection_create(name="Refunds", acting_user=acme.acme_editor)
    connection.set_schema_to_public()
    acme.refunds = collection
    return acme


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


# --- The generated walk ---------------------------------------------------------------------
#
# Every tenant URL name (walked from the URLconf, as the permission matrix does) × every query
# and form parameter it reads (declared below; a URL name missing here fails, and a parameter a
# view reads directly from request.GET/POST that is not declared fails too) × hostile values,
# GET and POST, as a tenant admin and as a provider agent with contribute grants (between them
# they get past the gate of every view but the lead's page; each sends only to the views it may
# use, the gate being the matrix's business), on the matrix's world. An anonymous visitor sends
# the long value on GET too (the sign-in redirect carries the address). No answer may be a 500,
# raise, show Django's technical page, or come from a redirect Django refused.

# The editor's fields and rows are parsed by the same form and parse_rows everywhere: every one
# of them on the page that creates an article and in the preview, elsewhere the ones that reach
# the database or a parser.
ALL_ARTICLE_FIELDS = ("title", "collection", "language", "tags", "review_by", "confidential", "summary", "body",
                      "base_revision")
ARTICLE_FORM = ("title", "collection", "tags", "review_by", "base_revision")
ALL_ROWS = ("steps-k1-title", "steps-k1-body", "steps-k1-order", "steps-k1-id", "steps-k1-delete",
            "faqs-k1-question", "faqs-k1-answer", "faqs-k1-alternatives", "faqs-k1-order")
ROWS = ("steps-k1-order", "faqs-k1-alternatives")
COLLECTION_FORM = ("name", "description", "parent", "review_interval_days", "confidential")
GRANT_FORM = ("grantee", "level", "expires_on")
SEARCH = ("q", "kind", "language", "collection", "tag")
PUBLISH_CHOICE = ("publish-materiality", "publish-everyone", "publish-roles", "publish-teams", "publish-deadline")
AUDIT = ("action", "person", "start", "end")
QUESTION_FORM = ("kind", "text", "anchors", "true_is_right", "explanation", "choice_0", "right_0", "step_0")
DASHBOARD_FILTER = ("period", "start", "end", "provider", "team")

# URL name: (query parameters read on GET, form fields read on POST)
PARAMETERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "people:list": ((), ()),
    "people:invite": ((), ("email", "role")),
    "people:invitation-resend": ((), ()),
    "people:invitation-revoke": ((), ()),
    "people:role": ((), ("role",)),
    "people:remove": ((), ()),
    "access:overview": ((), ()),
    "access:collection": ((), GRANT_FORM),
    "access:article": ((), GRANT_FORM),
    "access:grant-change": ((), ("level", "expires_on")),
    "access:grant-revoke": ((), ()),
    "access:review-collection": (("format",), ()),
    "access:review-article": (("format",), ()),
    "access:review-people": (("format",), ()),
    "access:review-person": (("format",), ()),
    "access:audit": ((*AUDIT, "page"), ()),
    "access:audit-export": (AUDIT, ()),
    "access:teams": ((), ()),
    "access:image-sources": ((), ("image_sources",)),
    "sso_settings:edit": ((), ("protocol", "issuer", "discovery_url", "oidc_client_id", "oidc_client_secret",
                               "saml_entity_id", "saml_sso_url", "saml_x509_cert", "default_role", "require_sso",
                               "enabled")),
    "access:two-factor": ((), ("require_two_factor",)),
    "api:search": ((*SEARCH, "limit"), ()),
    "api:article": ((), ()),
    "api:file": ((), ()),
    "api:schema": ((), ()),
    "searchadmin:gaps": (("period", "team"), ()),
    "searchadmin:gaps-export": (("period", "team"), ()),
    "searchadmin:synonyms": (("page", "term"), ("term", "synonyms")),
    "searchadmin:synonym-edit": ((), ("term", "synonyms")),
    "searchadmin:synonym-delete": ((), ()),
    "searchadmin:best-bets": (("query", "find"), ("query", "article")),
    "searchadmin:best-bet-articles": (("find",), ()),
    "searchadmin:best-bet-move": ((), ("direction",)),
    "searchadmin:best-bet-delete": ((), ()),
    "search:lookup": (SEARCH, ()),
    "search:not-found": ((), ("log", "q")),
    "search:pin": ((), ("back", "pinned")),
    "articles:home": (SEARCH, ()),
    "articles:review": (("all",), ()),
    "articles:export": ((), ()),
    "articles:import": ((), ("archive", "into", "publish")),
    "articles:collection-export": ((), ()),
    "articles:collection-create": (("parent",), COLLECTION_FORM),
    "articles:collection": (("page",), ()),
    "articles:collection-edit": ((), COLLECTION_FORM),
    "articles:collection-archive": ((), ("archived", "back")),
    "articles:collection-move": ((), ("direction",)),
    "articles:create": (("collection", "title"), ("action", *ALL_ARTICLE_FIELDS, *ALL_ROWS, *PUBLISH_CHOICE)),
    "articles:preview": ((), ("kind", "title", "body", *ALL_ROWS)),
    "articles:similar": (("title", "exclude"), ()),
    "articles:editor-row": (("order",), ()),
    "articles:upload": ((), ("alt",)),  # and the file itself (tests/test_attachments.py)
    "articles:suggest-upload": ((), ("alt",)),
    "articles:files-usage": ((), ()),
    "articles:file": ((), ()),
    "articles:file-original": ((), ()),
    "articles:read": (("draft", "from"), ()),
    "articles:edit": ((), ("action", *ARTICLE_FORM, *ROWS, *PUBLISH_CHOICE)),
    "articles:publish": ((), PUBLISH_CHOICE),
    "articles:publish-undo": ((), ()),  # what it undoes is in the session, never in the request
    "articles:verify": ((), ("revision",)),
    "articles:archive": ((), ("archived", "back")),
    "articles:feedback": ((), ("helpful", "reason")),
    "articles:history": ((), ()),
    "articles:compare": (("a", "b"), ()),
    "articles:revision": ((), ()),
    "articles:restore": ((), ()),
    "articles:suggestions": (("status",), ()),
    "articles:suggestions-mine": ((), ()),
    "articles:suggest-row": (("order",), ()),
    "articles:suggest-preview": ((), ("kind", "title", "body", *ROWS)),
    "articles:suggestion": ((), ()),
    "articles:suggestion-accept": ((), PUBLISH_CHOICE),
    "articles:suggestion-accept-edit": ((), (*ARTICLE_FORM, *ROWS, *PUBLISH_CHOICE)),
    "articles:suggestion-reject": ((), ("reason",)),
    "articles:suggest-new": (("collection",), (*ARTICLE_FORM, "reason", *ROWS)),
    "articles:suggest": ((), (*ARTICLE_FORM, "reason", *ROWS)),
    "outbox:preferences": ((), ("updates", "must_read")),
    "notifications:list": ((), ()),
    "notifications:bell": ((), ()),
    "notifications:read-all": ((), ("next",)),
    "notifications:open": ((), ()),
    "notifications:read": ((), ("next",)),
    "notifications:following": ((), ()),
    "notifications:team-follow-admin": ((), ("team", "collection", "action")),
    "notifications:team-follow-lead": ((), ("team", "collection", "action")),
    "notifications:follow-collection": ((), ("action", "next")),
    "notifications:follow-article": ((), ("action", "next")),
    "readiness:mine": ((), ()),
    "readiness:acknowledge": ((), ("revision",)),
    "readiness:overview": ((), ()),
    "readiness:detail": (("format",), ()),
    "readiness:settings": ((), ("reminder_after_days", "deadline_reminder_days")),
    "readiness:provider": ((), ()),
    "readiness:provider-detail": (("format",), ()),
    "checks:manage": ((), ()),
    "checks:question-new": ((), QUESTION_FORM),
    "checks:question": ((), QUESTION_FORM),
    "checks:question-review": ((), ("action",)),
    "checks:review-list": ((), ()),
    "checks:take": ((), ("revision", "q1")),  # q<question id>: the chosen choices' ids
    "checks:practice-index": ((), ()),
    "checks:practice": ((), ("questions", "q1")),
    "checks:practice-assign": ((), ("collection", "team", "size", "due")),
    "dashboard:page": (DASHBOARD_FILTER, ()),
    "dashboard:export": (("table", *DASHBOARD_FILTER), ()),
    "dashboard:summary": ((), ("subscribe",)),
    "sign-out": ((), ()),
    "set-language": ((), ("language", "next")),
}

# 10k characters that take 60k once percent-encoded: past the longest redirect Django allows
# (16,384 characters) as soon as a view or the sign-in redirect echoes them.
LONG = "é" * 10_000
# Valid values sent beside the hostile one, so that it reaches the code past a required one.
BASE = {"api:search": {"q": "refunds"}, "search:lookup": {"q": "refunds"}, "articles:home": {"q": "refunds"}}
# Name: (the value, already encoded for an address or a form body).
HOSTILE = {
    "nul": quote("a\x00b"),
    "bad percent-encoding": "%ZZ%C3%28%E2%82%",  # not hex, invalid UTF-8, truncated
    "10k characters": quote(LONG),
    "negative": "-1",
    "huge": "9" * 30,  # past a 64-bit integer
    "Unicode digits": quote("١٢٣²"),  # isdigit() is true, int() refuses the superscript
    "another tenant's id": None,  # filled per parameter from the matrix's world (below)
}
WALK_ROLES = ("admin", "agent_contrib")
TECHNICAL_TEXT = tuple(marker.decode() for marker in TECHNICAL)

_DIRECT_READ = re.compile(r'request\.(GET|POST)(?:\.get|\.getlist)?[\[(]"([^"]+)"')


def test_every_tenant_url_name_declares_the_parameters_it_reads():
    names = {route.name for route in ROUTES if route.name}
    missing = sorted(names - set(PARAMETERS))
    assert not missing, ("Tenant URL names the bad-input walk does not know: declare the query and form "
                         f"parameters they read in PARAMETERS (tests/test_bad_input.py): {missing}")
    assert not set(PARAMETERS) - names, f"Declared URL names that no longer exist: {sorted(set(PARAMETERS) - names)}"
    undeclared = []
    for route in ROUTES:
        try:
            source = inspect.getsource(inspect.unwrap(route.callback))
        except (OSError, TypeError):
            continue
        get, post = PARAMETERS[route.name]
        for method, name in _DIRECT_READ.findall(source):
            if name not in (get if method == "GET" else post):
                undeclared.append(f"{route.name} reads request.{method}[{name!r}]")
    assert not undeclared, "\n".join(undeclared)


def _other_tenant_value(world, parameter: str) -> str:
    """The id or slug of an object of the other tenant, for a parameter naming one."""
    if parameter in ("collection", "parent", "into"):
        return world.c["other_tenant"].slug if parameter != "into" else str(world.c["other_tenant"].pk)
    if parameter == "exclude":
        return world.a["other_tenant"].slug
    return str(world.a["other_tenant"].pk)


def _send(browser, role: str, method: str, url: str, body: str | None = None):
    """One request; a POST runs in a savepoint rolled back after it, the session cookie put back."""
    client = browser.clients[role]
    acme = host(browser.world.acme)
    if method == "GET":
        return client.get(url, HTTP_HOST=acme)
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    saved = cookie.value if cookie is not None else None
    try:
        with transaction.atomic():
            response = client.post(url, body or "", content_type="application/x-www-form-urlencoded",
                                   HTTP_HOST=acme)
            transaction.set_rollback(True)
    finally:
        if saved is not None:
            client.cookies[settings.SESSION_COOKIE_NAME] = saved
    return response


class _RefusedRedirects(logging.Handler):
    """Counts the redirects Django refused (it logs each to django.security.DisallowedRedirect)."""

    def __init__(self):
        super().__init__()
        self.count = 0

    def emit(self, record):
        self.count += 1


def _check(response) -> str | None:
    if response.status_code >= 500:
        return f"answered {response.status_code}"
    if response.streaming:
        return None
    text = response.content.decode(errors="replace")
    technical = [marker for marker in TECHNICAL_TEXT if marker in text]
    return f"Django's technical page ({technical})" if technical else None


def roles_for(route) -> tuple[str, ...]:
    """The walk's roles that the view lets in (the lead's page: the lead)."""
    allowed = tuple(role for role in WALK_ROLES if role in pm.ALLOWED[route.capability])
    return allowed or ("lead",)


def walk_route(browser, world, route) -> tuple[int, list[str]]:
    family = pm.family_of(route)
    kind = pm.KINDS[family][0] if family else None
    url = reverse(route.name, urlconf=pm.TENANT_URLCONF, kwargs=_kwargs(world, route, family, kind))
    get_parameters, post_parameters = PARAMETERS[route.name]
    refused = _RefusedRedirects()
    security = logging.getLogger("django.security.DisallowedRedirect")
    security.addHandler(refused)
    count, problems = 0, []
    try:
        for method, parameters in (("GET", get_parameters), ("POST", post_parameters)):
            for parameter in parameters:
                for label, value in HOSTILE.items():
                    if value is None:
                        value = quote(_other_tenant_value(world, parameter))
                    others = {name: base for name, base in BASE.get(route.name, {}).items() if name != parameter}
                    pair = "&".join([*(f"{name}={quote(base)}" for name, base in others.items()),
                                     f"{quote(parameter)}={value}"])
                    roles = roles_for(route) + (("anonymous",) if label == "10k characters" and method == "GET" else ())
                    for role in roles:
                        target = f"{url}?{pair}" if method == "GET" else url
                        where = f"{role} {method} {route.name} {parameter}={label}"
                        count += 1
                        before = refused.count
                        try:
                            response = _send(browser, role, method, target, None if method == "GET" else pair)
                        except Exception as error:  # noqa: BLE001 - a crash is the finding
                            problems.append(f"{where}: raised {type(error).__name__}: {str(error)[:200]}")
                            continue
                        wrong = _check(response)
                        if refused.count > before:
                            wrong = "a redirect Django refused (DisallowedRedirect)"
                        if wrong:
                            problems.append(f"{where}: {wrong}")
    finally:
        security.removeHandler(refused)
    return count, problems


WALKED = [route for route in ROUTES if route.name and route.capability and any(PARAMETERS.get(route.name, ((), ())))]


@pytest.mark.parametrize("route", WALKED, ids=lambda route: route.name)
def test_bad_input_walk(matrix, route):  # noqa: F811 - the fixture imported above
    count, problems = walk_route(matrix.browser, matrix.world, route)
    assert count
    assert not problems, f"{route.label}: {len(problems)} of {count} hostile requests went wrong:\n" + "\n".join(problems)
