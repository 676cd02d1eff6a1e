"""Tasks of the people layer: the platform's housekeeping (ids in, a call out)."""

from __future__ import annotations

from celery import shared_task

from .sessions import SessionStore


@shared_task(name="tenants.clear_expired_sessions", acks_late=True)
def clear_expired_sessions() -> None:
    """Expired sessions and the marks of ended ones (tenants.sessions), once a day."""
    SessionStore.clear_expired()
