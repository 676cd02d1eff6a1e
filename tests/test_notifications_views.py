"""Change propagation through the pages: the publish choice, following, the bell (its count
re-checked and its statements pinned), the list, a notification's diff, the workspaces page."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import services as articles
from articles.models import Kind, Materiality
from notifications import services
from notifications.counters.models import UnreadCount
from notifications.models import ChangeEvent, Follow, Notification
from permissions import services as grants
from tenants import services as tenants

from .conftest import host


def _http(client, user) -> HttpClient:
    http = HttpClient(HTTP_HOST=host(client), HTTP_ACCEPT_LANGUAGE="en")
    http.force_login(user)
    return http


def _steps(*titles):
    return [{"id": "", "title": title, "body": f"Do {title.lower()}."} for title in titles]


@pytest.fixture
def guide(world, in_tenant):
    in_tenant(world.acme)
    collection = articles.collection_create(name="Refunds", acting_user=world.acme_editor)
    article = articles.article_create(
        kind=Kind.GUIDE, collection=collection, acting_user=world.acme_editor, publish=True,
        content=articles.Content(title="Refund a parcel", language="en", tags=[], body="",
                                 steps=_steps("Check the order", "Refund")),
    )
    team = tenants.team_create(provider=world.helios, name="Refund desk", clients=[world.acme])
    team.members.add(world.agent_acme)
    grants.grant_give(target=collection, level="read", acting_user=world.acme_admin, team=team)
    return world, collection, article, team


def _fan_out_everything():
    for record in ChangeEvent.objects.filter(fanned_out_at__isnull=True):
        for batch_id in services.plan_fanout(record.pk):
            services.deliver_batch(batch_id)


def _edit_form(article, steps, **extra):
    latest = article.latest_revision
    data = {"title": latest.title, "collection": str(article.collection_id), "language": "en", "tags": "",
            "review_by": article.review_by.isoformat(), "body": "", "base_revision": str(latest.pk),
            "summary": "Check the parcel first", "action": "publish"}
    for n, step in enumerate(steps, 1):
        data.update({f"steps-k{n}-id": step.get("id", ""), f"steps-k{n}-title": step["title"],
                     f"steps-k{n}-body": step["body"], f"steps-k{n}-order": str(n)})
    data.update(extra)
    return data


@pytest.mark.django_db
def test_an_agent_follows_a_guide_and_learns_what_changed_since_they_read_it(guide, django_capture_on_commit_callbacks):
    world, collection, article, team = guide
    agent = _http(world.acme, world.agent_acme)
    editor = _http(world.acme, world.acme_editor)
    assert agent.post(reverse("notifications:follow-article", args=["guides", article.slug])).status_code == 302
    assert Follow.objects.filter(person_id=world.agent_acme.pk, article=article).exists()
    # The agent reads revision 1: the next diff starts there.
    assert agent.get(article.get_absolute_url()).status_code == 200
    # A minor publish tells nobody.
    steps = [*article.live_revision.steps]
    steps[1] = {**steps[1], "body": "Do the refund."}
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(article.url("edit"), _edit_form(article, steps, **{"publish-materiality": Materiality.MINOR}))
    assert response.status_code == 302, response.content[:2000]
    _fan_out_everything()
    assert not Notification.objects.exists()
    # An update: a step reworded and one added.
    article.refresh_from_db()
    steps = [*article.live_revision.steps]
    steps[0] = {**steps[0], "body": "Check the order number and the parcel."}
    steps.append({"id": "", "title": "Tell the customer", "body": "Say when the money arrives."})
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(article.url("edit"), _edit_form(article, steps, **{"publish-materiality": Materiality.UPDATE}))
    assert response.status_code == 302
    _fan_out_everything()
    notification = Notification.objects.get(recipient_id=world.agent_acme.pk)
    bell = agent.get(reverse("notifications:bell"))
    assert b'data-bell-count="1"' in bell.content
    listing = agent.get(reverse("notifications:list"))
    assert b"Refund a parcel" in listing.content and b"Check the parcel first" in listing.content
    # Since revision 1, which the agent read: the minor fix of step 2 is part of it.
    assert b"Steps: 2 reworded, 1 added" in listing.content
    # An action, not a place to go: it looks like a button (issue 14), not like link text.
    assert b'<button type="submit" class="button">Mark as read</button>' in listing.content
    page = agent.get(reverse("notifications:open", args=[notification.pk]))
    assert page.status_code == 200
    # Since revision 1 (what the agent read), not since revision 2 (the minor publish).
    assert b"From revision 1, the one you last saw, to revision 3." in page.content
    assert b"Tell the customer" in page.content and b"#step-1" in page.content
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert b'data-bell-count="0"' in agent.get(reverse("notifications:bell")).content


@pytest.mark.django_db
def test_a_must_read_publish_says_who_and_by_when_and_is_validated(guide, django_capture_on_commit_callbacks, monkeypatch):
    world, collection, article, team = guide
    heard = []
    monkeypatch.setattr(services, "record_change", lambda event: heard.append(event))
    editor = _http(world.acme, world.acme_editor)
    steps = [*article.live_revision.steps]
    steps[0] = {**steps[0], "body": "Check it twice."}
    # Must read without saying who: refused, nothing published.
    response = editor.post(article.url("edit"), _edit_form(article, steps, **{"publish-materiality": "must_read"}))
    assert response.status_code == 400 and b"Say who must read it" in response.content
    response = editor.post(article.url("edit"), _edit_form(article, steps, **{
        "publish-materiality": "must_read", "publish-teams": str(team.pk), "publish-deadline": "2000-01-01"}))
    assert response.status_code == 400 and b"The deadline cannot be in the past." in response.content
    # A team that does not serve this client is not a choice.
    stranger = tenants.team_create(provider=world.helios, name="Energy desk", clients=[world.lumiere])
    response = editor.post(article.url("edit"), _edit_form(article, steps, **{
        "publish-materiality": "must_read", "publish-teams": str(stranger.pk)}))
    assert response.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(article.url("edit"), _edit_form(article, steps, **{
            "publish-materiality": "must_read", "publish-teams": str(team.pk), "publish-roles": "viewer",
            "publish-deadline": "2099-12-31"}))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.live_revision.materiality == Materiality.MUST_READ
    assert heard[-1].must_read == {"everyone": False, "roles": ["viewer"], "teams": [team.pk], "deadline": "2099-12-31",
                                   "check": {"required": False, "threshold": 80, "retry_minutes": 60}}


@pytest.mark.django_db
def test_the_bell_takes_one_statement_and_drops_what_the_person_may_no_longer_read(guide):
    world, collection, article, team = guide
    services.follow(person_id=world.agent_acme.pk, article=article)
    ChangeEvent.objects.create(article=article, revision=article.live_revision, change="published", materiality="update")
    _fan_out_everything()  # the delivery makes the public counter's row
    agent = _http(world.acme, world.agent_acme)
    agent.get(reverse("notifications:bell"))  # warm: session, middleware caches
    from notifications import views

    request = _request_for(agent, world)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        answer = views.bell(request)
        elapsed = time.perf_counter() - started
    assert b'data-bell-count="1"' in answer.content
    assert len(queries) == 1, [q["sql"] for q in queries]
    print(f"bell view: {len(queries)} statements, {elapsed * 1000:.2f} ms")
    connection.set_schema_to_public()
    assert UnreadCount.objects.get(person_id=world.agent_acme.pk, client=world.acme).unread == 1
    # The team's grant is revoked: nothing to count, and the list shows no title.
    connection.set_tenant(world.acme)
    for grant in collection.team_grants.all():
        grants.grant_revoke(grant=grant, acting_user=world.acme_admin)
    assert b'data-bell-count="0"' in agent.get(reverse("notifications:bell")).content
    assert b"Refund a parcel" not in agent.get(reverse("notifications:list")).content
    assert agent.get(reverse("notifications:open", args=[Notification.objects.get().pk])).status_code == 404
    connection.set_schema_to_public()
    assert UnreadCount.objects.get(person_id=world.agent_acme.pk, client=world.acme).unread == 0


def _request_for(http, world):
    """A request as the tenant middleware leaves it, for timing the bell view alone."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from tenants.selectors import workspace_access

    request = RequestFactory(HTTP_HOST=host(world.acme)).get(reverse("notifications:bell"))
    request.user = world.agent_acme
    request.tenant = world.acme
    request.workspace = workspace_access(world.agent_acme, world.acme)
    request.session = {}
    assert not isinstance(request.user, AnonymousUser)
    return request


