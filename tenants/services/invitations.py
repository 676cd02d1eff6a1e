"""Invitations to a client tenant: create, revoke, check, accept."""

from __future__ import annotations

import dataclasses
import logging
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import Actor
from outbox import services as outbox

from ..models import (
    Client,
    Invitation,
    Membership,
    Role,
    SiteAddress,
    User,
)
from ..phrases import elide
from ..selectors import pending_invitation_to, provider_roles_of, secret_digest
from .common import audit_in_tenant, require_admin

logger = logging.getLogger(__name__)


def invitation_link(site: SiteAddress, token: str) -> str:
    """The link in the e-mail: on the public site, same scheme and port as the inviter's."""
    return site.public(f"/invitations/{token}/")


@transaction.atomic
def invitation_create(*, client: Client, email: str, role: str, acting_user: User, site: SiteAddress,
                      actor: Actor | None = None, confirmed: bool = False) -> tuple[Invitation, str]:
    """Invite `email` to join `client` with `role`, and e-mail the link. A pending invitation
    to the same address is replaced (its link stops working). Returns the invitation and the
    token of its link (never stored).

    No silent escalation: client staff read confidential content, so inviting a provider
    person's address, or re-inviting a pending address with another role, raises a
    ValidationError (code `needs_confirmation`) saying so unless `confirmed`; a confirmed
    invitation of a provider person is audited with both roles."""
    require_admin(acting_user, client)
    email = User.objects.normalize_email(email).strip().lower()
    role = Role(role)
    if Membership.objects.filter(client=client, user__email__iexact=email).exists():
        raise ValidationError(
            {"email": [elide(_("%(email)s is already a member of %(client)s.") % {"email": email, "client": client.name})]},
            code="already_member",
        )
    warnings = invitation_warnings(client=client, email=email, role=role)
    if warnings and not confirmed:
        raise ValidationError({"confirm": warnings}, code="needs_confirmation")
    provider_roles = [f"{m.get_role_display()} ({m.provider.name})" for m in provider_roles_of(email, client)]
    now = timezone.now()
    replaced_roles = list(
        Invitation.objects.select_for_update().pending().filter(client=client, email=email).values_list("pk", "role")
    )
    replaced = [pk for pk, _role in replaced_roles]
    if replaced:
        Invitation.objects.filter(pk__in=replaced).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        client=client, email=email, role=role, token_hash=secret_digest(token), invited_by=acting_user, created_at=now
    )
    audit_in_tenant(client, Action.PERSON_INVITED, actor=actor or Actor.of(acting_user), obj=invitation, label=email,
           detail={"email": email, "role": str(role), "replaced": len(replaced),
                   "replaced_roles": sorted({r for _pk, r in replaced_roles}),
                   **({"provider_roles": provider_roles, "escalation_confirmed": True} if provider_roles else {})})
    context = {
        "client": client,
        "inviter": acting_user,
        "role": role.label,
        "link": invitation_link(site, token),
        "expires_at": invitation.expires_at,
    }
    subject = _("You are invited to %(client)s on kbportal") % {"client": client.name}
    outbox.queue_template(to=email, template="tenants/people/invitation_email", context=context, subject=subject,
                          stream="invitations", language=translation.get_language(), schema_name=client.schema_name, site=site)
    return invitation, token


def invitation_warnings(*, client: Client, email: str, role: str) -> list[str]:
    """What the admin must confirm before inviting `email` as `role`: the address is a provider
    person's (client staff read confidential content), or it has a pending invitation with
    another role (which this one would replace)."""
    warnings = []
    for membership in provider_roles_of(email, client):
        warnings.append(_(
            "%(email)s is %(role)s at %(provider)s. As client staff of %(client)s this person would also read "
            "confidential content, which provider people never see. Confirm only if this is intended."
        ) % {"email": email, "role": membership.get_role_display(), "provider": membership.provider.name,
             "client": client.name})
    pending = pending_invitation_to(client, email)
    if pending is not None and pending.role != Role(role):
        warnings.append(_(
            "%(email)s already has a pending invitation as %(old)s. Sending this one replaces it with %(new)s."
        ) % {"email": email, "old": pending.get_role_display(), "new": Role(role).label})
    return warnings


def invitation_revoke(*, invitation: Invitation, acting_user: User, actor: Actor | None = None) -> None:
    require_admin(acting_user, invitation.client)
    revoked = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now())
    if revoked:
        audit_in_tenant(invitation.client, Action.INVITATION_REVOKED, actor=actor or Actor.of(acting_user),
               label=invitation.email, detail={"role": invitation.role})


def invitation_check(invitation: Invitation) -> None:
    """Raise a ValidationError saying why the invitation cannot be used, if it cannot."""
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."), code="used")
    if invitation.revoked_at is not None:
        raise ValidationError(
            _("This invitation was withdrawn or replaced by a newer one. Use the link of the latest e-mail, "
              "or ask a tenant admin of %(client)s to invite you again.") % {"client": invitation.client.name},
            code="revoked",
        )
    if invitation.is_expired:
        raise ValidationError(
            _("This invitation has expired. Ask a tenant admin of %(client)s to invite you again.")
            % {"client": invitation.client.name},
            code="expired",
        )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User, actor: Actor | None = None) -> Membership:
    """`user` (whose e-mail address is the invited one) joins the tenant with the invited role.
    A person who is already a member keeps the role they have."""
    invitation_check(invitation)
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(
            _("This invitation is for %(email)s, but you are signed in as %(current)s. Sign out, then open the "
              "link again.") % {"email": invitation.email, "current": user.email},
            code="wrong_person",
        )
    now = timezone.now()
    claimed = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).update(accepted_at=now, accepted_by=user)
    if not claimed:  # accepted, revoked or expired between the check and now
        invitation.refresh_from_db()
        invitation_check(invitation)
        raise ValidationError(_("This invitation can no longer be used."), code="used")
    invitation.accepted_at, invitation.accepted_by = now, user
    membership, created = Membership.objects.get_or_create(
        user=user, client=invitation.client, defaults={"role": invitation.role}
    )
    if created:
        audit_in_tenant(invitation.client, Action.PERSON_JOINED, actor=actor or Actor.of(user), obj=user, label=user.email,
               detail={"role": membership.role, "invitation": invitation.pk,
                       "invited_by": invitation.invited_by.email if invitation.invited_by else None})
    return membership


@transaction.atomic
def invitation_accept_new_person(*, invitation: Invitation, full_name: str, password: str,
                                 actor: Actor | None = None) -> User:
    """Create the account of a person who had none, with the invited e-mail address, and join."""
    invitation_check(invitation)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(_("An account with this e-mail address already exists. Sign in to accept."),
                              code="has_account")
    user = User(email=invitation.email, full_name=full_name.strip())
    validate_password(password, user)
    user.set_password(password)
    user.save()
    invitation_accept(invitation=invitation, user=user,
                      actor=Actor.of(user) if actor is None else dataclasses.replace(actor, person=user))
    return user
