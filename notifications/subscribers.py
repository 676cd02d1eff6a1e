"""What notifications does when content changes: it listens to `articles.events` (connected
in `NotificationsConfig.ready()`), and articles never calls it."""

from __future__ import annotations

import logging

from articles.events import ContentEvent

from . import services

log = logging.getLogger(__name__)


def content_changed(sender, *, event: ContentEvent, **kwargs) -> None:
    """Record the change (the durable part), then send its planning task; a task the broker
    cannot take is found by the sweep (`notifications.sweep`)."""
    from tenants.tasking import enqueue

    from .tasks import plan_fanout_task

    record = services.record_change(event)
    if record is not None:
        enqueue(plan_fanout_task, event.schema_name, record.pk)


def article_opened(sender, *, access, article, **kwargs) -> dict:
    """A reader opened the live revision: remember it, so that their next notification shows
    the diff since this revision."""
    services.remember_read(person_id=access.user_id, article=article)
    return {}
