"""Suggestions: a provider person with contribute proposes, a client editor accepts (as it is
or with changes) or rejects with a reason, and the contributor is told either way."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client as HttpClient
from django.utils import translation

from articles import services, suggestions
from articles.models import Article, Kind, Suggestion, SuggestionStatus
from audit.models import Action, AuditEvent
from permissions import services as grants
from tenants import services as tenants
from tenants.selectors import workspace_access

from .conftest import host
from .mailbox import delivered


@pytest.fixture(autouse=True)
def _in_english():
    """Messages are matched in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def acme(world, in_tenant):
    in_tenant(world.acme)
    return world


@pytest.fixture
def deliveries(acme):
    return services.collection_create(name="Deliveries", acting_user=acme.acme_editor)


@pytest.fixture
def guide(acme, deliveries):
    return services.article_create(
        kind=Kind.GUIDE, collection=deliveries, acting_user=acme.acme_editor, publish=True,
        content=services.Content(title="Redeliver a parcel", language="en", tags=["delivery"], steps=[
            {"title": "Check the tracking", "body": "Open the tracking page."},
            {"title": "Offer a new date", "body": "Propose the next two slots."},
            {"title": "Confirm", "body": "Send the confirmation SMS."},
        ]),
    )


@pytest.fixture
def team(acme, deliveries):
    """agent_both contributes to Deliveries; agent_acme may only read it."""
    team = tenants.team_create(provider=acme.helios, name="Delivery desk")
    team.members.add(acme.agent_both)
    grants.grant_give(target=deliveries, level="contribute", team=team, acting_user=acme.acme_admin)
    grants.grant_give(target=deliveries, level="read", person=acme.agent_acme, acting_user=acme.acme_admin)
    return team


def access(world, user):
    return workspace_access(user, world.acme)


def http_as(user):
    http = HttpClient()
    http.force_login(user)
    return http


def get(user, url, world, **params):
    return http_as(user).get(url, params, HTTP_HOST=host(world.acme))


def post(user, url, world, data=None):
    return http_as(user).post(url, data or {}, HTTP_HOST=host(world.acme))


def saturday_content(article):
    live = article.live_revision
    steps = [dict(step) for step in live.steps]
    steps[1]["body"] = "Propose the next three slots, Saturday included."
    return services.Content(title=live.title, language=live.language, tags=list(live.tags), steps=steps)


@pytest.fixture
def suggestion(acme, guide, team):
    return suggestions.suggestion_create(
        access=access(acme, acme.agent_both), acting_user=acme.agent_both, article=guide,
        content=saturday_content(guide), reason="Customers keep asking about Saturday deliveries.",
    )


def editor_form(article_or_content, **extra):
    """POST data of the editor for a content dict (steps keyed by their ids)."""
    content = article_or_content
    data = {"title": content["title"], "language": content["language"], "tags": ", ".join(content["tags"]),
            "body": content["body"], **extra}
    for n, step in enumerate(content["steps"], start=1):
        key = f"k{n}"
        data.update({f"steps-{key}-id": step.get("id", ""), f"steps-{key}-title": step["title"],
                     f"steps-{key}-body": step["body"], f"steps-{key}-order": n})
    return data


# Proposing ------------------------------------------------------------------------------------


def test_a_contributor_proposes_a_change_on_the_live_revision(suggestion, guide):
    assert suggestion.status == SuggestionStatus.PENDING
    assert suggestion.base_revision_id == guide.live_revision_id
    assert [s["id"] for s in suggestion.steps] == [s["id"] for s in guide.live_revision.steps]
    guide.refresh_from_db()
    assert guide.revisions.count() == 1, "a suggestion never touches the article"


def test_a_suggestion_needs_a_reason_and_a_change(acme, guide, team):
    agent = access(acme, acme.agent_both)
    with pytest.raises(ValidationError) as error:
        suggestions.suggestion_create(access=agent, acting_user=acme.agent_both, article=guide,
                                      content=saturday_content(guide), reason="  ")
    assert "reason" in error.value.message_dict
    live = guide.live_revision
    unchanged = services.Content(title=live.title, language="en", tags=list(live.tags), steps=live.steps)
    with pytest.raises(ValidationError, match="does not change anything"):
        suggestions.suggestion_create(access=agent, acting_user=acme.agent_both, article=guide,
                                      content=unchanged, reason="Because")


