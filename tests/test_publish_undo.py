"""Undoing a publish (issue 14, no one-click accidents): the editor's publish leaves "Revision N
is live. Undo"; the undo puts back the revision live before through the restore path (a new
revision, history kept), withdraws the must-read it made, or returns a first publish to a
draft. Only the same editor, within the window, and only while nothing newer was published."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from articles import services
from articles.models import Article, Kind, Materiality
from notifications.models import ChangeEvent
from readiness import selectors as readiness
from readiness.models import MustRead
from tenants.selectors import workspace_access

from .factories import get, host, http_as


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _content(body: str) -> services.Content:
    return services.Content(title="Returns policy", language="en", tags=["returns"], body=body)


@pytest.fixture
def page(acme):
    collection = services.collection_create(name="Returns", acting_user=acme.acme_editor)
    article = services.article_create(kind=Kind.ARTICLE, collection=collection, acting_user=acme.acme_editor,
                                      publish=True, content=_content("Refunds within 14 days."))
    return SimpleNamespace(world=acme, article=article, first=article.live_revision)


def _publish_again(page, body: str, capture, *, by=None, **publish_as):
    """A new revision published from the editor's save; what undoes it (taken as the view does)."""
    editor = by or page.world.acme_editor
    article = Article.objects.get(pk=page.article.pk)
    previous_id = article.live_revision_id
    with capture(execute=True):
        services.article_save(article=article, expected_revision_id=article.latest_revision_id,
                              content=_content(body), summary="New delay", acting_user=editor, publish=True,
                              publish_as=publish_as or None)
    return services.publish_offer(article=article, previous_id=previous_id, acting_user=editor)


def test_undo_puts_back_the_revision_live_before_as_a_new_revision(page, django_capture_on_commit_callbacks):
    undo = _publish_again(page, "Refunds within 30 days.", django_capture_on_commit_callbacks)
    article = Article.objects.get(pk=page.article.pk)
    assert article.live_revision.number == 2
    with django_capture_on_commit_callbacks(execute=True):
        restored = services.publish_undo(article=article, undo=undo, acting_user=page.world.acme_editor)
    article.refresh_from_db()
    assert restored.number == 3 and restored.restored_from_id == page.first.pk
    assert article.live_revision_id == restored.pk and not article.has_unpublished_changes
    assert article.live_revision.body == "Refunds within 14 days."
    assert list(article.revisions.values_list("number", flat=True)) == [3, 2, 1]  # history kept


def test_an_undone_must_read_is_withdrawn(page, django_capture_on_commit_callbacks):
    viewer = page.world.acme_viewer
    undo = _publish_again(page, "Refunds within 30 days.", django_capture_on_commit_callbacks,
                          materiality=Materiality.MUST_READ, must_read={"everyone": True})
    access = workspace_access(viewer, page.world.acme)
    assert [m.revision.number for m in readiness.pending_for(access)] == [2]
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_undo(article=page.article, undo=undo, acting_user=page.world.acme_editor)
    assert list(readiness.pending_for(access)) == []
    assert MustRead.objects.get(revision__number=2).superseded_at is not None
    # The change not told yet (the debounce merges the undo into it) no longer asks a must-read.
    told = ChangeEvent.objects.filter(article_id=page.article.pk)
    assert list(told.values_list("materiality", "must_read", "revision__number")) == [(Materiality.UPDATE, None, 3)]


def test_a_first_publish_undone_is_a_draft_again(acme, django_capture_on_commit_callbacks):
    collection = services.collection_create(name="Returns", acting_user=acme.acme_editor)
    with django_capture_on_commit_callbacks(execute=True):
        article = services.article_create(kind=Kind.ARTICLE, collection=collection, acting_user=acme.acme_editor,
                                          publish=True, content=_content("Refunds within 14 days."))
    undo = services.publish_offer(article=article, previous_id=None, acting_user=acme.acme_editor)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.publish_undo(article=article, undo=undo, acting_user=acme.acme_editor) is None
    article.refresh_from_db()
    assert article.live_revision_id is None and not article.is_published and article.has_unpublished_changes
    assert get(acme.acme_viewer, article.url("read"), acme.acme).status_code == 404


