"""The platform's own append-only log (a model of the tenants app, in the public schema)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import User


class PlatformEventQuerySet(models.QuerySet["PlatformEvent"]):
    def update(self, **kwargs):
        raise ValueError("The platform log is append-only.")

    def delete(self):
        raise ValueError("The platform log is append-only.")


class PlatformEvent(models.Model):
    """The platform's own append-only log, in the public schema: what was done to a client as a
    whole (suspended, exported, deleted). It names the client by schema and name, not by key, so
    that it outlives the client: a deleted client's own audit log goes with its schema."""

    class Action(models.TextChoices):
        STATUS_CHANGED = "client.status", _("Client status changed")
        EXPORTED = "client.exported", _("Client exported")
        DELETED = "client.deleted", _("Client deleted")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(_("who"), max_length=254, blank=True)
    channel = models.CharField(_("channel"), max_length=20, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices, db_index=True)
    schema_name = models.CharField(_("schema"), max_length=63, db_index=True)
    client_name = models.CharField(_("client"), max_length=200)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = PlatformEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("platform event")
        verbose_name_plural = _("platform log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label or 'system'} {self.action} {self.schema_name}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The platform log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The platform log is append-only.")
