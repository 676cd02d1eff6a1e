"""Knowledge checks (issue 17): scoring, pass marks, retry delays, questions flagged when the
step they test changes (and only then), re-asking only the agents who had passed them, a form
that carries no answer, and the permission layer.

Every expected figure is worked out by hand in the test, never by the code under test.
"""

from __future__ import annotations

import datetime
import random
import re
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient
from django.utils import timezone, translation

from articles import services as articles
from articles.models import Kind, Materiality
from checks import figures, scoring, selectors, services
from checks.models import Answer, Attempt, AttemptKind, PracticeAssignment, Question, QuestionStatus, ReAsk
from checks.services import ChoiceInput
from permissions import services as grants
from readiness import services as readiness
from readiness.models import Acknowledgement, MustRead
from tenants import services as tenants
from tenants.models import User
from tenants.selectors import workspace_access

from .conftest import host

STEPS = [
    {"title": "Check the tracking", "body": "Open the tracking page."},
    {"title": "Offer a new date", "body": "Propose the next two slots."},
    {"title": "Confirm by SMS", "body": "Send the confirmation."},
]


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def desk(world, in_tenant):
    """acme's guide "Redeliver a parcel" in Deliveries, read by Helios' Delivery desk
    (agent_both, agent_acme); a guide in Internal, granted to nobody."""
    team = tenants.team_create(provider=world.helios, name="Delivery desk", clients=[world.acme])
    team.members.add(world.agent_both, world.agent_acme)
    in_tenant(world.acme)
    deliveries = articles.collection_create(name="Deliveries", acting_user=world.acme_editor)
    internal = articles.collection_create(name="Internal", acting_user=world.acme_editor)
    guide = articles.article_create(
        kind=Kind.GUIDE, collection=deliveries, acting_user=world.acme_editor, publish=True,
        content=articles.Content(title="Redeliver a parcel", language="en", tags=[], steps=STEPS))
    secret = articles.article_create(
        kind=Kind.GUIDE, collection=internal, acting_user=world.acme_editor, publish=True,
        content=articles.Content(title="Margins", language="en", tags=[], steps=STEPS[:1]))
    grants.grant_give(target=deliveries, level="read", team=team, acting_user=world.acme_admin)
    ids = [step["id"] for step in guide.latest_revision.steps]
    return SimpleNamespace(world=world, acme=world.acme, editor=world.acme_editor, guide=guide, secret=secret,
                           deliveries=deliveries, internal=internal, team=team, step_ids=ids)


def single(desk, article, step_index: int, text: str, right: str = "Right", wrong: str = "Wrong") -> Question:
    step_id = article.latest_revision.steps[step_index]["id"]
    return services.question_save(
        article=article, kind="single", text=text, explanation=f"Because of step {step_index + 1}.",
        anchors=[f"step:{step_id}"], choices=[ChoiceInput(right, True), ChoiceInput(wrong, False)],
        acting_user=desk.editor)


def access_of(person, desk):
    return workspace_access(User.objects.get(pk=person.pk), desk.acme)


def publish(desk, capture, *, change: dict[int, str] | None = None, steps=None, must_read=None,
            materiality=Materiality.UPDATE):
    """A new revision of the guide (step bodies changed by index, or new steps), published
    through the real seam (the content event is sent after commit)."""
    guide = desk.guide
    guide.refresh_from_db()
    if steps is None:
        steps = [dict(step) for step in guide.latest_revision.steps]
        for index, body in (change or {}).items():
            steps[index]["body"] = body
    revision = articles.revision_create(
        article=guide, expected_revision_id=guide.latest_revision_id, acting_user=desk.editor, summary="Changed",
        content=articles.Content(title=guide.title, language="en", tags=[], steps=steps))
    with capture(execute=True):
        articles.article_publish(article=guide, revision=revision, acting_user=desk.editor, materiality=materiality,
                                 must_read=must_read)
    guide.refresh_from_db()
    return revision


def answer(question: Question, right: bool) -> list[int]:
    return [c.pk for c in question.choices.all() if c.correct == right][:1]


def must_read_check(desk, threshold=100, retry_minutes=10):
    return {"everyone": False, "roles": [], "teams": [desk.team.pk], "deadline": None,
            "check": {"required": True, "threshold": threshold, "retry_minutes": retry_minutes}}


# --- Scoring --------------------------------------------------------------------------------------


