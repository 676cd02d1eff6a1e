"""The outbox against a real SMTP server on loopback (aiosmtpd): what arrives (both parts, the
language, the List-* headers), unsubscribing (RFC 8058 one-click POST, a GET that changes
nothing, tokens that are refused), and faults (a server that refuses or is down, a duplicated
task, Redis down when queuing): nothing lost, sent once."""

from __future__ import annotations

import email
import email.policy
import re
import secrets
import socket
import threading
import time
from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import transaction
from django.test import Client as HttpClient

from kbportal.celery import app
from outbox import preferences, services, streams, tasks
from outbox.models import EmailPreference, Message, Status, UnsubscribeToken
from tenants.models import User
from tenants.tasking import enqueue

from .conftest import host

PUBLIC = settings.KB_BASE_DOMAIN

# Two bulk streams of the tests' own, and what unsubscribing from them did.
UNSUBSCRIBED: list[tuple[str, int, str]] = []


def _recorder(stream: str):
    def unsubscribe(person_id: int, schema_name: str) -> None:
        UNSUBSCRIBED.append((stream, person_id, schema_name))
        preferences.stop_updates(person_id, schema_name)

    return unsubscribe


streams.register("test.changes", label="Changes", reason="You follow procedures in %(workspace)s.",
                 unsubscribe=_recorder("test.changes"))
