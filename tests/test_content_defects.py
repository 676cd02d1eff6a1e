"""Defects found trying the product as a new user (issue 10): a refused save that still wrote
the article's settings, CRLF line endings from the browser, suggestions without an edit,
unsafe characters in titles and tags, and actions offered where they do not apply."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from articles import services
from articles.models import Article, Collection, Kind, Revision, Suggestion
from permissions import services as grants
from permissions.selectors import visible_articles
from tenants import services as tenants
from tenants.selectors import workspace_access

from .conftest import host
from .factories import http_as


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def deliveries(acme):
    return services.collection_create(name="Deliveries", acting_user=acme.acme_editor)


@pytest.fixture
def guide(acme, deliveries):
    return services.article_create(
        kind=Kind.GUIDE, collection=deliveries, acting_user=acme.acme_editor, publish=True,
        content=services.Content(title="Redeliver a parcel", language="en", tags=["delivery"], body="Intro\n\nMore", steps=[
            {"title": "Check the tracking", "body": "Open the tracking page.\n\nLook at the last scan."},
            {"title": "Offer a new date", "body": "Propose the next two slots."},
        ]),
    )


def edit_form(article, *, crlf=False, **overrides):
    """The editor's POST for the article's latest revision, as a browser sends it."""
    latest = article.latest_revision
    nl = "\r\n" if crlf else "\n"
    data = {
        "title": latest.title, "collection": article.collection_id, "language": latest.language,
        "tags": ", ".join(latest.tags), "review_by": article.review_by.isoformat(), "summary": "",
        "body": latest.body.replace("\n", nl), "base_revision": latest.pk, "action": "publish",
        "confidential": "on" if article.confidential else "",
    }
    if not data["confidential"]:
        del data["confidential"]
    for n, step in enumerate(latest.steps, start=1):
        data.update({f"steps-{step['id']}-id": step["id"], f"steps-{step['id']}-title": step["title"],
                     f"steps-{step['id']}-body": step["body"].replace("\n", nl), f"steps-{step['id']}-order": n})
    data.update(overrides)
    return data


# 1. A refused save writes nothing ------------------------------------------------------------


def test_a_conflicting_save_leaves_the_article_confidential(acme, guide):
    services.article_update_settings(article=guide, collection=guide.collection, review_by=guide.review_by,
                                     confidential=True)
    stale_form = edit_form(guide)  # opened by Bob while the article is confidential
    # Alice saves first.
    services.revision_create(
        article=guide, expected_revision_id=guide.latest_revision_id, summary="Alice",
        content=services.Content(title=guide.title, language="en", tags=[], body="Alice's intro",
                                 steps=guide.latest_revision.steps),
        acting_user=acme.acme_admin,
    )
    del stale_form["confidential"]  # Bob un-ticks "confidential" on his old form
    other = Collection.objects.create(name="Elsewhere", slug="elsewhere")
    stale_form.update(collection=other.pk, review_by="2030-01-01")
    response = http_as(acme.acme_editor).post(guide.url("edit"), stale_form, HTTP_HOST=host(acme.acme))
    assert response.status_code == 409
    guide.refresh_from_db()
    assert guide.confidential, "a refused save must not write the settings"
    assert guide.collection_id != other.pk and guide.review_by.isoformat() != "2030-01-01"
    agent = workspace_access(acme.agent_both, acme.acme)
    assert not visible_articles(agent).filter(pk=guide.pk).exists()


def test_an_invalid_save_leaves_the_settings_as_they_were(acme, guide):
    form = edit_form(guide, title="")  # refused by the service: a title is required
    form.update(confidential="on", review_by="2030-01-01")
    response = http_as(acme.acme_editor).post(guide.url("edit"), form, HTTP_HOST=host(acme.acme))
    assert response.status_code == 400 and "Give it a title." in response.content.decode()
    guide.refresh_from_db()
    assert not guide.confidential and guide.review_by.isoformat() != "2030-01-01"
    assert guide.revisions.count() == 1


def test_a_save_writes_settings_and_revision_together(acme, guide):
    form = edit_form(guide, summary="tighter", confidential="on")
    form[f"steps-{guide.latest_revision.steps[1]['id']}-body"] = "Propose three slots."
    response = http_as(acme.acme_editor).post(guide.url("edit"), form, HTTP_HOST=host(acme.acme))
    assert response.status_code == 302
    guide.refresh_from_db()
    assert guide.confidential and guide.revisions.count() == 2
    assert guide.live_revision.steps[1]["body"] == "Propose three slots."


# 2. Line endings and saves that change nothing -----------------------------------------------


def test_text_from_the_browser_is_stored_with_lf(acme, deliveries):
    response = http_as(acme.acme_editor).post("/new/guide/", {
        "title": "Cancel an order", "collection": deliveries.pk, "language": "en", "tags": "",
        "body": "Line one\r\nLine two\r\n\r\nPara\rOld Mac", "action": "publish",
        "steps-a-title": "Find it", "steps-a-body": "Search\r\nit.", "steps-a-order": "1",
    }, HTTP_HOST=host(acme.acme))
    assert response.status_code == 302
    revision = Article.objects.get(slug="cancel-an-order").latest_revision
    assert revision.body == "Line one\nLine two\n\nPara\nOld Mac"
    assert revision.steps[0]["body"] == "Search\nit."


def test_saving_an_unchanged_form_makes_no_revision(acme, guide):
    http = http_as(acme.acme_editor)
    response = http.post(guide.url("edit"), edit_form(guide, crlf=True), HTTP_HOST=host(acme.acme), follow=True)
    assert response.status_code == 200
    assert "Nothing changed" in response.content.decode()
    assert guide.revisions.count() == 1


def test_a_settings_only_change_is_saved_without_a_revision(acme, guide):
    response = http_as(acme.acme_editor).post(guide.url("edit"), edit_form(guide, crlf=True, confidential="on"),
                                              HTTP_HOST=host(acme.acme), follow=True)
    assert response.status_code == 200
    guide.refresh_from_db()
    assert guide.confidential and guide.revisions.count() == 1
    assert "no new revision" in response.content.decode()


def test_publishing_an_unchanged_draft_publishes_it_without_a_new_revision(acme, guide):
    latest = guide.latest_revision
    draft = services.revision_create(
        article=guide, expected_revision_id=latest.pk, summary="draft", acting_user=acme.acme_editor,
        content=services.Content(title="Redeliver a parcel", language="en", tags=["delivery"], body="New intro",
                                 steps=latest.steps),
    )
    guide.refresh_from_db()
    http_as(acme.acme_editor).post(guide.url("edit"), edit_form(guide, crlf=True), HTTP_HOST=host(acme.acme))
    guide.refresh_from_db()
    assert guide.live_revision_id == draft.pk and guide.revisions.count() == 2


def test_the_service_normalises_line_endings_of_every_field(acme, deliveries):
    faq = services.article_create(
        kind=Kind.FAQ, collection=deliveries, acting_user=acme.acme_editor,
        content=services.Content(title="Fees", language="en", tags=[], body="a\r\nb",
                                 faqs=[{"question": "Who pays?", "alternatives": ["Fees?\r"], "answer": "We\r\ndo."}]),
    )
    revision = faq.latest_revision
    assert revision.body == "a\nb" and revision.faqs[0]["answer"] == "We\ndo."
    assert revision.faqs[0]["alternatives"] == ["Fees?"]


# 3. A suggestion without an edit --------------------------------------------------------------


@pytest.fixture
def contributor(acme, deliveries):
    team = tenants.team_create(provider=acme.helios, name="Delivery desk")
    team.members.add(acme.agent_both)
    grants.grant_give(target=deliveries, level="contribute", team=team, acting_user=acme.acme_admin)
    return acme.agent_both


def test_a_suggestion_with_no_edit_from_the_browser_is_refused_and_the_text_kept(acme, guide, contributor):
    form = edit_form(guide, crlf=True, reason="Customers keep asking")
    for name in ("collection", "review_by", "summary", "action"):
        form.pop(name, None)
    form["base_revision"] = guide.live_revision_id
    response = http_as(contributor).post(guide.url("suggest"), form, HTTP_HOST=host(acme.acme))
    body = response.content.decode()
    assert response.status_code == 400
    assert "does not change anything" in body
    assert "Customers keep asking" in body and "Look at the last scan." in body
    assert not Suggestion.objects.exists()


def test_a_suggestion_is_stored_with_lf(acme, guide, contributor):
    live = guide.live_revision
    steps = [dict(step) for step in live.steps]
    steps[1]["body"] = "Propose\r\nthree slots."
    suggestion = services.suggestion_create(
        access=workspace_access(contributor, acme.acme), acting_user=contributor, article=guide,
        content=services.Content(title=live.title, language="en", tags=live.tags, body="Intro\r\n\r\nMore", steps=steps),
        reason="Saturday\r\nslots",
    )
    assert suggestion.body == "Intro\n\nMore" and suggestion.steps[1]["body"] == "Propose\nthree slots."
    assert suggestion.reason == "Saturday\nslots"


# 6. Unsafe text in titles and tags ------------------------------------------------------------


def test_bidi_overrides_and_controls_are_stripped_from_titles_and_names(acme, deliveries):
    article = services.article_create(
        kind=Kind.GUIDE, collection=deliveries, acting_user=acme.acme_editor, summary="Fix\u202e sdrawkcab\x07",
        content=services.Content(title="Refund \u202egnp.exe\u202c a parcel\x00\x1b", language="en",
                                 tags=["\u2066vip\u2069"], steps=[{"title": "Check\u200f it\x08", "body": "ok"}]),
    )
    revision = article.latest_revision
    assert revision.title == article.title == "Refund gnp.exe a parcel"
    assert revision.steps[0]["title"] == "Check it"
    assert revision.tags == ["vip"]
    assert revision.summary == "Fix sdrawkcab"
    collection = services.collection_create(name="\u202eRefunds\u202c\x0b", acting_user=acme.acme_editor)
    assert collection.name == "Refunds"


def test_a_title_of_invisible_characters_only_is_refused(acme, deliveries):
    with pytest.raises(ValidationError, match="Give it a title"):
        services.article_create(
            kind=Kind.ARTICLE, collection=deliveries, acting_user=acme.acme_editor,
            content=services.Content(title="\u202e\u202c\u200b", language="en", tags=[], body="x"),
        )


def test_joiners_in_emoji_and_scripts_are_kept(acme, deliveries):
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    article = services.article_create(
        kind=Kind.ARTICLE, collection=deliveries, acting_user=acme.acme_editor,
        content=services.Content(title=f"Families {family}", language="en", tags=[], body="x"),
    )
    assert article.title == f"Families {family}"


@pytest.mark.parametrize("title, slug", [
    ("\U0001f4e6\U0001f69a", "package-truck"),
    ("Возврат посылки", "vozvrat-posylki"),
    ("Rembourser un colis — ça coûte 5 €", "rembourser-un-colis-ca-coute-5-eur"),
    ("\u202e", None),
])
def test_slugs_are_meaningful_for_any_title(acme, deliveries, title, slug):
    assert services.slug_base(title, fallback="guide") == (slug or "guide")


def test_an_emoji_title_gets_a_readable_slug(acme, deliveries):
    article = services.article_create(
        kind=Kind.GUIDE, collection=deliveries, acting_user=acme.acme_editor,
        content=services.Content(title="\U0001f4e6", language="en", tags=[], steps=[{"title": "a", "body": "b"}]),
    )
    assert article.slug == "package"
    second = services.article_create(
        kind=Kind.GUIDE, collection=deliveries, acting_user=acme.acme_editor,
        content=services.Content(title="\u2753\u2753", language="en", tags=[], steps=[{"title": "a", "body": "b"}]),
    )
    assert second.slug != "item" and second.slug == "question-question"
    emoji = services.collection_create(name="\U0001f69a", acting_user=acme.acme_editor)
    assert emoji.slug == "truck"


def test_tags_are_normalised(acme):
    assert services.normalise_tags(["Refund", " refund ", "ＲＥＦＵＮＤ", "Cafe\u0301", "café", "late  \t delivery",
                                    "\u202evip", "", "\x00"]) == ["refund", "café", "late delivery", "vip"]
    assert services.normalise_tags("VIP, vip ,Vip") == ["vip"]


# 7. Actions only where they apply ------------------------------------------------------------


def test_verify_is_not_offered_on_a_draft_and_refused_by_the_service(acme, deliveries):
    draft = services.article_create(
        kind=Kind.ARTICLE, collection=deliveries, acting_user=acme.acme_editor,
        content=services.Content(title="Never published", language="en", tags=[], body="wip"),
    )
    page = http_as(acme.acme_editor).get(draft.get_absolute_url(), HTTP_HOST=host(acme.acme)).content.decode()
    assert "Mark as verified" not in page
    with pytest.raises(ValidationError):
        services.article_verify(article=draft, acting_user=acme.acme_editor)
    response = http_as(acme.acme_editor).post(draft.url("verify"), HTTP_HOST=host(acme.acme), follow=True)
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.verified_at is None


def test_verify_is_not_offered_on_the_draft_view_of_a_published_article(acme, guide):
    latest = guide.latest_revision
    services.revision_create(
        article=guide, expected_revision_id=latest.pk, summary="draft", acting_user=acme.acme_editor,
        content=services.Content(title=latest.title, language="en", tags=[], body="New", steps=latest.steps),
    )
    http = http_as(acme.acme_editor)
    draft_page = http.get(guide.get_absolute_url() + "?draft=1", HTTP_HOST=host(acme.acme)).content.decode()
    assert "Mark as verified" not in draft_page and "Publish the latest draft" in draft_page
    live_page = http.get(guide.get_absolute_url(), HTTP_HOST=host(acme.acme)).content.decode()
    assert "Mark as verified" in live_page


def test_the_service_refuses_to_verify_a_revision_that_is_not_live(acme, guide):
    latest = guide.latest_revision
    draft = services.revision_create(
        article=guide, expected_revision_id=latest.pk, summary="draft", acting_user=acme.acme_editor,
        content=services.Content(title=latest.title, language="en", tags=[], body="New", steps=latest.steps),
    )
    guide.refresh_from_db()
    with pytest.raises(ValidationError):
        services.article_verify(article=guide, acting_user=acme.acme_editor, revision=draft)
    response = http_as(acme.acme_editor).post(guide.url("verify"), {"revision": draft.pk}, HTTP_HOST=host(acme.acme))
    assert response.status_code == 302
    guide.refresh_from_db()
    assert guide.verified_at is None
    services.article_verify(article=guide, acting_user=acme.acme_editor, revision=latest)
    guide.refresh_from_db()
    assert guide.verified_at is not None


def test_an_old_revision_page_offers_no_live_actions(acme, guide):
    latest = guide.latest_revision
    services.revision_create(
        article=guide, expected_revision_id=latest.pk, summary="second", acting_user=acme.acme_editor, publish=True,
        content=services.Content(title=latest.title, language="en", tags=[], body="New", steps=latest.steps),
    )
    page = http_as(acme.acme_editor).get(guide.url("history").replace("history/", "revisions/1/"),
                                         HTTP_HOST=host(acme.acme)).content.decode()
    assert "revision 1" in page
    for action in ("Mark as verified", ">Archive<", ">Edit<", "Publish the latest draft"):
        assert action not in page, action
    assert "Restore this revision" in page
    assert Revision.objects.filter(article=guide).count() == 2


def test_the_review_list_offers_verify_only_on_published_content(acme, deliveries, guide):
    import datetime

    services.article_create(
        kind=Kind.ARTICLE, collection=deliveries, acting_user=acme.acme_editor,
        review_by=datetime.date(2020, 1, 1), content=services.Content(title="Stale draft", language="en", tags=[], body="x"),
    )
    Article.objects.filter(pk=guide.pk).update(review_by=datetime.date(2020, 1, 1))
    page = http_as(acme.acme_editor).get("/review/?all=1", HTTP_HOST=host(acme.acme)).content.decode()
    assert page.count("Mark as verified") == 1 and "Stale draft" in page and "publish it first" in page


def test_text_stored_with_crlf_before_the_fix_is_migrated_to_lf(acme, guide):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("articles.migrations.0004_defects_lf_line_endings")
    live = guide.live_revision
    steps = [dict(step, body=step["body"].replace("\n", "\r\n")) for step in live.steps]
    Revision.objects.filter(pk=live.pk).update(steps=steps)  # only the steps hold CRs
    suggestion = Suggestion.objects.create(article=guide, kind=guide.kind, base_revision=live, title="t", language="en",
                                           body="a\r\nb", reason="Why\r\nnot", contributor_id=acme.agent_both.pk)
    untouched = Revision.objects.get(pk=live.pk).rendered
    migration.forwards(apps, None)
    live.refresh_from_db()
    suggestion.refresh_from_db()
    assert suggestion.body == "a\nb" and suggestion.reason == "Why\nnot"
    assert live.body == "Intro\n\nMore"
    assert [s["body"] for s in live.steps] == ["Open the tracking page.\n\nLook at the last scan.", "Propose the next two slots."]
    assert [s["id"] for s in live.steps] == [s["id"] for s in steps] and live.rendered == untouched


def test_a_crlf_revision_shows_no_phantom_change_against_the_same_text_in_lf():
    from articles.diff import diff_revisions, has_changes

    old = {"title": "T", "language": "en", "tags": [], "body": "a\r\n\r\nb",
           "steps": [{"id": "s1", "title": "One", "body": "x\r\ny"}], "faqs": []}
    new = {**old, "body": "a\n\nb", "steps": [{"id": "s1", "title": "One", "body": "x\ny"}]}
    assert not has_changes(diff_revisions(old, new, Kind.GUIDE))
    assert has_changes(diff_revisions(old, {**new, "body": "a\n\nc"}, Kind.GUIDE))


def test_people_team_and_token_names_are_stripped_of_bidi_and_controls():
    from tenants.forms_people import JoinForm, TeamForm
    from tenants.forms_profile import ApiTokenForm

    join = JoinForm({"full_name": "\u202eJane\u202c  Doe\x07", "password1": "x", "password2": "y"}, email="j@x.test")
    join.is_valid()
    assert join.cleaned_data["full_name"] == "Jane Doe"
    team = TeamForm({"name": "Night \u2067desk\u2069"})
    assert team.is_valid() and team.cleaned_data["name"] == "Night desk"
    assert not TeamForm({"name": "\u202e\u200b"}).is_valid()  # invisible only: empty
    token = ApiTokenForm({"name": "CTI\x1b[31m softphone"})
    assert token.is_valid() and token.cleaned_data["name"] == "CTI[31m softphone"
