"""The demo seed's changes, closed: the seed publishes as the tenants' editors, and a publish
an editor makes within the debounce window after `make run` must be a change of its own, not a
save merged into the seed's ("3 saves")."""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from tenants.models import Client

from . import services
from .models import ChangeEvent


def close_changes(*, before: datetime.datetime | None = None) -> int:
    """Backdate the current tenant's changes still open to merging (updated within the debounce
    window or created within the longest merge) to `before` (default: just past the longest
    merge): no later publish merges into them. How many were closed."""
    now = timezone.now()
    before = before or now - datetime.timedelta(seconds=max(services.DEBOUNCE_SECONDS, services.MAX_MERGE_SECONDS) + 1)
    open_ = ChangeEvent.objects.filter(Q(updated_at__gt=before) | Q(created_at__gt=before), mailed_at__isnull=True)
    return open_.update(created_at=before, updated_at=before)


def close_seeded_changes(schemas, stdout=None) -> None:
    for schema in schemas:
        client = Client.objects.filter(schema_name=schema).first()
        if client is None:
            continue
        connection.set_tenant(client)
        try:
            closed = close_changes()
        finally:
            connection.set_schema_to_public()
        if stdout is not None and closed:
            stdout.write(f"  {schema}: {closed} seeded changes closed to merging")
