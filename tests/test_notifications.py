"""Change propagation: who is told (exactly those who follow and may read), idempotent
batches, the debounce, the bell's re-checked count."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from articles import services as articles
from articles.events import Change, ContentEvent
from articles.models import Kind, Materiality
from notifications import audience, recipients, services
from notifications.counters.models import UnreadCount
from notifications.models import ChangeEvent, FanoutBatch, Follow, Notification
from permissions import services as grants
from permissions.models import ArticlePersonGrant
from permissions.selectors import visible_articles
from tenants import services as tenants
from tenants.models import Engagement, User
from tenants.selectors import workspace_access


def _content(title, steps=None):
    return articles.Content(title=title, language="en", tags=[], body=f"{title} body", steps=steps or [])


@pytest.fixture
def tree(world, in_tenant):
    in_tenant(world.acme)
    editor = world.acme_editor
    c = {
        "refunds": articles.collection_create(name="Refunds", acting_user=editor),
    }
    c["market"] = articles.collection_create(name="Marketplace", parent=c["refunds"], acting_user=editor)
    c["costs"] = articles.collection_create(name="Costs", parent=c["refunds"], confidential=True, acting_user=editor)

    def article(collection, title, confidential=False):
        return articles.article_create(kind=Kind.ARTICLE, collection=c[collection], acting_user=editor, publish=True,
                                       confidential=confidential, content=_content(title))

    a = {
        "market": article("market", "Market refund"),
        "secret": article("refunds", "Secret margin", confidential=True),
        "cost": article("costs", "Cost per contact"),
    }
    team = tenants.team_create(provider=world.helios, name="Refund desk")
    team.members.add(world.agent_both)
    return world, c, a, team


def _readers_by_layer(world, article, people):
    """The per-request access layer's answer, person by person: the reference."""
    expected = set()
    for person in people:
        access = workspace_access(User.objects.get(pk=person.pk), world.acme)
        if access is not None and visible_articles(access).filter(pk=article.pk).exists():
            expected.add(person.pk)
    return expected


def _everyone(world):
    return [world.acme_admin, world.acme_editor, world.acme_viewer, world.lumiere_editor, world.lead,
            world.agent_both, world.agent_acme, world.outsider]


def _scenarios(world, c, a, team):
    """(description, setup) pairs applied one after the other; the matrix checks each state."""
    now = timezone.now()
    yield "no grants", lambda: None
    yield "team grant on the top collection", lambda: grants.grant_give(
        target=c["refunds"], level="read", acting_user=world.acme_admin, team=team)
    yield "person grant on the confidential collection", lambda: grants.grant_give(
        target=c["costs"], level="read", acting_user=world.acme_admin, person=world.agent_acme)
    yield "person grant on the confidential article", lambda: grants.grant_give(
        target=a["secret"], level="read", acting_user=world.acme_admin, person=world.lead,
        expires_at=now + datetime.timedelta(hours=1))
    yield "that grant expired", lambda: ArticlePersonGrant.objects.filter(user_id=world.lead.pk).update(
        expires_at=now - datetime.timedelta(minutes=1))
    yield "team grant on the confidential article", lambda: grants.grant_give(
        target=a["secret"], level="read", acting_user=world.acme_admin, team=team)
    yield "the agent leaves the team", lambda: team.members.remove(world.agent_both)
    yield "the lead joins the team", lambda: team.members.add(world.lead)
    yield "the engagement ends", lambda: tenants.engagement_end(engagement=Engagement.objects.get(pk=world.engagement_acme_id))


@pytest.mark.django_db
def test_readers_are_exactly_those_the_access_layer_lets_read(tree):
    world, c, a, team = tree
    people = _everyone(world)
    for description, setup in _scenarios(world, c, a, team):
        setup()
        for name, article in a.items():
            got = audience.readers_among(article, [p.pk for p in people])
            assert got == _readers_by_layer(world, article, people), (description, name)


