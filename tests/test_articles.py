"""Collections, articles, guides and FAQs: revisions, publishing, restore, conflicts,
freshness, and the editor's handling of bad input."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles import rendering, services
from articles.models import Article, Feedback, Kind, Revision

from .conftest import host
from .factories import http_as


@pytest.fixture
def refunds(acme):
    return services.collection_create(name="Refunds", acting_user=acme.acme_editor, review_interval_days=90)


def guide_content(*steps, title="Refund a parcel"):
    return services.Content(
        title=title, language="en", tags="refund, Delivery, refund",
        steps=[{"title": t, "body": b} for t, b in steps],
    )


@pytest.fixture
def guide(acme, refunds):
    return services.article_create(
        kind=Kind.GUIDE, collection=refunds, acting_user=acme.acme_editor, publish=True,
        content=guide_content(("Check tracking", "Open **tracking**."), ("Confirm identity", "Ask two questions."),
                              ("Refund", "Issue the refund.")),
    )


def test_creating_and_publishing_makes_revision_one_live(guide):
    assert guide.slug == "refund-a-parcel"
    assert guide.tags == ["refund", "delivery"]
    revision = guide.live_revision
    assert revision.number == 1 and guide.latest_revision_id == revision.pk
    assert not guide.has_unpublished_changes
    assert "<strong>tracking</strong>" in revision.rendered["steps"][0]
    assert revision.sanitiser_version == rendering.SANITISER_VERSION
    assert len({step["id"] for step in revision.steps}) == 3


def test_a_draft_never_touches_what_readers_see(acme, guide):
    live = guide.live_revision
    steps = [dict(s) for s in live.steps]
    steps[1]["body"] = "Ask **three** questions."
    draft = services.revision_create(
        article=guide, expected_revision_id=live.pk, summary="Stricter check",
        content=services.Content(title=live.title, language="en", tags=live.tags, steps=steps), acting_user=acme.acme_editor,
    )
    guide.refresh_from_db()
    assert guide.live_revision_id == live.pk and guide.latest_revision_id == draft.pk
    assert guide.has_unpublished_changes
    assert draft.steps[1]["id"] == live.steps[1]["id"]
    services.article_publish(article=guide, revision=draft, acting_user=acme.acme_editor)
    guide.refresh_from_db()
    assert guide.live_revision_id == draft.pk and not guide.has_unpublished_changes


def test_revisions_are_immutable(guide):
    revision = guide.live_revision
    revision.body = "rewritten history"
    with pytest.raises(ValueError):
        revision.save()


def test_second_save_on_a_stale_base_is_a_conflict_not_an_overwrite(acme, guide):
    base = guide.latest_revision
    content = lambda text: services.Content(  # noqa: E731
        title=base.title, language="en", tags=[], steps=[dict(s, body=text) for s in base.steps])
    first = services.revision_create(article=guide, expected_revision_id=base.pk, content=content("Alice's text"),
                                     summary="Alice", acting_user=acme.acme_editor)
    with pytest.raises(services.EditConflict) as conflict:
        services.revision_create(article=guide, expected_revision_id=base.pk, content=content("Bob's text"),
                                 summary="Bob", acting_user=acme.acme_admin)
    assert conflict.value.current.pk == first.pk
    guide.refresh_from_db()
    assert guide.latest_revision.steps[0]["body"] == "Alice's text"
    assert guide.revisions.count() == 2


def test_restore_appends_a_new_revision(acme, guide):
    original = guide.latest_revision
    services.revision_create(article=guide, expected_revision_id=original.pk, summary="rename",
                             content=guide_content(("Only step", "x"), title="Renamed"), acting_user=acme.acme_editor)
    guide.refresh_from_db()
    restored = services.revision_restore(article=guide, revision=original, acting_user=acme.acme_admin)
    assert restored.number == 3 and restored.restored_from_id == original.pk
    assert restored.title == "Refund a parcel" and restored.steps == original.steps
    assert list(guide.revisions.values_list("number", flat=True)) == [3, 2, 1]


def test_a_step_of_another_article_is_refused(acme, refunds, guide):
    other = services.article_create(kind=Kind.GUIDE, collection=refunds, acting_user=acme.acme_editor,
                                    content=guide_content(("Other", "x"), title="Other guide"))
    foreign = other.latest_revision.steps[0]
    with pytest.raises(ValidationError) as error:
        services.revision_create(
            article=guide, expected_revision_id=guide.latest_revision_id, summary="", acting_user=acme.acme_editor,
            content=services.Content(title="Refund a parcel", language="en", tags=[], steps=[foreign]),
        )
    assert "does not belong to this guide" in str(error.value)


@pytest.mark.parametrize("kind, content, field, message", [
    (Kind.ARTICLE, services.Content(title="  ", language="en", tags=[], body="x"), "title", "Give it a title."),
    (Kind.GUIDE, services.Content(title="G", language="en", tags=[], steps=[]), "steps", "A guide needs at least one step."),
    (Kind.FAQ, services.Content(title="F", language="en", tags=[], faqs=[{"question": "Q?", "answer": ""}]), "faqs", "needs both"),
    (Kind.ARTICLE, services.Content(title="Big", language="en", tags=[], body="x" * 5_000_000), "body", "the limit is 1000 KB"),
])
def test_bad_content_is_refused_with_a_clear_message(refunds, kind, content, field, message):
    with pytest.raises(ValidationError) as error:
        services.clean_content(kind, content)
    assert any(message in text for text in error.value.message_dict[field])


def test_freshness_stale_flag_and_verification(acme, guide):
    guide.review_by = timezone.localdate() - datetime.timedelta(days=1)
    guide.save()
    assert guide.is_stale and Article.objects.stale().filter(pk=guide.pk).exists()
    services.article_verify(article=guide, acting_user=acme.acme_admin)
    guide.refresh_from_db()
    assert not guide.is_stale
    assert guide.review_by == timezone.localdate() + datetime.timedelta(days=90)
    assert guide.verified_by_id == acme.acme_admin.pk


def test_collections_nest_order_and_refuse_cycles(acme, refunds):
    child = services.collection_create(name="Marketplace", parent=refunds, acting_user=acme.acme_editor)
    grandchild = services.collection_create(name="Sellers", parent=child, acting_user=acme.acme_editor)
    assert [c.name for c in grandchild.ancestors()] == ["Refunds", "Marketplace"]
    with pytest.raises(ValidationError):
        services.collection_update(collection=refunds, name="Refunds", parent=grandchild, description="",
                                   confidential=False, review_interval_days=90)
    second = services.collection_create(name="Cancellations", acting_user=acme.acme_editor)
    services.collection_move(collection=second, offset=-1)
    from articles.models import Collection

    assert list(Collection.objects.filter(parent=None).values_list("name", flat=True))[:2] == ["Cancellations", "Refunds"]


# --- through HTTP -------------------------------------------------------------------------

def test_editor_creates_a_guide_through_the_form(acme, refunds):
    http = http_as(acme.acme_editor)
    response = http.post("/new/guide/", {
        "title": "Cancel an order", "collection": refunds.pk, "language": "en", "tags": "cancel",
        "review_by": "", "summary": "first", "body": "",
        "steps-a-title": "Find the order", "steps-a-body": "Search it.", "steps-a-order": "2",
        "steps-b-title": "Greet", "steps-b-body": "Say hello.", "steps-b-order": "1",
        "steps-c-title": "Removed", "steps-c-body": "x", "steps-c-order": "3", "steps-c-delete": "1",
        "action": "publish",
    }, HTTP_HOST=host(acme.acme))
    assert response.status_code == 302
    article = Article.objects.get(slug="cancel-an-order")
    assert [s["title"] for s in article.live_revision.steps] == ["Greet", "Find the order"]
    page = http.get(article.get_absolute_url(), HTTP_HOST=host(acme.acme)).content.decode()
    assert 'id="step-2"' in page and "Find the order" in page


def test_bad_input_keeps_the_authors_text(acme, refunds):
    http = http_as(acme.acme_editor)
    response = http.post("/new/guide/", {
        "title": "", "collection": refunds.pk, "language": "en", "review_by": "31/31/2027",
        "body": "My precious intro", "action": "draft",
    }, HTTP_HOST=host(acme.acme))
    body = response.content.decode()
    assert response.status_code == 400
    assert "My precious intro" in body
    assert "Enter a valid date" in body
    assert not Article.objects.exists()


def test_empty_title_and_guide_without_steps_are_explained(acme, refunds):
    response = http_as(acme.acme_editor).post("/new/guide/", {
        "title": "", "collection": refunds.pk, "language": "en", "body": "Intro kept", "action": "draft",
    }, HTTP_HOST=host(acme.acme))
    body = response.content.decode()
    assert "Give it a title." in body and "A guide needs at least one step." in body and "Intro kept" in body


def test_a_five_megabyte_body_is_refused_and_nothing_saved(acme, refunds):
    response = http_as(acme.acme_editor).post("/new/article/", {
        "title": "Huge", "collection": refunds.pk, "language": "en", "body": "word " * 1_000_000, "action": "draft",
    }, HTTP_HOST=host(acme.acme))
    assert response.status_code == 400
    assert "the limit is 1000 KB" in response.content.decode()
    assert not Article.objects.filter(title="Huge").exists()


def test_second_editor_gets_a_conflict_page_with_both_versions(acme, guide):
    base = guide.latest_revision
    services.revision_create(article=guide, expected_revision_id=base.pk, summary="Alice was first",
                             content=services.Content(title="Refund a parcel", language="en", tags=[],
                                                      steps=[dict(s, body="Alice's words") for s in base.steps]),
                             acting_user=acme.acme_admin)
    data = {"title": "Refund a parcel", "collection": guide.collection_id, "language": "en", "tags": "",
            "review_by": guide.review_by.isoformat(), "summary": "Bob's fix", "body": "",
            "base_revision": base.pk, "action": "draft"}
    for i, step in enumerate(base.steps):
        data.update({f"steps-{step['id']}-id": step["id"], f"steps-{step['id']}-title": step["title"],
                     f"steps-{step['id']}-body": "Bob's words", f"steps-{step['id']}-order": i})
    response = http_as(acme.acme_editor).post(guide.url("edit"), data, HTTP_HOST=host(acme.acme))
    body = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this while you were editing" in body and "Alice was first" in body
    assert "Bob" in body and "Alice" in body  # both versions are on the page
    assert Revision.objects.filter(article=guide).count() == 2  # nothing overwritten
    guide.refresh_from_db()
    assert f'name="base_revision" value="{guide.latest_revision_id}"' in body  # merge builds on theirs


def test_readers_see_published_only_and_viewers_cannot_edit(acme, refunds):
    draft = services.article_create(kind=Kind.ARTICLE, collection=refunds, acting_user=acme.acme_editor,
                                    content=services.Content(title="Secret draft", language="en", tags=[], body="wip"))
    viewer = http_as(acme.acme_viewer)
    assert viewer.get(draft.get_absolute_url(), HTTP_HOST=host(acme.acme)).status_code == 404
    assert viewer.get(draft.url("edit"), HTTP_HOST=host(acme.acme)).status_code == 404
    assert viewer.get("/new/article/", HTTP_HOST=host(acme.acme)).status_code == 404
    assert http_as(acme.acme_editor).get(draft.get_absolute_url(), HTTP_HOST=host(acme.acme)).status_code == 200


def test_archived_content_leaves_lists_but_its_link_opens_marked(acme, refunds, guide):
    services.article_archive(article=guide)
    http = http_as(acme.acme_viewer)
    listing = http.get(refunds.get_absolute_url(), HTTP_HOST=host(acme.acme)).content.decode()
    assert "Refund a parcel" not in listing
    page = http.get(guide.get_absolute_url(), HTTP_HOST=host(acme.acme))
    assert page.status_code == 200 and "archived" in page.content.decode()


def test_feedback_is_stored_per_revision(acme, guide):
    http_as(acme.acme_viewer).post(guide.url("feedback"), {"helpful": "no", "reason": "Missing the fee"},
                                   HTTP_HOST=host(acme.acme))
    feedback = Feedback.objects.get()
    assert feedback.revision_id == guide.live_revision_id and not feedback.helpful and feedback.reason == "Missing the fee"


def test_preview_goes_through_the_sanitiser(acme):
    response = http_as(acme.acme_editor).post("/editor/preview/", {
        "kind": "article", "title": "T", "body": "[x](javascript:alert(1)) <script>alert(2)</script> **ok**",
    }, HTTP_HOST=host(acme.acme))
    body = response.content.decode()
    assert "<strong>ok</strong>" in body and "javascript:" not in body and "<script" not in body


def test_similar_titles_are_suggested_while_typing(acme, guide):
    body = http_as(acme.acme_editor).get("/editor/similar/", {"title": "Refund parcel"}, HTTP_HOST=host(acme.acme)).content.decode()
    assert "A similar article exists" in body and "Refund a parcel" in body


def test_compare_shows_a_word_level_diff_per_step(acme, guide):
    base = guide.latest_revision
    steps = [dict(s) for s in base.steps]
    steps[1]["body"] = "Ask three questions."
    services.revision_create(article=guide, expected_revision_id=base.pk, summary="three", acting_user=acme.acme_editor,
                             content=services.Content(title=base.title, language="en", tags=base.tags, steps=steps))
    body = http_as(acme.acme_editor).get(guide.url("compare") + "?a=1&b=2", HTTP_HOST=host(acme.acme)).content.decode()
    assert "<del>two</del>" in body and "<ins>three</ins>" in body
    # Unchanged steps are folded away (issue 14), not shown as changes.
    unchanged = body.split('<details class="diff-section diff-unchanged">')
    assert len(unchanged) == 3 and all("Check tracking" not in part.split("</details>", 1)[-1] for part in unchanged[1:])
    assert "Check tracking" not in unchanged[0].split('<div class="diff')[-1]


def test_a_long_collection_is_shown_a_page_at_a_time(acme, refunds, monkeypatch):
    from articles.views import collections

    monkeypatch.setattr(collections, "COLLECTION_PAGE_SIZE", 2)
    for title in ("Alpha", "Bravo", "Charlie"):
        services.article_create(kind=Kind.ARTICLE, collection=refunds, acting_user=acme.acme_editor, publish=True,
                                content=services.Content(title=title, language="en", tags="", body="Text."))
    http = http_as(acme.acme_viewer)
    first = http.get(f"/collections/{refunds.slug}/", HTTP_HOST=host(acme.acme)).content.decode()
    assert "Alpha" in first and "Bravo" in first and "Charlie" not in first
    assert "Page 1 of 2 (3 items)" in first and 'href="?page=2"' in first
    second = http.get(f"/collections/{refunds.slug}/", {"page": "2"}, HTTP_HOST=host(acme.acme)).content.decode()
    assert "Charlie" in second and "Alpha" not in second
    # A page number that makes no sense shows a page, not an error.
    for bad in ("abc", "99", "-1"):
        response = http.get(f"/collections/{refunds.slug}/", {"page": bad}, HTTP_HOST=host(acme.acme))
        assert response.status_code == 200


@pytest.mark.parametrize("language, buttons", [
    ("en", ["New article", "New guide", "New FAQ"]),
    ("fr", ["Nouvel article", "Nouveau guide", "Nouvelle FAQ"]),  # each noun with its gender
])
def test_the_new_content_buttons_read_as_phrases_in_each_language(acme, refunds, language, buttons):
    http = http_as(acme.acme_editor, language=language)
    for path in ("/", refunds.get_absolute_url()):
        page = http.get(path, HTTP_HOST=host(acme.acme)).content.decode()
        for button in buttons:
            assert f">{button}</a>" in page, (path, button)
    editor = http.get("/new/faq/", HTTP_HOST=host(acme.acme)).content.decode()
    assert f"<h1>{buttons[2]}</h1>" in editor
