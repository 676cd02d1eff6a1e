"""The dashboard's only stored state: who wants its weekly summary by e-mail (tenant schema)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import PERSON


class SummarySubscription(models.Model):
    """A tenant admin who opted in to the weekly summary of the dashboard."""

    person = models.OneToOneField(verbose_name=_("person"), **{**PERSON, "related_name": "+"})
    created_at = models.DateTimeField(default=timezone.now)
    last_sent_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("weekly summary subscription")
        verbose_name_plural = _("weekly summary subscriptions")

    def __str__(self) -> str:
        return f"summary for {self.person_id}"
