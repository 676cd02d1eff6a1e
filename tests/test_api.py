"""The JSON API of a tenant (`/api/v1/`) and the personal API tokens that open it.

Tokens: only their hash is stored, revoking keeps the row, revoked/garbage/inactive are
refused, at most 20 active. The API: bearer or session, never a cookie or a session row for a
token request, JSON errors everywhere (401 anonymous, 404 no access, 400 bad input, 405 not
GET), exactly the permission layer of the pages (a provider agent sees only what grants open),
confidential reads audited, searches logged. The profile page creates and revokes tokens.
"""

from __future__ import annotations

import functools
import hashlib
import json
import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client as HttpClient
from django.utils import timezone

from articles import services as articles
from articles.models import Article, Kind
from audit.models import Action, AuditEvent
from permissions.services import grant_give
from search.api import MAX_LIMIT, MAX_QUERY
from search.models import QueryLog
from tenants import services as tenants
from tenants.models import ApiToken, Engagement, User
from tenants.services import tokens

from . import factories
from .conftest import host

SEARCH = "/api/v1/search"

publish = functools.partial(factories.publish, language="en", tags="parcels, carriers")


def article_path(pk: int) -> str:
    return f"/api/v1/articles/{pk}"


def call(client, path, *, token=None, http=None, method="get", **params):
    """One API request on `client`'s host, with a bearer token or `http`'s session."""
    http = http or HttpClient()
    extra = {"HTTP_HOST": host(client)}
    if token is not None:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return getattr(http, method)(path, params, **extra)


def error_of(response) -> dict:
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["message"]
    return body["error"]


@pytest.fixture
def acme(acme):
    """Acme's content: a collection granted to a Helios team (with a confidential collection
    and a confidential article inside, not granted by name), and one not granted at all."""
    world = acme
    editor = world.acme_editor
    parcels = articles.collection_create(name="Parcels", acting_user=editor)
    vault = articles.collection_create(name="Parcel vault", parent=parcels, confidential=True, acting_user=editor)
    billing = articles.collection_create(name="Billing", acting_user=editor)
    content = {
        "guide": publish(world, parcels, kind=Kind.GUIDE, title="Lost parcel investigation", steps=[
            ("Check the tracking", "Look for the last **scan** of the parcel."),
            ("Open a claim", "Open a claim with the carrier after five days."),
        ]),
        "faq": publish(world, parcels, kind=Kind.FAQ, title="Parcel questions", faqs=[
            ("Where is my parcel?", ["Parcel not arrived"], "Give the tracking link."),
        ]),
        "secret": publish(world, parcels, title="Parcel margins", body="Our parcel margin is 12%.",
                          confidential=True),
        "vaulted": publish(world, vault, title="Parcel carrier contracts", body="Carrier contract terms for parcels."),
        "billing": publish(world, billing, title="Parcel invoice disputes", body="When a parcel invoice is wrong."),
    }
    team = tenants.team_create(provider=world.helios, name="Acme parcels desk")
    team.members.add(world.agent_both)
    grant_give(target=parcels, level="read", team=team, acting_user=world.acme_admin)
    connection.set_schema_to_public()
    world.content = content
    world.collections = {"parcels": parcels, "vault": vault, "billing": billing}
    return world


def new_token(user, name="CTI") -> str:
    return tokens.token_create(user=user, name=name)[1]


def hit_ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {hit["id"] for hit in response.json()["results"]}


# --- tokens -------------------------------------------------------------------------------

def test_a_token_is_returned_once_and_only_its_hash_is_stored(world):
    token, raw = tokens.token_create(user=world.acme_viewer, name="  CRM   sidebar ")
    assert raw.startswith(f"kbp_{token.prefix}_") and len(token.prefix) == 8
    assert len(raw.split("_", 2)[2]) >= 43  # 256 random bits
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert stored.name == "CRM sidebar"
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(raw.split("_", 2)[2] in str(value) for value in row.values())
    assert tokens.token_create(user=world.acme_viewer, name="CRM sidebar")[1] != raw


def test_a_token_needs_a_name(world):
    with pytest.raises(ValidationError):
        tokens.token_create(user=world.acme_viewer, name="   ")


