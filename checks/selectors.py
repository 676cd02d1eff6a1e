"""Reads that take the acting person: questions for editors, the state of a check for the person
taking it, practice sets and history, a lead's assignments. Everything a person sees goes
through the permission layer: a question is found only through an article they may read (or,
for editors, edit), the same 404 for missing and forbidden."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from articles.models import Article, Collection, Revision
from permissions.selectors import visible_articles, visible_collections
from readiness.models import MustRead
from readiness.selectors import pending_for
from tenants.selectors import WorkspaceAccess

from . import anchors as anchoring
from .models import Answer, Attempt, AttemptKind, PracticeAssignment, Question, QuestionStatus, ReAsk

PRACTICE_SIZE = 10


def _with_choices(questions: QuerySet[Question]) -> QuerySet[Question]:
    return questions.prefetch_related("choices")


# --- Editors ----------------------------------------------------------------------------------


def questions_of(article: Article) -> list[Question]:
    """The article's questions (found through the permission layer by the caller), current first."""
    order = {QuestionStatus.TO_REVIEW: 0, QuestionStatus.ACTIVE: 1, QuestionStatus.RETIRED: 2}
    return sorted(_with_choices(article.questions.all()), key=lambda q: (order[QuestionStatus(q.status)], q.pk))


def get_question_for_editor(access: WorkspaceAccess, pk: int) -> Question:
    """A question of an article the editor may edit; 404 for anyone else and for missing ones."""
    if not access.can_edit:
        raise Http404
    question = (_with_choices(Question.objects.filter(pk=pk, article__in=visible_articles(access, drafts=True)))
                .select_related("article", "anchored_revision", "flagged_revision").first())
    if question is None:
        raise Http404
    return question


def to_review(access: WorkspaceAccess) -> QuerySet[Question]:
    """The questions whose anchored content changed, waiting for an editor."""
    return (Question.objects.filter(status=QuestionStatus.TO_REVIEW, article__in=visible_articles(access, drafts=True))
            .select_related("article", "flagged_revision").order_by("-flagged_at", "pk"))


@dataclass
class Side:
    label: str
    old: str | None
    new: str | None


def review_sides(question: Question) -> list[Side]:
    """The old and new text of each anchored item (old: what the question was written against)."""
    old = anchoring.by_key(question.anchored_revision.content()) if question.anchored_revision else {}
    new = anchoring.by_key(question.flagged_revision.content()) if question.flagged_revision else {}
    sides = []
    for key in question.anchors:
        before, after = old.get(key), new.get(key)
        shown = after or before
        label = shown.label if shown is not None else key
        sides.append(Side(label, before.text if before else None, after.text if after else None))
    return sides


def anchor_labels(question: Question, revision: Revision | None) -> list[tuple[str, str]]:
    """(label, #fragment on the reading page) of what the question tests, in `revision`."""
    items = anchoring.by_key(revision.content()) if revision is not None else {}
    return [(items[key].label, items[key].fragment) if key in items else (key, "") for key in question.anchors]


# --- Taking a check -------------------------------------------------------------------------------


def retry_unit() -> datetime.timedelta:
    """How long one "minute" of a retry delay lasts (settable for tests: KB_CHECK_RETRY_UNIT_SECONDS)."""
    return datetime.timedelta(seconds=getattr(settings, "KB_CHECK_RETRY_UNIT_SECONDS", 60))


@dataclass
class CheckState:
    article: Article
    live: Revision | None
    must_read: MustRead | None  # open, requires its check, not acknowledged by this person
    questions: list[Question]  # what to ask now, shuffled, choices shuffled
    kept: int  # current questions whose earlier answers still hold
    last: Attempt | None
    retry_at: datetime.datetime | None = None
    feedback: list = field(default_factory=list)

    @property
    def waiting(self) -> bool:
        return self.retry_at is not None and timezone.now() < self.retry_at

    @property
    def threshold(self) -> int:
        return self.must_read.pass_threshold if self.must_read else 80


def _kept(person_id: int, questions: list[Question]) -> set[int]:
    """The questions whose latest answer by the person was right, in a passed check, and that
    no change has asked again since."""
    latest: dict[int, tuple[bool, bool]] = {}
    for answer in (Answer.objects.filter(attempt__person_id=person_id, attempt__kind=AttemptKind.CHECK,
                                         question__in=questions)
                   .order_by("attempt__submitted_at", "attempt_id").values("question_id", "correct", "attempt__passed")):
        latest[answer["question_id"]] = (answer["correct"], answer["attempt__passed"])
    open_asks = set(ReAsk.objects.filter(person_id=person_id, question__in=questions, answered_at__isnull=True)
                    .values_list("question_id", flat=True))
    return {pk for pk, (right, passed) in latest.items() if right and passed and pk not in open_asks}


def shuffled(questions: list[Question], rng: random.Random | None = None) -> list[Question]:
    """The questions in a random order, each with its choices in a random order (`shown_choices`)."""
    rng = rng or random.SystemRandom()
    questions = list(questions)
    rng.shuffle(questions)
    for question in questions:
        choices = list(question.choices.all())
        rng.shuffle(choices)
        question.shown_choices = choices  # type: ignore[attr-defined]
    return questions


