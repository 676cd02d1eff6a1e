"""The collaboration dashboard (issue 17): its figures on a fixture whose answers are worked out
by hand below (never by the code under test), who may see what (a provider lead sees their
own people only, never another provider's nor another client's), the CSV, the weekly summary
e-mail, and a query count that does not grow with agents or teams."""

from __future__ import annotations

import csv
import datetime
import io
import re
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone, translation

from articles import services as articles
from articles.models import Article, Kind, Suggestion, SuggestionStatus, Verification
from checks import services as checks
from checks.services import ChoiceInput
from dashboard import figures, registry, services
from dashboard.models import SummarySubscription
from dashboard.scope import Directory, Period, scope_for
from outbox.models import Message
from permissions import services as grants
from readiness.models import Acknowledgement, Assignee, MustRead
from search.models import QueryLog
from tenants import services as tenants
from tenants.models import ProviderOrganisation, ProviderRole, User
from tenants.selectors import workspace_access

from .conftest import PASSWORD, host

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def _agent(email, provider, client, *teams, role=ProviderRole.AGENT) -> User:
    user = User.objects.create_user(email, PASSWORD, full_name=email.split("@")[0].replace(".", " ").title())
    membership = tenants.provider_member_add(user=user, provider=provider, role=role)
    if role == ProviderRole.AGENT:
        membership.clients.add(client)
    for team in teams:
        team.members.add(user)
    return user


def _article(world, collection, title, *, review_by, owner=None) -> Article:
    article = articles.article_create(
        kind=Kind.ARTICLE, collection=collection, acting_user=world.acme_editor, publish=True,
        content=articles.Content(title=title, language="en", tags=[], body=f"About {title}."))
    Article.objects.filter(pk=article.pk).update(review_by=review_by, owner_id=(owner or world.acme_editor).pk)
    article.refresh_from_db()
    return article


def _must_read(article, at, asked, acked):
    """A must-read of the article's live revision assigned at `at` to `asked` [(person, provider,
    team)], acknowledged by `acked` {person: delay}."""
    must_read = MustRead.objects.create(article=article, revision=article.live_revision, created_at=at)
    for person, provider, team in asked:
        Assignee.objects.create(must_read=must_read, person_id=person.pk, assigned_at=at,
                                provider_id=provider.pk if provider else None, team_id=team.pk if team else None)
    for person, delay in acked.items():
        Acknowledgement.objects.create(article=article, revision=article.live_revision, person_id=person.pk,
                                       acknowledged_at=at + delay)
    return must_read


def _log(person, query, at, *, results=3, opened=None, flagged=False):
    row = QueryLog.objects.create(query=query, normalised=query, results=results, user_id=person.pk,
                                  flagged_not_found=flagged, opened_article_id=opened.pk if opened else None)
    QueryLog.objects.filter(pk=row.pk).update(created_at=at)


def _suggestion(article, person, at, status=SuggestionStatus.PENDING, decided_after=None, reviewer=None):
    Suggestion.objects.create(
        article=article, kind=article.kind, base_revision=article.live_revision, title=article.title, language="en",
        body="Better.", reason="Clearer", contributor=person, status=status, created_at=at,
        reviewed_by=reviewer, reviewed_at=at + decided_after if decided_after else None)


