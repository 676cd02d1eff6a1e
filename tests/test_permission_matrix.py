"""The permission matrix: every URL name of the tenant site, for every role, against every kind
of object, answers what the product rules say (tests/permission_matrix.py holds the rules,
written by hand; nothing here asks the access layer what the answer should be).

The URLs are walked from the tenant URLconf, so a new URL is in the matrix as soon as it
exists: a view without `@requires(...)`, or with a parameter the matrix cannot fill, fails.

People and content are built once for the module inside a transaction that is rolled back at
the end; every test runs in a savepoint rolled back after it, and so does every POST, so that
the POSTs of the matrix (archive, publish, revoke, sign out...) change nothing for the next
request. The bounded query count of a provider's collection page is in tests/test_grants.py.

Each answer to a signed-in person must carry `Cache-Control: private, no-store`, and around
each URL name a fingerprint of permissions, memberships, content and settings
(tests/db_state.py) must not move: the POSTs are rolled back, so nothing a GET does may change it.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import time
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.test import Client as HttpClient
from django.urls import URLResolver, get_resolver, include, path, reverse
from django.urls.resolvers import RegexPattern
from PIL import Image

from articles import services as articles
from articles.attachments import services as attachments
from articles.models import Article, Collection, Kind, Suggestion
from articles.services import suggestion_create
from checks.models import Question
from permissions import services as grants
from permissions.models import (
    ArticlePersonGrant,
    ArticleTeamGrant,
    CollectionPersonGrant,
    CollectionTeamGrant,
)
from permissions.policy import CAPABILITIES, requires
from readiness import services as readiness
from readiness.models import MustRead
from search import engine, indexing
from search import services as search
from search.models import BestBet, Synonym
from tenants import services as tenants
from tenants.models import Client, Invitation, Membership, ProviderOrganisation, ProviderRole, User
from tenants.selectors import workspace_access

from . import db_state
from . import permission_matrix as pm
from .conftest import PASSWORD, host

ROUTES = pm.walk(get_resolver(pm.TENANT_URLCONF))

# Each title starts with a word that appears nowhere else, so that a page can be searched for
# it; every article title and body has "refunds", which every GET of the matrix searches for.
SEARCHED = "refunds"
ARTICLE_TITLES = {
    "granted": "Alphaprocedure refunds", "draft": "Bravodraft refunds", "not_granted": "Charlieinternal refunds",
    "confidential": "Deltamargin refunds", "in_confidential": "Echocost refunds",
    "confidential_granted": "Foxtrotescalation refunds", "in_confidential_granted": "Golfpayroll refunds",
    "archived": "Hotellegacy refunds", "other_tenant": "Indialumiere refunds",
}
COLLECTION_NAMES = {
    "granted": "Julietspace", "not_granted": "Kilospace", "confidential": "Limaspace", "in_confidential": "Mikespace",
    "confidential_granted": "Novemberspace", "archived": "Oscarspace", "other_tenant": "Papaspace",
}
QUERY = f"?q={SEARCHED}"  # pages about no one object are also asked with it: search pages search
SUGGESTION_TITLES = {"own": "Sierrasuggestion refunds", "someone_else": "Quebecproposal refunds",
                     "other_tenant": "Romeolumiere refunds"}
# The granted article has a newer, unpublished draft that changes its title, tags and text
# (issue #9): only those who may see drafts (client editors and admins) may find these words.
PENDING_DRAFT = {"title": "Tangopending refunds", "tag": "uniformtag", "body": "Whiskeydraftbody refunds."}
PENDING_DRAFT_SECRETS = ("Tangopending", PENDING_DRAFT["tag"], "Whiskeydraftbody")


# --- The world of the matrix ----------------------------------------------------------------


def _agent(email: str, provider, client, *teams) -> User:
    user = User.objects.create_user(email, PASSWORD, full_name=email.split("@")[0].title())
    tenants.provider_member_add(user=user, provider=provider, role=ProviderRole.AGENT).clients.add(client)
    for team in teams:
        team.members.add(user)
    return user


def _content(title: str, body: str = f"How to handle {SEARCHED}.") -> articles.Content:
    return articles.Content(title=title, language="en", tags=[], body=body)


def _image(person):
    """An image uploaded in the current tenant (a different one each time)."""
    out = io.BytesIO()
    Image.new("RGB", (8, 8), tuple(secrets.token_bytes(3))).save(out, "PNG")
    return attachments.attachment_upload(data=out.getvalue(), name="screen.png", acting_user=person)


def _foreign(model, make, home: Client, other: Client):
    """An object made in `other` whose pk does not exist in `home` (pk sequences are per schema,
    so the next pk of `other` is first moved past every pk of both)."""
    connection.set_tenant(home)
    top = model.objects.aggregate(top=Max("pk"))["top"] or 0
    connection.set_tenant(other)
    top = max(top, model.objects.aggregate(top=Max("pk"))["top"] or 0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)", [model._meta.db_table, top + 1])
    obj = make()
    connection.set_tenant(home)
    assert not model.objects.filter(pk=obj.pk).exists()
    return obj


def _people(users: dict, acme: Client, helios: ProviderOrganisation) -> tuple[dict, SimpleNamespace]:
    """The person of each role, and the teams the grants go to."""
    readers = tenants.team_create(provider=helios, name="Matrix readers")
    contributors = tenants.team_create(provider=helios, name="Matrix contributors")
    people = {
        "admin": users["acme_admin"], "editor": users["acme_editor"], "viewer": users["acme_viewer"],
        "agent_read": _agent("matrix.read@helios.test", helios, acme, readers),
        "agent_contrib": _agent("matrix.contrib@helios.test", helios, acme, contributors),
        "agent_nogrant": _agent("matrix.nogrant@helios.test", helios, acme),
        "lead": users["lead"],
        "other_tenant": users["lumiere_admin"],
    }
    someone_else = _agent("matrix.other@helios.test", helios, acme, contributors)
    ended = ProviderOrganisation.objects.create(name="Matrix Ended Ltd", country="France")
    engagement = tenants.engagement_start(provider=ended, client=acme)
    ended_team = tenants.team_create(provider=ended, name="Matrix former team")
    people["agent_ended"] = _agent("matrix.ended@ended.test", ended, acme, ended_team)
    teams = SimpleNamespace(readers=readers, contributors=contributors, ended=ended_team, engagement=engagement,
                            someone_else=someone_else)
    return people, teams


def _acme_content(people: dict, teams: SimpleNamespace) -> tuple[dict, dict, dict, dict]:
    """acme's collections, articles, grants and suggestions, one of each kind (ends the
    engagement of the former provider, whose grant stays behind)."""
    admin, editor = people["admin"], people["editor"]
    c = {}
    c["granted"] = articles.collection_create(name=COLLECTION_NAMES["granted"], acting_user=editor)
    c["not_granted"] = articles.collection_create(name=COLLECTION_NAMES["not_granted"], acting_user=editor)
    for kind in ("confidential", "confidential_granted"):
        c[kind] = articles.collection_create(name=COLLECTION_NAMES[kind], parent=c["granted"], confidential=True,
                                             acting_user=editor)
    c["in_confidential"] = articles.collection_create(name=COLLECTION_NAMES["in_confidential"],
                                                      parent=c["confidential"], acting_user=editor)
    c["archived"] = articles.collection_create(name=COLLECTION_NAMES["archived"], parent=c["granted"],
                                               acting_user=editor)
    articles.collection_archive(collection=c["archived"])

    files = {kind: _image(editor) for kind in (*ARTICLE_TITLES, "unreferenced") if kind != "other_tenant"}

    def article(kind, collection, **extra):
        body = f"How to handle {SEARCHED}.\n\n![Screen](attachment:{files[kind].pk})"
        return articles.article_create(kind=Kind.ARTICLE, collection=c[collection], acting_user=editor,
                                       content=_content(ARTICLE_TITLES[kind], body), **{"publish": True, **extra})

    a = {
        "granted": article("granted", "granted"),
        "draft": article("draft", "granted", publish=False),
        "not_granted": article("not_granted", "not_granted"),
        "confidential": article("confidential", "granted", confidential=True),
        "in_confidential": article("in_confidential", "confidential"),
        "confidential_granted": article("confidential_granted", "granted", confidential=True),
        "in_confidential_granted": article("in_confidential_granted", "confidential_granted"),
        "archived": article("archived", "granted"),
    }
    articles.article_archive(article=a["archived"])
    articles.revision_create(
        article=a["granted"], expected_revision_id=a["granted"].latest_revision_id, acting_user=editor,
        summary="Not for readers yet", content=articles.Content(
            title=PENDING_DRAFT["title"], language="fr", tags=[PENDING_DRAFT["tag"]], body=PENDING_DRAFT["body"]),
    )

    def give(target, level, **who):
        return grants.grant_give(target=target, level=level, acting_user=admin, **who)

    g = {
        "collection_team": give(c["granted"], "read", team=teams.readers),
        "collection_person": give(c["confidential_granted"], "read", person=people["agent_read"]),
        "article_team": give(a["confidential_granted"], "contribute", team=teams.contributors),
        "article_person": give(a["confidential_granted"], "read", person=people["agent_read"]),
    }
    give(c["granted"], "contribute", team=teams.contributors)
    give(c["confidential_granted"], "contribute", team=teams.contributors)
    give(c["granted"], "read", team=teams.ended)  # left behind when the engagement ends
    tenants.engagement_end(engagement=teams.engagement)

    acme = connection.tenant
    s = {
        kind: suggestion_create(access=workspace_access(person, acme), acting_user=person, article=a["granted"],
                                content=_content(SUGGESTION_TITLES[kind], "Better body."), reason="Clearer.")
        for kind, person in (("own", people["agent_contrib"]), ("someone_else", teams.someone_else))
    }
    indexing.index_articles([article.pk for article in a.values()])
    a["files"] = files
    return c, a, g, s


def _notifications(people: dict, a: dict, users: dict, acme: Client, lumiere: Client) -> dict:
    """Notifications of the viewer and of the reading agent about the granted article, one of
    the agent's about an article they cannot read, and one in the other tenant."""
    from notifications.models import ChangeEvent, Notification

    def told(article, person):
        event = ChangeEvent.objects.create(article=article, revision=article.live_revision, change="published",
                                           materiality="update")
        return Notification.objects.create(recipient_id=person.pk, event=event)

    n = {
        "viewer_granted": told(a["granted"], people["viewer"]),
        "agent_read_granted": told(a["granted"], people["agent_read"]),
        "agent_read_not_granted": told(a["not_granted"], people["agent_read"]),
    }
    n["other_tenant"] = _foreign(Notification, lambda: told(a["other_tenant"], users["lumiere_viewer"]), acme, lumiere)
    return n