def check_state(access: WorkspaceAccess, article: Article, *, shuffle: bool = True) -> CheckState:
    """`article` is found through the permission layer (published) by the caller."""
    must_read = pending_for(access).filter(article=article, requires_check=True).order_by("-revision__number").first()
    current = list(_with_choices(article.questions.current()))
    kept = _kept(access.user_id, current)
    asked = [q for q in current if q.pk not in kept]
    last = Attempt.objects.filter(person_id=access.user_id, article=article, kind=AttemptKind.CHECK).first()
    state = CheckState(article, article.live_revision, must_read, shuffled(asked) if shuffle else asked,
                       len(kept), last)
    if last is not None and not last.passed and must_read is not None and last.must_read_id == must_read.pk:
        state.retry_at = last.submitted_at + must_read.retry_delay_minutes * retry_unit()
    return state


def attempt_feedback(attempt: Attempt, hide_right_for: frozenset[int] = frozenset()) -> list[dict]:
    """For each answer of the attempt: the question, whether it was right, the right choices
    (none for the questions of the articles `hide_right_for`), the explanation and links to the
    steps to re-read (in the revision it was taken on)."""
    rows = []
    for answer in attempt.answers.select_related("question").prefetch_related("question__choices").order_by("pk"):
        question = answer.question
        rows.append({
            "question": question, "correct": answer.correct,
            "right": [] if question.article_id in hide_right_for else [c.text for c in question.choices.all() if c.correct],
            "chosen": [c.text for c in question.choices.all() if c.pk in answer.chosen],
            "anchors": anchor_labels(question, attempt.revision),
        })
    return rows


def articles_with_pending_check(access: WorkspaceAccess) -> frozenset[int]:
    """The articles whose check this person must still pass for an open must-read: practice
    must not show them the right answers of those questions before they take it."""
    return frozenset(pending_for(access).filter(requires_check=True).values_list("article_id", flat=True))


def re_asks_for(access: WorkspaceAccess) -> QuerySet[ReAsk]:
    """Questions to answer again (their step changed since the person passed them), once reviewed."""
    return (ReAsk.objects.filter(person_id=access.user_id, answered_at__isnull=True,
                                 question__status=QuestionStatus.ACTIVE,
                                 question__article__in=visible_articles(access).values("pk"))
            .select_related("question__article").order_by("created_at"))


# --- Practice ---------------------------------------------------------------------------------------


def _nested(collection: Collection) -> set[int]:
    pks, frontier = {collection.pk}, [collection.pk]
    while frontier:
        frontier = list(Collection.objects.filter(parent_id__in=frontier).exclude(pk__in=pks).values_list("pk", flat=True))
        pks.update(frontier)
    return pks


def practice_pool(access: WorkspaceAccess, collection: Collection) -> QuerySet[Question]:
    """The current questions on the published articles of the collection (and those it nests)
    that the person may read."""
    readable = visible_articles(access).published().filter(collection_id__in=_nested(collection))
    return _with_choices(Question.objects.current().filter(article__in=readable.values("pk"))).select_related("article")


def practice_set(access: WorkspaceAccess, collection: Collection, size: int = PRACTICE_SIZE,
                 rng: random.Random | None = None) -> list[Question]:
    rng = rng or random.SystemRandom()
    pool = list(practice_pool(access, collection))
    return shuffled(rng.sample(pool, min(size, len(pool))), rng)


def practice_questions(access: WorkspaceAccess, collection: Collection, pks: list[int]) -> list[Question]:
    """The questions of a submitted practice set, kept to those the person may be asked."""
    return list(practice_pool(access, collection).filter(pk__in=pks))


def practice_history(access: WorkspaceAccess, collection: Collection | None = None) -> QuerySet[Attempt]:
    attempts = Attempt.objects.filter(person_id=access.user_id, kind=AttemptKind.PRACTICE,
                                      collection__in=visible_collections(access))
    if collection is not None:
        attempts = attempts.filter(collection=collection)
    return attempts.select_related("collection").order_by("-submitted_at")


def assignments_for(access: WorkspaceAccess) -> list[dict]:
    """The practice sets assigned to the person's teams, on collections they may read, with
    whether they practised the collection since."""
    if not access.team_group_ids:
        return []
    rows = []
    for assignment in (PracticeAssignment.objects.filter(team_group_id__in=access.team_group_ids,
                                                         collection__in=visible_collections(access))
                       .select_related("collection")):
        done = Attempt.objects.filter(person_id=access.user_id, kind=AttemptKind.PRACTICE,
                                      collection=assignment.collection,
                                      submitted_at__gte=assignment.created_at).exists()
        rows.append({"assignment": assignment, "done": done, "late": not done and assignment.due < timezone.localdate()})
    return rows


def collections_with_questions(access: WorkspaceAccess) -> QuerySet[Collection]:
    readable = visible_articles(access).published().filter(questions__status=QuestionStatus.ACTIVE)
    return visible_collections(access).filter(archived_at__isnull=True).filter(pk__in=readable.values("collection_id")).order_by("name")


def lead_assignments(team_ids: list[int]) -> QuerySet[PracticeAssignment]:
    return PracticeAssignment.objects.filter(team_id__in=team_ids).select_related("collection").order_by("due")
