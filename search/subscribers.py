"""What search does when content changes: it listens to `articles.events`, and articles never
calls it. Connected in `SearchConfig.ready()`."""

from __future__ import annotations

from articles.events import ContentEvent

from . import lookup


def reindex_changed_article(sender, *, event: ContentEvent, **kwargs) -> None:
    """Every content change can change what search must hold for the article (its text, or
    whether it is there at all: archived, moved, confidential); the task reads the current
    state, so one kind of task serves every change."""
    from kbportal.tasking import enqueue

    from .tasks import index_article_task

    enqueue(index_article_task, event.schema_name, event.article_id)


def remember_opened(sender, *, access, article, **kwargs) -> dict:
    """The reading page remembers the open among the person's recent procedures and shows
    whether it is pinned."""
    lookup.opened(access=access, article=article)
    return {"pinned": lookup.is_pinned(access=access, article=article)}