@pytest.mark.django_db
def test_the_workspaces_page_shows_counts_from_the_public_schema(guide):
    world, collection, article, team = guide
    connection.set_schema_to_public()
    UnreadCount.objects.create(person_id=world.agent_acme.pk, client=world.acme, unread=4)
    http = HttpClient(HTTP_HOST="kb.localhost", HTTP_ACCEPT_LANGUAGE="en")
    http.force_login(world.agent_acme)
    assert http.get("/").status_code == 302  # right after signing in, the one workspace opens
    with CaptureQueriesContext(connection) as queries:
        page = http.get("/")
    assert b'data-workspace-unread="4"' in page.content
    assert not [q for q in queries if "acme" in q["sql"] and "notifications_notification" in q["sql"]]


@pytest.mark.django_db
def test_team_follows_are_made_by_admins_and_the_providers_lead_only(guide):
    world, collection, article, team = guide
    admin = _http(world.acme, world.acme_admin)
    lead = _http(world.acme, world.lead)
    agent = _http(world.acme, world.agent_acme)
    data = {"team": str(team.pk), "collection": collection.slug, "action": "follow"}
    assert agent.post(reverse("notifications:team-follow-admin"), data).status_code == 404
    assert agent.post(reverse("notifications:team-follow-lead"), data).status_code == 404
    assert admin.post(reverse("notifications:team-follow-admin"), data).status_code == 302
    assert Follow.objects.filter(team_id=team.pk, collection=collection).exists()
    assert lead.post(reverse("notifications:team-follow-lead"), {**data, "action": "unfollow"}).status_code == 302
    assert not Follow.objects.filter(team_id=team.pk).exists()
    # A team of the provider that does not work for this client is refused.
    other = tenants.team_create(provider=world.helios, name="Energy desk", clients=[world.lumiere])
    admin.post(reverse("notifications:team-follow-admin"), {**data, "team": str(other.pk)})
    assert not Follow.objects.filter(team_id=other.pk).exists()
    page = lead.get(reverse("notifications:following"))
    assert b"Refund desk" in page.content and b"Energy desk" not in page.content


