"""Plain helpers every test file may use (the fixtures are in tests/conftest.py): addresses,
signed-in test clients and requests, and content made through the services."""

from __future__ import annotations

from types import SimpleNamespace

from django.db import connection
from django.test import Client as HttpClient

from articles import services as articles
from articles.models import Kind
from tenants import services
from tenants.models import Client, ProviderOrganisation, ProviderRole, Role, User

PASSWORD = "correct-horse-battery-staple"


def host(client: Client | str) -> str:
    from django.conf import settings

    schema = client if isinstance(client, str) else client.schema_name
    return f"{schema}.{settings.KB_BASE_DOMAIN}"


def http_as(user: User | None = None, *, language: str | None = "en", **extra) -> HttpClient:
    """A test client signed in as `user` (anonymous for None) asking for pages in `language`
    (None: no Accept-Language); `extra` goes to the client (`enforce_csrf_checks=True`, headers)."""
    if language:
        extra.setdefault("HTTP_ACCEPT_LANGUAGE", language)
    http = HttpClient(**extra)
    if user is not None:
        http.force_login(user)
    return http


def throwaway_workspace(*, schema: str, name: str, editor: tuple[str, str], agent: tuple[str, str],
                        team: str) -> SimpleNamespace:
    """A tenant of its own for a test whose data is committed (a browser, a server subprocess):
    an editor (email, full name) and an agent of Helios (email, full name) serving it, in a
    team of its own. The connection is left in the new tenant, to fill it."""
    client = services.client_create(schema_name=schema, name=name)
    editor_user = User.objects.create_user(editor[0], PASSWORD, full_name=editor[1])
    services.membership_set(user=editor_user, client=client, role=Role.EDITOR)
    helios = ProviderOrganisation.objects.get(name="Helios Contact")
    services.engagement_start(provider=helios, client=client)
    agent_user = User.objects.create_user(agent[0], PASSWORD, full_name=agent[1])
    services.provider_member_add(user=agent_user, provider=helios, role=ProviderRole.AGENT).clients.add(client)
    provider_team = services.team_create(provider=helios, name=team)
    provider_team.members.add(agent_user)
    connection.set_tenant(client)
    return SimpleNamespace(client=client, editor=editor_user, agent=agent_user, team=provider_team)


def get(user: User | None, path: str, where: Client | str, *, htmx: bool = False, **params):
    """GET `path` with the query `params` on the tenant `where` (a client, or a host name) as
    `user` (anonymous for None); `htmx`: as htmx asks for the lookup results. The connection is
    then in that tenant, whatever the view did with it."""
    extra = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "lookup-results"} if htmx else {}
    response = http_as(user).get(path, params, HTTP_HOST=where if isinstance(where, str) else host(where), **extra)
    if isinstance(where, Client):
        connection.set_tenant(where)
    return response


def publish(world, collection, *, title: str, kind: str = Kind.ARTICLE, body: str = "", steps=(), faqs=(),
            tags="", language: str = "fr", confidential: bool = False, editor: User | None = None,
            publish: bool = True, index: bool = True):
    """An article of `kind` in `collection`, written by `editor` (Acme's editor by default) and
    published (`publish=False`: a draft), then indexed for search unless `index=False` (as when
    its indexing task is lost: tests run in a transaction, so on-commit work never happens).
    `steps`: (title, body) pairs; `faqs`: (question, alternatives, answer) triples."""
    article = articles.article_create(
        kind=kind, collection=collection, acting_user=editor or world.acme_editor, publish=publish,
        confidential=confidential,
        content=articles.Content(
            title=title, language=language, tags=tags, body=body,
            steps=[{"title": t, "body": b} for t, b in steps],
            faqs=[{"question": q, "alternatives": list(alts), "answer": a} for q, alts, a in faqs],
        ),
    )
    if publish and index:
        from search import indexing

        indexing.index_article(article.pk)
    return article


def content_tree(world) -> SimpleNamespace:
    """Acme's content for the access tests (the connection must be in Acme): collections
    Refunds > Marketplace; Refunds > Costs (confidential) > Under costs; Other, an article in
    each (a draft and a confidential one among them), and Helios's teams "Refund desk"
    (agent_both) and "Escalation" (agent_acme), with no grant yet. `c`: collections, `a`: articles."""
    editor = world.acme_editor
    c = {}
    c["refunds"] = articles.collection_create(name="Refunds", acting_user=editor)
    c["market"] = articles.collection_create(name="Marketplace", parent=c["refunds"], acting_user=editor)
    c["costs"] = articles.collection_create(name="Costs", parent=c["refunds"], confidential=True, acting_user=editor)
    c["under"] = articles.collection_create(name="Under costs", parent=c["costs"], acting_user=editor)
    c["other"] = articles.collection_create(name="Other", acting_user=editor)

    def article(collection, title, publish=True, confidential=False):
        return articles.article_create(
            kind=Kind.ARTICLE, collection=c[collection], acting_user=editor, publish=publish, confidential=confidential,
            content=articles.Content(title=title, language="en", tags=[], body=f"{title} body"),
        )

    a = {
        "refund": article("refunds", "Refund"),
        "market": article("market", "Market refund"),
        "draft": article("market", "Draft refund", publish=False),
        "secret": article("refunds", "Secret margin", confidential=True),
        "cost": article("costs", "Cost per contact"),
        "under": article("under", "Under cost"),
        "other": article("other", "Other thing"),
    }
    desk = services.team_create(provider=world.helios, name="Refund desk")
    desk.members.add(world.agent_both)
    escalation = services.team_create(provider=world.helios, name="Escalation")
    escalation.members.add(world.agent_acme)
    return SimpleNamespace(world=world, c=c, a=a, desk=desk, escalation=escalation)


def post(user: User | None, path: str, where: Client | str, data: dict | None = None, **extra):
    """POST the form `data` to `path` on the tenant `where` as `user`; `extra`: headers. The
    connection is then in that tenant, as after `get`."""
    response = http_as(user).post(path, data or {}, HTTP_HOST=where if isinstance(where, str) else host(where), **extra)
    if isinstance(where, Client):
        connection.set_tenant(where)
    return response