def test_single_true_false_and_scenario_are_right_only_with_the_right_choice():
    assert scoring.is_right({1}, {1})
    assert not scoring.is_right({2}, {1})
    assert not scoring.is_right(set(), {1})
    assert not scoring.is_right({1, 2}, {1})


def test_a_partial_multiple_choice_answer_counts_as_wrong():
    assert scoring.is_right({1, 3}, {1, 3})
    assert not scoring.is_right({1}, {1, 3}), "one of two right choices is wrong: no partial credit"
    assert not scoring.is_right({1, 2, 3}, {1, 3}), "a wrong choice added is wrong"


def test_the_pass_mark_is_inclusive():
    assert scoring.passes(4, 5, 80)
    assert not scoring.passes(4, 5, 81)
    assert not scoring.passes(3, 5, 80)
    assert scoring.passes(1, 1, 100)
    assert not scoring.passes(0, 0, 50)


def test_a_question_says_what_is_missing(desk):
    step = f"step:{desk.step_ids[0]}"
    base = {"article": desk.guide, "text": "Q?", "explanation": "E.", "acting_user": desk.editor}
    with pytest.raises(ValidationError, match="exactly one right"):
        services.question_save(kind="single", anchors=[step], choices=[ChoiceInput("a", True), ChoiceInput("b", True)],
                               **base)
    with pytest.raises(ValidationError, match="at least one right"):
        services.question_save(kind="multiple", anchors=[step],
                               choices=[ChoiceInput("a", False), ChoiceInput("b", False)], **base)
    with pytest.raises(ValidationError, match="which steps"):
        services.question_save(kind="single", anchors=[], choices=[ChoiceInput("a", True), ChoiceInput("b", False)],
                               **base)
    with pytest.raises(ValidationError, match="not in the latest revision"):
        services.question_save(kind="single", anchors=["step:nope"],
                               choices=[ChoiceInput("a", True), ChoiceInput("b", False)], **base)
    assert not Question.objects.exists()


def test_a_multiple_choice_check_scores_a_partial_answer_wrong(desk):
    step = f"step:{desk.step_ids[0]}"
    question = services.question_save(
        article=desk.guide, kind="multiple", text="Which two?", explanation="Both.", anchors=[step],
        choices=[ChoiceInput("a", True), ChoiceInput("b", False), ChoiceInput("c", True)], acting_user=desk.editor)
    a, b, c = question.choices.all()
    access = access_of(desk.world.agent_both, desk)
    live = desk.guide.live_revision_id
    attempt = services.check_submit(access=access, article=desk.guide, revision_id=live, questions=[question],
                                    answers={question.pk: [a.pk]}, must_read=None)
    assert (attempt.right, attempt.total, attempt.passed) == (0, 1, False)
    attempt = services.check_submit(access=access, article=desk.guide, revision_id=live, questions=[question],
                                    answers={question.pk: [a.pk, c.pk]}, must_read=None)
    assert (attempt.right, attempt.total, attempt.passed) == (1, 1, True)
    assert Answer.objects.get(attempt=attempt).chosen == sorted([a.pk, c.pk])
    assert attempt.revision_id == live


# --- Flagging ---------------------------------------------------------------------------------------


def test_changing_a_step_flags_only_its_questions(desk, django_capture_on_commit_callbacks):
    q1 = single(desk, desk.guide, 0, "How do you check the tracking?")
    q2 = single(desk, desk.guide, 1, "How many slots do you offer?")
    revision = publish(desk, django_capture_on_commit_callbacks, change={2: "Send the SMS and an e-mail."})
    assert set(Question.objects.values_list("status", flat=True)) == {QuestionStatus.ACTIVE}, "step 3 has no question"

    revision = publish(desk, django_capture_on_commit_callbacks, change={1: "Propose the next three slots."})
    q1.refresh_from_db()
    q2.refresh_from_db()
    assert q1.status == QuestionStatus.ACTIVE
    assert q2.status == QuestionStatus.TO_REVIEW
    assert q2.flagged_revision_id == revision.pk and q2.flagged_anchors == [f"step:{desk.step_ids[1]}"]
    sides = selectors.review_sides(selectors.get_question_for_editor(access_of(desk.editor, desk), q2.pk))
    assert [(s.old.split("\n")[1], s.new.split("\n")[1]) for s in sides] == [
        ("Propose the next two slots.", "Propose the next three slots.")]


