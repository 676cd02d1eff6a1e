"""The content-event seam: articles says what happened after commit, subscribers listen, and
articles never calls them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.db import transaction

from articles import events, services
from articles.models import Kind

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def heard():
    received = []

    def listener(sender, *, event, **kwargs):
        received.append(event)

    events.content_changed.connect(listener, dispatch_uid="test-listener")
    yield received
    events.content_changed.disconnect(dispatch_uid="test-listener")


@pytest.fixture
def refunds(world, in_tenant):
    in_tenant(world.acme)
    return services.collection_create(name="Refunds", acting_user=world.acme_editor, review_interval_days=90)


def content(title="Refund a parcel", body="Open tracking."):
    return services.Content(title=title, language="en", tags="", steps=[{"title": "Check", "body": body}])


def create(world, refunds, **kwargs):
    return services.article_create(kind=Kind.GUIDE, collection=refunds, acting_user=world.acme_editor,
                                   content=content(), **kwargs)


def test_publishing_is_heard_once_after_commit_with_ids_and_the_tenant(world, refunds, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article = create(world, refunds, publish=True)
        assert heard == [], "nothing is heard before the transaction commits"
    for callback in callbacks:
        callback()
    published = [e for e in heard if e.change == events.Change.PUBLISHED]
    assert len(published) == 1
    (event,) = published
    assert event.schema_name == "acme" and event.article_id == article.pk
    assert event.revision_id == article.live_revision_id and event.actor_id == world.acme_editor.pk
    assert all(isinstance(v, (str, int, type(None))) for v in event.as_dict().values())


def test_a_rolled_back_publish_is_never_heard(world, refunds, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                create(world, refunds, publish=True)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert heard == []


def test_archive_restore_and_settings_are_heard(world, refunds, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = create(world, refunds, publish=True)
        services.revision_create(article=article, content=content(body="Open the tracking page."), summary="",
                                 acting_user=world.acme_editor, publish=True,
                                 expected_revision_id=article.latest_revision_id)
        article.refresh_from_db()
        first = article.revisions.get(number=1)
        restored = services.revision_restore(article=article, revision=first, acting_user=world.acme_editor)
        services.article_publish(article=article, revision=restored, acting_user=world.acme_editor)
        services.article_archive(article=article, acting_user=world.acme_editor)
        services.article_archive(article=article, archived=False, acting_user=world.acme_editor)
        services.article_update_settings(article=article, collection=refunds, review_by=article.review_by, confidential=True)
    changes = [e.change for e in heard if e.article_id == article.pk]
    assert changes == [events.Change.PUBLISHED, events.Change.PUBLISHED, events.Change.RESTORED,
                       events.Change.ARCHIVED, events.Change.UNARCHIVED, events.Change.SETTINGS]


def test_a_failing_subscriber_breaks_neither_the_publish_nor_the_others(world, refunds, heard, django_capture_on_commit_callbacks):
    def broken(sender, **kwargs):
        raise RuntimeError("subscriber down")

    events.content_changed.connect(broken, dispatch_uid="test-broken")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            article = create(world, refunds, publish=True)
    finally:
        events.content_changed.disconnect(dispatch_uid="test-broken")
    article.refresh_from_db()
    assert article.live_revision_id is not None
    assert [e.article_id for e in heard] == [article.pk]


def test_search_subscribes_to_content_events():
    uids = {entry[0][0] for entry in events.content_changed.receivers}
    assert {"search-reindex"} <= uids


def test_articles_never_imports_the_apps_that_subscribe():
    for path in (ROOT / "articles").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            assert not any(n == "search" or n.startswith("search.") for n in names), f"{path} imports search"
