"""Writes: questions, what a new revision does to them (flag, retire, re-ask), attempts at a
check or a practice set, and a lead's practice assignments."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, Collection, Revision
from articles.text import clean_line, clean_multiline
from readiness import services as readiness
from readiness.models import MustRead
from tenants.models import ProviderTeam
from tenants.selectors import WorkspaceAccess

from . import anchors as anchoring
from . import scoring
from .models import (
    Answer,
    Attempt,
    AttemptKind,
    Choice,
    PracticeAssignment,
    Question,
    QuestionKind,
    QuestionStatus,
    ReAsk,
)

DEFAULT_THRESHOLD = 80


@dataclass(frozen=True)
class ChoiceInput:
    text: str
    correct: bool
    step_id: str = ""


def _validate(kind: str, text: str, explanation: str, anchors: list[str], choices: list[ChoiceInput],
              known: set[str]) -> None:
    if kind not in QuestionKind.values:
        raise ValidationError(_("Choose a kind of question."))
    if not text:
        raise ValidationError(_("Write the question."))
    if not explanation:
        raise ValidationError(_("Write the explanation shown after an attempt."))
    if not anchors:
        raise ValidationError(_("Say which steps, FAQ questions or sections the question tests."))
    if set(anchors) - known:
        raise ValidationError(_("A step, FAQ question or section chosen is not in the latest revision."))
    if len(choices) < 2:
        raise ValidationError(_("Give at least two choices."))
    right = sum(choice.correct for choice in choices)
    if kind == QuestionKind.MULTIPLE and right < 1:
        raise ValidationError(_("Mark at least one right choice."))
    if kind != QuestionKind.MULTIPLE and right != 1:
        raise ValidationError(_("Mark exactly one right choice."))
    if any(choice.step_id and f"step:{choice.step_id}" not in known for choice in choices):
        raise ValidationError(_("A choice points at a step that is not in the latest revision."))


@transaction.atomic
def question_save(*, article: Article, kind: str, text: str, explanation: str, anchors: list[str],
                  choices: list[ChoiceInput], acting_user, question: Question | None = None) -> Question:
    """Write a question on the article's latest revision (what the editor sees), or rewrite one
    (which also settles a review: it is current again, measured from the latest revision)."""
    revision = article.latest_revision
    if revision is None:
        raise ValidationError(_("Write the article before its questions."))
    text, explanation = clean_multiline(text).strip(), clean_multiline(explanation).strip()
    choices = [ChoiceInput(clean_line(c.text), c.correct, c.step_id) for c in choices if clean_line(c.text)]
    anchors = sorted(set(anchors))
    _validate(kind, text, explanation, anchors, choices, set(anchoring.by_key(revision.content())))
    if question is None:
        question = Question(article=article, author_id=getattr(acting_user, "pk", None))
    question.kind, question.text, question.explanation, question.anchors = kind, text, explanation, anchors
    question.status, question.anchored_revision = QuestionStatus.ACTIVE, revision
    question.flagged_revision, question.flagged_anchors, question.flagged_at = None, [], None
    question.save()
    question.choices.all().delete()
    Choice.objects.bulk_create([Choice(question=question, text=c.text, correct=c.correct, step_id=c.step_id,
                                       position=n) for n, c in enumerate(choices)])
    return question


def question_review_keep(*, question: Question) -> Question:
    """The editor read the old and new step and keeps the question as it is: current again,
    measured from the revision that changed it. The agents who had passed it are asked again."""
    question.status = QuestionStatus.ACTIVE
    question.anchored_revision = question.flagged_revision or question.anchored_revision
    question.flagged_revision, question.flagged_anchors, question.flagged_at = None, [], None
    question.save()
    return question


def question_retire(*, question: Question) -> Question:
    question.status = QuestionStatus.RETIRED
    question.save(update_fields=["status"])
    return question


# --- A new revision is live --------------------------------------------------------------------


def passed_by(question: Question) -> list[int]:
    """The people whose passed checks covered the question."""
    return list(Answer.objects.filter(question=question, attempt__passed=True, attempt__kind=AttemptKind.CHECK)
                .values_list("attempt__person_id", flat=True).distinct())


@transaction.atomic
def revision_live(*, article_id: int, revision_id: int, now: datetime.datetime | None = None) -> dict[str, list[int]]:
    """A revision of the article was made live: a question whose anchored content it changed is
    flagged to review (and the people who passed it will be asked again once it is reviewed);
    a question whose anchored step it removed is retired; the others keep their answers.
    Returns the question ids flagged and retired."""
    now = now or timezone.now()
    revision = Revision.objects.filter(pk=revision_id, article_id=article_id).first()
    result: dict[str, list[int]] = {"flagged": [], "retired": []}
    if revision is None:
        return result
    new = revision.content()
    questions = (Question.objects.select_for_update(of=("self",)).filter(article_id=article_id)
                 .exclude(status=QuestionStatus.RETIRED).select_related("anchored_revision"))
    for question in questions:
        base = question.anchored_revision
        if base is None or base.pk == revision.pk or base.number > revision.number:
            continue
        changed, removed = anchoring.compare(base.content(), new, question.anchors)
        if removed:
            question.status, question.flagged_revision = QuestionStatus.RETIRED, revision
            question.flagged_anchors, question.flagged_at = sorted(removed), now
            question.save()
            result["retired"].append(question.pk)
        elif changed:
            was_current = question.status == QuestionStatus.ACTIVE
            question.status, question.flagged_revision = QuestionStatus.TO_REVIEW, revision
            question.flagged_anchors, question.flagged_at = sorted(changed), now
            question.save()
            if was_current:
                ReAsk.objects.bulk_create([ReAsk(question=question, person_id=person, revision=revision, created_at=now)
                                           for person in passed_by(question)], ignore_conflicts=True)
            result["flagged"].append(question.pk)
    return result


# --- Attempts -----------------------------------------------------------------------------------


class MissingAnswers(ValidationError):
    pass


def _grade(questions: list[Question], answers: dict[int, list[int]]) -> list[tuple[Question, list[int], bool]]:
    graded = []
    for question in questions:
        own = {choice.pk for choice in question.choices.all()}
        chosen = sorted({pk for pk in answers.get(question.pk, []) if pk in own})
        if not chosen:
            raise MissingAnswers(_("Answer every question, then submit."))
        if question.kind != QuestionKind.MULTIPLE and len(chosen) > 1:
            raise MissingAnswers(_("Choose one answer for each single-choice question."))
        graded.append((question, chosen, scoring.is_right(set(chosen), question.right_choice_ids())))
    return graded


def _store(attempt: Attempt, graded, revisions: Mapping[int, int | None]) -> Attempt:
    attempt.right = sum(ok for _q, _c, ok in graded)
    attempt.total = len(graded)
    attempt.save()
    Answer.objects.bulk_create([
        Answer(attempt=attempt, question=question, chosen=chosen, correct=ok, anchors=list(question.anchors),
               revision_id=revisions.get(question.article_id)) for question, chosen, ok in graded])
    return attempt


@transaction.atomic
def check_submit(*, access: WorkspaceAccess, article: Article, revision_id: int, questions: list[Question],
                 answers: dict[int, list[int]], must_read: MustRead | None, carried: bool = False,
                 now: datetime.datetime | None = None) -> Attempt:
    """Score an attempt at the article's check (the questions asked, from `selectors.check_state`)
    and store it against the live revision; a pass of a must-read requiring its check
    acknowledges it. `carried`: nothing is left to ask (the person's earlier answers hold, or
    the check has no current question), so the must-read is acknowledged without questions."""
    now = now or timezone.now()
    live = article.live_revision
    if live is None or live.pk != revision_id:
        raise readiness.RevisionChanged(_("This article changed while you were answering: read the new revision, "
                                          "then take its check."))
    graded = _grade(questions, answers) if questions else []
    threshold = must_read.pass_threshold if must_read is not None else DEFAULT_THRESHOLD
    attempt = Attempt(kind=AttemptKind.CHECK, person_id=access.user_id, article=article, revision=live,
                      must_read_id=must_read.pk if must_read else None, threshold=threshold, submitted_at=now)
    right = sum(ok for _q, _c, ok in graded)
    attempt.passed = scoring.passes(right, len(graded), threshold) or (carried and not graded)
    _store(attempt, graded, {article.pk: live.pk})
    ReAsk.objects.filter(person_id=access.user_id, question__in=[q for q, _c, _ok in graded],
                         answered_at__isnull=True).update(answered_at=now)
    if attempt.passed and must_read is not None:
        readiness.acknowledge(access=access, article=article, revision_id=live.pk, now=now, by_check=True)
    return attempt


@transaction.atomic
def practice_submit(*, access: WorkspaceAccess, collection: Collection, questions: list[Question],
                    answers: dict[int, list[int]], now: datetime.datetime | None = None) -> Attempt:
    """Score a practice set (questions found through the permission layer by the caller)."""
    graded = _grade(questions, answers)
    attempt = Attempt(kind=AttemptKind.PRACTICE, person_id=access.user_id, collection=collection,
                      threshold=DEFAULT_THRESHOLD, submitted_at=now or timezone.now())
    attempt.passed = scoring.passes(sum(ok for _q, _c, ok in graded), len(graded), DEFAULT_THRESHOLD)
    live = dict(Article.objects.filter(pk__in={q.article_id for q in questions}).values_list("pk", "live_revision_id"))
    return _store(attempt, graded, live)


def practice_assign(*, collection: Collection, team: ProviderTeam, due: datetime.date, size: int,
                    acting_user) -> PracticeAssignment:
    if due < timezone.localdate():
        raise ValidationError(_("The due date cannot be in the past."))
    return PracticeAssignment.objects.create(collection=collection, team_id=team.pk, team_group_id=team.group_id,
                                             due=due, size=size, assigned_by_id=getattr(acting_user, "pk", None))