def test_a_reorder_flags_nothing_and_a_removed_step_retires_its_questions(desk, django_capture_on_commit_callbacks):
    q1 = single(desk, desk.guide, 0, "Tracking?")
    q3 = single(desk, desk.guide, 2, "SMS?")
    steps = [dict(step) for step in desk.guide.latest_revision.steps]
    publish(desk, django_capture_on_commit_callbacks, steps=[steps[2], steps[0], steps[1]])
    assert set(Question.objects.values_list("status", flat=True)) == {QuestionStatus.ACTIVE}
    publish(desk, django_capture_on_commit_callbacks, steps=[steps[0], steps[1]])
    q1.refresh_from_db()
    q3.refresh_from_db()
    assert (q1.status, q3.status) == (QuestionStatus.ACTIVE, QuestionStatus.RETIRED)


def test_only_the_agents_who_passed_a_changed_question_are_asked_again(desk, django_capture_on_commit_callbacks):
    world = desk.world
    q1 = single(desk, desk.guide, 0, "Tracking?")
    live = desk.guide.live_revision_id
    # agent_acme passed when only q1 existed; agent_both passed q1 and q2; the viewer failed q2.
    services.check_submit(access=access_of(world.agent_acme, desk), article=desk.guide, revision_id=live,
                          questions=[q1], answers={q1.pk: answer(q1, True)}, must_read=None)
    q2 = single(desk, desk.guide, 1, "Slots?")
    services.check_submit(access=access_of(world.agent_both, desk), article=desk.guide, revision_id=live,
                          questions=[q1, q2], answers={q1.pk: answer(q1, True), q2.pk: answer(q2, True)},
                          must_read=None)
    services.check_submit(access=access_of(world.acme_viewer, desk), article=desk.guide, revision_id=live,
                          questions=[q1, q2], answers={q1.pk: answer(q1, False), q2.pk: answer(q2, False)},
                          must_read=None)
    publish(desk, django_capture_on_commit_callbacks, change={1: "Propose three slots."})
    assert list(ReAsk.objects.values_list("person_id", "question_id")) == [(world.agent_both.pk, q2.pk)]
    both = access_of(world.agent_both, desk)
    assert list(selectors.re_asks_for(both)) == [], "asked once the editor has reviewed the question"
    q2.refresh_from_db()
    services.question_review_keep(question=q2)
    assert [r.question_id for r in selectors.re_asks_for(both)] == [q2.pk]
    assert list(selectors.re_asks_for(access_of(world.agent_acme, desk))) == []
    # Their answer to the unchanged step holds: only q2 is asked again.
    desk.guide.refresh_from_db()
    state = selectors.check_state(both, desk.guide)
    assert [q.pk for q in state.questions] == [q2.pk] and state.kept == 1
    services.check_submit(access=both, article=desk.guide, revision_id=desk.guide.live_revision_id,
                          questions=state.questions, answers={q2.pk: answer(q2, True)}, must_read=None)
    assert list(selectors.re_asks_for(both)) == []
    assert selectors.check_state(both, desk.guide).questions == []


# --- Taking a must-read's check -----------------------------------------------------------------------


