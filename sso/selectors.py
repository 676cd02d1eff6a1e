"""Reads of single sign-on."""

from __future__ import annotations

from .models import IdentityProvider


def get_pending_identity_provider(session) -> IdentityProvider | None:
    """The enabled identity provider that this browser's sign-in was sent to (its id is in the
    session since the authorization request), or None."""
    pending = session.get(PENDING_KEY) or {}
    pk = pending.get("identity_provider") if isinstance(pending, dict) else None
    if not isinstance(pk, int):
        return None
    return IdentityProvider.objects.select_related("client", "provider").filter(pk=pk, enabled=True).first()


PENDING_KEY = "kb_sso_pending"


def identity_provider_of_workspace(client) -> IdentityProvider | None:
    """The identity provider of the tenant admin's own workspace (never another's)."""
    return IdentityProvider.objects.prefetch_related("domains").filter(client=client).first()
