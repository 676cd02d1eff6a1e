"""The dashboard's stored state (tenant schema): who wants its weekly summary by e-mail, and the
search-success rollup (dashboard.rollup)."""

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


class Lookup(models.Model):
    """The search-success rollup (dashboard.rollup): one row per query-log row that counts as a
    lookup (not a keystroke of a longer search), classified once its day is final, with what
    the dashboard counts of it. Read only for the days `LookupDay` vouches for."""

    log_id = models.BigIntegerField(primary_key=True)  # search_querylog.id
    user_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    opened = models.BooleanField()
    flagged = models.BooleanField()
    no_result = models.BooleanField()
    failed_query = models.CharField(max_length=500, blank=True)  # normalised, when it failed; else blank

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="dashboard_lookup_created")]

    def __str__(self) -> str:
        return f"lookup {self.log_id}"


class LookupDay(models.Model):
    """A UTC day whose lookups `Lookup` holds, with the query log it was computed from (its rows'
    count and greatest id, and those of the next day's first KEYSTROKE, which can extend its
    last queries): a day whose log no longer matches is computed from the log again."""

    day = models.DateField(primary_key=True)
    source_rows = models.IntegerField()
    source_max_id = models.BigIntegerField(null=True)
    next_rows = models.IntegerField()
    next_max_id = models.BigIntegerField(null=True)
    rolled_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"lookups of {self.day.isoformat()}"