@pytest.mark.django_db
def test_the_bell_count_agrees_with_the_access_layer(tree):
    world, c, a, team = tree
    people = [world.acme_viewer, world.lead, world.agent_both, world.agent_acme]
    events = {}
    for name, article in a.items():
        events[name] = ChangeEvent.objects.create(article=article, revision=article.live_revision, change="published",
                                                  materiality="update")
        Notification.objects.bulk_create([Notification(recipient_id=p.pk, event=events[name]) for p in people])
    for description, setup in _scenarios(world, c, a, team):
        setup()
        for person in people:
            access = workspace_access(User.objects.get(pk=person.pk), world.acme)
            if access is None:
                continue
            expected = visible_articles(access).filter(pk__in=[x.pk for x in a.values()]).count()
            assert audience.unread_count(access) == expected, (description, person.email)
            assert audience.unread_count_correcting(access, services.counter_table()) == expected


@pytest.mark.django_db
def test_fanout_tells_followers_who_may_read_and_nobody_else(tree):
    world, c, a, team = tree
    grants.grant_give(target=c["refunds"], level="read", acting_user=world.acme_admin, team=team)
    for person in (world.acme_viewer, world.agent_both, world.agent_acme, world.outsider, world.lumiere_editor):
        services.follow(person_id=person.pk, collection=c["refunds"])
    services.follow(person_id=world.acme_admin.pk, article=a["cost"])
    record = services.record_change(ContentEvent(
        schema_name="acme", article_id=a["cost"].pk, change=Change.PUBLISHED, actor_id=world.acme_editor.pk,
        revision_id=a["cost"].live_revision_id, materiality=Materiality.UPDATE))
    for batch_id in services.plan_fanout(record.pk):
        services.deliver_batch(batch_id)
    told = set(Notification.objects.filter(event=record).values_list("recipient_id", flat=True))
    # The confidential collection: client staff yes, the team's agent (grant above it) no.
    assert told == {world.acme_viewer.pk, world.acme_admin.pk}
    record.refresh_from_db()
    assert record.fanned_out_at is not None


@pytest.mark.django_db
def test_who_follows_after_a_change_is_not_told_of_it_when_its_fanout_runs_late(tree):
    """The fan-out task may run minutes after the publish (a worker down, a queue backed up):
    it tells who followed when the change was made, not who follows when the task runs."""
    world, c, a, team = tree
    services.follow(person_id=world.acme_viewer.pk, collection=c["refunds"])
    record = services.record_change(ContentEvent(
        schema_name="acme", article_id=a["market"].pk, change=Change.PUBLISHED, actor_id=world.acme_editor.pk,
        revision_id=a["market"].live_revision_id, materiality=Materiality.UPDATE))
    services.follow(person_id=world.acme_admin.pk, collection=c["refunds"])
    assert _deliver(record) == {world.acme_viewer.pk}


@pytest.mark.django_db
def test_a_team_follow_covers_its_members_present_and_future(tree):
    world, c, a, team = tree
    grants.grant_give(target=c["refunds"], level="read", acting_user=world.acme_admin, team=team)
    services.team_follow(team_id=team.pk, collection=c["refunds"], acting_user=world.acme_admin)
    assert audience.followers(a["market"]) == {world.agent_both.pk}
    team.members.add(world.agent_acme)
    assert audience.followers(a["market"]) == {world.agent_both.pk, world.agent_acme.pk}
    team.members.remove(world.agent_both)
    assert audience.followers(a["market"]) == {world.agent_acme.pk}