def test_token_authenticate_refuses_garbage_revoked_and_inactive(world, settings):
    token, raw = tokens.token_create(user=world.agent_acme, name="CTI")
    assert tokens.token_authenticate(raw) == world.agent_acme
    assert tokens.token_authenticate("") is None
    assert tokens.token_authenticate("garbage") is None
    assert tokens.token_authenticate(raw[:-1] + ("A" if raw[-1] != "A" else "B")) is None  # same prefix, wrong secret
    assert tokens.token_authenticate(raw + " ") is None

    User.objects.filter(pk=world.agent_acme.pk).update(is_active=False)
    assert tokens.token_authenticate(raw) is None
    User.objects.filter(pk=world.agent_acme.pk).update(is_active=True, is_demo=True)
    settings.KB_DEMO_ACCOUNTS = False
    assert tokens.token_authenticate(raw) is None  # demo accounts work only with KB_DEMO_ACCOUNTS, as at sign-in
    settings.KB_DEMO_ACCOUNTS = True
    assert tokens.token_authenticate(raw) == world.agent_acme
    settings.KB_DEMO_ACCOUNTS = False
    User.objects.filter(pk=world.agent_acme.pk).update(is_demo=False)
    assert tokens.token_authenticate(raw) == world.agent_acme

    tokens.token_revoke(token=token, acting_user=world.agent_acme)
    assert tokens.token_authenticate(raw) is None


def test_revoking_keeps_the_row_and_only_the_owner_may_revoke(world):
    token, _raw = tokens.token_create(user=world.acme_viewer, name="CTI")
    with pytest.raises(PermissionDenied):
        tokens.token_revoke(token=token, acting_user=world.acme_admin)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    tokens.token_revoke(token=token, acting_user=world.acme_viewer)
    revoked_at = ApiToken.objects.get(pk=token.pk).revoked_at
    assert revoked_at is not None
    tokens.token_revoke(token=token, acting_user=world.acme_viewer)  # again: nothing changes
    assert ApiToken.objects.get(pk=token.pk).revoked_at == revoked_at


def test_a_person_has_at_most_twenty_active_tokens(world):
    created = [tokens.token_create(user=world.acme_viewer, name=f"tool {n}")[0] for n in range(tokens.MAX_ACTIVE_TOKENS)]
    with pytest.raises(ValidationError) as refused:
        tokens.token_create(user=world.acme_viewer, name="one too many")
    assert "Revoke one" in refused.value.messages[0]
    tokens.token_create(user=world.acme_editor, name="someone else's")  # the cap is per person
    tokens.token_revoke(token=created[0], acting_user=world.acme_viewer)
    tokens.token_create(user=world.acme_viewer, name="replacement")


def test_last_use_is_written_at_most_once_a_minute(world):
    token, raw = tokens.token_create(user=world.acme_viewer, name="CTI")
    assert token.last_used_at is None
    tokens.token_authenticate(raw)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    tokens.token_authenticate(raw)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    tokens.token_authenticate(raw)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first - timedelta(seconds=1)


# --- authentication on the API ------------------------------------------------------------

def test_a_token_opens_search_and_articles_without_cookie_or_session(acme):
    raw = new_token(acme.acme_viewer)
    sessions = Session.objects.count()
    response = call(acme.acme, SEARCH, token=raw, q="parcel")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response.cookies == {} and not response.has_header("Set-Cookie")
    body = response.json()
    assert body["query"] == "parcel"
    assert {acme.content["guide"].pk, acme.content["secret"].pk, acme.content["billing"].pk} <= hit_ids(response)

    guide = acme.content["guide"]
    response = call(acme.acme, article_path(guide.pk), token=raw)
    assert response.status_code == 200
    assert response.cookies == {}
    assert response["Cache-Control"] == "private, no-store"
    assert Session.objects.count() == sessions


