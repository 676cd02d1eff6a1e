"""Figures of the knowledge checks for the collaboration dashboard (the `dashboard` app): pure
reads, no person; the dashboard applies its own permission scope (which agents, which
must-reads) before calling them.

- `weak_spots`: the questions most often failed in a period (answers in check and practice
  attempts), with their anchored step labels, their article, attempts and fail share;
- `passes`: when each person first passed the check of each must-read.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Min, Q

from . import anchors as anchoring
from .models import Answer, Attempt, AttemptKind, Question


def weak_spots(start: datetime.datetime, end: datetime.datetime, agent_ids: frozenset[int] | None,
               limit: int = 10, articles=None) -> list[dict]:
    """Questions answered in [start, end) by `agent_ids` (None: everyone), most failed first
    (by number of wrong answers, then fail share, then question id); only questions failed at
    least once. Each: question_id, question, article_id, article, steps (labels of what it
    tests, in the article's live revision), attempts, failed, fail_share (0..1). `articles` (a
    subquery of article pks, or None for all): only questions on those are counted and named."""
    answers = Answer.objects.filter(attempt__submitted_at__gte=start, attempt__submitted_at__lt=end)
    if agent_ids is not None:
        answers = answers.filter(attempt__person_id__in=agent_ids)
    if articles is not None:
        answers = answers.filter(question__article_id__in=articles)
    counted = list(answers.values("question_id")
                   .annotate(attempts=Count("pk"), failed=Count("pk", filter=Q(correct=False)))
                   .filter(failed__gt=0).order_by("-failed", "question_id")[: limit * 3])
    counted.sort(key=lambda row: (-row["failed"], -row["failed"] / row["attempts"], row["question_id"]))
    counted = counted[:limit]
    questions = {q.pk: q for q in Question.objects.filter(pk__in=[row["question_id"] for row in counted])
                 .select_related("article__live_revision")}
    rows = []
    for row in counted:
        question = questions[row["question_id"]]
        live = question.article.live_revision
        items = anchoring.by_key(live.content()) if live is not None else {}
        rows.append({
            "question_id": question.pk, "question": question.text, "article_id": question.article_id,
            "article": question.article.title, "article_url": question.article.get_absolute_url(),
            "steps": [items[key].label if key in items else key for key in question.anchors],
            "attempts": row["attempts"], "failed": row["failed"], "fail_share": row["failed"] / row["attempts"],
        })
    return rows


def passes(must_read_ids) -> dict[tuple[int, int], datetime.datetime]:
    """{(must_read_id, user_id): when they first passed its check}, for the must-reads given."""
    rows = (Attempt.objects.filter(kind=AttemptKind.CHECK, passed=True, must_read_id__in=list(must_read_ids))
            .values("must_read_id", "person_id").annotate(first=Min("submitted_at")))
    return {(row["must_read_id"], row["person_id"]): row["first"] for row in rows if row["must_read_id"] is not None}
