"""Search tuning pages of client editors: the content-gap report (failed queries by team,
not-helpful feedback, CSV export), synonyms and best bets — who may use them, what they
validate, and that what they save really changes what the search engine answers."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from articles import services as articles
from articles.models import Article, Kind
from audit.models import Action, AuditEvent
from permissions.models import Level
from permissions.services import grant_give
from search import engine
from search import services as search_services
from search.models import BestBet, QueryLog, Synonym
from tenants import services as tenant_services
from tenants.models import ProviderTeam, Role
from tenants.selectors import workspace_access

from .conftest import host
from .factories import get, http_as, post, publish

TEAM = "Gap desk"


@pytest.fixture(autouse=True)
def _english():
    cache.clear()
    with translation.override("en"):
        yield


def access_of(world, user):
    connection.set_schema_to_public()
    access = workspace_access(user, world.acme)
    connection.set_tenant(world.acme)
    return access


@pytest.fixture
def billing(acme):
    return articles.collection_create(name="Billing", acting_user=acme.acme_editor)


@pytest.fixture
def corpus(acme, billing):
    cancel = publish(acme, billing, kind=Kind.GUIDE, title="Résiliation de l'abonnement", steps=[
        ("Vérifier l'identité", "Demander le numéro client."),
        ("Calculer le remboursement", "Au prorata des jours restants."),
    ])
    parcel = publish(acme, billing, title="Lost parcel investigation", language="en",
                     body="Open an investigation with the carrier.")
    damaged = publish(acme, billing, title="Damaged parcel refund", language="en",
                      body="Refund once photos of the damaged parcel are received.")
    return {"cancel": cancel, "parcel": parcel, "damaged": damaged}


@pytest.fixture
def agent(acme, billing):
    """The acme-only agent, in team "Gap desk", whose team may read Billing."""
    connection.set_schema_to_public()
    team = ProviderTeam.objects.filter(provider=acme.helios, name=TEAM).first() or tenant_services.team_create(
        provider=acme.helios, name=TEAM)
    team.members.add(acme.agent_acme)
    connection.set_tenant(acme.acme)
    grant_give(target=billing, level=Level.READ, acting_user=acme.acme_admin, team=team)
    return access_of(acme, acme.agent_acme)


def ids(results):
    return [hit.article_id for hit in results.hits]


# --- who may use the pages ------------------------------------------------------------------

PAGES = ["/search/manage/", "/search/manage/export/", "/search/manage/synonyms/", "/search/manage/best-bets/",
         "/search/manage/best-bets/articles/?find=parcel"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("who", ["acme_admin", "acme_editor"])
def test_client_admins_and_editors_open_every_page(acme, corpus, who, path):
    assert get(getattr(acme, who), path, acme.acme).status_code == 200


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("who", ["acme_viewer", "agent_acme", "agent_both", "lead", "lumiere_admin", "outsider"])
def test_everyone_else_gets_a_404(acme, corpus, who, path):
    assert get(getattr(acme, who), path, acme.acme).status_code == 404


@pytest.mark.parametrize("who", ["acme_viewer", "agent_acme", "lead", "lumiere_editor"])
def test_everyone_else_cannot_write_either(acme, corpus, who):
    group = Synonym.objects.create(term="colis", synonyms=["paquet"])
    bet = search_services.best_bet_add(query="parcel", article=corpus["parcel"])
    user = getattr(acme, who)
    assert post(user, "/search/manage/synonyms/", acme.acme, {"term": "x", "synonyms": "y"}).status_code == 404
    assert post(user, f"/search/manage/synonyms/{group.pk}/", acme.acme, {"term": "x", "synonyms": "y"}).status_code == 404
    assert post(user, f"/search/manage/synonyms/{group.pk}/delete/", acme.acme, {}).status_code == 404
    assert post(user, "/search/manage/best-bets/", acme.acme, {"query": "x", "article": corpus["cancel"].pk}).status_code == 404
    assert post(user, f"/search/manage/best-bets/{bet.pk}/move/", acme.acme, {"direction": "down"}).status_code == 404
    assert post(user, f"/search/manage/best-bets/{bet.pk}/delete/", acme.acme, {}).status_code == 404
    assert list(Synonym.objects.values_list("term", "synonyms")) == [("colis", ["paquet"])]
    assert BestBet.objects.filter(pk=bet.pk).exists() and BestBet.objects.count() == 1


def test_missing_objects_are_404(acme):
    editor = acme.acme_editor
    assert get(editor, "/search/manage/synonyms/999999/", acme.acme).status_code == 404
    assert post(editor, "/search/manage/synonyms/999999/delete/", acme.acme, {}).status_code == 404
    assert post(editor, "/search/manage/best-bets/999999/delete/", acme.acme, {}).status_code == 404
    assert post(editor, "/search/manage/best-bets/999999/move/", acme.acme, {"direction": "up"}).status_code == 404


def test_deleting_needs_a_post(acme):
    group = Synonym.objects.create(term="colis", synonyms=["paquet"])
    assert get(acme.acme_editor, f"/search/manage/synonyms/{group.pk}/delete/", acme.acme).status_code == 405
    assert Synonym.objects.filter(pk=group.pk).exists()


def test_posts_need_the_csrf_token(acme, corpus):
    http = http_as(acme.acme_editor, enforce_csrf_checks=True)
    group = Synonym.objects.create(term="colis", synonyms=["paquet"])
    for path, data in [
        ("/search/manage/synonyms/", {"term": "fermeture", "synonyms": "résiliation"}),
        (f"/search/manage/synonyms/{group.pk}/delete/", {}),
        ("/search/manage/best-bets/", {"query": "parcel", "article": corpus["parcel"].pk}),
    ]:
        assert http.post(path, data, HTTP_HOST=host(acme.acme)).status_code == 403
    connection.set_tenant(acme.acme)
    assert Synonym.objects.count() == 1 and not BestBet.objects.exists()
    # With the token of the page's form, the same post goes through.
    page = http.get("/search/manage/synonyms/", HTTP_HOST=host(acme.acme))
    token = page.context["csrf_token"]
    response = http.post("/search/manage/synonyms/", {"term": "fermeture", "synonyms": "résiliation",
                                                      "csrfmiddlewaretoken": str(token)}, HTTP_HOST=host(acme.acme))
    assert response.status_code == 302
    connection.set_tenant(acme.acme)
    assert Synonym.objects.filter(term="fermeture").exists()


# --- synonyms -------------------------------------------------------------------------------

def test_an_editor_adds_edits_and_deletes_a_synonym_group(acme):
    editor = acme.acme_editor
    page = get(editor, "/search/manage/synonyms/", acme.acme)
    assert "No synonyms yet" in page.content.decode()
    response = post(editor, "/search/manage/synonyms/", acme.acme, {"term": "Résiliation", "synonyms": "Désabonnement, fermeture"})
    assert response.status_code == 302 and response["Location"] == "/search/manage/synonyms/"
    group = Synonym.objects.get()
    assert (group.term, group.synonyms) == ("resiliation", ["desabonnement", "fermeture"])
    html = get(editor, "/search/manage/synonyms/", acme.acme).content.decode()
    assert "desabonnement, fermeture" in html and "within a minute" in html
    assert f'/search/manage/synonyms/{group.pk}/' in html and '/search/?q=resiliation' in html

    edit = get(editor, f"/search/manage/synonyms/{group.pk}/", acme.acme)
    assert 'value="desabonnement, fermeture"' in edit.content.decode()
    response = post(editor, f"/search/manage/synonyms/{group.pk}/", acme.acme, {"term": "résiliation", "synonyms": "résilier; clôture"})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.synonyms == ["resilier", "cloture"]

    assert post(editor, f"/search/manage/synonyms/{group.pk}/delete/", acme.acme, {}).status_code == 302
    assert not Synonym.objects.exists()


def test_the_gap_report_prefills_the_synonym_form(acme):
    html = get(acme.acme_editor, "/search/manage/synonyms/", acme.acme, term="desabonnement").content.decode()
    assert 'name="term" value="desabonnement"' in html


@pytest.mark.parametrize(("term", "synonyms", "message"), [
    ("", "fermeture", "Give the word agents type."),
    ("résiliation", "", "Give at least one synonym."),
    ("résiliation", " , ,", "Give at least one synonym."),
    ("!!!", "fermeture", "“!!!” has no letter or digit."),
    ("r" * 101, "fermeture", "At most 100 characters."),
    ("résiliation", "f" * 101, "is too long: at most 100 characters."),
    ("résiliation", "fermeture, Fermeture", "“Fermeture” is given twice (accents and capitals do not count)."),
    ("résiliation", "désabonnement, desabonnement", "“desabonnement” is given twice"),
    ("résiliation", "fermeture, Resiliation", "“Resiliation” is the word itself"),
    ("résiliation", ", ".join(f"mot{n}" for n in range(21)), "At most 20 synonyms in one group."),
])
def test_synonyms_are_validated_with_clear_errors(acme, term, synonyms, message):
    response = post(acme.acme_editor, "/search/manage/synonyms/", acme.acme, {"term": term, "synonyms": synonyms})
    assert response.status_code == 400
    assert message in response.content.decode().replace("&quot;", '"')
    assert not Synonym.objects.exists()


def test_a_word_has_one_group_only(acme):
    existing = Synonym.objects.create(term="resiliation", synonyms=["fermeture"])
    other = Synonym.objects.create(term="colis", synonyms=["paquet"])
    response = post(acme.acme_editor, "/search/manage/synonyms/", acme.acme, {"term": "Résiliation", "synonyms": "clôture"})
    assert response.status_code == 400
    assert "“resiliation” already has synonyms: edit that group instead." in response.content.decode()
    # Renaming a group onto another group's word is refused too; keeping its own word is fine.
    response = post(acme.acme_editor, f"/search/manage/synonyms/{other.pk}/", acme.acme, {"term": "resiliation", "synonyms": "x"})
    assert response.status_code == 400
    response = post(acme.acme_editor, f"/search/manage/synonyms/{existing.pk}/", acme.acme, {"term": "résiliation", "synonyms": "clôture"})
    assert response.status_code == 302
    assert sorted(Synonym.objects.values_list("term", flat=True)) == ["colis", "resiliation"]


def test_a_synonym_saved_on_the_page_changes_what_search_finds(acme, agent, corpus):
    assert engine.search(agent, "fermeture ").hits == [] and engine.search(agent, "clôture ").hits == []
    post(acme.acme_editor, "/search/manage/synonyms/", acme.acme, {"term": "Résiliation", "synonyms": "Fermeture"})
    for query in ("fermeture ", "Fermeture ", "fermeture abonnement"):
        assert ids(engine.search(agent, query)) == [corpus["cancel"].pk]
    group = Synonym.objects.get()
    post(acme.acme_editor, f"/search/manage/synonyms/{group.pk}/", acme.acme, {"term": "résiliation", "synonyms": "clôture"})
    assert engine.search(agent, "fermeture ").hits == []
    assert ids(engine.search(agent, "clôture ")) == [corpus["cancel"].pk]
    post(acme.acme_editor, f"/search/manage/synonyms/{group.pk}/delete/", acme.acme, {})
    assert engine.search(agent, "clôture ").hits == []


def test_the_lenient_service_still_replaces_a_group(acme):
    search_services.synonym_set(term="Résiliation", synonyms=["fermeture", "Fermeture", "résiliation"])
    search_services.synonym_set(term="resiliation", synonyms=["clôture"])
    assert list(Synonym.objects.values_list("term", "synonyms")) == [("resiliation", ["cloture"])]


# --- best bets ------------------------------------------------------------------------------

def test_an_editor_pins_reorders_and_removes_best_bets(acme, agent, corpus):
    editor = acme.acme_editor
    assert ids(engine.search(agent, "parcel "))[0] != corpus["cancel"].pk
    response = post(editor, "/search/manage/best-bets/", acme.acme, {"query": "Parcel", "article": corpus["cancel"].pk})
    assert response.status_code == 302
    response = post(editor, "/search/manage/best-bets/", acme.acme, {"query": "parcel ", "article": corpus["damaged"].pk})
    assert response.status_code == 302
    assert list(BestBet.objects.order_by("position").values_list("query", "article_id", "position")) == [
        ("parcel", corpus["cancel"].pk, 0), ("parcel", corpus["damaged"].pk, 1)]
    results = engine.search(agent, "parcel ")
    assert ids(results)[:2] == [corpus["cancel"].pk, corpus["damaged"].pk] and results.hits[0].best_bet

    html = get(editor, "/search/manage/best-bets/", acme.acme).content.decode()
    assert "“parcel”" in html and "Résiliation de l&#x27;abonnement" in html and 'href="/search/?q=parcel"' in html

    damaged = BestBet.objects.get(article=corpus["damaged"])
    assert post(editor, f"/search/manage/best-bets/{damaged.pk}/move/", acme.acme, {"direction": "up"}).status_code == 302
    assert ids(engine.search(agent, "parcel "))[:2] == [corpus["damaged"].pk, corpus["cancel"].pk]

    assert post(editor, f"/search/manage/best-bets/{damaged.pk}/delete/", acme.acme, {}).status_code == 302
    assert list(BestBet.objects.values_list("article_id", flat=True)) == [corpus["cancel"].pk]
    results = engine.search(agent, "parcel ")
    assert ids(results)[0] == corpus["cancel"].pk and [h.best_bet for h in results.hits].count(True) == 1


def test_pinning_twice_is_an_error(acme, corpus):
    search_services.best_bet_pin(query="parcel", article=corpus["parcel"])
    response = post(acme.acme_editor, "/search/manage/best-bets/", acme.acme, {"query": "PARCEL", "article": corpus["parcel"].pk})
    assert response.status_code == 400
    assert "This article is already pinned for “parcel”." in response.content.decode()
    assert BestBet.objects.count() == 1


def test_an_editor_cannot_pin_a_draft_or_an_article_of_another_tenant(acme, in_tenant, billing, corpus):
    draft = publish(acme, billing, title="Brouillon secret", body="Pas encore.", publish=False)
    in_tenant(acme.lumiere)
    # Make sure the other tenant's id is not also an acme id (ids are per schema).
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('articles_article', 'id'), %s)", [draft.pk + 1000])
    collection = articles.collection_create(name="Contrats", acting_user=acme.lumiere_editor)
    foreign = articles.article_create(
        kind=Kind.ARTICLE, collection=collection, acting_user=acme.lumiere_editor, publish=True,
        content=articles.Content(title="Contrat Lumière", language="fr", tags=[], body="Contrat."))
    in_tenant(acme.acme)
    assert not Article.objects.filter(pk=foreign.pk).exists()
    for article_id in (draft.pk, foreign.pk, "nope"):
        response = post(acme.acme_editor, "/search/manage/best-bets/", acme.acme, {"query": "parcel", "article": article_id})
        assert response.status_code == 400
        html = response.content.decode()
        assert "Choose a published article from the list." in html
        assert "Brouillon secret" not in html and "Contrat Lumière" not in html
    assert not BestBet.objects.exists()


def test_the_article_list_of_the_pin_form_comes_from_the_search_engine(acme, corpus, billing):
    publish(acme, billing, title="Parcel draft", body="Later.", language="en", publish=False)
    html = get(acme.acme_editor, "/search/manage/best-bets/articles/", acme.acme, find="damgaed").content.decode()
    assert f'value="{corpus["damaged"].pk}"' in html and "Damaged parcel refund — Billing" in html
    html = get(acme.acme_editor, "/search/manage/best-bets/articles/", acme.acme, find="parcel").content.decode()
    assert "Parcel draft" not in html and html.count("<option") == 3
    page = get(acme.acme_editor, "/search/manage/best-bets/", acme.acme, query="résiliation").content.decode()
    assert 'name="query" value="résiliation"' in page and f'<option value="{corpus["cancel"].pk}">' in page
    # The editor's lookups are not logged: they are not agents' content gaps.
    assert not QueryLog.objects.exists()


# --- the content-gap report -----------------------------------------------------------------

@pytest.fixture
def gaps(acme, agent, billing, corpus):
    """A zero-result search by the agent of "Gap desk" (twice), one by the agent in no team, a
    search the viewer flagged "could not find it", a found search, and not-helpful feedback."""
    first = engine.search(agent, "colis perdu en corse")
    # An hour earlier: the same query again within seconds would be one search typed twice.
    QueryLog.objects.filter(pk=first.log_id).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    # The other agent, in no team, may read Billing through a grant of their own.
    grant_give(target=billing, level=Level.READ, acting_user=acme.acme_admin, person=acme.agent_both)
    engine.search(access_of(acme, acme.agent_both), "colis perdu en corse ")
    engine.search(agent, "Colis perdu en Corse ")  # the report shows the form typed last
    flagged = engine.search(access_of(acme, acme.acme_viewer), "investigation ")
    assert flagged.hits
    search_services.query_flag_not_found(access=access_of(acme, acme.acme_viewer), log_id=flagged.log_id)
    engine.search(agent, "parcel ")
    revision = corpus["cancel"].live_revision
    articles.feedback_add(revision=revision, acting_user=acme.agent_acme, helpful=False, reason="Step 2 is outdated")
    articles.feedback_add(revision=revision, acting_user=acme.acme_viewer, helpful=False)
    articles.feedback_add(revision=revision, acting_user=acme.acme_admin, helpful=True)
    articles.feedback_add(revision=corpus["parcel"].live_revision, acting_user=acme.acme_viewer, helpful=True,
                          reason="Clear")
    return acme


def rows_of(html: str) -> list[str]:
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return [" ".join(row.split()) for row in body.split("<tr>")[1:]]


def test_the_gap_report_shows_failed_queries_by_team_and_unhelpful_articles(gaps, corpus):
    html = get(gaps.acme_editor, "/search/manage/", gaps.acme).content.decode()
    failed = rows_of(html)
    assert len(failed) == 2
    assert "<strong>Colis perdu en Corse</strong>" in failed[0]
    assert "<li>Gap desk: 2</li><li>No team: 1</li>" in failed[0] and "3 with no result" in failed[0]
    assert "investigation" in failed[1] and "<li>Client staff: 1</li>" in failed[1]
    assert "1 “could not find it”" in failed[1]
    assert "parcel" not in " ".join(failed)
    assert "4 failed searches since" in html and "2 different queries" in html
    # Shortcuts from each failed query.
    assert "/search/manage/synonyms/?term=colis%20perdu%20en%20corse#add" in failed[0]
    assert "/search/manage/best-bets/?query=Colis%20perdu%20en%20Corse#pin" in failed[0]
    assert "/new/article/?title=Colis%20perdu%20en%20Corse" in failed[0]
    assert 'href="/search/?q=Colis%20perdu%20en%20Corse"' in failed[0]

    unhelpful = rows_of(html.split('id="unhelpful-heading"')[1])
    assert len(unhelpful) == 1
    assert corpus["cancel"].get_absolute_url() in unhelpful[0] and "“Step 2 is outdated”" in unhelpful[0]
    assert "<td>2</td> <td>1</td>" in unhelpful[0]
    assert "Lost parcel investigation" not in html.split('id="unhelpful-heading"')[1]


def test_the_gap_report_filters_by_team_and_period(gaps):
    editor = gaps.acme_editor
    html = get(editor, "/search/manage/", gaps.acme, team="team:Gap desk").content.decode()
    failed = rows_of(html)
    assert len(failed) == 1 and "<li>Gap desk: 2</li>" in failed[0] and "No team" not in failed[0]
    assert '<option value="team:Gap desk" selected>Gap desk</option>' in html
    html = get(editor, "/search/manage/", gaps.acme, team="staff").content.decode()
    assert len(rows_of(html)) == 1 and "investigation" in rows_of(html)[0]
    html = get(editor, "/search/manage/", gaps.acme, team="none").content.decode()
    assert len(rows_of(html)) == 1 and "<li>No team: 1</li>" in rows_of(html)[0]
    html = get(editor, "/search/manage/", gaps.acme, team="team:Night shift").content.decode()
    assert "No failed search from Night shift in this period." in html

    # Searches of 10 days ago are in the last 30 days, not this week.
    QueryLog.objects.filter(normalised="investigation").update(created_at=timezone.now() - datetime.timedelta(days=10))
    assert len(rows_of(get(editor, "/search/manage/", gaps.acme).content.decode())) == 1
    html = get(editor, "/search/manage/", gaps.acme, period="month").content.decode()
    assert len(rows_of(html)) == 2 and '<option value="month" selected>' in html


def test_bad_filters_fall_back_with_a_message(gaps):
    html = get(gaps.acme_editor, "/search/manage/", gaps.acme, period="year", team="<script>").content.decode()
    assert "Unknown period: showing this week." in html and "Unknown team: showing every team." in html
    assert len(rows_of(html)) == 2 and "<script>" not in html


def test_client_staff_are_client_staff_whatever_was_logged(acme, agent):
    viewer = access_of(acme, acme.acme_viewer)
    with translation.override("fr"):
        engine.search(viewer, "zorglub ")  # logged under the French label of the role
        french_label = str(Role.VIEWER.label)
    assert french_label != "Viewer" and QueryLog.objects.get(normalised="zorglub").team == french_label
    QueryLog.objects.create(query="plumbus", normalised="plumbus", results=0, user_id=acme.acme_admin.pk, team="Chef")
    engine.search(agent, "plumbus ")
    failed = rows_of(get(acme.acme_editor, "/search/manage/", acme.acme).content.decode())
    assert len(failed) == 2
    assert "<li>Client staff: 1</li><li>Gap desk: 1</li>" in failed[0] and "zorglub" in failed[1]
    assert "<li>Client staff: 1</li>" in failed[1] and "Gap desk" not in failed[1]


def test_an_empty_report_says_what_to_do_next(acme):
    html = get(acme.acme_editor, "/search/manage/", acme.acme).content.decode()
    assert "No failed search in this period" in html and "add a synonym for the words agents use" in html
    assert "No article was marked not helpful in this period." in html


def test_the_report_costs_the_same_queries_for_one_row_or_many(acme, agent, corpus):
    def count() -> int:
        http = http_as(acme.acme_editor)
        http.get("/search/manage/", HTTP_HOST=host(acme.acme))  # sign-in audit, session
        with CaptureQueriesContext(connection) as queries:
            assert http.get("/search/manage/", HTTP_HOST=host(acme.acme)).status_code == 200
        connection.set_tenant(acme.acme)
        return len(queries)

    engine.search(agent, "zorglub ")
    articles.feedback_add(revision=corpus["cancel"].live_revision, acting_user=acme.acme_viewer, helpful=False, reason="a")
    one = count()
    for n in range(8):
        engine.search(agent, f"zorglub{n} ")
        engine.search(access_of(acme, acme.acme_viewer), f"plumbus{n} ")
    for article in corpus.values():
        articles.feedback_add(revision=article.live_revision, acting_user=acme.acme_viewer, helpful=False, reason="b")
    assert count() == one


def test_the_gap_report_exports_as_csv_and_the_export_is_audited(gaps):
    response = get(gaps.acme_admin, "/search/manage/export/", gaps.acme, period="month")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "acme-content-gaps-month-" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Query", "As typed", "Team", "Failed searches", "No result", "Could not find it", "Last seen"]
    assert [row[:6] for row in rows[1:]] == [
        ["colis perdu en corse", "Colis perdu en Corse", "Gap desk", "2", "2", "0"],
        ["colis perdu en corse", "Colis perdu en Corse", "No team", "1", "1", "0"],
        ["investigation", "investigation", "Client staff", "1", "0", "1"],
    ]
    event = AuditEvent.objects.filter(action=Action.EXPORT).latest("id")
    assert event.actor_id == gaps.acme_admin.pk and event.object_label == "Content gaps"
    assert event.detail == {"what": "content-gaps", "format": "csv", "rows": 3, "period": "month", "team": ""}


def test_the_csv_export_neutralises_formulas(acme, agent):
    engine.search(agent, "=HYPERLINK(zzz) ")
    rows = list(csv.reader(io.StringIO(get(acme.acme_editor, "/search/manage/export/", acme.acme).content.decode())))
    assert rows[1][:3] == ["hyperlink zzz", "'=HYPERLINK(zzz)", "Gap desk"]