def build(ids: dict) -> SimpleNamespace:
    engine.clear_caches()
    users = {name: User.objects.get(pk=pk) for name, pk in ids["users"].items()}
    acme, lumiere = Client.objects.get(pk=ids["acme"]), Client.objects.get(pk=ids["lumiere"])
    people, teams = _people(users, acme, ProviderOrganisation.objects.get(pk=ids["helios"]))
    connection.set_tenant(acme)
    c, a, g, s = _acme_content(people, teams)
    files = a.pop("files")
    synonym = search.synonym_create(term="matrixterm", synonyms=["matrixalias"])
    # Pinned for the word every GET searches: the engine must still leave it out for providers.
    best_bet = search.best_bet_add(query=SEARCHED, article=a["not_granted"], acting_user=people["editor"])

    # The other tenant: objects whose slug or id exists in lumiere only.
    lumiere_admin, readers = users["lumiere_admin"], teams.readers
    c["other_tenant"] = _foreign(Collection, lambda: articles.collection_create(
        name=COLLECTION_NAMES["other_tenant"], acting_user=lumiere_admin), acme, lumiere)
    connection.set_tenant(lumiere)
    files["other_tenant"] = _image(lumiere_admin)
    a["other_tenant"] = _foreign(Article, lambda: articles.article_create(
        kind=Kind.ARTICLE, collection=c["other_tenant"], publish=True, acting_user=lumiere_admin,
        content=_content(ARTICLE_TITLES["other_tenant"],
                         f"How to handle {SEARCHED}.\n\n![Screen](attachment:{files['other_tenant'].pk})")),
        acme, lumiere)
    foreign_synonym = _foreign(Synonym, lambda: search.synonym_create(term="matrixlumiere", synonyms=["matrixautre"]),
                               acme, lumiere)
    foreign_bet = _foreign(BestBet, lambda: search.best_bet_add(query=SEARCHED, article=a["other_tenant"]),
                           acme, lumiere)
    connection.set_tenant(lumiere)
    indexing.index_articles([a["other_tenant"].pk])
    connection.set_tenant(acme)
    assert not Article.objects.filter(slug=a["other_tenant"].slug).exists()
    assert not Collection.objects.filter(slug=c["other_tenant"].slug).exists()
    s["other_tenant"] = _foreign(Suggestion, lambda: Suggestion.objects.create(
        article=a["other_tenant"], kind=Kind.ARTICLE, title=SUGGESTION_TITLES["other_tenant"], language="en",
        reason="Elsewhere.", contributor=users["agent_both"]), acme, lumiere)
    g["other_tenant"] = _foreign(CollectionTeamGrant, lambda: grants.grant_give(
        target=c["other_tenant"], level="read", team=readers, acting_user=lumiere_admin), acme, lumiere)
    connection.set_tenant(acme)
    n = _notifications(people, a, users, acme, lumiere)
    connection.set_tenant(acme)
    must_read = {
        "granted": readiness.publication_record(
            article_id=a["granted"].pk, revision_id=a["granted"].live_revision_id, materiality="must_read",
            actor_id=people["editor"].pk, must_read={"teams": [teams.readers.pk]}, client=acme),
        "not_granted": readiness.publication_record(
            article_id=a["not_granted"].pk, revision_id=a["not_granted"].live_revision_id, materiality="must_read",
            actor_id=people["editor"].pk, must_read={"everyone": True}, client=acme),
    }
    connection.set_tenant(lumiere)
    foreign_live = Article.objects.get(pk=a["other_tenant"].pk).live_revision_id
    must_read["other_tenant"] = _foreign(MustRead, lambda: readiness.publication_record(
        article_id=a["other_tenant"].pk, revision_id=foreign_live, materiality="must_read", actor_id=None,
        must_read={"everyone": True}, client=lumiere), acme, lumiere)

    def question(article):
        return Question.objects.create(article=article, kind="single", text=f"Matrix question {article.pk}?",
                                       explanation="Because.", anchors=["section:x"],
                                       anchored_revision_id=article.live_revision_id)

    q = {"granted": question(a["granted"]), "not_granted": question(a["not_granted"])}
    connection.set_tenant(lumiere)
    q["other_tenant"] = _foreign(Question, lambda: question(Article.objects.get(pk=a["other_tenant"].pk)), acme, lumiere)
    connection.set_tenant(acme)

    def invitation(client, email):
        return Invitation.objects.create(client=client, email=email, role="viewer",
                                         token_hash=hashlib.sha256(email.encode()).hexdigest())

    grant_kind = {CollectionTeamGrant: "collection-team", CollectionPersonGrant: "collection-person",
                  ArticleTeamGrant: "article-team", ArticlePersonGrant: "article-person"}
    objects = {
        "collection": {kind: {"slug": obj.slug} for kind, obj in c.items()},
        "article": {kind: {"prefix": obj.prefix, "slug": obj.slug} for kind, obj in a.items()},
        "article_id": {kind: {"pk": obj.pk} for kind, obj in a.items()},
        "file": {kind: {"file_id": obj.pk} for kind, obj in files.items()},
        "synonym": {"existing": {"pk": synonym.pk}, "other_tenant": {"pk": foreign_synonym.pk}},
        "best_bet": {"existing": {"pk": best_bet.pk}, "other_tenant": {"pk": foreign_bet.pk}},
        "notification": {kind: {"pk": obj.pk} for kind, obj in n.items()},
        "must_read": {kind: {"pk": obj.pk} for kind, obj in must_read.items()},
        "question": {kind: {"pk": obj.pk} for kind, obj in q.items()},
        "suggestion": {kind: {"pk": obj.pk} for kind, obj in s.items()},
        "grant": {kind: {"kind": grant_kind[type(obj)], "pk": obj.pk} for kind, obj in g.items()},
        "membership": {
            "member": {"pk": Membership.objects.get(client=acme, user=users["acme_viewer"]).pk},
            "other_tenant": {"pk": Membership.objects.get(client=lumiere, user=users["lumiere_viewer"]).pk},
        },
        "invitation": {
            "pending": {"pk": invitation(acme, "matrix.invitee@acme.test").pk},
            "other_tenant": {"pk": invitation(lumiere, "matrix.invitee@lumiere.test").pk},
        },
        "person": {
            "staff": {"pk": users["acme_viewer"].pk}, "provider": {"pk": people["agent_read"].pk},
            "ended_provider": {"pk": people["agent_ended"].pk}, "stranger": {"pk": users["outsider"].pk},
            "other_tenant": {"pk": users["lumiere_viewer"].pk},
        },
    }
    for family, kinds in pm.KINDS.items():
        assert set(objects[family]) == set(kinds), family
    connection.set_schema_to_public()
    return SimpleNamespace(acme=acme, people=people, objects=objects, c=c, a=a)