def _refused(page, undo, person, **kwargs):
    live, revisions = Article.objects.get(pk=page.article.pk).live_revision_id, page.article.revisions.count()
    with pytest.raises(ValidationError, match="can no longer be undone"):
        services.publish_undo(article=page.article, undo=undo, acting_user=person, **kwargs)
    assert Article.objects.get(pk=page.article.pk).live_revision_id == live
    assert page.article.revisions.count() == revisions


def test_someone_else_cannot_undo_it(page, django_capture_on_commit_callbacks):
    undo = _publish_again(page, "Refunds within 30 days.", django_capture_on_commit_callbacks)
    _refused(page, undo, page.world.acme_admin)


def test_it_cannot_be_undone_after_the_window(page, django_capture_on_commit_callbacks):
    undo = _publish_again(page, "Refunds within 30 days.", django_capture_on_commit_callbacks)
    late = undo.published_at + services.revisions.UNDO_WINDOW + datetime.timedelta(seconds=1)
    _refused(page, undo, page.world.acme_editor, now=late)
    in_time = undo.published_at + services.revisions.UNDO_WINDOW - datetime.timedelta(seconds=1)
    assert services.publish_undo(article=page.article, undo=undo, acting_user=page.world.acme_editor, now=in_time)


def test_it_cannot_be_undone_once_a_newer_revision_was_published(page, django_capture_on_commit_callbacks):
    undo = _publish_again(page, "Refunds within 30 days.", django_capture_on_commit_callbacks)
    _publish_again(page, "Refunds within 60 days.", django_capture_on_commit_callbacks, by=page.world.acme_admin)
    _refused(page, undo, page.world.acme_editor)
    assert Article.objects.get(pk=page.article.pk).live_revision.body == "Refunds within 60 days."


# --- Through the pages ------------------------------------------------------------------------


def _publish_from_the_editor(http, page, body: str):
    article = page.article
    form = {"action": "publish", "title": "Returns policy", "language": "en", "tags": "returns",
            "collection": article.collection_id, "body": body, "summary": "New delay",
            "base_revision": Article.objects.get(pk=article.pk).latest_revision_id,
            "publish-materiality": Materiality.UPDATE}
    response = http.post(article.url("edit"), form, HTTP_HOST=host(page.world.acme), follow=True)
    connection.set_tenant(page.world.acme)
    return response


def test_the_page_after_a_publish_offers_the_undo_and_it_works(page):
    editor = http_as(page.world.acme_editor)
    landed = _publish_from_the_editor(editor, page, "Refunds within 30 days.").content.decode()
    assert "Revision 2 is live." in landed and 'csrfmiddlewaretoken' in landed.split('id="publish-undo"')[1]
    assert page.article.url("publish-undo") in landed
    # Someone else is not offered it, and cannot use it.
    other = http_as(page.world.acme_admin)
    assert 'id="publish-undo"' not in other.get(page.article.url("read"), HTTP_HOST=host(page.world.acme)).content.decode()
    refused = other.post(page.article.url("publish-undo"), HTTP_HOST=host(page.world.acme), follow=True)
    assert "There is no publish of this article to undo." in refused.content.decode()
    connection.set_tenant(page.world.acme)
    assert Article.objects.get(pk=page.article.pk).live_revision.number == 2
    undone = editor.post(page.article.url("publish-undo"), HTTP_HOST=host(page.world.acme), follow=True)
    assert "readers see the previous text again (as revision 3)" in undone.content.decode()
    assert 'id="publish-undo"' not in undone.content.decode()  # offered once
    reader = get(page.world.acme_viewer, page.article.url("read"), page.world.acme).content.decode()
    assert "Refunds within 14 days." in reader and "30 days" not in reader