streams.register("test.other", label="Other news", unsubscribe=_recorder("test.other"))
streams.register("test.work", label="Assignments", reason="Work assigned to you in %(workspace)s.")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler: keeps what it accepts; `refuse` makes it answer that instead."""

    def __init__(self) -> None:
        self.received: list = []
        self.refuse: str | None = None
        self.refuse_rcpt: str | None = None
        self.delay = 0.0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_rcpt:
            return self.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return self.refuse
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        with self.lock:
            self.received.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted"


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    inbox.port = port
    yield inbox
    controller.stop()


def queue_bulk(person, *, language="en", stream="test.changes", schema="acme", **extra) -> Message:
    return services.queue(to=person.email, subject="Refund guide changed", text="Step 2 now says: call back.",
                          html="<p>Step 2 now says: <strong>call back</strong>.</p>", stream=stream,
                          language=language, schema_name=schema, person_id=person.pk, **extra)


def parts(received):
    plain = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    return plain, html


def unsubscribe_link(received) -> tuple[str, str]:
    header = str(received["List-Unsubscribe"])
    https, mailto = re.findall(r"<([^>]+)>", header)
    return https, mailto


def http_path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


# --- What arrives --------------------------------------------------------------------------------


def test_a_message_arrives_multipart_with_its_css_inlined_and_the_list_headers(world, smtp):
    message = queue_bulk(world.acme_viewer)
    result = services.deliver([message.pk])
    assert result.sent == [message.pk]
    [received] = smtp.received
    assert received["To"] == world.acme_viewer.email and received["Subject"] == "Refund guide changed"
    assert received["Message-ID"] == message.message_id
    plain, html = parts(received)
    assert "Step 2 now says: call back." in plain and "<strong>call back</strong>" in html
    assert "<style" not in html and 'style="' in html  # css-inline moved the rules onto the elements
    assert "kbportal" in plain and "You follow procedures in Acme Parcels." in plain
    # RFC 8058: an https URL and a mailto, the one-click POST, a List-Id per stream.
    https, mailto = unsubscribe_link(received)
    assert https.startswith(f"http://{PUBLIC}/mail/unsubscribe/") and mailto.startswith("mailto:unsubscribe@")
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "<test.changes.acme.kb.localhost>" in str(received["List-Id"])
    assert received["Auto-Submitted"] == "auto-generated"
    # The footer links to the settings and to the same unsubscribe address.
    assert f"http://{host(world.acme)}/settings/email/" in plain and https in plain and https in html
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 1 and message.sent_at is not None


def test_the_message_speaks_the_recipients_language(world, smtp):
    french = queue_bulk(world.acme_viewer, language="fr")
    english = queue_bulk(world.acme_editor, language="en")
    services.deliver([french.pk, english.pk])
    by_to = {str(received["To"]): received for received in smtp.received}
    french_text, french_html = parts(by_to[world.acme_viewer.email])
    english_text, english_html = parts(by_to[world.acme_editor.email])
    assert "Vos paramètres d’e-mail" in french_text and 'lang="fr"' in french_html
    assert "Se désabonner de « Changes »" in french_html
    assert "Your e-mail settings" in english_text and 'lang="en"' in english_html
    assert "Unsubscribe from “Changes”" in english_html


def test_an_invitation_is_composed_from_its_template_pair_in_the_inviters_language(world, smtp):
    from django.utils import translation

    from tenants import services as tenants
    from tenants.models import Role, SiteAddress

    with translation.override("fr"):
        tenants.invitation_create(client=world.acme, email="nouvelle@example.test", role=Role.EDITOR,
                                  acting_user=world.acme_admin, site=SiteAddress(scheme="http", port="8000"))
    message = Message.objects.get(to="nouvelle@example.test")
    assert message.stream == "invitations" and message.schema_name == "acme" and message.language == "fr"
    services.deliver([message.pk])
    [received] = smtp.received
    plain, html = parts(received)
    assert "Acme Parcels" in received["Subject"]
    assert "Admin vous invite à rejoindre" in plain and "Accepter l’invitation" in html
    assert "http://kb.localhost:8000/invitations/" in plain and "http://kb.localhost:8000/invitations/" in html
    assert "<style" not in html and 'style="color: #ffffff;display: inline-block;' in html  # the button, inlined
    assert received["List-Unsubscribe"] is None  # transactional: nothing to unsubscribe from
    assert "<invitations.acme.kb.localhost>" in str(received["List-Id"])
    assert "/settings/email/" not in plain  # no account yet: no settings to link to


def test_work_cannot_be_unsubscribed_but_links_to_the_settings(world, smtp):
    message = queue_bulk(world.agent_acme, stream="test.work")
    services.deliver([message.pk])
    [received] = smtp.received
    assert received["List-Unsubscribe"] is None and received["List-Unsubscribe-Post"] is None
    assert "<test.work.acme.kb.localhost>" in str(received["List-Id"])
    plain, _html = parts(received)
    assert f"http://{host(world.acme)}/settings/email/" in plain and "/mail/unsubscribe/" not in plain
    assert not UnsubscribeToken.objects.filter(person=world.agent_acme).exists()


def test_a_bulk_stream_needs_the_person(world):
    with pytest.raises(ValueError, match="person_id"):
        services.queue(to="x@example.test", subject="s", text="t", stream="test.changes", language="en")
    with pytest.raises(streams.UnknownStream):
        services.queue(to="x@example.test", subject="s", text="t", stream="nope", language="en")


def test_a_subject_cannot_inject_headers(world, smtp):
    message = services.queue(to=world.acme_viewer.email, subject="Hi\r\nBcc: victim@example.test", text="t",
                             stream="test.work", language="en", person_id=world.acme_viewer.pk)
    services.deliver([message.pk])
    [received] = smtp.received
    assert received["Bcc"] is None and received["Subject"] == "Hi Bcc: victim@example.test"


# --- Unsubscribing -------------------------------------------------------------------------------


@pytest.fixture
def link(world, smtp):
    """The unsubscribe link of a mail sent to acme's viewer."""
    UNSUBSCRIBED.clear()
    message = queue_bulk(world.acme_viewer)
    services.deliver([message.pk])
    https, _mailto = unsubscribe_link(smtp.received[-1])
    return SimpleNamespace(url=https, path=http_path(https), token=http_path(https).rstrip("/").rsplit("/", 1)[1])


def test_the_one_click_post_unsubscribes_without_signing_in(world, link):
    anonymous = HttpClient()
    response = anonymous.post(link.path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded",
                              HTTP_HOST=PUBLIC)
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert preferences.frequency_for(world.acme_viewer.pk, "acme") == "none"
    assert UNSUBSCRIBED == [("test.changes", world.acme_viewer.pk, "acme")]
    # Nothing else changed: other workspaces, other people, the must-read choice.
    assert preferences.frequency_for(world.acme_viewer.pk, "lumiere") == "daily"
    assert preferences.frequency_for(world.acme_viewer.pk, "acme", "must_read") == "immediate"
    assert preferences.frequency_for(world.acme_editor.pk, "acme") == "daily"
    # The token is no login: no session was made.
    assert "kb_session" not in response.cookies and "_auth_user_id" not in anonymous.session
    # Twice is harmless.
    assert anonymous.post(link.path, HTTP_HOST=PUBLIC).status_code == 200


