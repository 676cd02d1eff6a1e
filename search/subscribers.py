"""What search does when content changes: it listens to `articles.events`, and articles never
calls it. Connected in `SearchConfig.ready()`."""

from __future__ import annotations

from articles.events import ContentEvent

from . import indexing, selectors, services


def reindex_changed_article(sender, *, event: ContentEvent, **kwargs) -> None:
    """Every content change can change what search must hold for the article (its text, or
    whether it is there at all: archived, moved, confidential); the task reads the current
    state, so one kind of task serves every change."""
    from tenants.tasking import enqueue

    from .tasks import index_article_task

    enqueue(index_article_task, event.schema_name, event.article_id)


def remember_opened(sender, *, access, article, from_query: str = "", **kwargs) -> dict:
    """The reading page of a published article remembers the open among the person's recent
    procedures and shows whether it is pinned; editors also learn whether it could be indexed."""
    context: dict = {}
    if not article.is_archived:
        services.opened(access=access, article=article)
        if from_query:
            services.result_opened(access=access, article=article, log_id=from_query)
        context["pinned"] = selectors.is_pinned(access=access, article=article)
    if access.can_edit:
        context["index_failure"] = indexing.failure_for(article)
    return context
