"""Writing to the tenant's append-only audit log."""

from __future__ import annotations

from django.db import connection

from .models import Action, AuditEvent


def record(action: Action | str, *, actor=None, obj=None, label: str = "", detail: dict | None = None,
           request=None) -> AuditEvent:
    """Append one event to the audit log of the tenant the connection is on."""
    assert connection.schema_name != "public", "audit events belong to a tenant"
    ip = None
    if request is not None:
        ip = request.META.get("REMOTE_ADDR") or None
        actor = actor or getattr(request, "user", None)
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        action=str(action),
        actor_id=getattr(actor, "pk", None),
        actor_label=getattr(actor, "email", "") or "",
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=(label or (str(obj) if obj is not None else ""))[:300],
        detail=detail or {},
        ip=ip,
    )
