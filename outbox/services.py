"""The outbox: every e-mail of the product is a row here first, then sent by a Celery task.

Interface for the other apps (keep these names):

    from outbox import services as outbox
    message = outbox.queue(
        to="ravi@helios.example", subject="…", text="…", html="…",   # content, without the layout
        stream="notifications.digest",           # a stream registered in outbox.streams
        language="fr",                           # the recipient's; "" or unknown: LANGUAGE_CODE
        schema_name="acme",                      # the workspace the mail is about, or None
        person_id=42,                            # the recipient's User id (required by bulk streams)
        headers={"X-Kb-Digest": "daily"},        # extra headers (optional)
        site=None,                               # a tenants.models.SiteAddress for the links (optional)
        send=True,                               # False: the caller enqueues in one go (below)
    )
    outbox.queue_template(to=…, template="tenants/people/invitation_email", context={…},
                          subject=…, stream=…, language=…, schema_name=…, person_id=…)

Thousands at once (a digest run): `queue(..., send=False)` for each, then one
`send_after_commit([ids])`, which enqueues the sends in chunks of 50 after commit.

`text` is plain text; `html`, when given, is HTML the caller rendered from a template with
autoescaping (never a user's raw input): it is put in the layout as it is. Without it, the HTML
part is the text, escaped, with its links made clickable.

`queue` writes the row in the caller's transaction and enqueues the send after commit (best
effort: a broker that is down is logged, and the sweep `outbox.sweep`, every minute and each
time a worker connects to the broker, sends what is due). The message is rendered at once, in
`language`, inside the layout (outbox.compose): product name, the content, a footer with why
the person gets it (the stream's reason), a link to their e-mail settings, and for bulk
streams the unsubscribe link. Bulk streams (registered with `unsubscribe=`) also get RFC 8058's
List-Unsubscribe (https URL and mailto) and List-Unsubscribe-Post; every stream gets a List-Id
`<stream>.<schema or "public">.<KB_BASE_DOMAIN>` and `Auto-Submitted: auto-generated`.

Sending (`deliver`): each row is taken with `SELECT … FOR UPDATE SKIP LOCKED` while its status
is `queued`, sent, and marked `sent` in the same transaction, so two workers (a duplicated or
redelivered task, the sweep beside a retry) never send one row twice. An SMTP server that is
down or answers 4xx leaves the row queued with `attempts`, `last_error` and `next_attempt_at`
(exponential backoff, 5 s doubling up to an hour); a 5xx refusal of the recipient or the message
marks it `failed` (the platform admin can send it again). Nothing unsent is deleted (`purge`
forgets sent messages after OUTBOX_KEEP_DAYS). The one case of a
second copy: a worker that dies after the SMTP server accepted and before the commit; the
retry then carries the same Message-ID, which lets mail systems drop the duplicate.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
import time
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import make_msgid
from typing import Any
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django_tenants.utils import get_tenant_model

from broker import enqueue

from . import compose, streams
from .models import Message, Status, UnsubscribeToken

logger = logging.getLogger(__name__)

BACKOFF_MAX_SECONDS = 3600
# A row about to be due (a Celery retry's ETA arrives a little early) counts as due.
DUE_TOLERANCE = timedelta(seconds=0.5)


def max_attempts() -> int:
    return getattr(settings, "OUTBOX_MAX_ATTEMPTS", 40)


def backoff_seconds(attempts: int) -> int:
    """Wait after the `attempts`-th failed attempt: 5, 10, 20, 40 s… up to an hour
    (OUTBOX_BACKOFF_SECONDS is the first wait)."""
    first = getattr(settings, "OUTBOX_BACKOFF_SECONDS", 5)
    return int(min(first * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS))


# The signature of unsubscribe links: a salt of their own, so that no other signed value of
# the product (a session, a password-reset link) is accepted as one, nor one as them.
UNSUBSCRIBE_SALT = "kbportal.outbox.unsubscribe"


def unsubscribe_token(row: UnsubscribeToken) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT, algorithm="sha256").sign(row.key)


def _unsubscribe_row(person_id: int, stream: str, schema_name: str) -> UnsubscribeToken:
    row = UnsubscribeToken.objects.filter(person_id=person_id, stream=stream, schema_name=schema_name).first()
    if row is None:
        row, _ = UnsubscribeToken.objects.get_or_create(
            person_id=person_id, stream=stream, schema_name=schema_name,
            defaults={"key": secrets.token_urlsafe(24)})
    return row


# --- Links -----------------------------------------------------------------------------------


def _base() -> tuple[str, str]:
    """Scheme and port of the site, for links in mail made without a request (KB_PUBLIC_URL)."""
    parts = urlsplit(settings.KB_PUBLIC_URL)
    return parts.scheme or "https", f":{parts.port}" if parts.port else ""


def public_url(path: str, site: Any = None) -> str:
    if site is not None:
        return site.public(path)
    scheme, port = _base()
    return f"{scheme}://{settings.KB_BASE_DOMAIN}{port}{path}"


# Workspace names and hosts for the mail being composed, kept a minute per process: a digest
# run queues thousands of messages about one workspace (a renamed workspace shows its old name
# in mail for at most that long).
_CLIENTS: dict[str, tuple[float, Any]] = {}
CLIENT_CACHE_SECONDS = 60


def _client(schema_name: str | None):
    if not schema_name:
        return None
    now = time.monotonic()
    cached = _CLIENTS.get(schema_name)
    if cached is not None and cached[0] > now:
        return cached[1]
    client = get_tenant_model().objects.prefetch_related("domains").filter(schema_name=schema_name).first()
    if client is not None:
        if len(_CLIENTS) > 1000:
            _CLIENTS.clear()
        _CLIENTS[schema_name] = (now + CLIENT_CACHE_SECONDS, client)
    return client


def tenant_url(schema_name: str, path: str, site: Any = None, client: Any = None) -> str:
    client = client if client is not None else _client(schema_name)
    host = client.host if client is not None else f"{schema_name}.{settings.KB_BASE_DOMAIN}"
    if site is not None:
        return site.url(host, path)
    scheme, port = _base()
    return f"{scheme}://{host}{port}{path}"


def settings_url(schema_name: str | None, site: Any = None, client: Any = None) -> str:
    """Where the person changes what they get: the workspace's e-mail settings, or the profile."""
    if schema_name:
        return tenant_url(schema_name, reverse("outbox:preferences", urlconf=settings.ROOT_URLCONF), site, client)
    return public_url(reverse("profile", urlconf=settings.PUBLIC_SCHEMA_URLCONF), site)


