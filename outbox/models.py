"""The outbox (public schema): one row per e-mail, sent by a Celery task after commit.

Also the people's e-mail preferences (per person and workspace) and the unsubscribe tokens.
Rows name people and workspaces by id and schema name: e-mail happens outside any tenant too
(an invitation), and a workspace's rows here never read its schema.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")  # refused for good by the server (5xx), or too many attempts


class Message(models.Model):
    to = models.EmailField(_("to"), max_length=254)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("person"))
    schema_name = models.CharField(_("workspace schema"), max_length=63, blank=True, default="")
    stream = models.CharField(_("stream"), max_length=64)
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=998)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True, default="")
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True, default="")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["-created_at"]
        indexes = [
            # The sweep's question: what is due?
            models.Index(fields=["next_attempt_at"], name="outbox_due",
                         condition=models.Q(status="queued")),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("As it happens")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    NONE = "none", _("No e-mail")


class EmailPreference(models.Model):
    """How often a person wants e-mail about one workspace. No row: the defaults
    (outbox.preferences.DEFAULTS)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    schema_name = models.CharField(max_length=63)
    updates = models.CharField(_("changes to what you follow"), max_length=9, choices=Frequency.choices,
                               default=Frequency.DAILY)
    must_read = models.CharField(_("must-read assignments"), max_length=9, choices=Frequency.choices,
                                 default=Frequency.IMMEDIATE)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "schema_name"], name="outbox_one_preference_per_workspace"),
            models.CheckConstraint(condition=~models.Q(must_read="none"), name="outbox_must_read_is_mailed"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.schema_name}: {self.updates}, must-read {self.must_read}"


class UnsubscribeToken(models.Model):
    """The capability behind List-Unsubscribe links: unsubscribes one person from one stream of
    one workspace, and does nothing else. One row per (person, stream, workspace), shared by all
    the messages of that stream, so the table stays as small as the audience. The link carries
    `key` signed with the secret key and a salt of its own (outbox.services.unsubscribe_token):
    the key alone, or any other signed value of the product, opens nothing."""

    key = models.CharField(max_length=32, unique=True)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    stream = models.CharField(max_length=64)
    schema_name = models.CharField(max_length=63, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "stream", "schema_name"], name="outbox_one_token_per_stream"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.stream} in {self.schema_name or 'public'}"