def test_an_article_comes_with_its_published_content(acme):
    raw = new_token(acme.acme_viewer)
    guide = acme.content["guide"]
    body = call(acme.acme, article_path(guide.pk), token=raw).json()
    assert body["id"] == guide.pk and body["kind"] == "guide" and body["title"] == "Lost parcel investigation"
    assert body["collection"] == {"id": acme.collections["parcels"].pk, "slug": acme.collections["parcels"].slug,
                                  "name": "Parcels"}
    assert body["url"] == f"http://{host(acme.acme)}{guide.get_absolute_url()}"
    assert body["revision"] == 1 and body["published_at"] and body["language"] == "en"
    assert body["tags"] == ["parcels", "carriers"]
    assert body["review"]["stale"] is False and body["review"]["review_by"]
    assert body["confidential"] is False and body["archived"] is False
    assert [step["anchor"] for step in body["steps"]] == ["step-1", "step-2"]
    assert body["steps"][0]["title"] == "Check the tracking"
    assert "<strong>scan</strong>" in body["steps"][0]["html"]
    assert body["steps"][1]["url"] == body["url"] + "#step-2"

    faq = call(acme.acme, article_path(acme.content["faq"].pk), token=raw).json()
    assert faq["faqs"][0]["question"] == "Where is my parcel?"
    assert faq["faqs"][0]["alternatives"] == ["Parcel not arrived"]
    assert faq["faqs"][0]["anchor"] == "faq-1" and "tracking link" in faq["faqs"][0]["html"]


def test_search_hits_carry_links_highlights_and_the_matching_step(acme):
    raw = new_token(acme.acme_viewer)
    body = call(acme.acme, SEARCH, token=raw, q="claim carrier", kind="guide").json()
    hit = body["results"][0]
    assert hit["id"] == acme.content["guide"].pk
    assert hit["match"]["anchor"] == "step-2"
    assert hit["url"] == f"http://{host(acme.acme)}{acme.content['guide'].get_absolute_url()}#step-2"
    assert hit["api_url"] == f"http://{host(acme.acme)}/api/v1/articles/{hit['id']}"
    assert "<mark>" in hit["snippet_html"] and "<mark>" not in hit["snippet"]
    assert hit["collection"]["slug"] == acme.collections["parcels"].slug
    assert body["total"] == len(body["results"]) and body["total_is_capped"] is False


def test_search_filters_narrow_the_hits(acme):
    raw = new_token(acme.acme_viewer)
    assert hit_ids(call(acme.acme, SEARCH, token=raw, q="parcel", kind="faq")) == {acme.content["faq"].pk}
    assert hit_ids(call(acme.acme, SEARCH, token=raw, q="parcel", collection=acme.collections["billing"].slug)) == {
        acme.content["billing"].pk}
    assert len(call(acme.acme, SEARCH, token=raw, q="parcel", limit=1).json()["results"]) == 1
    assert hit_ids(call(acme.acme, SEARCH, token=raw, q="parcel", language="fr")) == set()