def _secrets_of(role: str, world, route_name: str | None = None) -> set[bytes]:
    """What `role` must never find on a page (of `route_name`): the first word of the titles
    and names, and the slugs, of what it may not see."""
    hidden: set[str] = set()
    for family, names, objects in (("article", ARTICLE_TITLES, world.a), ("collection", COLLECTION_NAMES, world.c),
                                   ("suggestion", SUGGESTION_TITLES, None)):
        shown = pm.shown(family, role, route_name)
        for kind, name in names.items():
            if kind not in shown:
                hidden.add(name.split()[0])
                if objects is not None:
                    hidden.add(objects[kind].slug)
    if "draft" not in pm.shown("article", role, route_name):
        hidden.update(PENDING_DRAFT_SECRETS)
    return {word.encode() for word in hidden}


class Browser:
    """One signed-in HTTP client per role, on acme's host. A POST runs in a savepoint rolled
    back after it, and the session cookie is put back (sign-out flushes the session)."""

    def __init__(self, world):
        self.world = world
        self.clients = {}
        for role in pm.ROLES:
            client = HttpClient(HTTP_ACCEPT_LANGUAGE="en")
            if role != "anonymous":
                client.force_login(world.people[role])
            self.clients[role] = client
        self.fresh_sessions()
        self.secrets = {role: _secrets_of(role, world) for role in pm.ROLES}
        self.secrets_on_teams_page = _secrets_of("lead", world, pm.LEAD_TEAMS_PAGES[0])

    def fresh_sessions(self) -> None:
        """Mark each session as seen now and its sign-in as audited, as after a first request,
        so that the requests of the matrix do not each write their session and an audit event."""
        now = int(time.time())
        for role, client in self.clients.items():
            if role != "anonymous":
                session = client.session
                session.update({"kb_signed_in_at": now, "kb_seen_at": now,
                                f"kb_sign_in_audited:{self.world.acme.schema_name}": True})
                session.save()
        self.refreshed = now

    def request(self, role: str, method: str, url: str):
        client = self.clients[role]
        if method == "GET":  # its writes (audit of confidential reads...) stay until the test ends
            return client.get(url, HTTP_HOST=host(self.world.acme))
        cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
        saved = cookie.value if cookie is not None else None
        try:
            with transaction.atomic():
                response = client.post(url, {}, HTTP_HOST=host(self.world.acme))
                transaction.set_rollback(True)
        finally:
            if saved is not None:
                client.cookies[settings.SESSION_COOKIE_NAME] = saved
        return response

    def leaks(self, role: str, url: str, response, route_name: str) -> list[str]:
        body = b"".join(response.streaming_content) if response.streaming else response.content
        body = body.replace(url.encode(), b"")  # a page may echo its own address (the language form)
        secrets = self.secrets[role]
        if role == "lead" and route_name in pm.LEAD_TEAMS_PAGES:
            secrets = self.secrets_on_teams_page
        return sorted(secret.decode() for secret in secrets if secret in body)


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build(django_db_setup)
            yield SimpleNamespace(world=world, browser=Browser(world))
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            connection.set_schema_to_public()
            engine.clear_caches()