def test_a_step_of_another_article_is_refused(acme, guide, deliveries, team):
    other = services.article_create(
        kind=Kind.GUIDE, collection=deliveries, acting_user=acme.acme_editor, publish=True,
        content=services.Content(title="Other", language="en", tags=[], steps=[{"title": "A", "body": "b"}]),
    )
    content = saturday_content(guide)
    content.steps[0]["id"] = other.live_revision.steps[0]["id"]
    with pytest.raises(ValidationError, match="does not belong"):
        suggestions.suggestion_create(access=access(acme, acme.agent_both), acting_user=acme.agent_both,
                                      article=guide, content=content, reason="Because")


def test_only_contribute_lets_a_provider_propose(acme, guide, team):
    with pytest.raises(PermissionDenied):
        suggestions.suggestion_create(access=access(acme, acme.agent_acme), acting_user=acme.agent_acme,
                                      article=guide, content=saturday_content(guide), reason="Because")
    assert not Suggestion.objects.exists()


def test_the_suggest_editor_sends_a_suggestion(acme, guide, team):
    page = get(acme.agent_both, guide.url("read"), acme).content.decode()
    assert "Suggest a change" in page
    editor = get(acme.agent_both, guide.url("suggest"), acme)
    assert editor.status_code == 200
    assert "Propose the next two slots." in editor.content.decode()
    content = saturday_content(guide).as_dict()
    content["steps"] = guide.live_revision.steps
    data = editor_form(content, base_revision=guide.live_revision_id, reason="Saturday questions")
    data["steps-k2-body"] = "Propose Saturday too."
    response = post(acme.agent_both, guide.url("suggest"), acme, data)
    assert response.status_code == 302 and response["Location"] == "/suggestions/mine/"
    suggestion = Suggestion.objects.get()
    assert suggestion.contributor_id == acme.agent_both.pk and suggestion.steps[1]["body"] == "Propose Saturday too."
    mine = get(acme.agent_both, "/suggestions/mine/", acme).content.decode()
    assert "Redeliver a parcel" in mine and "Waiting for an editor." in mine


def test_the_suggest_editor_keeps_the_text_and_asks_for_a_reason(acme, guide, team):
    content = saturday_content(guide).as_dict()
    response = post(acme.agent_both, guide.url("suggest"), acme,
                    editor_form(content, base_revision=guide.live_revision_id, reason=""))
    assert response.status_code == 400
    assert "customers keep asking about" in response.content.decode()
    assert "Saturday included." in response.content.decode()
    assert not Suggestion.objects.exists()


# Accepting ------------------------------------------------------------------------------------


