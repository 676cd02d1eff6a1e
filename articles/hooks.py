"""What happens after content changes. Kept apart from services so that the search index and
notifications can hang off one place."""

from __future__ import annotations


def article_published(*, article, revision, acting_user) -> None:
    """Called inside the publishing transaction; work is enqueued with `enqueue_on_commit`."""
