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


def identity_provider_of(*, client=None, provider=None) -> IdentityProvider | None:
    """The identity provider of the organisation the tenant admin or the provider lead acts for
    (already resolved through the access layer: `request.workspace`, `get_provider_for_lead`)."""
    assert (client is None) != (provider is None)
    organisation = {"client": client} if client is not None else {"provider": provider}
    return IdentityProvider.objects.prefetch_related("domains").filter(**organisation).first()