@pytest.fixture
def matrix(matrix_world):
    """The module's world, with whatever a test writes rolled back after it."""
    if time.time() - matrix_world.browser.refreshed > 30:
        matrix_world.browser.fresh_sessions()
    with transaction.atomic():
        yield matrix_world
        transaction.set_rollback(True)


# --- The checks on the walk itself ----------------------------------------------------------


def test_every_tenant_view_declares_its_capability():
    problems = pm.undeclared(ROUTES)
    assert not problems, "Tenant URLs the permission matrix cannot check:\n" + "\n".join(problems)


def test_the_walk_finds_an_undeclared_view_and_an_unnamed_url_in_nested_includes():
    def forgotten(request):
        raise AssertionError("never called")

    declared = requires("member")(forgotten)
    fake = URLResolver(RegexPattern(r"^/"), [
        path("a/", declared, name="declared"),
        path("b/", include(([path("<slug:slug>/", forgotten, name="forgotten"), path("c/", declared)], "inner"))),
    ])
    routes = pm.walk(fake)
    assert [(r.name, r.capability, set(r.kwargs)) for r in routes] == [
        ("declared", "member", set()), ("inner:forgotten", None, {"slug"}), (None, "member", set())]
    problems = pm.undeclared(routes)
    assert len(problems) == 2
    assert "inner:forgotten" in problems[0] and "does not declare @requires" in problems[0]
    assert "forgotten" in problems[0]  # the view is named too
    assert "give the URL a name" in problems[1]


