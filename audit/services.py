"""Writing to the tenant's append-only audit log: one function, `record`, with an explicit actor.

Services never take the HTTP request to find out who did something: the view says so with
`Actor.from_request(request)`, a task or a command with `Actor.system(...)` or
`Actor.of(person, channel=...)`.
"""

from __future__ import annotations

import dataclasses
from enum import StrEnum
from typing import Any

from django.db import connection

from .models import Action, AuditEvent


class Channel(StrEnum):
    WEB = "web"
    API = "api"
    ADMIN = "admin"
    TASK = "task"
    COMMAND = "command"


@dataclasses.dataclass(frozen=True)
class Actor:
    """Who did it (a person, or nobody for the system), from which address, through what."""

    person: Any = None
    ip: str | None = None
    channel: Channel = Channel.WEB

    @classmethod
    def from_request(cls, request, *, channel: Channel | None = None) -> Actor:
        user = getattr(request, "user", None)
        if channel is None:
            channel = Channel.API if request.path.startswith("/api/") else Channel.WEB
        return cls(person=user if getattr(user, "is_authenticated", False) else None,
                   ip=request.META.get("REMOTE_ADDR") or None, channel=channel)

    @classmethod
    def of(cls, person, *, channel: Channel = Channel.WEB) -> Actor:
        return cls(person=person if getattr(person, "is_authenticated", False) else None, channel=channel)

    @classmethod
    def system(cls, channel: Channel = Channel.TASK) -> Actor:
        return cls(person=None, channel=channel)


def record(action: Action | str, *, actor: Actor, obj=None, label: str = "", detail: dict | None = None) -> AuditEvent:
    """Append one event to the audit log of the tenant the connection is on."""
    if not isinstance(actor, Actor):
        raise TypeError("audit.record needs an Actor (Actor.from_request, Actor.of, Actor.system)")
    assert connection.schema_name != "public", "audit events belong to a tenant"  # type: ignore[attr-defined]  # django-tenants' connection
    person = actor.person
    return AuditEvent.objects.create(
        action=str(action),
        actor_id=getattr(person, "pk", None),
        actor_label=getattr(person, "email", "") or "",
        channel=str(actor.channel),
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=(label or (str(obj) if obj is not None else ""))[:300],
        detail=detail or {},
        ip=actor.ip,
    )