def unsubscribe_url(token: str, site: Any = None) -> str:
    return public_url(reverse("mail-unsubscribe", args=[token], urlconf=settings.PUBLIC_SCHEMA_URLCONF), site)


def unsubscribe_mailto(token: str) -> str:
    return f"mailto:{settings.OUTBOX_UNSUBSCRIBE_MAILTO}?subject={quote('unsubscribe ' + token)}"


# --- Queuing ---------------------------------------------------------------------------------


def queue(*, to: str, subject: str, text: str, html: str = "", stream: str, language: str | None,
          schema_name: str | None = None, headers: dict[str, str] | None = None, person_id: int | None = None,
          site: Any = None, send: bool = True) -> Message:
    """Put one e-mail in the outbox (see the module docstring); sent after commit."""
    kind = streams.get(stream)
    if kind.can_unsubscribe and person_id is None:
        raise ValueError(f"stream {stream!r} can be unsubscribed: queue() needs the recipient's person_id")
    if "\n" in subject or "\r" in subject:
        subject = " ".join(subject.split())
    language = compose.language_or_default(language)
    schema_name = schema_name or ""
    client = _client(schema_name)
    workspace = getattr(client, "name", schema_name) or compose.PRODUCT
    extra: dict[str, str] = {}
    unsubscribe = ""
    if kind.can_unsubscribe:
        assert person_id is not None
        token = unsubscribe_token(_unsubscribe_row(person_id, stream, schema_name))
        unsubscribe = unsubscribe_url(token, site)
        extra["List-Unsubscribe"] = f"<{unsubscribe}>, <{unsubscribe_mailto(token)}>"
        extra["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    with translation.override(language):
        label = str(kind.label)
        reason = str(kind.reason) % {"workspace": workspace, "product": compose.PRODUCT} if kind.reason else ""
    extra["List-Id"] = f'"{label}" <{stream}.{schema_name or "public"}.{settings.KB_BASE_DOMAIN}>'
    extra["Auto-Submitted"] = "auto-generated"
    extra.update(headers or {})
    # Someone without an account yet (an invitation) has no settings to link to.
    footer = compose.Footer(reason=reason, settings_url=settings_url(schema_name, site, client) if person_id else "",
                            unsubscribe_url=unsubscribe, stream_label=label)
    full_text, full_html = compose.render_message(text=text, html=html, subject=subject, footer=footer,
                                                  language=language)
    message = Message.objects.create(
        to=to, person_id=person_id, schema_name=schema_name, stream=stream, language=language, subject=subject,
        text=full_text, html=full_html, headers=extra, message_id=make_msgid(domain=settings.KB_BASE_DOMAIN),
    )
    if send:
        send_after_commit([message.pk])
    return message


def queue_template(*, to: str, template: str, context: dict, subject: str, stream: str, language: str | None,
                   schema_name: str | None = None, headers: dict[str, str] | None = None,
                   person_id: int | None = None, site: Any = None) -> Message:
    """`queue` with the content rendered from a template pair (outbox.compose.render_content)
    in `language`; `subject` may be a lazy translation, evaluated in `language` too."""
    text, html = compose.render_content(template, context, language=language)
    with translation.override(compose.language_or_default(language)):
        subject = str(subject)
    return queue(to=to, subject=subject, text=text, html=html, stream=stream, language=language,
                 schema_name=schema_name, headers=headers, person_id=person_id, site=site)


SEND_CHUNK = 50


def send_after_commit(message_ids: list[int]) -> None:
    """Enqueue the sending of these messages once the transaction commits, 50 per task (best
    effort: what cannot be enqueued is found by the sweep)."""
    from .tasks import send_messages

    ids = list(message_ids)

    def send() -> None:
        for start in range(0, len(ids), SEND_CHUNK):
            if not enqueue(send_messages, ids[start:start + SEND_CHUNK]):
                return  # the broker is away: the sweep sends the rest

    transaction.on_commit(send)


# --- Sending ---------------------------------------------------------------------------------


def email_for(message: Message) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(subject=message.subject, body=message.text, to=[message.to],
                                   headers={**message.headers, "Message-ID": message.message_id})
    if message.html:
        email.attach_alternative(message.html, "text/html")
    return email


def _permanent(exc: Exception) -> bool:
    """A refusal that sending again will not change: the recipient or the message refused (5xx).
    A refused sender or failed authentication is our configuration: retried, never dropped."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPDataError):
        return exc.smtp_code >= 500
    return False


@dataclass
class Delivery:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)  # for good
    retry: list[int] = field(default_factory=list)  # queued again, with their wait
    retry_in: int = 0
    skipped: list[int] = field(default_factory=list)  # sent already, held by another worker, or not due


def deliver(message_ids: list[int]) -> Delivery:
    """Send the queued, due messages among `message_ids`, each at most once (module docstring)."""
    result = Delivery()
    backend = get_connection(fail_silently=False)
    try:
        for pk in message_ids:
            _deliver_one(pk, backend, result)
    finally:
        try:
            backend.close()
        except Exception:  # noqa: BLE001 - a connection that broke is closed anyway
            logger.debug("closing the SMTP connection failed", exc_info=True)
    return result


def _deliver_one(pk: int, backend, result: Delivery) -> None:
    with transaction.atomic():
        message = Message.objects.select_for_update(skip_locked=True).filter(pk=pk, status=Status.QUEUED).first()
        now = timezone.now()
        if message is None or message.next_attempt_at > now + DUE_TOLERANCE:
            result.skipped.append(pk)
            return
        message.attempts += 1
        try:
            backend.send_messages([email_for(message)])
        except Exception as exc:  # noqa: BLE001 - any failure leaves the row for a later attempt
            try:
                backend.close()  # a broken connection is opened again for the next message
            except Exception:  # noqa: BLE001
                logger.debug("closing the SMTP connection failed", exc_info=True)
            message.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
            if _permanent(exc) or message.attempts >= max_attempts():
                message.status = Status.FAILED
                result.failed.append(pk)
                logger.error("e-mail %s to %s failed for good after %s attempts: %s", pk, message.to,
                             message.attempts, message.last_error)
            else:
                wait = backoff_seconds(message.attempts)
                message.next_attempt_at = now + timedelta(seconds=wait)
                result.retry.append(pk)
                result.retry_in = max(result.retry_in, wait)
                logger.warning("e-mail %s to %s not sent (attempt %s, next in %s s): %s", pk, message.to,
                               message.attempts, wait, message.last_error)
            message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return
        message.status = Status.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["attempts", "last_error", "status", "sent_at"])
        result.sent.append(pk)


def due_ids(*, limit: int = 1000) -> list[int]:
    """Queued messages due for OUTBOX_SWEEP_GRACE_SECONDS already: their own task was lost or is late."""
    cutoff = timezone.now() - timedelta(seconds=settings.OUTBOX_SWEEP_GRACE_SECONDS)
    return list(Message.objects.filter(status=Status.QUEUED, next_attempt_at__lte=cutoff)
                .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])


def send_again(message_ids: list[int]) -> int:
    """The platform admin's "send again" for failed messages (and queued ones, now)."""
    count = Message.objects.filter(pk__in=message_ids, status__in=[Status.FAILED, Status.QUEUED]).update(
        status=Status.QUEUED, next_attempt_at=timezone.now(), attempts=0)
    send_after_commit(list(message_ids))
    return count


def purge() -> int:
    """Forget messages sent more than OUTBOX_KEEP_DAYS ago (their content is the mail itself);
    queued and failed messages stay until they are sent or dealt with."""
    cutoff = timezone.now() - timedelta(days=settings.OUTBOX_KEEP_DAYS)
    deleted, _ = Message.objects.filter(status=Status.SENT, sent_at__lt=cutoff).delete()
    return deleted


# --- Unsubscribing -----------------------------------------------------------------------------


def token_for(token: str) -> UnsubscribeToken | None:
    """The unsubscribe token row, for a token whose stream still exists and can be unsubscribed."""
    if not token or len(token) > 200:
        return None
    try:
        key = signing.Signer(salt=UNSUBSCRIBE_SALT, algorithm="sha256").unsign(token)
    except signing.BadSignature:
        return None
    row = UnsubscribeToken.objects.filter(key=key).first()
    if row is None:
        return None
    try:
        if not streams.get(row.stream).can_unsubscribe:
            return None
    except streams.UnknownStream:
        return None
    return row


@transaction.atomic
def unsubscribe(row: UnsubscribeToken) -> None:
    """Do what unsubscribing from the token's stream means (the stream's callable). Idempotent."""
    streams.get(row.stream).unsubscribe(row.person_id, row.schema_name)  # type: ignore[misc]
    UnsubscribeToken.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=timezone.now())
    logger.info("person %s unsubscribed from %s in %s", row.person_id, row.stream, row.schema_name or "public")
