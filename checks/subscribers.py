"""What checks does when content changes: it listens to `articles.events` (connected in
`ChecksConfig.ready()`), and articles never calls it."""

from __future__ import annotations

from django.db.models import Count
from django_tenants.utils import schema_context

from articles.events import Change, ContentEvent

from . import services

MADE_LIVE = (Change.PUBLISHED, Change.RESTORED, Change.SUGGESTION_ACCEPTED)


def flag_questions(sender, *, event: ContentEvent, **kwargs) -> None:
    """A revision was made live: flag the questions on what it changed, retire those on what it removed."""
    if event.change not in MADE_LIVE or event.revision_id is None:
        return
    with schema_context(event.schema_name):
        services.revision_live(article_id=event.article_id, revision_id=event.revision_id)


def article_opened(sender, *, access, article, **kwargs) -> dict:
    """The reading page shows the article's knowledge check: a link to take it, and for editors
    to its questions (with how many wait for a review)."""
    from .models import QuestionStatus

    counts = dict(article.questions.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {"knowledge_check": {"questions": counts.get(QuestionStatus.ACTIVE, 0), "can_edit": access.can_edit,
                                "to_review": counts.get(QuestionStatus.TO_REVIEW, 0)}}
