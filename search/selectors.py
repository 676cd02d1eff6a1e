"""Reads about searches: the content-gap report."""

from __future__ import annotations

import datetime

from django.db.models import Count, Max, Q
from django.utils import timezone

from .models import QueryLog


def content_gaps(*, since: datetime.datetime | None = None, limit: int = 50) -> list[dict]:
    """Top failed queries (no result, or flagged "could not find it"), by query and team."""
    since = since or timezone.now() - datetime.timedelta(days=7)
    return list(
        QueryLog.objects.filter(Q(results=0) | Q(flagged_not_found=True), created_at__gte=since)
        .exclude(normalised="")
        .values("normalised", "team")
        .annotate(times=Count("id"), flagged=Count("id", filter=Q(flagged_not_found=True)), last=Max("created_at"))
        .order_by("-times", "-last")[:limit]
    )