@pytest.mark.django_db
def test_a_duplicated_and_a_retried_batch_insert_nothing_twice(tree, monkeypatch):
    world, c, a, team = tree
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    people = [world.acme_admin, world.acme_viewer, world.agent_both]
    grants.grant_give(target=c["refunds"], level="read", acting_user=world.acme_admin, team=team)
    for person in people:
        services.follow(person_id=person.pk, collection=c["refunds"])
    record = services.record_change(ContentEvent(
        schema_name="acme", article_id=a["market"].pk, change=Change.PUBLISHED, actor_id=world.acme_editor.pk,
        revision_id=a["market"].live_revision_id, materiality=Materiality.UPDATE))
    batch_ids = services.plan_fanout(record.pk)
    assert len(batch_ids) == 2
    assert services.deliver_batch(batch_ids[0]) == 2
    # A duplicated message: the batch is marked delivered, nothing happens.
    assert services.deliver_batch(batch_ids[0]) == 0
    # A retry of a batch whose commit was lost with its mark (the worker died after the insert):
    # the unique (recipient, event) keeps the second run from inserting again.
    FanoutBatch.objects.filter(pk=batch_ids[0]).update(delivered_at=None)
    assert services.deliver_batch(batch_ids[0]) == 0
    # A plan run again (its task redelivered) writes new batches of everyone and supersedes
    # the undelivered ones: the new batches add only who was missing.
    again = services.plan_fanout(record.pk)
    assert services.deliver_batch(batch_ids[1]) == 0
    assert sum(services.deliver_batch(batch_id) for batch_id in again) == 1
    assert Notification.objects.filter(event=record).count() == 3
    counts = dict(UnreadCount.objects.filter(client=world.acme).values_list("person_id", "unread"))
    assert counts == {p.pk: 1 for p in people}


@pytest.mark.django_db
def test_saves_of_one_author_within_the_window_are_one_change(tree):
    world, c, a, team = tree
    article = a["market"]

    def publish(actor, materiality=Materiality.UPDATE):
        return services.record_change(ContentEvent(
            schema_name="acme", article_id=article.pk, change=Change.PUBLISHED, actor_id=actor.pk,
            revision_id=article.live_revision_id, materiality=materiality))

    first = publish(world.acme_editor)
    second = publish(world.acme_editor, Materiality.MUST_READ)
    assert second.pk == first.pk and second.saves == 2 and second.materiality == Materiality.MUST_READ
    other = publish(world.acme_admin)
    assert other.pk != first.pk
    # Past the window, a new change.
    ChangeEvent.objects.filter(pk=first.pk).update(updated_at=timezone.now() - datetime.timedelta(seconds=services.DEBOUNCE_SECONDS + 1))
    assert publish(world.acme_editor).pk != first.pk
    # A minor publish tells nobody.
    assert publish(world.acme_editor, Materiality.MINOR) is None


@pytest.mark.django_db
def test_extra_recipients_are_kept_to_those_who_may_read(tree, monkeypatch):
    world, c, a, team = tree
    monkeypatch.setattr(recipients, "_providers", [])  # this provider alone (readiness registers its own)

    def must_readers(event):
        return [world.agent_acme.pk, world.acme_viewer.pk]

    recipients.register(must_readers)
    try:
        record = services.record_change(ContentEvent(
            schema_name="acme", article_id=a["market"].pk, change=Change.PUBLISHED, actor_id=world.acme_editor.pk,
            revision_id=a["market"].live_revision_id, materiality=Materiality.MUST_READ, must_read={"everyone": True}))
        assert services.compute_recipients(record) == {world.acme_viewer.pk}  # the agent has no grant
    finally:
        recipients.unregister(must_readers)
    assert connection.schema_name == "acme"
    assert not Follow.objects.exists()


def _deliver(record):
    for batch_id in services.plan_fanout(record.pk):
        services.deliver_batch(batch_id)
    return set(Notification.objects.filter(event=record).values_list("recipient_id", flat=True))