@pytest.fixture
def board(world, in_tenant):
    """acme, served by Helios' Delivery desk (agent_both, agent_acme) and Nova Calls' Nova desk
    (eva); a month of events, listed in each test's expected figures."""
    delivery = tenants.team_create(provider=world.helios, name="Delivery desk", clients=[world.acme])
    delivery.members.add(world.agent_both, world.agent_acme)
    nova = ProviderOrganisation.objects.create(name="Nova Calls", country="Portugal")
    tenants.engagement_start(provider=nova, client=world.acme)
    nova_desk = tenants.team_create(provider=nova, name="Nova desk", clients=[world.acme])
    eva = _agent("eva@nova.test", nova, world.acme, nova_desk)
    nova_lead = _agent("lead@nova.test", nova, world.acme, role=ProviderRole.LEAD)
    gone = User.objects.create_user("gone@acme.test", PASSWORD, full_name="Gone Editor")  # not a member (left)
    in_tenant(world.acme)
    today = timezone.localdate()
    now = timezone.now()
    deliveries = articles.collection_create(name="Deliveries", acting_user=world.acme_editor)
    attic = articles.collection_create(name="Attic", acting_user=world.acme_editor)
    guide = _article(world, deliveries, "Redeliver a parcel", review_by=today + 30 * DAY)
    refund = _article(world, deliveries, "Refund a parcel", review_by=today - 2 * DAY)
    old = _article(world, attic, "Old tariffs", review_by=today - 20 * DAY, owner=gone)
    for team in (delivery, nova_desk):  # both teams read Deliveries; nobody but staff reads the Attic
        grants.grant_give(target=deliveries, level="read", team=team, acting_user=world.acme_admin)
    Verification.objects.create(article=guide, revision=guide.live_revision, person_id=world.acme_admin.pk,
                                verified_at=now - 3 * DAY)
    both, acme_only = world.agent_both, world.agent_acme
    # Readiness: two must-reads in the last 30 days, one before.
    t0, t1 = now - 10 * DAY, now - 5 * DAY
    _must_read(guide, t0, [(both, world.helios, delivery), (acme_only, world.helios, delivery), (eva, nova, nova_desk)],
               {both: 2 * HOUR, eva: 5 * HOUR})
    _must_read(refund, t1, [(both, world.helios, delivery), (acme_only, world.helios, delivery)],
               {both: 1 * HOUR, acme_only: 3 * HOUR})
    _must_read(old, now - 40 * DAY, [(both, world.helios, delivery)], {})
    # Lookups, two days ago: agent_both types "remb", "rembou", "remboursement" (one lookup,
    # opened), then a flagged failure; agent_acme finds but opens nothing; eva fails once, then
    # opens a result.
    t = now - 2 * DAY
    _log(both, "remb", t)
    _log(both, "rembou", t + datetime.timedelta(seconds=2))
    _log(both, "remboursement", t + datetime.timedelta(seconds=5), opened=refund)
    _log(both, "colis casse", t + 10 * datetime.timedelta(minutes=1), results=0, flagged=True)
    _log(acme_only, "adresse", t + HOUR)
    _log(eva, "colis casse", t + 2 * HOUR, results=0)
    _log(eva, "retour", t + 3 * HOUR, opened=guide)
    _log(both, "ancien", now - 50 * DAY, results=0)  # before the period
    # Suggestions: accepted after 2 h, rejected after 6 h, one pending.
    editor = world.acme_editor
    _suggestion(guide, both, now - 3 * DAY, SuggestionStatus.ACCEPTED, 2 * HOUR, editor)
    _suggestion(refund, acme_only, now - 2 * DAY, SuggestionStatus.REJECTED, 6 * HOUR, editor)
    _suggestion(guide, eva, now - 1 * DAY)
    return SimpleNamespace(world=world, delivery=delivery, nova=nova, nova_desk=nova_desk, eva=eva,
                           nova_lead=nova_lead, gone=gone, guide=guide, refund=refund, old=old)


def _scope(board, person=None, **choice):
    world = board.world
    access = workspace_access(User.objects.get(pk=(person or world.acme_admin).pk), world.acme)
    return scope_for(access, Directory.of(world.acme), **choice)


LAST_30 = None


def _period():
    return Period.last(30)


# --- The figures, worked out by hand --------------------------------------------------------


