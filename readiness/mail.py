"""Must-read reminders by e-mail, through the outbox. The stream is *work*, not marketing: it
cannot be unsubscribed (no List-Unsubscribe); its footer links to the person's e-mail settings."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outbox import compose, streams
from outbox import services as outbox
from tenants.models import Client, User

from .models import MustRead, ReminderReason

STREAM = "readiness.must-read"


def register_stream() -> None:
    streams.register(
        STREAM, label=gettext_lazy("Must-read reminders"),
        reason=gettext_lazy("You are asked to read and acknowledge changes in %(workspace)s. These reminders are "
                            "part of your work and cannot be unsubscribed."),
    )


def queue_reminder(*, client: Client, must_read: MustRead, person: User, reason: str) -> None:
    """One reminder to `person` (who may read the article: the caller checked), in their language."""
    article = must_read.article
    language = compose.language_or_default(person.language)
    url = outbox.tenant_url(client.schema_name, reverse("readiness:acknowledge", args=[article.prefix, article.slug]))
    with translation.override(language):
        if reason == ReminderReason.DEADLINE:
            subject = _("Reminder: read and acknowledge “%(title)s” by %(date)s") % {
                "title": article.title, "date": must_read.deadline.isoformat() if must_read.deadline else ""}
        else:
            subject = _("Reminder: read and acknowledge “%(title)s”") % {"title": article.title}
    outbox.queue_template(
        to=person.email, template="readiness/email/reminder", subject=subject, stream=STREAM, language=language,
        schema_name=client.schema_name, person_id=person.pk,
        context={"person": person, "article": article, "revision": must_read.revision, "must_read": must_read,
                 "workspace": client.name, "url": url, "deadline_near": reason == ReminderReason.DEADLINE},
    )