def test_a_must_read_requiring_its_check_is_acknowledged_by_a_pass_after_the_retry_delay(
        desk, django_capture_on_commit_callbacks, settings):
    world = desk.world
    q1 = single(desk, desk.guide, 0, "Tracking?")
    q2 = single(desk, desk.guide, 1, "Slots?")
    publish(desk, django_capture_on_commit_callbacks, change={1: "Propose three slots."},
            materiality=Materiality.MUST_READ, must_read=must_read_check(desk, threshold=100, retry_minutes=10))
    must_read = MustRead.objects.get()
    assert (must_read.requires_check, must_read.pass_threshold, must_read.retry_delay_minutes) == (True, 100, 10)
    q2.refresh_from_db()
    services.question_review_keep(question=q2)
    access = access_of(world.agent_both, desk)
    live = desk.guide.live_revision_id
    with pytest.raises(readiness.CheckRequired):
        readiness.acknowledge(access=access, article=desk.guide, revision_id=live)

    state = selectors.check_state(access, desk.guide)
    assert state.must_read == must_read and {q.pk for q in state.questions} == {q1.pk, q2.pk}
    start = timezone.now()
    failed = services.check_submit(access=access, article=desk.guide, revision_id=live, questions=state.questions,
                                   answers={q1.pk: answer(q1, True), q2.pk: answer(q2, False)},
                                   must_read=state.must_read, now=start)
    assert (failed.right, failed.total, failed.passed, failed.must_read_id) == (1, 2, False, must_read.pk)
    assert not Acknowledgement.objects.exists()
    state = selectors.check_state(access, desk.guide)
    assert state.retry_at == start + datetime.timedelta(minutes=10) and state.waiting

    # The form refuses a retry before the delay.
    http = HttpClient()
    http.force_login(world.agent_both)
    url = f"/check/guides/{desk.guide.slug}/"
    page = http.get(url, HTTP_HOST=host(desk.acme)).content.decode()
    assert "data-retry-at" in page and "Because of step 2." in page
    assert f"/guides/{desk.guide.slug}/#step-2" in page, "a fail links to the step to re-read"
    response = http.post(url, {"revision": live, f"q{q1.pk}": answer(q1, True), f"q{q2.pk}": answer(q2, True)},
                         HTTP_HOST=host(desk.acme))
    assert response.status_code == 302 and Attempt.objects.count() == 1

    # After the delay (made to last nothing here), a pass acknowledges the must-read.
    settings.KB_CHECK_RETRY_UNIT_SECONDS = 0
    assert not selectors.check_state(access, desk.guide).waiting
    response = http.post(url, {"revision": live, f"q{q1.pk}": answer(q1, True), f"q{q2.pk}": answer(q2, True)},
                         HTTP_HOST=host(desk.acme))
    assert response.status_code == 302
    passed = Attempt.objects.first()
    assert (passed.right, passed.total, passed.passed) == (2, 2, True)
    assert Acknowledgement.objects.filter(person_id=world.agent_both.pk, revision_id=live).exists()
    assert figures.passes([must_read.pk]) == {(must_read.pk, world.agent_both.pk): passed.submitted_at}


def test_unanswered_questions_are_refused_and_nothing_is_stored(desk):
    q1 = single(desk, desk.guide, 0, "Tracking?")
    http = HttpClient()
    http.force_login(desk.world.agent_both)
    response = http.post(f"/check/guides/{desk.guide.slug}/", {"revision": desk.guide.live_revision_id},
                         HTTP_HOST=host(desk.acme))
    assert response.status_code == 400 and b"Answer every question" in response.content
    assert not Attempt.objects.exists() and q1.pk


def test_the_form_carries_no_answer_and_is_shuffled(desk):
    q1 = single(desk, desk.guide, 0, "Tracking?", right="Zulu open the page", wrong="Yankee call the depot")
    q2 = single(desk, desk.guide, 1, "Slots?", right="Xray two slots", wrong="Whiskey one slot")
    http = HttpClient()
    http.force_login(desk.world.agent_both)
    page = http.get(f"/check/guides/{desk.guide.slug}/", HTTP_HOST=host(desk.acme)).content.decode()
    form = page[page.index('class="check-form"'):page.index("</form>", page.index('class="check-form"'))]
    for text in ("Zulu open the page", "Yankee call the depot", "Xray two slots", "Whiskey one slot"):
        assert text in form
    assert "Because of step" not in page, "no explanation before submission"
    assert not re.search(r"correct|right-answer|data-right|checked", form, re.I)
    # Each input carries its name and choice id only, the same for a right and a wrong choice.
    inputs = re.findall(r"<input[^>]*>", form)
    right_ids = {str(c.pk) for q in (q1, q2) for c in q.choices.all() if c.correct}
    shapes = {re.sub(r'value="\d+"', 'value=""', re.sub(r'name="q\d+"', 'name=""', tag)) for tag in inputs
              if 'type="radio"' in tag}
    assert len(shapes) == 1 and any(f'value="{pk}"' in form for pk in right_ids)
    # Question and choice order are shuffled.
    orders = set()
    for seed in range(20):
        shown = selectors.shuffled([q1, q2], random.Random(seed))
        orders.add(tuple((q.pk, tuple(c.pk for c in q.shown_choices)) for q in shown))
    assert len(orders) > 2


# --- Permission ---------------------------------------------------------------------------------------