def test_a_parameter_the_matrix_cannot_fill_fails_loudly():
    def view(request, **kwargs):
        raise AssertionError("never called")

    unknown = pm.Route("articles:widget", "widgets/<int:widget>/", view, frozenset({"widget"}))
    with pytest.raises(pm.UnknownParameter, match=r"articles:widget.*\['widget'\].*teach"):
        pm.family_of(unknown)
    ambiguous = pm.Route("articles:thing", "things/<int:pk>/", view, frozenset({"pk"}))
    with pytest.raises(pm.UnknownParameter, match="articles:thing.*PK_FAMILY"):
        pm.family_of(ambiguous)


def test_every_url_parameter_of_the_tenant_site_is_known():
    problems = []
    for route in ROUTES:
        try:
            pm.family_of(route)
        except pm.UnknownParameter as error:
            problems.append(str(error))
    assert not problems, "\n".join(problems)


def test_only_the_views_shared_with_the_public_site_are_open():
    assert {r.name for r in ROUTES if r.capability == "open"} == {"sign-out", "set-language"}
    assert {r.capability for r in ROUTES} <= set(CAPABILITIES)
    assert set(pm.ALLOWED) == set(CAPABILITIES)


def test_the_oracle_is_not_trivially_permissive_nor_closed():
    """Every capability lets someone in and keeps someone out; outsiders never get in."""
    for capability, roles in pm.ALLOWED.items():
        assert roles and (capability == "open" or set(pm.ROLES) - roles)
        if capability != "open":
            assert not roles & {"agent_ended", "other_tenant", "anonymous"}