@pytest.mark.django_db
def test_following_sends_nowhere_else_and_opens_nothing_the_agent_cannot_read(guide):
    world, collection, article, team = guide
    agent = _http(world.acme, world.agent_acme)
    for target in ("//evil.example/x", "/\t/evil.example", "https://evil.example/"):
        response = agent.post(reverse("notifications:follow-collection", args=[collection.slug]), {"next": target})
        assert response.status_code == 302 and response["Location"] == collection.get_absolute_url()
    secret = articles.collection_create(name="Margins", acting_user=world.acme_editor, confidential=True, parent=collection)
    assert agent.post(reverse("notifications:follow-collection", args=[secret.slug])).status_code == 404
    assert not Follow.objects.filter(collection=secret).exists()
    # Another person's notification is not found, whatever its number.
    record = ChangeEvent.objects.create(article=article, revision=article.live_revision, change="published", materiality="update")
    theirs = Notification.objects.create(recipient_id=world.acme_viewer.pk, event=record)
    assert agent.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert agent.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    agent.post(reverse("notifications:read-all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_a_lead_no_longer_sees_the_name_of_a_collection_their_team_lost_its_grant_to(guide):
    world, collection, article, team = guide
    secret = articles.collection_create(name="Winter surcharge plans", acting_user=world.acme_editor)
    grant = grants.grant_give(target=secret, level="read", acting_user=world.acme_admin, team=team)
    services.team_follow(team_id=team.pk, collection=secret, acting_user=world.acme_admin)
    lead = _http(world.acme, world.lead)
    assert b"Winter surcharge plans" in lead.get(reverse("notifications:following")).content
    grants.grant_revoke(grant=grant, acting_user=world.acme_admin)
    assert b"Winter surcharge plans" not in lead.get(reverse("notifications:following")).content
    # The admin still sees (and may undo) the team's follow.
    admin = _http(world.acme, world.acme_admin)
    assert b"Winter surcharge plans" in admin.get(reverse("notifications:following")).content


@pytest.mark.django_db
def test_the_bell_request_as_the_browser_sends_it_takes_at_most_three_statements(guide, settings):
    """The whole polling request, middleware and session included, with the access cache on: the
    search path, the person's and the workspace's access generations (with the session's end
    mark), the count; the session comes from the cache (tenants.sessions)."""
    settings.KB_ACCESS_CACHE = True
    world, collection, article, team = guide
    services.follow(person_id=world.agent_acme.pk, article=article)
    ChangeEvent.objects.create(article=article, revision=article.live_revision, change="published", materiality="update")
    _fan_out_everything()
    agent = _http(world.acme, world.agent_acme)
    for _ in range(2):  # the sign-in audit settled, the access cached
        agent.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true")
    with CaptureQueriesContext(connection) as queries:
        answer = agent.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true")
    assert b'data-bell-count="1"' in answer.content
    assert len(queries) <= 3, [q["sql"][:120] for q in queries]
    assert not [q for q in queries if "django_session" in q["sql"]]
    print(f"bell request: {len(queries)} statements")


@pytest.mark.django_db
def test_a_get_on_a_follow_address_goes_to_the_page_with_the_button(guide):
    world, collection, article, team = guide
    agent = _http(world.acme, world.agent_acme)
    answer = agent.get(reverse("notifications:follow-collection", args=[collection.slug]))
    assert answer.status_code == 302 and answer["Location"] == collection.get_absolute_url()
    answer = agent.get(reverse("notifications:follow-article", args=[article.prefix, article.slug]))
    assert answer.status_code == 302 and answer["Location"] == article.get_absolute_url()
    assert not Follow.objects.filter(person_id=world.agent_acme.pk).exists()  # a GET changes nothing


@pytest.mark.django_db
def test_the_bell_is_drawn_not_an_emoji(guide):
    world, collection, article, team = guide
    agent = _http(world.acme, world.agent_acme)
    for page in (agent.get(reverse("notifications:bell")), agent.get("/")):
        assert b"<svg" in page.content and "🔔".encode() not in page.content
