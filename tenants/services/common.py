"""What the writes about tenants share: the audit line in the right tenant, who may act."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django_tenants.utils import tenant_context

from audit import services as audit
from audit.models import Action
from audit.services import Actor

from ..models import (
    Client,
    Membership,
    ProviderMembership,
    ProviderOrganisation,
    ProviderRole,
    Role,
    User,
)


def _audit(client: Client, action: Action, *, actor: Actor, obj=None, label: str = "", detail=None) -> None:
    """Append an event to `client`'s audit log, whatever schema the connection is on, and put
    the connection back where it was."""
    with tenant_context(client):
        audit.record(action, actor=actor, obj=obj, label=label, detail=detail)


def _require_admin(user: User, client: Client) -> None:
    if not Membership.objects.filter(user=user, client=client, role=Role.ADMIN).exists():
        raise PermissionDenied


def _require_lead(user: User, provider: ProviderOrganisation) -> None:
    if not ProviderMembership.objects.filter(user=user, provider=provider, role=ProviderRole.LEAD).exists():
        raise PermissionDenied