# --- The matrix -----------------------------------------------------------------------------


def _kwargs(world, route: pm.Route, family: str | None, kind: str | None) -> dict:
    values = dict(world.objects[family][kind]) if family else {}
    for name in route.kwargs - set(values):
        values[name] = pm.FIXED[name]
    return values


def _methods(browser, world, route: pm.Route, family: str | None) -> frozenset[str]:
    """Ask the view, as someone allowed to use it, which of GET and POST it takes (a 405 says
    it does not)."""
    for role in pm.ROLES:
        for kind in pm.KINDS[family] if family else (None,):
            if role in pm.MEMBERS and pm.may_use(route, family, kind, role):
                url = reverse(route.name, urlconf=pm.TENANT_URLCONF, kwargs=_kwargs(world, route, family, kind))
                return frozenset(method for method, target in (("GET", url + QUERY), ("POST", url))
                                 if browser.request(role, method, target).status_code != 405)
    pytest.fail(f"{route.label}: no role of the matrix may use this view; the matrix cannot check it")


def _requests(url: str, family: str | None, kind: str | None, methods: frozenset[str]) -> list[tuple[str, str]]:
    """The requests of one cell of the matrix. The view's main method for every object: GET
    (pages about no one object also with a search query), or POST for a view taking POST only.
    The other method once per role, on the first kind of object: either the view refuses it
    (checked before any object is looked up) or it shares the GET's object lookup."""
    main = "GET" if "GET" in methods else "POST"
    requests = [(main, url)]
    if main == "GET" and family is None:
        requests.append(("GET", url + QUERY))
    if family is None or kind == pm.KINDS[family][0]:
        requests.append(("POST" if main == "GET" else "GET", url))
    return requests


def _never_stored(response) -> bool:
    """A signed-in person's answer is for them only: no shared proxy or browser cache keeps it."""
    return {"private", "no-store"} <= {part.strip() for part in response.get("Cache-Control", "").split(",")}