def test_the_get_only_shows_a_confirmation_page(world, link):
    response = HttpClient().get(link.path, HTTP_HOST=PUBLIC)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Unsubscribe?" in page and "Stop “Changes” e-mails from Acme Parcels?" in page
    assert '<form method="post">' in page
    assert response["Referrer-Policy"] == "no-referrer" and "no-store" in response["Cache-Control"]
    assert UNSUBSCRIBED == []
    assert not EmailPreference.objects.filter(person=world.acme_viewer).exists()
    assert UnsubscribeToken.objects.get(person=world.acme_viewer, stream="test.changes").used_at is None


def test_forged_and_borrowed_tokens_are_refused(world, link):
    from django.core import signing

    anonymous = HttpClient()
    row = UnsubscribeToken.objects.get(person=world.acme_viewer, stream="test.changes", schema_name="acme")
    key, signature = link.token.split(":")
    assert key == row.key
    forged = [
        secrets.token_urlsafe(32),  # made up
        row.key,  # what the database holds, unsigned
        f"{row.key}:{secrets.token_urlsafe(32)}",  # signed by someone without the secret key
        link.token[:-1] + ("A" if link.token[-1] != "A" else "B"),  # tampered
        link.token.upper(),
        signing.Signer(algorithm="sha256").sign(row.key),  # signed for another purpose (no salt)
        signing.Signer(salt="django.core.signing", algorithm="sha256").sign(row.key),
        signing.dumps(row.key),  # a signed object, as sessions and other links use
        "x" * 500,
    ]
    for token in forged:
        for method in ("get", "post"):
            response = getattr(anonymous, method)(f"/mail/unsubscribe/{token}/", HTTP_HOST=PUBLIC)
            assert response.status_code == 404, (token, method)
    # A validly signed token of a stream that cannot be unsubscribed (work) opens nothing.
    work = UnsubscribeToken.objects.create(key=secrets.token_urlsafe(24), person=world.acme_viewer,
                                           stream="test.work", schema_name="acme")
    assert anonymous.post(f"/mail/unsubscribe/{services.unsubscribe_token(work)}/", HTTP_HOST=PUBLIC).status_code == 404
    assert UNSUBSCRIBED == [] and not EmailPreference.objects.exists()


def test_one_token_serves_every_message_of_a_stream_to_a_person(world, smtp):
    first, second = queue_bulk(world.acme_viewer), queue_bulk(world.acme_viewer)
    other_workspace = queue_bulk(world.acme_viewer, schema="lumiere")
    services.deliver([first.pk, second.pk, other_workspace.pk])
    links = [unsubscribe_link(received)[0] for received in smtp.received]
    assert links[0] == links[1] != links[2]
    assert UnsubscribeToken.objects.filter(person=world.acme_viewer).count() == 2


def test_a_token_unsubscribes_its_person_from_its_stream_only(world, smtp, link):
    other = queue_bulk(world.acme_editor, stream="test.other", schema="lumiere")
    services.deliver([other.pk])
    editor_path = http_path(unsubscribe_link(smtp.received[-1])[0])
    anonymous = HttpClient()
    assert anonymous.post(editor_path, HTTP_HOST=PUBLIC).status_code == 200
    assert UNSUBSCRIBED == [("test.other", world.acme_editor.pk, "lumiere")]
    # The viewer's link still belongs to the viewer, and to "Changes" in acme.
    assert anonymous.post(link.path, HTTP_HOST=PUBLIC).status_code == 200
    assert UNSUBSCRIBED[-1] == ("test.changes", world.acme_viewer.pk, "acme")
    assert preferences.frequency_for(world.acme_editor.pk, "acme") == "daily"


def test_the_unsubscribe_page_is_not_served_on_a_tenant_host(world, link):
    response = HttpClient().post(link.path, HTTP_HOST=host(world.acme))
    assert response.status_code in (302, 404)  # the tenant's gate: sign in first
    assert UNSUBSCRIBED == []


# --- Faults --------------------------------------------------------------------------------------


def test_a_server_that_refuses_then_accepts_loses_nothing_and_sends_once(world, smtp, settings):
    settings.OUTBOX_BACKOFF_SECONDS = 1
    message = queue_bulk(world.acme_viewer)
    smtp.refuse = "451 4.3.0 Try again later"
    result = services.deliver([message.pk])
    assert result.retry == [message.pk] and result.retry_in == 1 and smtp.received == []
    message.refresh_from_db()
    assert message.status == Status.QUEUED and message.attempts == 1 and "451" in message.last_error
    assert services.deliver([message.pk]).skipped == [message.pk]  # not due yet: no hammering
    time.sleep(1.1)
    smtp.refuse = None
    assert services.deliver([message.pk]).sent == [message.pk]
    assert services.deliver([message.pk]).skipped == [message.pk]
    assert len(smtp.received) == 1
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 2 and message.last_error == ""