def test_accepting_publishes_a_revision_crediting_the_contributor(acme, guide, suggestion,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(acme.acme_editor, f"/suggestions/{suggestion.pk}/accept/", acme)
    assert response.status_code == 302
    guide.refresh_from_db()
    revision = guide.live_revision
    assert revision.number == 2 and guide.latest_revision_id == revision.pk
    assert revision.contributor_id == acme.agent_both.pk and revision.author_id == acme.acme_editor.pk
    assert revision.steps[1]["body"] == "Propose the next three slots, Saturday included."
    assert revision.steps[1]["id"] == guide.revisions.get(number=1).steps[1]["id"]
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED and suggestion.resulting_revision_id == revision.pk
    assert suggestion.reviewed_by_id == acme.acme_editor.pk
    event = AuditEvent.objects.get(action=Action.SUGGESTION_ACCEPTED, detail__suggestion=suggestion.pk)
    assert event.object_id == str(guide.pk) and event.actor_id == acme.acme_editor.pk
    [message] = delivered()
    assert message.to == [acme.agent_both.email] and "accepted" in message.subject
    # The contributor sees the credit on the guide and on their suggestions.
    page = get(acme.agent_both, guide.url("read"), acme).content.decode()
    assert "This version includes your suggestion" in page
    assert "Accepted by" in get(acme.agent_both, "/suggestions/mine/", acme).content.decode()
    # Editors see who contributed it in the history.
    assert "suggested by Agent.Both" in get(acme.acme_editor, guide.url("history"), acme).content.decode()


def test_a_suggestion_is_reviewed_once(acme, suggestion):
    suggestions.suggestion_accept(suggestion=suggestion, acting_user=acme.acme_editor)
    with pytest.raises(ValidationError, match="already reviewed"):
        suggestions.suggestion_reject(suggestion=suggestion, acting_user=acme.acme_editor, reason="no")
    response = post(acme.acme_editor, f"/suggestions/{suggestion.pk}/accept/", acme)
    assert response.status_code == 302 and response["Location"] == f"/suggestions/{suggestion.pk}/"
    assert Article.objects.get().revisions.count() == 2


def test_accept_with_changes_publishes_the_editors_version(acme, guide, suggestion):
    url = f"/suggestions/{suggestion.pk}/accept-with-changes/"
    editor = get(acme.acme_editor, url, acme)
    assert editor.status_code == 200
    assert "Saturday included." in editor.content.decode()
    content = suggestions.proposed_content(suggestion)
    data = editor_form(content, base_revision=guide.latest_revision_id, summary="Saturday, shorter")
    data["steps-k2-body"] = "Propose the next three slots (Saturday too)."
    response = post(acme.acme_editor, url, acme, data)
    assert response.status_code == 302
    guide.refresh_from_db()
    revision = guide.live_revision
    assert revision.steps[1]["body"] == "Propose the next three slots (Saturday too)."
    assert revision.contributor_id == acme.agent_both.pk and revision.summary == "Saturday, shorter"
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED
    event = AuditEvent.objects.get(action=Action.SUGGESTION_ACCEPTED, detail__suggestion=suggestion.pk)
    assert event.detail["with_changes"] is True


def test_a_new_article_proposal_becomes_a_published_article(acme, deliveries, team,
                                                            django_capture_on_commit_callbacks):
    editor = get(acme.agent_both, "/new-suggestion/faq/", acme, collection=deliveries.slug)
    assert editor.status_code == 200
    data = {"title": "Saturday deliveries", "language": "en", "tags": "saturday", "collection": deliveries.pk,
            "faqs-a-question": "Do you deliver on Saturday?", "faqs-a-answer": "Yes, until noon.",
            "faqs-a-order": 1, "reason": "Asked ten times a day"}
    assert post(acme.agent_both, "/new-suggestion/faq/", acme, data).status_code == 302
    suggestion = Suggestion.objects.get()
    assert suggestion.is_new_article and suggestion.collection_id == deliveries.pk
    review = get(acme.acme_editor, f"/suggestions/{suggestion.pk}/", acme).content.decode()
    assert "Do you deliver on Saturday?" in review
    with django_capture_on_commit_callbacks(execute=True):
        revision = suggestions.suggestion_accept(suggestion=suggestion, acting_user=acme.acme_editor)
    article = revision.article
    assert article.kind == Kind.FAQ and article.live_revision_id == revision.pk and article.collection == deliveries
    assert revision.contributor_id == acme.agent_both.pk
    event = AuditEvent.objects.get(action=Action.SUGGESTION_ACCEPTED, detail__suggestion=suggestion.pk)
    assert event.object_id == str(deliveries.pk)
    assert len(delivered()) == 1


# A suggestion on a revision that has changed since ----------------------------------------------


def test_a_stale_suggestion_shows_the_change_and_keeps_it_when_accepted(acme, guide, suggestion):
    live = guide.live_revision
    steps = [dict(step) for step in live.steps]
    steps[0]["body"] = "Open the tracking page and read the last scan."
    services.revision_create(
        article=guide, expected_revision_id=live.pk, summary="Last scan", acting_user=acme.acme_editor,
        publish=True, content=services.Content(title=live.title, language="en", tags=list(live.tags), steps=steps),
    )
    review = get(acme.acme_editor, f"/suggestions/{suggestion.pk}/", acme).content.decode()
    assert "This guide changed since the suggestion was made" in review
    assert "read the last scan" in review  # the base → current diff
    assert "changed since" in get(acme.acme_editor, "/suggestions/", acme).content.decode()
    revision = suggestions.suggestion_accept(suggestion=suggestion, acting_user=acme.acme_editor)
    assert revision.number == 3
    assert revision.steps[0]["body"] == "Open the tracking page and read the last scan."
    assert revision.steps[1]["body"] == "Propose the next three slots, Saturday included."
    assert [s["id"] for s in revision.steps] == [s["id"] for s in live.steps]


def test_merge_applies_additions_and_removals_on_the_current_steps():
    base = [{"id": "a", "t": 1}, {"id": "b", "t": 1}, {"id": "c", "t": 1}]
    current = [{"id": "a", "t": 2}, {"id": "b", "t": 1}, {"id": "c", "t": 1}, {"id": "d", "t": 1}]
    proposed = [{"id": "a", "t": 1}, {"id": "n", "t": 9}, {"id": "b", "t": 5}]  # c removed
    merged = suggestions._merge_items(base, current, proposed)
    assert merged == [{"id": "a", "t": 2}, {"id": "n", "t": 9}, {"id": "b", "t": 5}, {"id": "d", "t": 1}]


# Rejecting ------------------------------------------------------------------------------------


def test_rejecting_needs_a_reason_and_tells_the_contributor(acme, guide, suggestion,
                                                            django_capture_on_commit_callbacks):
    url = f"/suggestions/{suggestion.pk}/reject/"
    response = post(acme.acme_editor, url, acme, {"reason": " "})
    assert response.status_code == 400
    assert "Tell the contributor why" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(acme.acme_editor, url, acme, {"reason": "Saturday slots end in June."})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.REJECTED and suggestion.review_note == "Saturday slots end in June."
    guide.refresh_from_db()
    assert guide.revisions.count() == 1
    [message] = delivered()
    assert message.to == [acme.agent_both.email]
    assert "not accepted" in message.subject and "Saturday slots end in June." in message.body
    assert "/suggestions/mine/" in message.body
    event = AuditEvent.objects.get(action=Action.SUGGESTION_REJECTED, detail__suggestion=suggestion.pk)
    assert event.detail["reason"] == "Saturday slots end in June."
    mine = get(acme.agent_both, "/suggestions/mine/", acme).content.decode()
    assert "Saturday slots end in June." in mine and "Rejected" in mine


def test_the_email_speaks_the_contributors_language(acme, suggestion, django_capture_on_commit_callbacks):
    acme.agent_both.language = "fr"
    acme.agent_both.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        suggestions.suggestion_reject(suggestion=suggestion, acting_user=acme.acme_editor, reason="Non.")
    [message] = delivered()
    assert message.to == [acme.agent_both.email] and "Non." in message.body


# Who sees what -------------------------------------------------------------------------------


def suggestion_urls(suggestion, guide):
    return [
        "/suggestions/", f"/suggestions/{suggestion.pk}/", f"/suggestions/{suggestion.pk}/accept-with-changes/",
        "/suggestions/mine/", guide.url("suggest"), "/new-suggestion/guide/", "/suggestions/editor/rows/steps/",
    ]


def test_viewers_and_providers_without_contribute_get_404(acme, guide, suggestion):
    for user in (acme.acme_viewer, acme.agent_acme, acme.lead):
        for url in suggestion_urls(suggestion, guide):
            assert get(user, url, acme).status_code == 404, (user, url)
        for url in (f"/suggestions/{suggestion.pk}/accept/", f"/suggestions/{suggestion.pk}/reject/",
                    "/suggestions/editor/preview/"):
            assert post(user, url, acme, {"reason": "x"}).status_code == 404, (user, url)
    suggestion.refresh_from_db()
    assert suggestion.is_pending
    assert "Suggest a change" not in get(acme.agent_acme, guide.url("read"), acme).content.decode()


def test_a_contributor_cannot_review(acme, suggestion):
    for url in ("/suggestions/", f"/suggestions/{suggestion.pk}/accept-with-changes/"):
        assert get(acme.agent_both, url, acme).status_code == 404
    assert post(acme.agent_both, f"/suggestions/{suggestion.pk}/accept/", acme).status_code == 404
    own = get(acme.agent_both, f"/suggestions/{suggestion.pk}/", acme)
    assert own.status_code == 200 and "Accept and publish" not in own.content.decode()


def test_editors_and_admins_see_the_queue(acme, suggestion):
    for user in (acme.acme_editor, acme.acme_admin):
        page = get(user, "/suggestions/", acme).content.decode()
        assert "Redeliver a parcel" in page and "Agent.Both" in page


def test_providers_see_only_their_own_suggestions(acme, guide, team, suggestion):
    team.members.add(acme.agent_acme)  # now a contributor too
    other = http_as(acme.agent_acme)
    assert other.get(f"/suggestions/{suggestion.pk}/", HTTP_HOST=host(acme.acme)).status_code == 404
    mine = other.get("/suggestions/mine/", HTTP_HOST=host(acme.acme))
    assert mine.status_code == 200 and "Redeliver a parcel" not in mine.content.decode()
    assert set(suggestions.suggestions_for(access(acme, acme.agent_acme))) == set()


def test_another_tenants_suggestion_is_not_found(acme, suggestion, in_tenant):
    in_tenant(acme.lumiere)
    assert get(acme.lumiere_editor, f"/suggestions/{suggestion.pk}/", acme).status_code == 404  # wrong tenant host
    response = http_as(acme.lumiere_editor).get(f"/suggestions/{suggestion.pk}/", HTTP_HOST=host(acme.lumiere))
    assert response.status_code == 404


def test_client_author_names_are_hidden_from_providers(acme, suggestion):
    acme.acme_editor.full_name = "Eve Margins"
    acme.acme_editor.save(update_fields=["full_name"])
    suggestions.suggestion_reject(suggestion=suggestion, acting_user=acme.acme_editor, reason="Not now.")
    for url in ("/suggestions/mine/", f"/suggestions/{suggestion.pk}/"):
        page = get(acme.agent_both, url, acme).content.decode()
        assert "Eve Margins" not in page and "Acme Parcels editor" in page, url
    # The client sees its own staff's names.
    assert "Eve Margins" in get(acme.acme_admin, f"/suggestions/{suggestion.pk}/", acme).content.decode()
    # A tenant that does not hide them shows the name.
    acme.acme.hide_author_names_from_providers = False
    acme.acme.save(update_fields=["hide_author_names_from_providers"])
    assert "Eve Margins" in get(acme.agent_both, "/suggestions/mine/", acme).content.decode()


def test_the_queue_is_bounded_in_queries(acme, guide, team, django_assert_max_num_queries):
    agent = access(acme, acme.agent_both)
    for n in range(10):
        content = saturday_content(guide)
        content.steps[2]["body"] = f"Variant {n}"
        suggestions.suggestion_create(access=agent, acting_user=acme.agent_both, article=guide, content=content,
                                      reason=f"Reason {n}")
    http = http_as(acme.acme_editor)
    http.get("/suggestions/", HTTP_HOST=host(acme.acme))
    with django_assert_max_num_queries(15):
        assert http.get("/suggestions/", HTTP_HOST=host(acme.acme)).status_code == 200


def test_the_review_page_warns_of_an_unpublished_draft(acme, guide, suggestion):
    live = guide.live_revision
    services.revision_create(
        article=guide, expected_revision_id=live.pk, summary="Work in progress", acting_user=acme.acme_editor,
        content=services.Content(title="Redeliver a parcel (draft)", language="en", tags=list(live.tags),
                                 steps=live.steps),
    )
    review = get(acme.acme_editor, f"/suggestions/{suggestion.pk}/", acme).content.decode()
    assert "An unpublished draft (revision 2)" in review
    revision = suggestions.suggestion_accept(suggestion=suggestion, acting_user=acme.acme_editor)
    assert revision.number == 3 and revision.title == "Redeliver a parcel"  # the draft is not published