def run_route(browser, world, route: pm.Route) -> tuple[int, list[str]]:
    family = pm.family_of(route)
    methods = _methods(browser, world, route, family)
    count, problems = 0, []
    for role in pm.ROLES:
        for kind in pm.KINDS[family] if family else (None,):
            url = reverse(route.name, urlconf=pm.TENANT_URLCONF, kwargs=_kwargs(world, route, family, kind))
            for method, target in _requests(url, family, kind, methods):
                expect = pm.expected(route=route, path=target, family=family, kind=kind, role=role, method=method,
                                     methods=methods)
                where = f"{role:14} {method:4} {kind or '-':24} {target}"
                count += 1
                try:
                    response = browser.request(role, method, target)
                except Exception as error:  # noqa: BLE001 - a crash is one more wrong answer
                    problems.append(f"{where}: raised {type(error).__name__}: {error}")
                    continue
                wrong = expect.check(response)
                if wrong:
                    problems.append(f"{where}: {wrong}")
                if role != "anonymous" and not _never_stored(response):
                    problems.append(f"{where}: Cache-Control {response.get('Cache-Control')!r}, not private, no-store")
                leaked = browser.leaks(role, target, response, route.name)
                if leaked:
                    problems.append(f"{where}: the page shows {leaked}")
    return count, problems


@pytest.mark.parametrize("route", [r for r in ROUTES if r.name and r.capability], ids=lambda r: r.name)
def test_permission_matrix(matrix, route):
    before = db_state.fingerprint(matrix.world.acme)
    try:
        count, problems = run_route(matrix.browser, matrix.world, route)
    except pm.UnknownParameter as error:
        pytest.fail(str(error))
    assert count
    assert not problems, (f"{route.label} (@requires({route.capability!r})): {len(problems)} of {count} answers "
                          "differ from the rules:\n" + "\n".join(problems))
    # The POSTs are rolled back: whatever changed, a GET changed it (tests/db_state.py).
    changed = db_state.changes(before, db_state.fingerprint(matrix.world.acme))
    assert not changed, f"{route.label}: a GET changed permissions, memberships, content or settings: {changed}"


# --- Lists do not leak ----------------------------------------------------------------------


def _word(title: str) -> str:
    return title.split()[0]


@pytest.mark.parametrize("role", ["agent_read", "agent_contrib"])
def test_list_pages_show_a_provider_what_is_granted_and_nothing_else(matrix, role):
    """Home (the lookup page for provider people), a search that every article matches (with
    the not-granted one pinned first as a best bet), and the collection pages: the granted
    content is listed, the rest never appears."""
    world, browser = matrix.world, matrix.browser
    home = reverse("articles:home", urlconf=pm.TENANT_URLCONF)
    pages = {
        "home": home,
        "search": home + QUERY,
        "collection": world.c["granted"].get_absolute_url(),
        "confidential collection": world.c["confidential_granted"].get_absolute_url(),
    }
    shown = {name: browser.request(role, "GET", url) for name, url in pages.items()}
    assert {name: response.status_code for name, response in shown.items()} == dict.fromkeys(pages, 200)
    html = {name: response.content.decode() for name, response in shown.items()}
    assert COLLECTION_NAMES["granted"] in html["home"]
    assert _word(ARTICLE_TITLES["granted"]) in html["search"]
    assert ARTICLE_TITLES["granted"] in html["collection"] and COLLECTION_NAMES["confidential_granted"] in html["collection"]
    assert ARTICLE_TITLES["in_confidential_granted"] in html["confidential collection"]
    hidden = [_word(ARTICLE_TITLES[k]) for k in ("not_granted", "confidential", "in_confidential", "draft")]
    hidden += [COLLECTION_NAMES[k] for k in ("not_granted", "confidential", "in_confidential")]
    for name, page in html.items():
        assert not [word for word in hidden if word in page], name
    for name in ("articles:review", "articles:archive", "articles:suggestions", "access:overview", "access:audit", "access:review-people"):
        assert browser.request(role, "GET", reverse(name, urlconf=pm.TENANT_URLCONF)).status_code == 404, name