def test_readiness_figures(board):
    data = figures.readiness(_period(), _scope(board))
    # Refund (newest first): 2 asked, both done, 90 % of 2 is 2 people: the second, after 3 h.
    # Guide: 3 asked, 2 done; 90 % of 3 is 3 people: never reached. Old tariffs: before the period.
    assert [(m.title, m.asked, m.done, m.seconds_to_ready) for m in data.must_reads] == [
        ("Refund a parcel", 2, 2, 3 * 3600), ("Redeliver a parcel", 3, 2, None)]
    assert (data.asked, data.done, data.share) == (5, 4, 0.8)
    assert data.median_seconds_to_ready == 3 * 3600
    # Delivery desk: 4 asked, 3 done (75 %), behind Nova desk: 1 of 1.
    assert [(t["label"], t["asked"], t["done"]) for t in data.teams] == [
        ("Helios Contact / Delivery desk", 4, 3), ("Nova Calls / Nova desk", 1, 1)]


def test_search_figures(board):
    data = figures.search_success(_period(), _scope(board))
    # Lookups: remboursement (opened), colis casse (flagged), adresse, colis casse, retour (opened);
    # "remb" and "rembou" are keystrokes of "remboursement".
    assert (data.lookups, data.opened, data.flagged, data.no_result) == (5, 2, 1, 2)
    assert data.share == 0.4
    assert data.failed_queries == [{"query": "colis casse", "times": 2, "flagged": 1}]
    assert [(t["label"], t["lookups"], t["opened"], t["flagged"]) for t in data.teams] == [
        ("Helios Contact / Delivery desk", 3, 1, 1), ("Nova Calls / Nova desk", 2, 1, 0)]


def test_suggestion_figures(board):
    data = figures.suggestions(_period(), _scope(board))
    assert (data.proposed, data.accepted, data.rejected, data.pending) == (3, 1, 1, 1)
    assert data.median_seconds == 4 * 3600  # the median of 2 h and 6 h
    assert [(t["label"], t["proposed"], t["accepted"], t["rejected"], t["median"]) for t in data.teams] == [
        ("Helios Contact / Delivery desk", 2, 1, 1, 4 * 3600), ("Nova Calls / Nova desk", 1, 0, 0, None)]


def test_freshness_and_knowledge_risk(board):
    fresh = figures.freshness(_period(), _scope(board))
    # Three published items, one within its review-by date; the other two stale, one each for
    # the editor and for the editor who left.
    assert (fresh.total, fresh.fresh, fresh.stale, fresh.verified_in_period) == (3, 1, 2, 1)
    assert sorted((row["owner"], row["stale"]) for row in fresh.stale_by_owner) == [
        ("Editor", 1), ("Former member", 1)]
    assert [row["title"] for row in fresh.stale_items] == ["Old tariffs", "Refund a parcel"]
    risk = figures.knowledge_risk(_period(), _scope(board))
    # Deliveries: written by the editor, verified by the admin, a suggestion reviewed by the
    # editor: two people. Attic: the editor alone.
    assert risk.collections == 2
    assert [(row["name"], row["person"], row["articles"]) for row in risk.single] == [("Attic", "Editor", 1)]
    assert risk.orphaned_total == 1 and [row["title"] for row in risk.orphaned] == ["Old tariffs"]


def test_a_lead_counts_their_own_people_only(board):
    world = board.world
    helios = _scope(board, world.lead)
    assert helios.lead and helios.agent_ids == {world.agent_both.pk, world.agent_acme.pk, world.lead.pk}
    assert (figures.readiness(_period(), helios).asked, figures.readiness(_period(), helios).done) == (4, 3)
    assert (figures.search_success(_period(), helios).lookups, figures.search_success(_period(), helios).opened) == (3, 1)
    assert figures.suggestions(_period(), helios).proposed == 2
    # A lead who asks for the other provider, or one of its teams, still gets their own people.
    other = _scope(board, world.lead, provider=str(board.nova.pk), team=str(board.nova_desk.pk))
    assert other.provider_id == world.helios.pk and other.team_key == ""
    nova = _scope(board, board.nova_lead)
    assert figures.readiness(_period(), nova).asked == 1
    assert figures.suggestions(_period(), nova).proposed == 1


def test_an_admin_narrows_to_a_team(board):
    scope = _scope(board, team=str(board.nova_desk.pk))
    assert scope.provider_id == board.nova.pk and scope.agent_ids == {board.eva.pk}
    assert figures.search_success(_period(), scope).lookups == 2


