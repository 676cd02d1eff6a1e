"""The outbox when a worker dies: a `celery worker` process, on the test database and the
run's queue, SIGKILLed while it is talking to the SMTP server (aiosmtpd on loopback). The row
lock dies with its database connection, the unacknowledged task goes to another worker after
the visibility timeout, and the message is sent once."""

from __future__ import annotations

import asyncio
import time

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection, transaction

from kbportal.celery import app
from outbox import tasks
from outbox.models import Message, Status, UnsubscribeToken
from tenants.models import User

from .faults import free_port, service_env, start_worker, wait_until
from .test_outbox import Inbox, queue_bulk


class SlowRecipient(Inbox):
    """Takes its time to answer RCPT, so that the worker can be killed while it waits."""

    def __init__(self) -> None:
        super().__init__()
        self.rcpt_started = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpt_started += 1
        if self.rcpt_started == 1:
            await asyncio.sleep(3)
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        yield User.objects.get(email="viewer@acme.test")
        Message.objects.filter(to="viewer@acme.test").delete()
        UnsubscribeToken.objects.all().delete()


def test_a_worker_killed_while_sending_loses_nothing_and_the_message_is_sent_once(committed, tmp_path):
    inbox = SlowRecipient()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {**service_env(database_url, settings.REDIS_URL, settings.RUN), "KB_RECONCILE_ON_CONNECT": "",
           "KB_TEST_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
           "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port)}
    workers = []
    try:
        app.control.purge()  # tasks earlier tests of this run left in its queue
        with transaction.atomic():
            message = queue_bulk(committed, send=False)
        doomed = start_worker("outbox-doomed", env, tmp_path)
        workers.append(doomed)
        wait_until(lambda: "ready" in doomed.tail(), timeout=60)
        tasks.send_messages.delay([message.pk])
        wait_until(lambda: inbox.rcpt_started == 1, timeout=30, interval=0.05)  # mid-conversation
        doomed.kill()
        killed = time.monotonic()
        assert Message.objects.get(pk=message.pk).status == Status.QUEUED
        successor = start_worker("outbox-successor", env, tmp_path)
        workers.append(successor)
        wait_until(lambda: Message.objects.get(pk=message.pk).status == Status.SENT, timeout=90, interval=0.5)
        recovered = time.monotonic() - killed
        time.sleep(2)
        assert len(inbox.received) == 1, "sent more than once"
        message.refresh_from_db()
        assert message.attempts == 1  # the killed attempt was rolled back with its connection
        assert "outbox.send" in successor.tail(200)
        print(f"\noutbox worker-sigkill: e-mail sent {recovered:.1f} s after the kill"
              f" (visibility timeout {settings.CELERY_VISIBILITY_TIMEOUT} s)")
    finally:
        for worker in workers:
            worker.stop()
        controller.stop()
