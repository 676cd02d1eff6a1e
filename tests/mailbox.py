"""E-mail in tests: the outbox holds every message until a worker sends it. Tests without a
worker send what is queued the way the worker does (`outbox.services.deliver`), through the
configured backend (locmem in the test settings: `django.core.mail.outbox`)."""

from __future__ import annotations

from django.core import mail

from outbox import services
from outbox.models import Message, Status


def delivered() -> list:
    """Send every queued message now, as `outbox.send` would, and return Django's test outbox."""
    services.deliver(list(Message.objects.filter(status=Status.QUEUED).order_by("pk").values_list("pk", flat=True)))
    return mail.outbox