def test_a_server_that_is_down_delays_the_mail(world, smtp, settings):
    settings.OUTBOX_BACKOFF_SECONDS = 1
    settings.EMAIL_PORT = free_port()  # nothing listens there: connection refused
    message = queue_bulk(world.acme_viewer)
    assert services.deliver([message.pk]).retry == [message.pk]
    message.refresh_from_db()
    assert message.status == Status.QUEUED and "Connection refused" in message.last_error
    settings.EMAIL_PORT = smtp.port
    time.sleep(1.1)
    assert services.deliver([message.pk]).sent == [message.pk]
    assert len(smtp.received) == 1


def test_backoff_doubles_up_to_an_hour():
    assert [services.backoff_seconds(n) for n in (1, 2, 3, 4, 12, 30)] == [5, 10, 20, 40, 3600, 3600]


def test_a_refused_recipient_fails_for_good_and_another_message_goes_on(world, smtp):
    refused = queue_bulk(world.acme_viewer)
    fine = queue_bulk(world.acme_editor)
    smtp.refuse_rcpt = "550 5.1.1 No such user"
    result = services.deliver([refused.pk])
    assert result.failed == [refused.pk]
    refused.refresh_from_db()
    assert refused.status == Status.FAILED and "550" in refused.last_error
    smtp.refuse_rcpt = None
    assert services.deliver([refused.pk, fine.pk]).sent == [fine.pk]
    assert [str(m["To"]) for m in smtp.received] == [world.acme_editor.email]
    # The platform admin can send it again.
    services.send_again([refused.pk])
    assert services.deliver([refused.pk]).sent == [refused.pk]


