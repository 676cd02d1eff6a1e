"""Content events: the one seam through which the rest of kbportal learns what happened to content.

`articles` emits; other apps subscribe in their `AppConfig.ready()` (search indexing today,
notifications and webhooks next), so that `articles` never imports them.

- `content_changed` is sent **after commit** of the transaction that published, restored,
  archived, un-archived, or changed the settings of an article, with a `ContentEvent`: ids and
  the tenant's schema only, never model instances, so a subscriber can hand it to a task.
- `article_opened` is sent while the reading page of the published revision is being built; a
  subscriber may return a dict that is added to the page's context (search remembers the open
  and says whether the article is pinned, and tells editors when the article could not be
  indexed).

Subscribers are called with `send_robust`: one that fails is logged and never breaks the
publish, the page or the other subscribers.
"""

from __future__ import annotations

import dataclasses
import logging
from enum import StrEnum

from django.db import connection, transaction
from django.dispatch import Signal

log = logging.getLogger(__name__)


class Change(StrEnum):
    PUBLISHED = "published"
    RESTORED = "restored"
    SUGGESTION_ACCEPTED = "suggestion_accepted"
    ARCHIVED = "archived"
    UNARCHIVED = "unarchived"
    SETTINGS = "settings"
    # A first publish undone by its editor: the article is a draft again.
    UNPUBLISHED = "unpublished"


@dataclasses.dataclass(frozen=True)
class ContentEvent:
    schema_name: str
    article_id: int
    change: Change
    actor_id: int | None = None
    revision_id: int | None = None
    # How much the change matters to readers (`articles.models.Materiality`), for publishes,
    # restores and accepted suggestions; None for the other changes.
    materiality: str | None = None
    # For a must-read publish: who must read it and by when, as the publisher chose
    # ({"everyone": bool, "roles": [client roles], "teams": [provider team ids],
    #   "deadline": ISO date or None}); None otherwise.
    must_read: dict | None = None
    # A publish undone by its editor (`articles.services.publish_undo`): the revision whose
    # publish this event takes back (its must-read is withdrawn, its change not told).
    undone_revision_id: int | None = None

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


content_changed = Signal()
article_opened = Signal()


def _send(signal: Signal, **kwargs) -> list:
    answers = []
    for receiver, answer in signal.send_robust(sender=ContentEvent, **kwargs):
        if isinstance(answer, Exception):
            log.error("content event subscriber %r failed", receiver, exc_info=answer)
        else:
            answers.append(answer)
    return answers


def emit(*, article_id: int, change: Change, actor=None, revision_id: int | None = None,
         materiality: str | None = None, must_read: dict | None = None,
         undone_revision_id: int | None = None) -> ContentEvent:
    """Send `content_changed` once the current transaction commits (at once outside one)."""
    event = ContentEvent(
        schema_name=connection.schema_name, article_id=article_id, change=Change(change),  # type: ignore[attr-defined]  # django-tenants' connection
        actor_id=getattr(actor, "pk", None), revision_id=revision_id, materiality=materiality, must_read=must_read,
        undone_revision_id=undone_revision_id,
    )
    transaction.on_commit(lambda: _send(content_changed, event=event))
    return event


def opened(*, access, article, from_query: str = "") -> dict:
    """Tell subscribers a reader opened the published `article` (`from_query`: the id of the
    logged search it was opened from, as the link said it, unchecked); what they answer, merged."""
    context: dict = {}
    for answer in _send(article_opened, access=access, article=article, from_query=from_query):
        if isinstance(answer, dict):
            context.update(answer)
    return context