# --- Pages and permissions ------------------------------------------------------------------


def _get(person, path="/dashboard/", **params):
    http = HttpClient()
    http.force_login(person)
    return http.get(path, params, HTTP_HOST=host("acme"))


def test_the_page_shows_the_figures_to_an_admin(board):
    page = _get(board.world.acme_admin, period="30")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-figure="readiness-share">80 %' in text
    assert 'data-figure="search-share">40 %' in text
    assert "Nova Calls / Nova desk" in text and "Helios Contact / Delivery desk" in text
    assert "<svg" in text and "Download CSV" in text
    assert "No knowledge checks yet" in text  # the weak-spots placeholder
    assert "Old tariffs" in text  # freshness and risk are shown to client staff


def test_a_lead_sees_no_other_provider_and_no_content_figures(board):
    text = _get(board.world.lead, period="30", provider=str(board.nova.pk)).content.decode()
    assert 'data-figure="readiness-share">75 %' in text
    assert "Nova" not in text, text[text.index("Nova") - 300:text.index("Nova") + 100]
    assert "eva@nova.test" not in text and ">Eva<" not in text
    assert "Old tariffs" not in text and 'id="section-freshness"' not in text
    text = _get(board.nova_lead, period="30").content.decode()
    assert "Helios" not in text and 'data-figure="readiness-share">100 %' in text


def test_a_lead_is_named_only_what_their_teams_may_read(board):
    """A must-read on the Attic (which no provider team may read) counts for no lead."""
    world = board.world
    attic = _article(world, board.old.collection, "Attic notes", review_by=timezone.localdate())
    _must_read(attic, timezone.now() - DAY, [(world.agent_both, world.helios, board.delivery)], {})
    assert figures.readiness(_period(), _scope(board)).asked == 6
    assert figures.readiness(_period(), _scope(board, world.lead)).asked == 4
    assert "Attic notes" not in _get(world.lead, period="30").content.decode()


def test_a_lead_sees_nothing_of_another_client(board, in_tenant):
    world = board.world
    in_tenant(world.lumiere)
    QueryLog.objects.create(query="lumiere only", normalised="lumiere only", results=0, user_id=world.agent_both.pk)
    in_tenant(world.acme)
    text = _get(world.lead, period="30").content.decode()
    assert "lumiere only" not in text and 'data-figure="search-share">33 %' in text  # 1 of 3, acme's


@pytest.mark.parametrize("who", ["acme_viewer", "agent_both", "agent_acme", "lumiere_admin", "outsider"])
def test_viewers_agents_and_strangers_get_nothing(board, who):
    for path in ("/dashboard/", "/dashboard/export/"):
        assert _get(getattr(board.world, who), path, table="readiness.teams").status_code == 404


def test_csv_download(board):
    response = _get(board.world.acme_admin, "/dashboard/export/", table="search.teams", period="30")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[1] == ["Team", "Lookups", "Ended on an opened result", "Share", "“Could not find it”"]
    assert rows[2:] == [["Helios Contact / Delivery desk", "3", "1", "0.3333", "1"], ["Nova Calls / Nova desk", "2", "1", "0.5", "0"]]
    assert _get(board.world.acme_admin, "/dashboard/export/", table="nope.nothing").status_code == 400


