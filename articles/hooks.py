"""What happens after content changes. Kept apart from services so that the search index and
notifications can hang off one place."""

from __future__ import annotations

from kbportal.tasking import enqueue_on_commit


def article_published(*, article, revision, acting_user) -> None:
    """Called inside the publishing transaction; work is enqueued with `enqueue_on_commit`."""
    from search.tasks import index_article_task

    enqueue_on_commit(index_article_task, article.pk)
