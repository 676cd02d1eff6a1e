"""The outbox's tasks: ids in, a service call. Not tenant tasks: the outbox is in the public schema."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import connection

from broker import BROKER_UNAVAILABLE

from . import services

logger = logging.getLogger(__name__)

# A retry waits in the broker at most this long (under the visibility timeout, see
# tenants.tasking.RETRY_OPTIONS); longer waits are the sweep's.
RETRY_IN_BROKER_MAX_SECONDS = 20


@shared_task(name="outbox.send", acks_late=True, bind=True, max_retries=5)
def send_messages(self, message_ids: list[int]) -> None:
    connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection
    result = services.deliver([int(pk) for pk in message_ids])
    if result.retry and result.retry_in <= RETRY_IN_BROKER_MAX_SECONDS and self.request.retries < self.max_retries:
        try:
            raise self.retry(args=[result.retry], countdown=result.retry_in)
        except BROKER_UNAVAILABLE as exc:  # the rows stay queued: the sweep sends them
            logger.warning("could not schedule the retry of e-mails %s: %s", result.retry, exc)


@shared_task(name="outbox.sweep", acks_late=True)
def sweep() -> int:
    """Send what is due and was not sent by its own task (lost enqueue, long backoff)."""
    connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection
    ids = services.due_ids()
    for start in range(0, len(ids), services.SEND_CHUNK):
        send_messages.delay(ids[start:start + services.SEND_CHUNK])
    return len(ids)


@shared_task(name="outbox.purge", acks_late=True)
def purge() -> int:
    connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection
    return services.purge()