@pytest.fixture
def weak(board):
    """Two questions on two steps of a guide in Deliveries, and five attempts in the last week
    (x: a wrong answer): agent_both x/ok then ok/ok, agent_acme ok/x, eva x/x then x/ok. So
    the first question was failed 3 times in 5 answers (60 %), the second 2 in 5 (40 %); of
    Helios' people's answers, 1 in 3 each (33 %); of Nova's (eva), 2 in 2 and 1 in 2."""
    world = board.world
    guide = articles.article_create(
        kind=Kind.GUIDE, collection=board.guide.collection, acting_user=world.acme_editor, publish=True,
        content=articles.Content(title="Reship a parcel", language="en", tags=[], steps=[
            {"title": "Check the tracking", "body": "Open the tracking page."},
            {"title": "Offer a new date", "body": "Propose the next two slots."}]))
    steps = [step["id"] for step in guide.latest_revision.steps]
    questions = [checks.question_save(article=guide, kind="single", text=text, explanation="See the step.",
                                      anchors=[f"step:{step}"], acting_user=world.acme_editor,
                                      choices=[ChoiceInput("Right", True), ChoiceInput("Wrong", False)])
                 for text, step in (("Where is the parcel now?", steps[0]), ("Which slots do you offer?", steps[1]))]
    now = timezone.now()
    for n, (person, rights) in enumerate([(world.agent_both, (False, True)), (world.agent_both, (True, True)),
                                          (world.agent_acme, (True, False)), (board.eva, (False, False)),
                                          (board.eva, (False, True))]):
        answers = {q.pk: [c.pk for c in q.choices.all() if c.correct == right] for q, right in zip(questions, rights, strict=True)}
        checks.check_submit(access=workspace_access(User.objects.get(pk=person.pk), world.acme), article=guide,
                            revision_id=guide.live_revision_id, questions=questions, answers=answers, must_read=None,
                            now=now - (6 - n) * DAY)
    return questions


def _weak_rows(text):
    """(question, steps, answers, failed) of each row of the weak-spots table on the page."""
    section = text[text.index('id="section-weak_spots"'):]
    section = section[:section.index("</section>")]
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", section, re.S)]
    return [tuple(cells[i:i + 5]) for i in range(0, len(cells), 5)][1:]  # without the header


def test_the_weak_spots_show_the_questions_most_often_failed(board, weak):
    text = _get(board.world.acme_admin, period="30").content.decode()
    assert "No knowledge checks yet" not in text
    assert _weak_rows(text) == [
        ("Where is the parcel now?", "Step 1: Check the tracking", "Reship a parcel", "5", "60 %"),
        ("Which slots do you offer?", "Step 2: Offer a new date", "Reship a parcel", "5", "40 %")]
    # A lead sees their own agents' answers only: Helios' three attempts, Nova's two.
    text = _get(board.world.lead, period="30").content.decode()
    assert [(row[0], row[3], row[4]) for row in _weak_rows(text)] == [
        ("Where is the parcel now?", "3", "33 %"), ("Which slots do you offer?", "3", "33 %")]
    text = _get(board.nova_lead, period="30").content.decode()
    assert [(row[0], row[3], row[4]) for row in _weak_rows(text)] == [
        ("Where is the parcel now?", "2", "100 %"), ("Which slots do you offer?", "2", "50 %")]
    # Before the attempts, nothing was failed.
    text = _get(board.world.acme_admin, period="custom", start="2026-01-01", end="2026-01-31").content.decode()
    assert _weak_rows(text) == [] and "No question was failed in this period." in text


def test_weak_spots_csv_download(board, weak):
    response = _get(board.world.acme_admin, "/dashboard/export/", table="weak_spots.questions", period="30")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8")[1:])))
    assert rows[1] == ["Question", "Steps tested", "Article", "Answers", "Failed"]
    assert rows[2:] == [["Where is the parcel now?", "Step 1: Check the tracking", "Reship a parcel", "5", "0.6"],
                        ["Which slots do you offer?", "Step 2: Offer a new date", "Reship a parcel", "5", "0.4"]]
    response = _get(board.nova_lead, "/dashboard/export/", table="weak_spots.questions", period="30")
    assert [row[3:] for row in csv.reader(io.StringIO(response.content.decode("utf-8")[1:]))][2:] == [
        ["2", "1.0"], ["2", "0.5"]]


def test_bad_period_is_explained_and_the_default_shown(board):
    page = _get(board.world.acme_admin, period="custom", start="2026-05-10", end="2026-05-01")
    assert page.status_code == 200
    assert "The last day comes before the first day" in page.content.decode()