@pytest.mark.django_db
def test_a_new_article_in_a_followed_collection_and_an_archiving_tell_followers(tree, django_capture_on_commit_callbacks):
    world, c, a, team = tree
    services.follow(person_id=world.acme_viewer.pk, collection=c["refunds"])
    with django_capture_on_commit_callbacks(execute=True):
        new = articles.article_create(kind=Kind.ARTICLE, collection=c["market"], acting_user=world.acme_editor,
                                      publish=True, content=_content("Brand new procedure"))
    record = ChangeEvent.objects.get(article=new)
    assert _deliver(record) == {world.acme_viewer.pk}
    with django_capture_on_commit_callbacks(execute=True):
        articles.article_archive(article=new, acting_user=world.acme_admin)
    archived = ChangeEvent.objects.get(article=new, change=Change.ARCHIVED)
    assert _deliver(archived) == {world.acme_viewer.pk}
    # Un-archiving and settings changes tell nobody.
    with django_capture_on_commit_callbacks(execute=True):
        articles.article_archive(article=new, archived=False, acting_user=world.acme_admin)
    assert ChangeEvent.objects.filter(article=new).count() == 2


@pytest.mark.django_db
def test_the_sweep_finds_a_change_whose_task_was_lost_and_a_batch_never_delivered(tree):
    world, c, a, team = tree
    services.follow(person_id=world.acme_viewer.pk, collection=c["refunds"])
    record = services.record_change(ContentEvent(
        schema_name="acme", article_id=a["market"].pk, change=Change.PUBLISHED, actor_id=world.acme_editor.pk,
        revision_id=a["market"].live_revision_id, materiality=Materiality.UPDATE))
    assert services.pending_work(stale_seconds=60) == ([], [])  # just sent: its task may be running
    five_minutes_ago = timezone.now() - datetime.timedelta(minutes=5)
    Follow.objects.update(created_at=five_minutes_ago - datetime.timedelta(seconds=1))
    ChangeEvent.objects.filter(pk=record.pk).update(updated_at=five_minutes_ago)
    assert services.pending_work(stale_seconds=60) == ([record.pk], [])
    (batch_id,) = services.plan_fanout(record.pk)
    ChangeEvent.objects.filter(pk=record.pk).update(planned_at=timezone.now() - datetime.timedelta(minutes=5))
    assert services.pending_work(stale_seconds=60) == ([], [batch_id])
    services.deliver_batch(batch_id)
    assert services.pending_work(stale_seconds=60) == ([], [])


@pytest.mark.django_db
def test_a_save_merged_into_a_change_tells_again_who_had_read_it(tree):
    world, c, a, team = tree
    article = a["market"]
    services.follow(person_id=world.acme_viewer.pk, collection=c["refunds"])
    services.follow(person_id=world.acme_admin.pk, collection=c["refunds"])

    def publish():
        return services.record_change(ContentEvent(
            schema_name="acme", article_id=article.pk, change=Change.PUBLISHED, actor_id=world.acme_editor.pk,
            revision_id=article.live_revision_id, materiality=Materiality.UPDATE))

    first = publish()
    assert _deliver(first) == {world.acme_viewer.pk, world.acme_admin.pk}
    viewer = workspace_access(User.objects.get(pk=world.acme_viewer.pk), world.acme)
    services.mark_read(access=viewer)
    counts = dict(UnreadCount.objects.filter(client=world.acme).values_list("person_id", "unread"))
    assert counts == {world.acme_viewer.pk: 0, world.acme_admin.pk: 1}
    second = publish()
    assert second.pk == first.pk and second.saves == 2
    _deliver(second)
    assert Notification.objects.filter(event=first, read_at__isnull=True).count() == 2
    counts = dict(UnreadCount.objects.filter(client=world.acme).values_list("person_id", "unread"))
    assert counts == {world.acme_viewer.pk: 1, world.acme_admin.pk: 1}


@pytest.mark.django_db
def test_the_demo_seeds_changes_are_closed_to_merging(tree):
    from notifications import demo

    world, c, a, team = tree
    article = a["market"]

    def publish():
        return services.record_change(ContentEvent(
            schema_name="acme", article_id=article.pk, change=Change.PUBLISHED, actor_id=world.acme_editor.pk,
            revision_id=article.live_revision_id, materiality=Materiality.UPDATE))

    seeded = publish()
    assert demo.close_changes() >= 1
    later = publish()
    assert later.pk != seeded.pk and later.saves == 1