def test_a_provider_agent_sees_only_checks_on_content_they_may_read(desk):
    single(desk, desk.guide, 0, "Tracking?")
    hidden = single(desk, desk.secret, 0, "Margin?")
    http = HttpClient()
    http.force_login(desk.world.agent_both)
    assert http.get(f"/check/guides/{desk.secret.slug}/", HTTP_HOST=host(desk.acme)).status_code == 404
    assert http.get(f"/practice/{desk.internal.slug}/", HTTP_HOST=host(desk.acme)).status_code == 404
    assert http.get(f"/questions/{hidden.pk}/", HTTP_HOST=host(desk.acme)).status_code == 404
    access = access_of(desk.world.agent_both, desk)
    assert [q.text for q in selectors.practice_pool(access, desk.deliveries)] == ["Tracking?"]
    assert selectors.practice_questions(access, desk.deliveries, [hidden.pk]) == []
    index = http.get("/practice/", HTTP_HOST=host(desk.acme)).content.decode()
    assert "Deliveries" in index and "Internal" not in index


# --- Editors' pages ---------------------------------------------------------------------------------


def test_an_editor_writes_a_scenario_question_through_the_form(desk):
    http = HttpClient()
    http.force_login(desk.editor)
    base = f"/questions/guides/{desk.guide.slug}/"
    assert http.get(base + "new/", HTTP_HOST=host(desk.acme)).status_code == 200
    one, two = desk.step_ids[:2]
    response = http.post(base + "new/", {
        "kind": "scenario", "text": "The parcel arrived broken: what first?", "explanation": "Tracking first.",
        "anchors": [f"step:{one}", f"step:{two}"], "choice_0": "Check the tracking", "right_0": "on", "step_0": one,
        "choice_1": "Offer a date", "step_1": two}, HTTP_HOST=host(desk.acme))
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.kind == "scenario" and question.anchors == sorted([f"step:{one}", f"step:{two}"])
    assert [(c.text, c.correct, c.step_id) for c in question.choices.all()] == [
        ("Check the tracking", True, one), ("Offer a date", False, two)]
    assert "The parcel arrived broken" in http.get(base, HTTP_HOST=host(desk.acme)).content.decode()
    # A true/false question gets its two choices.
    response = http.post(base + "new/", {"kind": "true_false", "text": "SMS is sent?", "explanation": "Yes.",
                                         "anchors": [f"step:{desk.step_ids[2]}"], "true_is_right": "false"},
                         HTTP_HOST=host(desk.acme))
    assert response.status_code == 302
    tf = Question.objects.get(kind="true_false")
    assert [(c.text, c.correct) for c in tf.choices.all()] == [("True", False), ("False", True)]
    # Bad input: an error and nothing saved.
    response = http.post(base + "new/", {"kind": "single", "text": "Q", "explanation": "E.",
                                         "anchors": [f"step:{one}"], "choice_0": "a", "choice_1": "b"},
                         HTTP_HOST=host(desk.acme))
    assert response.status_code == 400 and b"exactly one right" in response.content
    assert Question.objects.count() == 2


# --- Practice -------------------------------------------------------------------------------------------


def test_practice_scores_and_history_and_a_leads_assignment(desk):
    world = desk.world
    q1 = single(desk, desk.guide, 0, "Tracking?")
    q2 = single(desk, desk.guide, 1, "Slots?")
    http = HttpClient()
    http.force_login(world.agent_acme)
    page = http.get(f"/practice/{desk.deliveries.slug}/", HTTP_HOST=host(desk.acme)).content.decode()
    assert "Tracking?" in page and "Slots?" in page
    response = http.post(f"/practice/{desk.deliveries.slug}/", {
        "questions": [q1.pk, q2.pk], f"q{q1.pk}": answer(q1, True), f"q{q2.pk}": answer(q2, False)},
        HTTP_HOST=host(desk.acme))
    assert response.status_code == 200 and b"1 of 2 right." in response.content
    attempt = Attempt.objects.get()
    assert (attempt.kind, attempt.collection_id, attempt.right, attempt.total) == (
        AttemptKind.PRACTICE, desk.deliveries.pk, 1, 2)

    lead = HttpClient()
    lead.force_login(world.lead)
    due = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    response = lead.post("/practice/assign/", {"collection": desk.deliveries.pk, "team": desk.team.pk, "size": 5,
                                               "due": due}, HTTP_HOST=host(desk.acme))
    assert response.status_code == 302
    assert PracticeAssignment.objects.get().team_id == desk.team.pk
    response = lead.post("/practice/assign/", {"collection": desk.internal.pk, "team": desk.team.pk, "size": 5,
                                               "due": due}, HTTP_HOST=host(desk.acme))
    assert response.status_code == 400, "a collection the team does not reach is not a choice"
    rows = selectors.assignments_for(access_of(world.agent_both, desk))
    assert [(r["assignment"].collection_id, r["done"]) for r in rows] == [(desk.deliveries.pk, False)]