def test_a_failing_section_degrades(board):
    def broken(period, scope):
        raise RuntimeError("boom")

    registry.register("broken", title="Broken", template="dashboard/_weak_spots_empty.html", compute=broken, order=99)
    try:
        page = _get(board.world.acme_admin)
        assert page.status_code == 200 and "could not be computed" in page.content.decode()
    finally:
        registry.unregister("broken")


def test_a_registered_section_replaces_the_placeholder(board):
    seen = {}

    def compute(period, scope):
        seen["agents"] = scope.agent_ids
        return {"tables": [], "charts": []}

    before = registry.sections()
    registry.register("weak_spots", title="Weak spots", template="dashboard/_weak_spots_empty.html", compute=compute, order=60)
    try:
        text = _get(board.world.lead).content.decode()
        assert "No knowledge checks yet" not in text
        assert seen["agents"] == {board.world.agent_both.pk, board.world.agent_acme.pk, board.world.lead.pk}
    finally:
        placeholder = next(s for s in before if s.key == "weak_spots")
        registry.register("weak_spots", title=placeholder.title, template=placeholder.template,
                          compute=placeholder.compute, order=placeholder.order, placeholder=True)
        registry.unregister("weak_spots")
        registry.register_defaults(placeholder)


# --- The lookup records the result opened ---------------------------------------------------


def test_opening_a_result_records_it_once(board):
    world = board.world
    row = QueryLog.objects.create(query="refund", normalised="refund", results=1, user_id=world.agent_both.pk)
    url = board.refund.get_absolute_url()
    assert _get(world.agent_both, url, **{"from": str(row.pk)}).status_code == 200
    row.refresh_from_db()
    assert row.opened_article_id == board.refund.pk and row.opened_at is not None
    # Someone else's query id records nothing.
    other = QueryLog.objects.create(query="x", normalised="x", results=1, user_id=world.agent_acme.pk)
    _get(world.agent_both, url, **{"from": str(other.pk)})
    other.refresh_from_db()
    assert other.opened_article_id is None


# --- The weekly summary ---------------------------------------------------------------------


def test_weekly_summary_mail(board):
    world = board.world
    User.objects.filter(pk=world.acme_admin.pk).update(language="fr")
    http = HttpClient()
    http.force_login(world.acme_admin)
    assert http.post("/dashboard/summary/", {"subscribe": "1"}, HTTP_HOST=host("acme")).status_code == 302
    SummarySubscription.objects.create(person_id=world.acme_editor.pk)  # not an admin: gets nothing
    connection.set_tenant(world.acme)
    assert services.summaries_send() == 1
    message = Message.objects.get(stream="dashboard.summary")
    assert message.to == world.acme_admin.email and message.language == "fr"
    assert "Synthèse hebdomadaire" in message.subject
    assert "recherches" in message.text and "<table" in message.html
    assert "List-Unsubscribe" in message.headers
    assert not SummarySubscription.objects.filter(person_id=world.acme_editor.pk).exists()
    assert services.summaries_send() == 0  # once a week


def test_the_summary_links_to_the_workspace_dashboard(board):
    """"Open the dashboard", in both parts of the mail, leads the admin to acme's dashboard."""
    world = board.world
    User.objects.filter(pk=world.acme_admin.pk).update(language="en")
    connection.set_tenant(world.acme)
    SummarySubscription.objects.create(person_id=world.acme_admin.pk)
    assert services.summaries_send() == 1
    message = Message.objects.get(stream="dashboard.summary")
    html_links = re.findall(r'<a href="([^"]+)"[^>]*>\s*Open the dashboard\s*</a>', message.html)
    text_links = re.findall(r"Open the dashboard: (\S+)", message.text)
    assert len(html_links) == 1 and text_links == html_links, (html_links, text_links)
    url = urlsplit(html_links[0])
    assert url.scheme in ("http", "https") and url.hostname == host("acme") and url.path == "/dashboard/"
    assert not url.query and not url.fragment
    connection.set_schema_to_public()
    page = _get(world.acme_admin, url.path)
    assert page.status_code == 200 and 'data-figure="search-share">' in page.content.decode()


