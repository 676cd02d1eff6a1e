"""No one-click accidents, and the smaller writing and reading fixes of issue 14: restore,
archive and revoke ask first; a grant on confidential content names what it opens and asks
once more; archived content has its own list and comes back from it; collections in selects
are their tree; step labels speak the content's language; the lookup page has a heading."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from articles import services
from articles.forms import ArticleForm, tree_choices
from articles.models import Article, Collection, Kind
from permissions.models import CollectionTeamGrant

from .factories import get, host, http_as, post


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _confirm_blocks(html: str) -> list[str]:
    return [part.split("</details>")[0] for part in html.split('<details class="confirm" data-confirm>')[1:]]


def test_archiving_an_article_asks_first_and_the_question_says_what_happens(tree):
    world, article = tree.world, tree.a["refund"]
    html = get(world.acme_editor, article.get_absolute_url(), world.acme).content.decode()
    blocks = [b for b in _confirm_blocks(html) if "Archive…" in b]
    assert len(blocks) == 1
    assert '<summary class="button danger">Archive…</summary>' in blocks[0]
    assert "it can be brought back from the archive" in blocks[0]
    assert 'name="archived" value="1"' in blocks[0] and "Yes, archive it" in blocks[0]
    # The one archive button on the page is the confirming one, inside the question.
    assert html.count('name="archived" value="1"') == 1


def test_archiving_a_collection_asks_first(tree):
    html = get(tree.world.acme_editor, tree.c["other"].get_absolute_url(), tree.world.acme).content.decode()
    assert any("Archive this collection?" in b and "Yes, archive it" in b for b in _confirm_blocks(html))
    assert html.count('name="archived" value="1"') == 1


def test_revoking_asks_first_naming_the_grantee(tree):
    from permissions import services as grants

    grants.grant_give(target=tree.c["refunds"], level="read", acting_user=tree.world.acme_admin, team=tree.desk)
    html = get(tree.world.acme_admin, f"/access/collections/{tree.c['refunds'].slug}/", tree.world.acme).content.decode()
    blocks = [b for b in _confirm_blocks(html) if "Yes, revoke" in b]
    assert len(blocks) == 1 and "Revoke the access of Refund desk? It stops at once." in blocks[0]
    # Its own small form, whatever else the page holds (the page's "give access" form is `form`).
    assert "<select" not in blocks[0] and blocks[0].count("<form") == 1 and 'form="' not in blocks[0]


def test_history_restore_buttons_ask_first(tree):
    article = tree.a["refund"]
    base = article.latest_revision
    services.revision_create(article=article, expected_revision_id=base.pk, summary="v2", acting_user=tree.world.acme_editor,
                             content=services.Content(title="Refund", language="en", tags=[], body="New body"))
    html = get(tree.world.acme_editor, article.url("history"), tree.world.acme).content.decode()
    blocks = _confirm_blocks(html)
    assert len(blocks) == 1  # revision 1 only: the latest is not restorable
    assert 'form="restore-1"' in blocks[0] and "Restore revision 1?" in blocks[0]
    assert "<form" not in blocks[0].split("<summary")[0]
    assert '<form id="restore-1" method="post"' in html


def test_a_grant_on_a_confidential_collection_names_what_it_opens_and_asks_once_more(tree):
    world, costs = tree.world, tree.c["costs"]
    url = f"/access/collections/{costs.slug}/"
    data = {"grantee": f"team:{tree.desk.pk}", "level": "read"}
    first = post(world.acme_admin, url, world.acme, data)
    assert first.status_code == 200
    html = first.content.decode()
    assert "This opens confidential content" in html
    assert "<strong>Costs</strong>" in html and "Cost per contact" in html and "Under cost" in html
    assert 'name="confirm_confidential" value="yes"' in html and f'name="grantee" value="team:{tree.desk.pk}"' in html
    assert not CollectionTeamGrant.objects.filter(content_object=costs).exists()

    second = post(world.acme_admin, url, world.acme, {**data, "confirm_confidential": "yes"})
    assert second.status_code == 302
    assert CollectionTeamGrant.objects.filter(content_object=costs, group_id=tree.desk.group_id).exists()


def test_a_grant_on_ordinary_content_does_not_ask_twice(tree):
    response = post(tree.world.acme_admin, f"/access/collections/{tree.c['refunds'].slug}/", tree.world.acme,
                    {"grantee": f"team:{tree.desk.pk}", "level": "read"})
    assert response.status_code == 302


def test_archived_content_has_its_own_list_and_comes_back_from_it(tree):
    world, article, collection = tree.world, tree.a["other"], tree.c["market"]
    services.article_archive(article=article, archived=True, acting_user=world.acme_editor)
    services.collection_archive(collection=collection, archived=True)
    url = reverse("articles:archive")
    html = get(world.acme_editor, url, world.acme).content.decode()
    assert "Other thing" in html and "Marketplace" in html and "Bring back" in html
    assert "Refund</a>" not in html  # only what is archived

    response = post(world.acme_editor, article.url("archive"), world.acme, {"archived": "0", "back": "archive"})
    assert response.status_code == 302 and response["Location"] == url
    assert Article.objects.get(pk=article.pk).archived_at is None
    post(world.acme_editor, reverse("articles:collection-archive", args=[collection.slug]), world.acme,
         {"archived": "0", "back": "archive"})
    assert Collection.objects.get(pk=collection.pk).archived_at is None
    assert "Nothing is archived." in get(world.acme_editor, url, world.acme).content.decode()


def test_the_archive_list_is_for_editors(tree):
    assert get(tree.world.acme_viewer, reverse("articles:archive"), tree.world.acme).status_code == 404
    assert get(tree.world.agent_both, reverse("articles:archive"), tree.world.acme).status_code == 404


def test_collections_in_selects_are_their_nested_ordered_tree(tree):
    Collection.objects.filter(pk=tree.c["other"].pk).update(position=0)
    Collection.objects.filter(pk=tree.c["refunds"].pk).update(position=1)
    Collection.objects.filter(pk=tree.c["market"].pk).update(position=0)
    Collection.objects.filter(pk=tree.c["costs"].pk).update(position=1)
    labels = [label for _pk, label in tree_choices(Collection.objects.all())][1:]
    assert labels == ["Other", "Refunds", "·\u00a0Marketplace", "·\u00a0Costs", "·\u00a0·\u00a0Under costs"]
    form = ArticleForm(kind=Kind.ARTICLE, collections=Collection.objects.all())
    html = str(form["collection"])
    assert html.index("Marketplace") < html.index("Costs") < html.index("Under costs")
    valid = ArticleForm({"title": "T", "collection": tree.c["under"].pk, "language": "en"}, kind=Kind.ARTICLE,
                        collections=Collection.objects.all())
    assert valid.is_valid(), valid.errors


@pytest.mark.parametrize(("content", "reader", "label", "absent"), [
    ("fr", "en", "Étape 1", "Step 1"), ("en", "fr", "Step 1", "Étape 1"),
])
def test_step_labels_speak_the_contents_language(acme, content, reader, label, absent):
    collection = services.collection_create(name="Livraison", acting_user=acme.acme_editor)
    guide = services.article_create(
        kind=Kind.GUIDE, collection=collection, acting_user=acme.acme_editor, publish=True,
        content=services.Content(title="Colis", language=content, tags=[], steps=[{"title": "Vérifier", "body": "Texte."}]),
    )
    html = http_as(acme.acme_editor, language=reader).get(guide.get_absolute_url(), HTTP_HOST=host(acme.acme)).content.decode()
    assert f'class="step-number" tabindex="-1">{label}</a>' in html and absent not in html
    preview = http_as(acme.acme_editor, language=reader).post(
        reverse("articles:preview"), {"kind": "guide", "language": content, "title": "x", "steps-a-title": "Vérifier",
                                      "steps-a-body": "Texte", "steps-a-order": "1"}, HTTP_HOST=host(acme.acme))
    assert label in preview.content.decode()


def test_a_reading_page_has_one_tab_stop_per_step(acme):
    collection = services.collection_create(name="Delivery", acting_user=acme.acme_editor)
    guide = services.article_create(
        kind=Kind.GUIDE, collection=collection, acting_user=acme.acme_editor, publish=True,
        content=services.Content(title="Redeliver", language="en", tags=[],
                                 steps=[{"title": "One", "body": "Text"}, {"title": "Two", "body": "Text"}]),
    )
    html = get(acme.acme_editor, guide.get_absolute_url(), acme.acme).content.decode()
    steps = html.split('<ol class="steps">')[1].split("</ol>")[0]
    focusable = steps.count("<button") + steps.count("<a ") - steps.count('tabindex="-1"') + steps.count('<li id="step-')
    assert focusable == 2  # the copy button of each step; the step anchors and items are not tab stops


def test_the_lookup_page_has_a_real_heading(world):
    html = get(world.agent_both, "/search/", world.acme).content.decode()
    assert '<h1 class="lookup-heading"><label for="lookup-q"' in html
    assert "Look up a procedure in Acme Parcels" in html
    assert "resiliation" not in html and "cancellation, refund" in html
