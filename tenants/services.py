"""Writes about tenants, people and providers."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from audit import services as audit
from audit.models import Action
from audit.services import Actor, Channel
from outbox import services as outbox

from .image_sources import parse_image_sources
from .models import (
    Client,
    Domain,
    Engagement,
    Invitation,
    Membership,
    ProviderMembership,
    ProviderOrganisation,
    ProviderRole,
    ProviderTeam,
    Role,
    SiteAddress,
    User,
)

logger = logging.getLogger(__name__)


def _audit(client: Client, action: Action, *, actor: Actor, obj=None, label: str = "", detail=None) -> None:
    """Append an event to `client`'s audit log, whatever schema the connection is on, and put
    the connection back where it was."""
    with tenant_context(client):
        audit.record(action, actor=actor, obj=obj, label=label, detail=detail)


@transaction.atomic
def client_create(*, schema_name: str, name: str, domain: str | None = None) -> Client:
    """Create a client tenant (its schema is cloned from the template) and its primary domain."""
    client = Client(schema_name=schema_name, name=name)
    client.save()
    Domain.objects.create(
        tenant=client, domain=domain or f"{schema_name}.{settings.KB_BASE_DOMAIN}", is_primary=True
    )
    return client


def membership_set(*, user: User, client: Client, role: str) -> Membership:
    membership, _ = Membership.objects.update_or_create(user=user, client=client, defaults={"role": role})
    return membership


def provider_member_add(*, user: User, provider: ProviderOrganisation, role: str) -> ProviderMembership:
    membership, _ = ProviderMembership.objects.update_or_create(
        user=user, provider=provider, defaults={"role": role}
    )
    return membership


def ensure_team_group(team: ProviderTeam) -> None:
    if team.group_id is None:
        team.group = Group.objects.create(name=f"provider-team:{team.provider_id}:{team.name}"[:150])


@transaction.atomic
def team_create(*, provider: ProviderOrganisation, name: str, clients=None) -> ProviderTeam:
    """`clients`: those the team works for; by default every client engaging the provider now
    (the lead narrows it on the team's page)."""
    team = ProviderTeam(provider=provider, name=name)
    ensure_team_group(team)
    team.save()
    if clients is None:
        clients = Client.objects.filter(engagements__in=Engagement.objects.active().filter(provider=provider))
    team.clients.set(list(clients))
    return team


@transaction.atomic
def engagement_start(*, provider: ProviderOrganisation, client: Client, actor: Actor | None = None) -> Engagement:
    existing = Engagement.objects.active().filter(provider=provider, client=client).first()
    if existing is not None:
        return existing
    engagement = Engagement.objects.create(provider=provider, client=client)
    _audit(client, Action.ENGAGEMENT_STARTED, actor=actor or Actor.system(Channel.ADMIN), obj=engagement,
           label=str(provider), detail={"provider": provider.name})
    return engagement


@transaction.atomic
def engagement_end(*, engagement: Engagement, actor: Actor | None = None) -> Engagement:
    """End an engagement: from the next request on, the provider reaches nothing of the client."""
    ended = Engagement.objects.filter(pk=engagement.pk, ended_at__isnull=True).update(ended_at=timezone.now())
    engagement.refresh_from_db()
    if ended:
        _audit(engagement.client, Action.ENGAGEMENT_ENDED, actor=actor or Actor.system(Channel.ADMIN),
               obj=engagement, label=str(engagement.provider), detail={"provider": engagement.provider.name})
    return engagement


# --- People of a client tenant: invitations, roles, removal -------------------------------


def _require_admin(user: User, client: Client) -> None:
    if not Membership.objects.filter(user=user, client=client, role=Role.ADMIN).exists():
        raise PermissionDenied


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("client", "invited_by").filter(token_hash=token_hash(token)).first()


def invitation_link(site: SiteAddress, token: str) -> str:
    """The link in the e-mail: on the public site, same scheme and port as the inviter's."""
    return site.public(f"/invitations/{token}/")


@transaction.atomic
def invitation_create(*, client: Client, email: str, role: str, acting_user: User, site: SiteAddress,
                      actor: Actor | None = None) -> tuple[Invitation, str]:
    """Invite `email` to join `client` with `role`, and e-mail the link. A pending invitation
    to the same address is replaced (its link stops working). Returns the invitation and the
    token of its link (never stored)."""
    _require_admin(acting_user, client)
    email = User.objects.normalize_email(email).strip().lower()
    role = Role(role)
    if Membership.objects.filter(client=client, user__email__iexact=email).exists():
        raise ValidationError(
            {"email": [_("%(email)s is already a member of %(client)s.") % {"email": email, "client": client.name}]},
            code="already_member",
        )
    now = timezone.now()
    replaced = list(
        Invitation.objects.select_for_update().pending().filter(client=client, email=email).values_list("pk", flat=True)
    )
    if replaced:
        Invitation.objects.filter(pk__in=replaced).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        client=client, email=email, role=role, token_hash=token_hash(token), invited_by=acting_user, created_at=now
    )
    _audit(client, Action.PERSON_INVITED, actor=actor or Actor.of(acting_user), obj=invitation, label=email,
           detail={"email": email, "role": str(role), "replaced": len(replaced)})
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