# --- The query count does not grow with agents or teams ---------------------------------------


def _grow(board, n):
    """n more teams of three agents each, each agent with a must-read, lookups and a suggestion."""
    world = board.world
    now = timezone.now()
    for t in range(n):
        team = tenants.team_create(provider=world.helios, name=f"Extra team {t}", clients=[world.acme])
        people = [_agent(f"extra{t}.{a}@helios.test", world.helios, world.acme, team) for a in range(3)]
        connection.set_tenant(world.acme)
        article = _article(world, board.guide.collection, f"Extra {t}", review_by=timezone.localdate())
        _must_read(article, now - (t + 1) * HOUR, [(p, world.helios, team) for p in people], {people[0]: HOUR})
        for p in people:
            _log(p, f"query {t}", now - DAY, results=0)
            _suggestion(board.refund, p, now - DAY)


def _count(person):
    http = HttpClient()
    http.force_login(person)
    http.get("/dashboard/", HTTP_HOST=host("acme"))  # warm the per-process caches
    with CaptureQueriesContext(connection) as queries:
        assert http.get("/dashboard/", {"period": "90"}, HTTP_HOST=host("acme")).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_agents_or_teams(board):
    small = {who: _count(getattr(board.world, who)) for who in ("acme_admin", "lead")}
    _grow(board, 4)
    connection.set_schema_to_public()
    large = {who: _count(getattr(board.world, who)) for who in ("acme_admin", "lead")}
    assert large == small


# --- Dates and buttons as in the rest of the product (issue 14) -----------------------------


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_tables_show_dates_as_the_product_does_and_the_csv_keeps_iso(board, language):
    """The tables read `2 Oct 2026` (`2 oct. 2026` in French), like every other page; the CSV
    download stays ISO, for spreadsheets and scripts."""
    http = HttpClient(HTTP_ACCEPT_LANGUAGE=language)
    http.force_login(board.world.acme_admin)
    text = http.get("/dashboard/", {"period": "30"}, HTTP_HOST=host("acme")).content.decode()
    cells = re.findall(r'<td data-label="[^"]*">([^<]*)</td>', text)
    for review_by in (board.old.review_by, board.refund.review_by):
        with translation.override(language):
            shown = formats.date_format(review_by, "SHORT_DATE_FORMAT")
        assert shown in cells and review_by.isoformat() not in cells
    month = r"[A-Z][a-z]{2}" if language == "en" else r"(?:janv\.|févr\.|mars|avr\.|mai|juin|juil\.|août|sept\.|oct\.|nov\.|déc\.)"
    assert re.fullmatch(rf"\d{{1,2}} {month} \d{{4}}", shown), shown
    assert not [cell for cell in cells if re.fullmatch(r"\d{4}-\d\d-\d\d", cell)]  # no ISO date left in any table
    response = http.get("/dashboard/export/", {"table": "freshness.items", "period": "30"}, HTTP_HOST=host("acme"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8")[1:])))
    assert [row[2] for row in rows[2:]] == [board.old.review_by.isoformat(), board.refund.review_by.isoformat()]
    weeks = http.get("/dashboard/export/", {"table": "search.weeks", "period": "30"}, HTTP_HOST=host("acme"))
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", row[0]) for row in list(csv.reader(io.StringIO(weeks.content.decode()[1:])))[2:])


def test_the_weekly_summary_switch_is_a_button(board):
    """It asks for (or stops) an e-mail: an action, so it looks like a button, not link text."""
    http = HttpClient()
    http.force_login(board.world.acme_admin)
    for label in ("Send me a weekly summary by e-mail", "Stop the weekly summary"):
        text = http.get("/dashboard/", HTTP_HOST=host("acme")).content.decode()
        assert re.search(rf'<button type="submit" class="button">{label}</button>', text), label
        http.post("/dashboard/summary/", {"subscribe": "1"}, HTTP_HOST=host("acme"))