@pytest.mark.parametrize("header", ["Bearer kbp_00000000_" + "x" * 43, "Bearer garbage", "Bearer ", "Basic dXNlcjpwdw=="])
def test_a_garbage_token_is_401_json_with_a_bearer_challenge(acme, header):
    http = HttpClient()
    response = http.get(SEARCH, {"q": "parcel"}, HTTP_HOST=host(acme.acme), HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert error_of(response)["code"] in ("invalid_token", "not_authenticated")
    assert response.cookies == {}


def test_a_revoked_token_is_401_on_the_next_request(acme):
    token, raw = tokens.token_create(user=acme.acme_viewer, name="CTI")
    assert call(acme.acme, SEARCH, token=raw, q="parcel").status_code == 200
    tokens.token_revoke(token=token, acting_user=acme.acme_viewer)
    for path in (SEARCH, article_path(acme.content["guide"].pk)):
        response = call(acme.acme, path, token=raw, q="parcel")
        assert response.status_code == 401
        assert error_of(response)["code"] == "invalid_token"
        assert 'error="invalid_token"' in response["WWW-Authenticate"]


@pytest.mark.parametrize("path", [SEARCH, "/api/v1/articles/1", "/api/v1/schema", "/api/v1/nothing-here"])
def test_anonymous_api_requests_get_401_json_not_a_redirect(acme, path):
    response = call(acme.acme, path, q="parcel")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert error_of(response)["code"] == "not_authenticated"
    assert response["Cache-Control"] == "private, no-store"


def test_a_token_in_the_query_string_is_refused(acme):
    raw = new_token(acme.acme_viewer)
    for name in ("access_token", "token"):
        response = HttpClient().get(SEARCH, {"q": "parcel", name: raw}, HTTP_HOST=host(acme.acme))
        assert response.status_code == 400
        assert error_of(response)["code"] == "token_in_query"
        assert "results" not in response.json()


def test_a_token_request_ignores_the_session_and_leaves_it_alone(acme):
    """A tool that sends both acts as the token's person; the browser session is not touched."""
    http = HttpClient()
    http.force_login(acme.acme_viewer)
    session_key = http.session.session_key
    raw = new_token(acme.agent_both)
    response = call(acme.acme, SEARCH, token=raw, http=http, q="parcel")
    assert acme.content["billing"].pk not in hit_ids(response)  # the agent's view, not the viewer's
    assert response.cookies == {}
    assert Session.objects.get(session_key=session_key).get_decoded().get("_auth_user_id") == str(acme.acme_viewer.pk)
    assert "kb_sign_in_audited:acme" not in Session.objects.get(session_key=session_key).get_decoded()


def test_a_person_without_access_to_the_tenant_gets_404_json(acme):
    for user in (acme.outsider, acme.lumiere_admin, acme.agent_acme):
        raw = new_token(user)
        target = acme.lumiere if user == acme.agent_acme else acme.acme
        response = call(target, SEARCH, token=raw, q="parcel")
        assert response.status_code == 404, user
        assert error_of(response)["code"] == "not_found"
        assert response.cookies == {}


def test_an_ended_engagement_stops_a_providers_token_on_the_next_request(acme):
    raw = new_token(acme.agent_both)
    assert call(acme.lumiere, SEARCH, token=raw, q="parcel").status_code == 200
    tenants.engagement_end(engagement=Engagement.objects.get(pk=acme.engagement_lumiere_id))
    assert call(acme.lumiere, SEARCH, token=raw, q="parcel").status_code == 404


def test_session_authentication_works_on_the_api(acme):
    http = HttpClient()
    http.force_login(acme.acme_viewer)
    response = call(acme.acme, SEARCH, http=http, q="parcel")
    assert acme.content["guide"].pk in hit_ids(response)
    assert call(acme.acme, article_path(acme.content["guide"].pk), http=http).status_code == 200


def test_an_expired_session_on_the_api_is_401_json(acme, settings):
    http = HttpClient()
    http.force_login(acme.acme_viewer)
    session = http.session
    session["kb_seen_at"] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 5
    session.save()
    response = call(acme.acme, SEARCH, http=http, q="parcel")
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


# --- the permission layer -----------------------------------------------------------------

def test_a_provider_agents_token_sees_only_what_grants_open(acme, in_tenant):
    raw = new_token(acme.agent_both)
    content = acme.content
    found = hit_ids(call(acme.acme, SEARCH, token=raw, q="parcel"))
    assert found == {content["guide"].pk, content["faq"].pk}
    # Not the confidential article, not the confidential collection, not the ungranted one,
    # whatever the words.
    # (A query some of whose words only hidden documents hold may still find the readable
    # documents holding the others, as partial matches: never a hidden one.)
    readable = {content["guide"].pk, content["faq"].pk}
    for words in ("margin", "carrier contract", "invoice dispute"):
        assert hit_ids(call(acme.acme, SEARCH, token=raw, q=words)) <= readable
    for name in ("secret", "vaulted", "billing"):
        response = call(acme.acme, article_path(content[name].pk), token=raw)
        assert response.status_code == 404, name
        assert error_of(response)["code"] == "not_found"
        assert content[name].title not in response.content.decode()
    assert call(acme.acme, article_path(content["guide"].pk), token=raw).status_code == 200
    # A collection filter on a collection the agent cannot see is refused like a missing one.
    refused = call(acme.acme, SEARCH, token=raw, q="parcel", collection=acme.collections["billing"].slug)
    missing = call(acme.acme, SEARCH, token=raw, q="parcel", collection="no-such-collection")
    assert refused.status_code == missing.status_code == 400
    assert error_of(refused)["code"] == error_of(missing)["code"] == "unknown_collection"
    # The agent who serves acme only, outside the team, sees nothing at all.
    assert hit_ids(call(acme.acme, SEARCH, token=new_token(acme.agent_acme), q="parcel")) == set()


def test_an_article_of_another_tenant_is_never_served(acme, in_tenant):
    in_tenant(acme.lumiere)
    team = tenants.team_create(provider=acme.helios, name="Lumière desk")
    team.members.add(acme.agent_both)
    collection = articles.collection_create(name="Colis", acting_user=acme.lumiere_editor)
    theirs = publish(acme, collection, title="Colis perdu chez Lumière", body="Ouvrir une enquête.",
                     editor=acme.lumiere_editor, language="fr")
    grant_give(target=collection, level="read", team=team, acting_user=acme.lumiere_admin)
    in_tenant(acme.acme)
    same_id_in_acme = Article.objects.filter(pk=theirs.pk).first()
    connection.set_schema_to_public()

    raw = new_token(acme.agent_both)
    assert call(acme.lumiere, article_path(theirs.pk), token=raw).json()["title"] == "Colis perdu chez Lumière"
    response = call(acme.acme, article_path(theirs.pk), token=raw)
    assert "Lumière" not in response.content.decode()
    if same_id_in_acme is None or same_id_in_acme.pk not in {acme.content["guide"].pk, acme.content["faq"].pk}:
        assert response.status_code == 404
    else:  # ids are per tenant: the acme article that has this id, which the agent may read
        assert response.json()["title"] == same_id_in_acme.title
    assert theirs.pk not in hit_ids(call(acme.acme, SEARCH, token=raw, q="colis perdu"))


def test_a_confidential_read_through_the_api_is_audited(acme, in_tenant):
    raw = new_token(acme.acme_viewer)
    secret, vaulted, guide = acme.content["secret"], acme.content["vaulted"], acme.content["guide"]
    for article in (secret, vaulted, guide):
        assert call(acme.acme, article_path(article.pk), token=raw).status_code == 200
    in_tenant(acme.acme)
    reads = AuditEvent.objects.filter(action=Action.CONFIDENTIAL_READ)
    assert sorted(reads.values_list("object_id", flat=True)) == sorted([str(secret.pk), str(vaulted.pk)])
    event = reads.get(object_id=str(secret.pk))
    assert event.actor_id == acme.acme_viewer.pk
    assert event.detail == {"revision": 1, "via": "api"}


def test_token_use_is_audited_once_per_token_tenant_and_day(acme, in_tenant):
    token, raw = tokens.token_create(user=acme.agent_both, name="CTI")
    for _ in range(2):
        assert call(acme.acme, SEARCH, token=raw, q="parcel").status_code == 200
    # The cache forgets (a restart, a flush): the audit log itself still says it was done today.
    in_tenant(acme.acme)
    cache.delete(f"api-token-sign-in:{token.token_hash[:40]}:{timezone.now().date().isoformat()}")
    connection.set_schema_to_public()
    assert call(acme.acme, SEARCH, token=raw, q="parcel").status_code == 200
    assert call(acme.lumiere, SEARCH, token=raw, q="colis").status_code == 200
    expected = [{"role": "agent", "via": "api-token", "token": f"kbp_{token.prefix}"}]
    for client in (acme.acme, acme.lumiere):
        in_tenant(client)
        events = AuditEvent.objects.filter(action=Action.SIGN_IN, actor_id=acme.agent_both.pk)
        assert [e.detail for e in events] == expected, client


def test_api_searches_are_logged_for_the_content_gap_report(acme, in_tenant):
    raw = new_token(acme.agent_both)
    call(acme.acme, SEARCH, token=raw, q="parcel")
    call(acme.acme, SEARCH, token=raw, q="unicorn insurance")
    in_tenant(acme.acme)
    logged = QueryLog.objects.filter(user_id=acme.agent_both.pk).order_by("id")
    assert [(row.query, row.results > 0) for row in logged] == [("parcel", True), ("unicorn insurance", False)]


# --- bad requests -------------------------------------------------------------------------

@pytest.mark.parametrize(("params", "code"), [
    ({}, "missing_query"),
    ({"q": "   "}, "missing_query"),
    ({"q": "x" * (MAX_QUERY + 1)}, "query_too_long"),
    ({"q": "parcel", "limit": "0"}, "invalid_limit"),
    ({"q": "parcel", "limit": str(MAX_LIMIT + 1)}, "invalid_limit"),
    ({"q": "parcel", "limit": "ten"}, "invalid_limit"),
    ({"q": "parcel", "limit": "-3"}, "invalid_limit"),
    ({"q": "parcel", "limit": "²"}, "invalid_limit"),  # str.isdigit() says yes, int() says no
    ({"q": "parcel", "kind": "video"}, "invalid_kind"),
    ({"q": "parcel", "language": "de"}, "invalid_language"),
    ({"q": "parcel", "tag": "t" * 61}, "invalid_tag"),
    ({"q": "parcel", "collection": "nope"}, "unknown_collection"),
])
def test_bad_parameters_are_400_with_a_clear_message(acme, params, code):
    raw = new_token(acme.acme_viewer)
    response = call(acme.acme, SEARCH, token=raw, **params)
    assert response.status_code == 400
    assert error_of(response)["code"] == code
    assert response.cookies == {}


def test_a_nul_byte_in_the_query_is_ignored_not_an_error(acme):
    response = call(acme.acme, SEARCH, token=new_token(acme.acme_viewer), q="par\x00cel")
    assert response.status_code == 200


def test_error_messages_follow_the_token_persons_language(acme):
    User.objects.filter(pk=acme.outsider.pk).update(language="fr")
    response = HttpClient().get(SEARCH, {"q": "parcel"}, HTTP_HOST=host(acme.acme), HTTP_ACCEPT_LANGUAGE="en",
                                HTTP_AUTHORIZATION=f"Bearer {new_token(acme.outsider)}")
    assert error_of(response)["message"] == "Cet espace de travail n'existe pas."
    assert response["Content-Language"] == "fr"  # what the body speaks, not what was asked


def test_only_get_is_allowed(acme):
    raw = new_token(acme.acme_viewer)
    for path in (SEARCH, article_path(acme.content["guide"].pk), "/api/v1/schema"):
        response = call(acme.acme, path, token=raw, method="post")
        assert response.status_code == 405, path
        assert response["Allow"] == "GET"
        assert error_of(response)["code"] == "method_not_allowed"


def test_an_unknown_api_path_is_json_404_without_a_cookie(acme):
    raw = new_token(acme.acme_viewer)
    response = call(acme.acme, "/api/v1/nothing-here", token=raw)
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    assert response.cookies == {}


def test_a_missing_article_is_the_same_404_as_a_forbidden_one(acme):
    raw = new_token(acme.agent_both)
    missing = call(acme.acme, article_path(10**9), token=raw)
    forbidden = call(acme.acme, article_path(acme.content["billing"].pk), token=raw)
    assert missing.status_code == forbidden.status_code == 404
    assert missing.json() == forbidden.json()


def test_an_unpublished_draft_is_404_even_for_its_editor(acme, in_tenant):
    in_tenant(acme.acme)
    draft = articles.article_create(
        kind=Kind.ARTICLE, collection=acme.collections["parcels"], acting_user=acme.acme_editor, publish=False,
        content=articles.Content(title="Parcel draft", language="en", tags="", body="Not yet."),
    )
    connection.set_schema_to_public()
    assert call(acme.acme, article_path(draft.pk), token=new_token(acme.acme_editor)).status_code == 404


# --- the description ----------------------------------------------------------------------

def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_the_schema_describes_both_endpoints_and_both_ways_in(acme):
    raw = new_token(acme.acme_viewer)
    response = call(acme.acme, "/api/v1/schema", token=raw)
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.1")
    assert schema["servers"] == [{"url": f"http://{host(acme.acme)}/api/v1"}]
    assert {"/search", "/articles/{id}"} <= set(schema["paths"])
    search_params = {p["name"] for p in schema["paths"]["/search"]["get"]["parameters"]}
    assert search_params == {"q", "kind", "collection", "tag", "language", "limit"}
    for path in ("/search", "/articles/{id}"):
        assert {"200", "401", "404"} <= set(schema["paths"][path]["get"]["responses"])
    schemes = schema["components"]["securitySchemes"]
    assert schemes["bearerToken"]["scheme"] == "bearer"
    assert schemes["sessionCookie"] == {**schemes["sessionCookie"], "in": "cookie", "name": "kb_session"}
    for ref in set(_refs(schema)):
        assert ref.removeprefix("#/components/schemas/") in schema["components"]["schemas"], ref
    # The article schema names every key the endpoint returns, and the other way round.
    article = call(acme.acme, article_path(acme.content["guide"].pk), token=raw).json()
    assert set(schema["components"]["schemas"]["Article"]["required"]) == set(article)
    hit = call(acme.acme, SEARCH, token=raw, q="parcel").json()
    assert set(schema["components"]["schemas"]["SearchResults"]["required"]) == set(hit)
    assert set(schema["components"]["schemas"]["SearchHit"]["required"]) == set(hit["results"][0])


# --- the profile page ---------------------------------------------------------------------

PUBLIC = "kb.localhost"


def profile(http, method="get", **data):
    return getattr(http, method)("/profile/", data, HTTP_HOST=PUBLIC)


def test_the_profile_page_needs_a_sign_in(world):
    response = profile(HttpClient())
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_a_person_creates_a_token_sees_it_once_and_revokes_it(world):
    http = HttpClient()
    http.force_login(world.acme_viewer)
    page = profile(http)
    assert page.status_code == 200
    assert world.acme_viewer.email in page.content.decode()
    assert "You have no API token." in page.content.decode()

    created = profile(http, "post", action="create", name="Softphone")
    assert created.status_code == 200
    assert "no-store" in created["Cache-Control"]
    token = ApiToken.objects.get(user=world.acme_viewer)
    text = created.content.decode()
    plaintext = text.split('id="new-token" class="token-secret">')[1].split("<")[0]
    assert tokens.token_authenticate(plaintext) == world.acme_viewer
    assert "will not be shown again" in text

    again = profile(http).content.decode()
    assert plaintext not in again and f"kbp_{token.prefix}_" in again and "Softphone" in again

    revoked = profile(http, "post", action="revoke", token=str(token.pk))
    assert revoked.status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert tokens.token_authenticate(plaintext) is None
    assert "revoked" in profile(http).content.decode()


def test_a_token_without_a_name_is_a_clear_error(world):
    http = HttpClient()
    http.force_login(world.acme_viewer)
    response = profile(http, "post", action="create", name="  ")
    assert response.status_code == 400
    assert "Give the token a name" in response.content.decode()
    assert not ApiToken.objects.filter(user=world.acme_viewer).exists()


def test_the_cap_on_tokens_is_a_clear_error_on_the_page(world):
    for n in range(tokens.MAX_ACTIVE_TOKENS):
        tokens.token_create(user=world.acme_viewer, name=f"tool {n}")
    http = HttpClient()
    http.force_login(world.acme_viewer)
    response = profile(http, "post", action="create", name="one more")
    assert response.status_code == 400
    assert "You already have 20 active tokens" in response.content.decode()


def test_nobody_revokes_someone_elses_token(world):
    token, raw = tokens.token_create(user=world.acme_editor, name="CTI")
    http = HttpClient()
    http.force_login(world.acme_viewer)
    assert profile(http, "post", action="revoke", token=str(token.pk)).status_code == 404
    assert profile(http, "post", action="revoke", token="abc").status_code == 404
    assert profile(http, "post", action="revoke", token="²").status_code == 404
    assert profile(http, "post", action="revoke", token="9" * 30).status_code == 404
    assert tokens.token_authenticate(raw) == world.acme_editor
    assert f"kbp_{token.prefix}" not in profile(http).content.decode()


def test_the_profile_forms_require_csrf(world):
    http = HttpClient(enforce_csrf_checks=True)
    http.force_login(world.acme_viewer)
    assert profile(http, "post", action="create", name="CTI").status_code == 403
    assert not ApiToken.objects.filter(user=world.acme_viewer).exists()


def test_the_token_list_shows_last_use(world):
    token, raw = tokens.token_create(user=world.acme_viewer, name="CTI")
    http = HttpClient()
    http.force_login(world.acme_viewer)
    assert "never" in profile(http).content.decode()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(hours=1))
    assert "never" not in profile(http).content.decode()