# --- Figures for the dashboard -----------------------------------------------------------------------------


def test_weak_spots_on_a_fixture_with_known_answers(desk):
    world = desk.world
    q1 = single(desk, desk.guide, 0, "Tracking?")
    q2 = single(desk, desk.guide, 1, "Slots?")
    q3 = single(desk, desk.guide, 2, "SMS?")
    live = desk.guide.live_revision_id
    day = timezone.now() - datetime.timedelta(days=10)
    # q2: 3 answers, 2 wrong; q3: 2 answers, 1 wrong; q1: 3 answers, none wrong.
    plan = [(world.agent_both, {q1: True, q2: False, q3: False}), (world.agent_acme, {q1: True, q2: False, q3: True}),
            (world.agent_both, {q1: True, q2: True})]
    for n, (person, given) in enumerate(plan):
        services.check_submit(access=access_of(person, desk), article=desk.guide, revision_id=live,
                              questions=list(given), answers={q.pk: answer(q, ok) for q, ok in given.items()},
                              must_read=None, now=day + datetime.timedelta(hours=n))
    rows = figures.weak_spots(day - datetime.timedelta(days=1), timezone.now(), None)
    assert [(r["question"], r["attempts"], r["failed"]) for r in rows] == [("Slots?", 3, 2), ("SMS?", 2, 1)]
    assert rows[0]["fail_share"] == pytest.approx(2 / 3)
    assert rows[0]["steps"] == ["Step 2: Offer a new date"] and rows[0]["article"] == "Redeliver a parcel"
    only_acme = figures.weak_spots(day - datetime.timedelta(days=1), timezone.now(), frozenset({world.agent_acme.pk}))
    assert [(r["question"], r["attempts"], r["failed"]) for r in only_acme] == [("Slots?", 1, 1)]
    assert figures.weak_spots(day + datetime.timedelta(hours=3), timezone.now(), None) == []
    assert figures.weak_spots(day - datetime.timedelta(days=1), timezone.now(), None, limit=1)[0]["question"] == "Slots?"
    # The dashboard's table of them (its page and CSV: tests/test_dashboard.py).
    from checks import dashboard_section

    period = SimpleNamespace(start=day - datetime.timedelta(days=1), end=timezone.now())
    table = dashboard_section.weak_spots(period, SimpleNamespace(agent_ids=None, articles=None))["tables"][0]
    shown = [cell[0] for cell in table.rows[0]]
    assert shown[0] == "Slots?" and "Step 2: Offer a new date" in shown[1] and shown[-1] == "67 %"


def test_a_must_read_whose_check_has_nothing_to_ask_is_acknowledged_without_questions(
        desk, django_capture_on_commit_callbacks):
    world = desk.world
    publish(desk, django_capture_on_commit_callbacks, change={2: "Send the SMS."}, materiality=Materiality.MUST_READ,
            must_read=must_read_check(desk))
    http = HttpClient()
    http.force_login(world.agent_both)
    url = f"/check/guides/{desk.guide.slug}/"
    assert b"This check has no current question" in http.get(url, HTTP_HOST=host(desk.acme)).content
    assert not Acknowledgement.objects.exists()
    response = http.post(url, {"revision": desk.guide.live_revision_id}, HTTP_HOST=host(desk.acme))
    assert response.status_code == 302
    assert Acknowledgement.objects.filter(person_id=world.agent_both.pk).exists()


def test_the_reading_page_offers_an_editor_to_write_a_check_rather_than_counting_none(desk):
    """Found walking the product: an editor read "Knowledge check: 0 question" on every guide."""
    from .factories import host, http_as

    def page(person) -> str:
        return http_as(person, language="en").get(desk.guide.get_absolute_url(), HTTP_HOST=host(desk.acme)).content.decode()

    html = page(desk.editor)
    assert "Write a knowledge check" in html and "0 question" not in html
    single(desk, desk.guide, 0, "What comes first?")
    html = page(desk.editor)
    assert "Knowledge check: 1 question" in html and "Write a knowledge check" not in html
    assert "Write a knowledge check" not in page(desk.world.agent_acme)