def invitation_revoke(*, invitation: Invitation, acting_user: User, actor: Actor | None = None) -> None:
    _require_admin(acting_user, invitation.client)
    revoked = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now())
    if revoked:
        _audit(invitation.client, Action.INVITATION_REVOKED, actor=actor or Actor.of(acting_user),
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
        _audit(invitation.client, Action.PERSON_JOINED, actor=actor or Actor.of(user), obj=user, label=user.email,
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


# --- A provider's teams and people, managed by its leads ----------------------------------


def _require_lead(user: User, provider: ProviderOrganisation) -> None:
    if not ProviderMembership.objects.filter(user=user, provider=provider, role=ProviderRole.LEAD).exists():
        raise PermissionDenied


def _team_name_free(provider: ProviderOrganisation, name: str, exclude_pk: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Give the team a name.")]})
    clash = ProviderTeam.objects.filter(provider=provider, name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": [_("%(provider)s already has a team called %(name)s.")
                                        % {"provider": provider.name, "name": name}]})
    return name


def team_create_by_lead(*, provider: ProviderOrganisation, name: str, acting_user: User) -> ProviderTeam:
    """A new team works for no client yet: the lead chooses which, and until then no client
    sees it."""
    _require_lead(acting_user, provider)
    return team_create(provider=provider, name=_team_name_free(provider, name), clients=())


@transaction.atomic
def team_clients_set(*, team: ProviderTeam, clients, acting_user: User) -> ProviderTeam:
    """Which of the clients engaging the provider this team works for (their admins see it and
    may grant it access; the others never learn its name). Grants it already holds stay."""
    _require_lead(acting_user, team.provider)
    engaged = set(Engagement.objects.active().filter(provider_id=team.provider_id).values_list("client_id", flat=True))
    chosen = {client.pk for client in clients}
    if chosen - engaged:
        raise ValidationError(_("Choose among the clients that engage %(provider)s.") % {"provider": team.provider.name})
    kept = set(team.clients.exclude(pk__in=engaged).values_list("pk", flat=True))
    team.clients.set(chosen | kept)
    return team


@transaction.atomic
def team_rename(*, team: ProviderTeam, name: str, acting_user: User) -> ProviderTeam:
    _require_lead(acting_user, team.provider)
    team.name = _team_name_free(team.provider, name, exclude_pk=team.pk)
    team.save(update_fields=["name"])
    # Keep the backing group's name in step, so a new team may take the old name.
    Group.objects.filter(pk=team.group_id).update(name=f"provider-team:{team.provider_id}:{team.name}"[:150])
    return team


def _provider_person(provider: ProviderOrganisation, user: User) -> ProviderMembership:
    membership = ProviderMembership.objects.filter(provider=provider, user=user).first()
    if membership is None:
        raise ValidationError(_("%(person)s does not work for %(provider)s.")
                              % {"person": user, "provider": provider.name})
    return membership


def _audit_where_team_works(team: ProviderTeam, action: Action, *, actor: User, person: User) -> None:
    """Tell each client whose workspace the team holds a grant in (and only those: a client
    never learns of the provider's other clients)."""
    from permissions.models import ArticleTeamGrant, CollectionTeamGrant

    for client in Client.objects.filter(engagements__in=Engagement.objects.active().filter(provider=team.provider)).distinct():
        with tenant_context(client):
            works_here = any(model.objects.filter(group_id=team.group_id).exists()
                             for model in (CollectionTeamGrant, ArticleTeamGrant))
            if works_here:
                audit.record(action, actor=Actor.of(actor), obj=person, label=person.email, detail={"team": team.name})


@transaction.atomic
def team_member_add(*, team: ProviderTeam, user: User, acting_user: User) -> None:
    """From the next request on, the person reaches what the team was granted."""
    _require_lead(acting_user, team.provider)
    _provider_person(team.provider, user)
    if not team.members.filter(pk=user.pk).exists():
        team.members.add(user)
        _audit_where_team_works(team, Action.TEAM_MEMBER_ADDED, actor=acting_user, person=user)


@transaction.atomic
def team_member_remove(*, team: ProviderTeam, user: User, acting_user: User) -> None:
    """From the next request on, the person no longer reaches what the team was granted."""
    _require_lead(acting_user, team.provider)
    if team.members.filter(pk=user.pk).exists():
        team.members.remove(user)
        _audit_where_team_works(team, Action.TEAM_MEMBER_REMOVED, actor=acting_user, person=user)


@transaction.atomic
def provider_member_clients_set(*, membership: ProviderMembership, clients, acting_user: User) -> ProviderMembership:
    """Which of the clients engaging the provider this person works for."""
    _require_lead(acting_user, membership.provider)
    engaged = set(
        Engagement.objects.active().filter(provider_id=membership.provider_id).values_list("client_id", flat=True)
    )
    chosen = {client.pk for client in clients}
    if chosen - engaged:
        raise ValidationError(_("Choose among the clients that engage %(provider)s.")
                              % {"provider": membership.provider.name})
    # Clients whose engagement ended stay out of reach anyway; keep the choice for the others.
    kept = set(membership.clients.exclude(pk__in=engaged).values_list("pk", flat=True))
    before = set(membership.clients.values_list("pk", flat=True))
    membership.clients.set(chosen | kept)
    # Each workspace the person starts or stops serving records it (no other client learns).
    for client in Client.objects.filter(pk__in=(chosen - before) | (before & engaged) - chosen):
        action = Action.PROVIDER_PERSON_SERVES if client.pk in chosen else Action.PROVIDER_PERSON_LEAVES
        _audit(client, action, actor=Actor.of(acting_user), obj=membership.user, label=membership.user.email,
               detail={"provider": membership.provider.name})
    return membership


@transaction.atomic
def client_image_sources_set(*, client: Client, text: str, acting_user: User,
                             actor: Actor | None = None) -> list[str]:
    """The other sites the tenant's articles may show images from (its pages' CSP allows them,
    kbportal/csp.py). Checked (https origins only: nothing can widen the policy), saved one per
    line, and written to the tenant's audit log with what it replaced."""
    _require_admin(acting_user, client)
    origins = parse_image_sources(text)
    before = client.image_sources.split()
    if origins != before:
        client.image_sources = "\n".join(origins)
        client.save(update_fields=["image_sources"])
        _audit(client, Action.SETTINGS_CHANGED, actor=actor or Actor.of(acting_user), label=_("Image sources"),
               detail={"image_sources": origins, "before": before})
    return origins
