"""People of a client tenant: role changes and removal."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import Actor

from ..models import (
    Membership,
    Role,
    User,
)
from .common import _audit, _require_admin


def _other_admins(membership: Membership):
    return Membership.objects.select_for_update().filter(client_id=membership.client_id, role=Role.ADMIN).exclude(
        pk=membership.pk
    )


@transaction.atomic
def membership_role_change(*, membership: Membership, role: str, acting_user: User,
                           actor: Actor | None = None) -> Membership:
    _require_admin(acting_user, membership.client)
    role = Role(role)
    membership = Membership.objects.select_for_update().select_related("user", "client").get(pk=membership.pk)
    before = membership.role
    if before == role:
        return membership
    if before == Role.ADMIN and not _other_admins(membership).exists():
        raise ValidationError(
            _("%(client)s needs at least one tenant admin. Make someone else an admin first.")
            % {"client": membership.client.name},
            code="last_admin",
        )
    membership.role = role
    membership.save(update_fields=["role"])
    _audit(membership.client, Action.ROLE_CHANGED, actor=actor or Actor.of(acting_user), obj=membership.user,
           label=membership.user.email, detail={"before": before, "after": str(role)})
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, acting_user: User, actor: Actor | None = None) -> None:
    """Remove a person from the tenant: from their next request on, they reach nothing of it."""
    _require_admin(acting_user, membership.client)
    membership = Membership.objects.select_for_update().select_related("user", "client").get(pk=membership.pk)
    if membership.role == Role.ADMIN and not _other_admins(membership).exists():
        raise ValidationError(
            _("%(client)s needs at least one tenant admin. Make someone else an admin first.")
            % {"client": membership.client.name},
            code="last_admin",
        )
    user, client, role = membership.user, membership.client, membership.role
    membership.delete()
    _audit(client, Action.PERSON_REMOVED, actor=actor or Actor.of(acting_user), obj=user, label=user.email,
           detail={"role": role})