def test_the_same_pages_show_client_staff_everything(matrix):
    """The counterpart: the hidden titles do appear where client staff look (collection page,
    access review, suggestions queue, search), so their absence above is not an accident."""
    world, browser = matrix.world, matrix.browser
    html = browser.request("admin", "GET", world.c["granted"].get_absolute_url()).content.decode()
    for kind in ("granted", "draft", "confidential", "confidential_granted"):
        assert ARTICLE_TITLES[kind] in html, kind
    review = browser.request("admin", "GET", reverse("access:review-collection", urlconf=pm.TENANT_URLCONF,
                                                     args=[world.c["granted"].slug]))
    assert review.status_code == 200 and "Matrix.Read" in review.content.decode()
    queue = browser.request("editor", "GET", reverse("articles:suggestions", urlconf=pm.TENANT_URLCONF)).content.decode()
    assert SUGGESTION_TITLES["own"] in queue and SUGGESTION_TITLES["someone_else"] in queue
    search = browser.request("viewer", "GET", reverse("articles:home", urlconf=pm.TENANT_URLCONF) + QUERY).content.decode()
    for kind in ("not_granted", "confidential", "in_confidential"):
        assert _word(ARTICLE_TITLES[kind]) in search, kind


# --- Drafts do not leak ---------------------------------------------------------------------


def _route(name: str) -> pm.Route:
    return next(route for route in ROUTES if route.name == name)


def test_the_pending_draft_is_the_editors_only(matrix):
    """The granted article has a newer draft: editors find it where they work on it, readers
    find its words nowhere (the matrix scans every page for them)."""
    world, browser = matrix.world, matrix.browser
    article = world.a["granted"]
    editor = browser.request("editor", "GET", article.url("edit")).content.decode()
    assert PENDING_DRAFT["title"] in editor and "Whiskeydraftbody" in editor
    assert PENDING_DRAFT["title"] in browser.request("admin", "GET", article.url("read") + "?draft=1").content.decode()
    for role in ("viewer", "agent_read", "agent_contrib", "lead"):
        assert {secret.encode() for secret in PENDING_DRAFT_SECRETS} <= browser.secrets[role], role
    for role in ("admin", "editor"):
        assert not {secret.encode() for secret in PENDING_DRAFT_SECRETS} & browser.secrets[role], role
    page = browser.request("viewer", "GET", world.c["granted"].get_absolute_url()).content.decode()
    assert ARTICLE_TITLES["granted"] in page and "Tangopending" not in page


def test_the_scan_finds_a_draft_title_where_the_old_code_put_it(matrix):
    """The scan can fail: put the draft's title and tags where readers see them, as the code
    before issue #9 did on every draft save, and the collection page is reported for every
    reader, never for editors."""
    world, browser = matrix.world, matrix.browser
    connection.set_tenant(world.acme)
    # The application's role may not switch the trigger off: give the live revision the draft's
    # title and tag instead, and let the trigger copy them onto the row (what readers then see is
    # what the old code showed them).
    with connection.cursor() as cursor:
        cursor.execute("UPDATE articles_revision SET title = %s, tags = %s WHERE id = %s",
                       [PENDING_DRAFT["title"], [PENDING_DRAFT["tag"]], world.a["granted"].live_revision_id])
        cursor.execute("UPDATE articles_article SET live_revision_id = live_revision_id WHERE id = %s",
                       [world.a["granted"].pk])
    connection.set_schema_to_public()
    count, problems = run_route(browser, world, _route("articles:collection"))
    assert count
    leaking = {line.split()[0] for line in problems if "Tangopending" in line}
    assert leaking == {"viewer", "agent_read", "agent_contrib"}, problems


def test_every_single_sign_on_url_answers_as_the_rules_say_on_the_public_site_only(matrix):
    public = [route for route in pm.walk(get_resolver(pm.PUBLIC_URLCONF))
              if (route.name or "").split(":")[0] in {"sso", "provider_sso"}]
    assert {route.name for route in public} == set(pm.PUBLIC_SSO), "teach tests/permission_matrix.py PUBLIC_SSO"
    for route in public:
        led = matrix.world.people["lead"].provider_memberships.get().provider_id  # the engaged provider
        kwargs = {"provider": led} if "provider" in route.kwargs else {}
        url = reverse(route.name, urlconf=pm.PUBLIC_URLCONF, kwargs=kwargs)
        for role, client in matrix.browser.clients.items():
            answer = client.get(url, HTTP_HOST=settings.KB_BASE_DOMAIN)
            assert answer.status_code == pm.public_sso_expected(route.name, role), (route.name, role)
            assert b"Traceback" not in answer.content
            on_tenant = client.get(url, HTTP_HOST=host(matrix.world.acme)).status_code
            assert on_tenant in ({302, 404} if role == "anonymous" else {404}), (route.name, role, on_tenant)
