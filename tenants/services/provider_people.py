"""A provider lead runs their floor: invite agents by e-mail (one by one or from a CSV, into a
team), let them in through the link, and deactivate a leaver.

An invited agent who accepts becomes an agent of the provider, joins the invitation's team and
works for the clients that team works for, so they land in those workspaces. Deactivating a
leaver turns their account off (every workspace at once: access is computed from an active
person, and the access cache's generation moves with the row), ends their sessions through the
session engine and revokes their API tokens. Each workspace the person served, or that the
team works for, records it in its audit log; no client learns of the provider's other clients.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import logging
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import Actor
from outbox import services as outbox

from ..models import (
    ApiToken,
    Client,
    Engagement,
    Membership,
    ProviderInvitation,
    ProviderMembership,
    ProviderOrganisation,
    ProviderRole,
    ProviderTeam,
    SiteAddress,
    User,
)
from ..selectors import secret_digest
from .common import audit_in_tenant, require_lead
from .sessions import end_sessions

logger = logging.getLogger(__name__)

MAX_CSV_BYTES = 256 * 1024
MAX_CSV_ROWS = 500
NAME_HEADERS = {"name", "full name", "nom", "nom complet"}
EMAIL_HEADERS = {"e-mail", "email", "e-mail address", "email address", "courriel", "adresse e-mail", "mail"}
TEAM_HEADERS = {"team", "équipe", "equipe"}


def _engaged_clients(provider: ProviderOrganisation):
    return Client.objects.filter(engagements__in=Engagement.objects.active().filter(provider=provider)).distinct()


def _team_clients(team: ProviderTeam | None):
    if team is None:
        return Client.objects.none()
    return _engaged_clients(team.provider).filter(provider_teams=team)


# --- Checking who may be invited ---------------------------------------------------------------


@dataclasses.dataclass
class InviteRow:
    line: int
    name: str
    email: str
    team_name: str
    team: ProviderTeam | None = None
    errors: list[str] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def check_row(provider: ProviderOrganisation, row: InviteRow, seen: set[str] | None = None) -> InviteRow:
    """Fill `row.errors` (it cannot be invited) and `row.notes` (it can, but the lead should
    know); `seen`: the addresses of the rows above it in the same file."""
    row.email = User.objects.normalize_email(row.email.strip()).lower()
    row.name = " ".join(row.name.split())
    row.team_name = " ".join(row.team_name.split())
    try:
        validate_email(row.email)
    except ValidationError:
        row.errors.append(_("“%(email)s” is not an e-mail address.") % {"email": row.email} if row.email
                          else _("The e-mail address is missing."))
        return row
    if len(row.name) > 200:
        row.errors.append(_("The name is too long (200 characters at most)."))
    if seen is not None:
        if row.email in seen:
            row.errors.append(_("This address is already on an earlier line."))
        seen.add(row.email)
    if row.team_name:
        row.team = ProviderTeam.objects.filter(provider=provider, name__iexact=row.team_name).first()
        if row.team is None:
            row.errors.append(_("%(provider)s has no team called “%(team)s”: create it first, or leave the team "
                                "empty.") % {"provider": provider.name, "team": row.team_name})
    person = User.objects.filter(email__iexact=row.email).first()
    if person is not None and ProviderMembership.objects.filter(provider=provider, user=person).exists():
        row.errors.append(_("%(email)s already works for %(provider)s.") % {"email": row.email,
                                                                            "provider": provider.name})
    elif person is not None and not person.is_active:
        row.errors.append(_("The account of %(email)s is deactivated: ask the platform admin.") % {"email": row.email})
    # Whether the address is client staff somewhere is not the provider's business: not said.
    if ProviderInvitation.objects.pending().filter(provider=provider, email=row.email).exists():
        row.notes.append(_("A pending invitation to this address will be replaced by this one."))
    return row


def parse_invite_csv(provider: ProviderOrganisation, data: bytes) -> list[InviteRow]:
    """The rows of a CSV of agents to invite (name, e-mail, team), each checked. UTF-8 with or
    without a byte-order mark, separated by commas or semicolons (as Excel writes it in French);
    a header line naming the columns is optional. A file that cannot be read raises
    ValidationError with the reason."""
    if len(data) > MAX_CSV_BYTES:
        raise ValidationError(_("The file is too large (256 KB at most, about 500 people)."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            _("The file is not in UTF-8. In Excel, save it as “CSV UTF-8 (comma delimited)”.")) from error
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise ValidationError(_("The file is empty. Put one person per line: name, e-mail address, team."))
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    records = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
    columns: dict[str, int | None] = {"name": 0, "email": 1, "team": 2}
    header = [cell.strip().lower() for cell in records[0]]
    if any(cell in EMAIL_HEADERS for cell in header):
        columns = {"name": _index(header, NAME_HEADERS), "email": _index(header, EMAIL_HEADERS),
                   "team": _index(header, TEAM_HEADERS)}
        records, first_line = records[1:], 2
    else:
        first_line = 1
    if len(records) > MAX_CSV_ROWS:
        raise ValidationError(_("The file has more than %(max)s people: split it.") % {"max": MAX_CSV_ROWS})
    seen: set[str] = set()
    return [check_row(provider, InviteRow(line=number, name=_cell(record, columns["name"]),
                                          email=_cell(record, columns["email"]), team_name=_cell(record, columns["team"])),
                      seen)
            for number, record in enumerate(records, start=first_line)]


def _index(header: list[str], names: set[str]) -> int | None:
    return next((i for i, cell in enumerate(header) if cell in names), None)


def _cell(record: list[str], index: int | None) -> str:
    return record[index].strip() if index is not None and index < len(record) else ""


# --- Inviting ------------------------------------------------------------------------------


def provider_invitation_link(site: SiteAddress, token: str) -> str:
    return site.public(f"/provider/join/{token}/")


@transaction.atomic
def provider_invite(*, provider: ProviderOrganisation, email: str, full_name: str = "", team: ProviderTeam | None,
                    acting_user: User, site: SiteAddress) -> tuple[ProviderInvitation, str]:
    """Invite one agent (checked as a CSV row is) and e-mail the link; a pending invitation to
    the same address is replaced. Returns the invitation and its link's token (never stored)."""
    require_lead(acting_user, provider)
    if team is not None and team.provider_id != provider.pk:
        raise ValidationError(_("Choose one of %(provider)s's teams.") % {"provider": provider.name})
    row = check_row(provider, InviteRow(line=0, name=full_name, email=email, team_name=team.name if team else ""))
    if row.errors:
        raise ValidationError({"email": row.errors})
    now = timezone.now()
    ProviderInvitation.objects.select_for_update().pending().filter(provider=provider, email=row.email).update(
        revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = ProviderInvitation.objects.create(
        provider=provider, email=row.email, full_name=row.name, team=row.team, token_hash=secret_digest(token),
        invited_by=acting_user, created_at=now)
    for client in _team_clients(row.team):
        audit_in_tenant(client, Action.PERSON_INVITED, actor=Actor.of(acting_user), obj=invitation, label=row.email,
                        detail={"email": row.email, "provider": provider.name, "role": str(ProviderRole.AGENT),
                                "team": row.team.name if row.team else ""})
    logger.info("provider %s: %s invited by user %s", provider.pk, row.email, acting_user.pk)
    context = {"provider": provider, "inviter": acting_user, "name": row.name, "team": row.team,
               "link": provider_invitation_link(site, token), "expires_at": invitation.expires_at}
    outbox.queue_template(to=row.email, template="tenants/provider/invitation_email", context=context,
                          subject=_("You are invited to work for %(provider)s on kbportal") % {"provider": provider.name},
                          stream="invitations", language=translation.get_language(), site=site)
    return invitation, token


@transaction.atomic
def provider_invite_rows(*, provider: ProviderOrganisation, rows: list[InviteRow], acting_user: User,
                         site: SiteAddress) -> list[ProviderInvitation]:
    """Invite the rows without errors (checked again: the file was read in an earlier request)."""
    require_lead(acting_user, provider)
    return [provider_invite(provider=provider, email=row.email, full_name=row.name, team=row.team,
                            acting_user=acting_user, site=site)[0]
            for row in rows if row.ok]


def provider_invitation_revoke(*, invitation: ProviderInvitation, acting_user: User) -> None:
    require_lead(acting_user, invitation.provider)
    if ProviderInvitation.objects.filter(pk=invitation.pk).pending().update(revoked_at=timezone.now()):
        for client in _team_clients(invitation.team):
            audit_in_tenant(client, Action.INVITATION_REVOKED, actor=Actor.of(acting_user), label=invitation.email,
                            detail={"provider": invitation.provider.name, "role": str(ProviderRole.AGENT)})


def provider_invitation_check(invitation: ProviderInvitation) -> None:
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."), code="used")
    if invitation.revoked_at is not None:
        raise ValidationError(_("This invitation was withdrawn or replaced by a newer one. Use the link of the latest "
                                "e-mail, or ask a lead of %(provider)s to invite you again.")
                              % {"provider": invitation.provider.name}, code="revoked")
    if invitation.is_expired:
        raise ValidationError(_("This invitation has expired. Ask a lead of %(provider)s to invite you again.")
                              % {"provider": invitation.provider.name}, code="expired")


@transaction.atomic
def provider_invitation_accept(*, invitation: ProviderInvitation, user: User) -> ProviderMembership:
    """`user` (with the invited address) becomes an agent of the provider, joins the team and
    works for the clients the team works for."""
    provider_invitation_check(invitation)
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(_("This invitation is for %(email)s, but you are signed in as %(current)s. Sign out, "
                                "then open the link again.") % {"email": invitation.email, "current": user.email})
    now = timezone.now()
    if not ProviderInvitation.objects.filter(pk=invitation.pk, expires_at__gt=now).pending().update(
            accepted_at=now, accepted_by=user):
        raise ValidationError(_("This invitation can no longer be used."), code="used")
    membership, _created = ProviderMembership.objects.get_or_create(
        user=user, provider=invitation.provider, defaults={"role": ProviderRole.AGENT})
    clients = list(_team_clients(invitation.team))
    if invitation.team is not None:
        invitation.team.members.add(user)
        membership.clients.add(*clients)
    for client in clients:
        audit_in_tenant(client, Action.PROVIDER_PERSON_SERVES, actor=Actor.of(user), obj=user, label=user.email,
                        detail={"provider": invitation.provider.name, "team": invitation.team.name if invitation.team
                                else "", "invited_by": invitation.invited_by.email if invitation.invited_by else None})
    return membership


@transaction.atomic
def provider_invitation_accept_new_person(*, invitation: ProviderInvitation, full_name: str, password: str) -> User:
    provider_invitation_check(invitation)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(_("An account with this e-mail address already exists. Sign in to accept."),
                              code="has_account")
    user = User(email=invitation.email, full_name=" ".join(full_name.split()))
    validate_password(password, user)
    user.set_password(password)
    user.save()
    provider_invitation_accept(invitation=invitation, user=user)
    return user


# --- Deactivating a leaver -------------------------------------------------------------------


@transaction.atomic
def provider_person_deactivate(*, membership: ProviderMembership, acting_user: User) -> int:
    """Turn the leaver's account off: every workspace at once, their sessions ended, their API
    tokens revoked. Only for a person who works for this provider alone (client staff and people
    of other providers are the platform admin's). Returns how many sessions were ended."""
    provider = membership.provider
    require_lead(acting_user, provider)
    person = User.objects.select_for_update().get(pk=membership.user_id)
    if person.pk == acting_user.pk:
        raise ValidationError(_("You cannot deactivate yourself. Ask another lead or the platform admin."))
    if Membership.objects.filter(user=person).exists() or \
            ProviderMembership.objects.filter(user=person).exclude(provider=provider).exists():
        raise ValidationError(_("%(person)s also belongs to another organisation: ask the platform admin to "
                                "deactivate the account.") % {"person": person})
    if not person.is_active:
        return 0
    served = list(_engaged_clients(provider) if membership.role == ProviderRole.LEAD
                  else _engaged_clients(provider).filter(pk__in=membership.clients.values("pk")))
    person.is_active = False
    person.save(update_fields=["is_active"])  # the access cache's generation moves with the row
    ApiToken.objects.active().filter(user=person).update(revoked_at=timezone.now())
    ended = end_sessions(person)
    for client in served:
        audit_in_tenant(client, Action.PROVIDER_PERSON_LEAVES, actor=Actor.of(acting_user), obj=person,
                        label=person.email, detail={"provider": provider.name, "deactivated": True})
    logger.info("provider %s: user %s deactivated by user %s (%s sessions ended)", provider.pk, person.pk,
                acting_user.pk, ended)
    return ended