def test_too_many_attempts_mark_the_message_failed(world, smtp, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    message = queue_bulk(world.acme_viewer)
    smtp.refuse = "421 4.7.0 Busy"
    assert services.deliver([message.pk]).failed == [message.pk]


def test_the_row_is_written_in_the_callers_transaction(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            queue_bulk(world.acme_viewer)
            raise RuntimeError("the caller's work failed")
    assert not Message.objects.exists() and callbacks == []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_bulk(world.acme_viewer)
    assert Message.objects.count() == 1 and len(callbacks) == 1


# With a real worker and broker: the data is committed (the worker cannot see a test's
# transaction), so these tests clean up after themselves.


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        yield SimpleNamespace(viewer=User.objects.get(email="viewer@acme.test"))
        Message.objects.all().delete()
        UnsubscribeToken.objects.all().delete()
        EmailPreference.objects.all().delete()


@pytest.fixture
def worker(committed):
    app.conf.broker_connection_retry_on_startup = True
    with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False, shutdown_timeout=10):
        yield app


def wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_the_worker_sends_after_commit_and_a_duplicated_task_sends_once(committed, smtp, worker):
    smtp.delay = 1.0  # the two tasks overlap: the second finds the row locked or sent
    with transaction.atomic():
        message = queue_bulk(committed.viewer)
    tasks.send_messages.delay([message.pk])  # a duplicate of the one sent after commit
    tasks.send_messages.delay([message.pk])
    assert wait_for(lambda: Message.objects.get(pk=message.pk).status == Status.SENT)
    time.sleep(2.5)  # let the duplicates finish
    assert len(smtp.received) == 1
    assert Message.objects.get(pk=message.pk).attempts == 1


def test_the_worker_retries_a_refusing_server_with_backoff(committed, smtp, worker, settings):
    settings.OUTBOX_BACKOFF_SECONDS = 1
    smtp.refuse = "451 4.3.0 Try again later"
    with transaction.atomic():
        message = queue_bulk(committed.viewer)
    assert wait_for(lambda: Message.objects.get(pk=message.pk).attempts >= 2)
    smtp.refuse = None
    assert wait_for(lambda: Message.objects.get(pk=message.pk).status == Status.SENT)
    assert len(smtp.received) == 1


def test_redis_down_when_queuing_keeps_the_row_and_the_sweep_sends_it(committed, smtp, settings):
    settings.OUTBOX_SWEEP_GRACE_SECONDS = 0
    broker = app.conf.broker_url
    app.conf.broker_url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens: Redis is down
    app._pool = None
    app.amqp._producer_pool = None
    try:
        started = time.monotonic()
        with transaction.atomic():
            message = queue_bulk(committed.viewer)
        assert time.monotonic() - started < 5  # the caller's commit did not wait on Redis for long
        assert enqueue(tasks.send_messages, [message.pk]) is False  # Redis really is down
    finally:
        app.conf.broker_url = broker
        app._pool = None
        app.amqp._producer_pool = None
    assert Message.objects.get(pk=message.pk).status == Status.QUEUED
    with start_worker(app, pool="threads", concurrency=1, perform_ping_check=False, shutdown_timeout=10):
        tasks.sweep.delay()
        assert wait_for(lambda: Message.objects.get(pk=message.pk).status == Status.SENT)
    assert len(smtp.received) == 1


def test_a_batch_is_queued_in_one_go_and_sent_once_each(committed, smtp, worker):
    people = [committed.viewer] * 120
    started = time.monotonic()
    with transaction.atomic():
        ids = [queue_bulk(person, send=False).pk for person in people]
        services.send_after_commit(ids)
    queued = time.monotonic() - started
    assert wait_for(lambda: Message.objects.filter(pk__in=ids, status=Status.SENT).count() == len(ids), timeout=60)
    sent = time.monotonic() - started
    assert len(smtp.received) == len(ids)
    assert len({str(received["Message-ID"]) for received in smtp.received}) == len(ids)
    print(f"\noutbox batch messages={len(ids)} queue_seconds={queued:.2f} all_sent_seconds={sent:.2f}")


# --- Preferences ---------------------------------------------------------------------------------


def test_preferences_default_to_a_daily_digest_and_immediate_must_reads(world):
    assert preferences.frequency_for(world.agent_acme.pk, "acme") == "daily"
    assert preferences.frequency_for(world.agent_acme.pk, "acme", "must_read") == "immediate"
    preferences.preference_set(person_id=world.agent_acme.pk, schema_name="acme", updates="weekly")
    assert preferences.frequencies_for([world.agent_acme.pk, world.agent_both.pk], "acme") == {
        world.agent_acme.pk: "weekly", world.agent_both.pk: "daily"}
    assert preferences.frequency_for(world.agent_acme.pk, "lumiere") == "daily"
    with pytest.raises(ValueError):
        preferences.preference_set(person_id=world.agent_acme.pk, schema_name="acme", must_read="none")
    with pytest.raises(ValueError):
        preferences.frequency_for(world.agent_acme.pk, "acme", "everything")


def test_the_settings_page_saves_the_persons_choice_for_this_workspace_only(world):
    http = HttpClient()
    http.force_login(world.agent_both)
    page = http.get("/settings/email/", HTTP_HOST=host(world.acme))
    assert page.status_code == 200 and "E-mail settings" in page.content.decode()
    response = http.post("/settings/email/", {"updates": "immediate", "must_read": "daily"}, HTTP_HOST=host(world.acme))
    assert response.status_code == 302
    assert preferences.preference_for(world.agent_both.pk, "acme") == {"updates": "immediate", "must_read": "daily"}
    assert preferences.preference_for(world.agent_both.pk, "lumiere") == {"updates": "daily", "must_read": "immediate"}
    refused = http.post("/settings/email/", {"updates": "hourly", "must_read": "none"}, HTTP_HOST=host(world.acme))
    assert refused.status_code == 400
    assert preferences.preference_for(world.agent_both.pk, "acme") == {"updates": "immediate", "must_read": "daily"}
    # Someone the workspace does not let in has no settings there.
    outsider = HttpClient()
    outsider.force_login(world.outsider)
    assert outsider.get("/settings/email/", HTTP_HOST=host(world.acme)).status_code == 404


def test_a_text_only_message_gets_an_html_part_escaped_with_its_links_clickable(world, smtp):
    message = services.queue(to=world.agent_both.email, subject="Outcome", text="<script>alert(1)</script>\n\nSee https://acme.kb.localhost/suggestions/mine/",
                             stream="suggestions", language="en", schema_name="acme", person_id=world.agent_both.pk)
    services.deliver([message.pk])
    plain, html = parts(smtp.received[0])
    assert "<script>alert(1)</script>" in plain  # the text part is text
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="https://acme.kb.localhost/suggestions/mine/"' in html


def test_the_platform_admin_sees_the_outbox_and_sends_a_failed_message_again(world, smtp):
    admin = User.objects.create_superuser("platform@kb.test", "a-long-platform-password")
    message = queue_bulk(world.acme_viewer)
    smtp.refuse_rcpt = "550 5.1.1 No such user"
    services.deliver([message.pk])
    http = HttpClient()
    http.force_login(admin)
    listing = http.get("/admin/outbox/message/", HTTP_HOST=PUBLIC)
    assert listing.status_code == 200 and "Refund guide changed" in listing.content.decode()
    assert http.get(f"/admin/outbox/message/{message.pk}/change/", HTTP_HOST=PUBLIC).status_code == 200
    response = http.post("/admin/outbox/message/", {"action": "send_again", "_selected_action": [message.pk]},
                         HTTP_HOST=PUBLIC)
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == Status.QUEUED and message.attempts == 0
    smtp.refuse_rcpt = None
    assert services.deliver([message.pk]).sent == [message.pk]


def test_a_view_only_staff_user_cannot_send_mail_again_from_the_admin(world, smtp):
    from django.contrib.auth.models import Permission

    watcher = User.objects.create_user("outbox.watcher@kb.test", "a-long-watcher-password", is_staff=True)
    watcher.user_permissions.add(Permission.objects.get(content_type__app_label="outbox", codename="view_message"))
    message = queue_bulk(world.acme_viewer)
    smtp.refuse_rcpt = "550 5.1.1 No such user"
    services.deliver([message.pk])
    message.refresh_from_db()
    failed = (message.status, message.attempts)
    http = HttpClient()
    http.force_login(watcher)
    listing = http.get("/admin/outbox/message/", HTTP_HOST=PUBLIC)
    assert listing.status_code == 200 and "Refund guide changed" in listing.content.decode()
    assert 'value="send_again"' not in listing.content.decode()  # the action is not offered
    http.post("/admin/outbox/message/", {"action": "send_again", "_selected_action": [message.pk]},
              HTTP_HOST=PUBLIC)
    message.refresh_from_db()
    assert (message.status, message.attempts) == failed  # nor run when posted anyway


def test_the_sweep_runs_every_minute_and_when_a_worker_connects():
    assert settings.CELERY_BEAT_SCHEDULE["outbox-sweep"] == {"task": "outbox.sweep", "schedule": 60}
    from kbportal.settings import base

    assert "outbox.sweep" in base.RECONCILE_ON_CONNECT


def test_a_stream_name_must_fit_a_list_id():
    for bad in ("", "has space", "x" * 65, "a<b>"):
        with pytest.raises(ValueError):
            streams.register(bad, label="Bad")


def test_the_purge_forgets_old_sent_messages_only(world, smtp):
    from datetime import timedelta

    from django.utils import timezone

    old_sent, recent_sent, old_queued, old_failed = (queue_bulk(world.acme_viewer) for _ in range(4))
    services.deliver([old_sent.pk, recent_sent.pk])
    long_ago = timezone.now() - timedelta(days=settings.OUTBOX_KEEP_DAYS + 1)
    Message.objects.filter(pk=old_sent.pk).update(sent_at=long_ago)
    Message.objects.filter(pk__in=[old_queued.pk, old_failed.pk]).update(created_at=long_ago)
    Message.objects.filter(pk=old_failed.pk).update(status=Status.FAILED)
    assert services.purge() == 1
    assert set(Message.objects.values_list("pk", flat=True)) == {recent_sent.pk, old_queued.pk, old_failed.pk}


def test_a_server_that_hangs_delays_the_mail_after_the_timeout(world, smtp, settings):
    """A server that accepts the connection and never answers (a partition): the worker gives up
    after EMAIL_TIMEOUT, the row is released, and the next attempt sends it."""
    settings.OUTBOX_BACKOFF_SECONDS = 1
    settings.EMAIL_TIMEOUT = 1
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(5)  # the kernel accepts connections; nobody ever answers
    settings.EMAIL_PORT = silent.getsockname()[1]
    try:
        message = queue_bulk(world.acme_viewer)
        started = time.monotonic()
        assert services.deliver([message.pk]).retry == [message.pk]
        assert time.monotonic() - started < 5
        message.refresh_from_db()
        assert message.status == Status.QUEUED and "timed out" in message.last_error
    finally:
        silent.close()
    settings.EMAIL_PORT = smtp.port
    time.sleep(1.1)
    assert services.deliver([message.pk]).sent == [message.pk]
    assert len(smtp.received) == 1
