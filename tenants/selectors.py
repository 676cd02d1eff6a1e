"""Reads about people and tenants. Every getter takes the tenant it is about."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from .auth import AccountBackend
from .models import (
    ApiToken,
    Client,
    Engagement,
    Invitation,
    Membership,
    ProviderMembership,
    ProviderOrganisation,
    ProviderRole,
    ProviderTeam,
    Role,
    User,
)
from .phrases import elide


@dataclass(frozen=True)
class WorkspaceAccess:
    """What one person is in one tenant: a client-side role, or a provider role through an
    active engagement (or both, for the odd person who is both)."""

    client: Client
    user_id: int
    role: str | None = None  # client role: admin / editor / viewer
    provider_id: int | None = None
    provider_role: str | None = None  # lead / agent
    team_group_ids: tuple[int, ...] = field(default_factory=tuple)

    @property
    def is_client_staff(self) -> bool:
        return self.role is not None

    @property
    def is_provider(self) -> bool:
        return self.role is None and self.provider_id is not None

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def can_edit(self) -> bool:
        return self.role in (Role.ADMIN, Role.EDITOR)

    @property
    def is_provider_lead(self) -> bool:
        return self.provider_role == ProviderRole.LEAD

    @property
    def label(self) -> str:
        if self.role:
            return str(Role(self.role).label)
        return str(ProviderRole(self.provider_role).label) if self.provider_role else ""


def workspace_access(user: User, client: Client) -> WorkspaceAccess | None:
    """The person's access to `client`, or None: not a member, not a provider engaged by it."""
    if not user.is_authenticated or not user.is_active or client.is_public:
        return None
    membership = Membership.objects.filter(user=user, client=client).only("role").first()
    provider = (
        ProviderMembership.objects.filter(
            Q(role=ProviderRole.LEAD) | Q(clients=client),
            user=user,
            provider__engagements__in=Engagement.objects.active().filter(client=client),
        )
        .only("provider_id", "role")
        .first()
    )
    if membership is None and provider is None:
        return None
    team_ids: tuple[int, ...] = ()
    if provider is not None:
        team_ids = tuple(
            user.provider_teams.filter(provider_id=provider.provider_id).values_list(
                "group_id", flat=True
            )
        )
    return WorkspaceAccess(
        client=client,
        user_id=user.pk,
        role=membership.role if membership else None,
        provider_id=provider.provider_id if provider else None,
        provider_role=provider.role if provider else None,
        team_group_ids=team_ids,
    )


def workspaces_for_user(user: User) -> QuerySet[Client]:
    """Every client tenant the person can open, client-side or through an active engagement."""
    if not user.is_authenticated:
        return Client.objects.none()
    # One filter() call per condition set, so that both conditions hold for the same
    # provider membership (chained filters on a multi-valued relation join separately).
    as_lead = Engagement.objects.active().filter(
        provider__memberships__user=user, provider__memberships__role=ProviderRole.LEAD
    ).values("client_id")
    as_agent = Engagement.objects.active().filter(
        provider__memberships__user=user, provider__memberships__clients=F("client_id")
    ).values("client_id")
    return (
        Client.objects.exclude(schema_name="public")
        .filter(Q(memberships__user=user) | Q(pk__in=as_lead) | Q(pk__in=as_agent))
        .distinct()
        .order_by("name")
        .prefetch_related("domains")
    )


def providers_engaged_by(client: Client) -> QuerySet[ProviderOrganisation]:
    active = Engagement.objects.active().filter(client=client).values("provider_id")
    return ProviderOrganisation.objects.filter(pk__in=active)


def teams_serving(client: Client) -> QuerySet[ProviderTeam]:
    """The teams of the providers engaged by `client` that work for it: the only teams its
    admins see (a team serving another client of the same provider stays unknown to them)."""
    return ProviderTeam.objects.filter(provider__in=providers_engaged_by(client), clients=client)


def workspace_admin_names(client: Client) -> list[str]:
    """The names of the workspace's active admins: whom its people ask for access. Only for
    someone with access to the workspace (never show them to a non-member)."""
    names = (
        Membership.objects.filter(client=client, role=Role.ADMIN, user__is_active=True)
        .order_by("user__full_name", "user__email")
        .values_list("user__full_name", "user__email")
    )
    return [full_name or email for full_name, email in names]


def person_labels(user_ids, access: WorkspaceAccess) -> dict[int, str]:
    """How to name these people to `access`'s person. Provider people see client staff as a
    role ("Acme Parcels editor") when the tenant hides its authors' names from providers."""
    ids = {pk for pk in user_ids if pk is not None}
    users = User.objects.in_bulk(ids)
    client = access.client
    hide = access.is_provider and client.hide_author_names_from_providers
    roles = dict(Membership.objects.filter(client=client, user_id__in=ids).values_list("user_id", "role")) if hide else {}
    labels: dict[int, str] = {}
    for pk in ids:
        if hide and pk != access.user_id:
            role = roles.get(pk)
            if role == Role.ADMIN:
                labels[pk] = elide(_("%(client)s admin") % {"client": client.name})
            elif role == Role.EDITOR:
                labels[pk] = elide(_("%(client)s editor") % {"client": client.name})
            else:
                labels[pk] = elide(_("%(client)s team") % {"client": client.name})
        elif pk in users:
            labels[pk] = users[pk].get_full_name()
        else:
            labels[pk] = _("a former member")
    return labels


# --- The people pages of a client tenant (its admins) ---------------------------------------


def _admin_client(access: WorkspaceAccess) -> Client:
    """The tenant whose people `access`'s person may manage: theirs, if they are its admin."""
    if access is None or not access.is_admin:
        raise Http404
    return access.client


def client_staff(access: WorkspaceAccess) -> QuerySet[Membership]:
    """The client staff of the tenant, for its admins."""
    return (
        Membership.objects.filter(client=_admin_client(access)).select_related("user")
        .order_by("user__full_name", "user__email")
    )


def pending_invitations(access: WorkspaceAccess) -> QuerySet[Invitation]:
    return (
        Invitation.objects.pending().filter(client=_admin_client(access)).select_related("invited_by")
        .order_by("email")
    )


def get_membership_for_admin(access: WorkspaceAccess, pk: int) -> Membership:
    """A membership of this tenant; 404 for one of another tenant, a missing one, and anyone
    who is not this tenant's admin."""
    membership = (
        Membership.objects.select_related("user", "client").filter(client=_admin_client(access), pk=pk).first()
    )
    if membership is None:
        raise Http404
    return membership


def get_pending_invitation_for_admin(access: WorkspaceAccess, pk: int) -> Invitation:
    """A pending invitation to this tenant; 404 for used, withdrawn, another tenant's, missing."""
    invitation = (
        Invitation.objects.pending().select_related("client").filter(client=_admin_client(access), pk=pk).first()
    )
    if invitation is None:
        raise Http404
    return invitation


def engaged_providers(access: WorkspaceAccess) -> list[dict]:
    """Each provider engaged by the tenant, with its people who serve it and its teams (members
    limited to those people), for the tenant's admins."""
    client = _admin_client(access)
    providers = list(providers_engaged_by(client).order_by("name"))
    serving = (
        ProviderMembership.objects.filter(provider__in=providers)
        .filter(Q(role=ProviderRole.LEAD) | Q(clients=client))
        .select_related("user")
        .distinct()
        .order_by("user__full_name", "user__email")
    )
    people: dict[int, list[ProviderMembership]] = {}
    for membership in serving:
        people.setdefault(membership.provider_id, []).append(membership)
    teams: dict[int, list[tuple[ProviderTeam, list[User]]]] = {}
    for team in teams_serving(client).prefetch_related("members").order_by("name"):
        serving_ids = {m.user_id for m in people.get(team.provider_id, [])}
        members = [user for user in team.members.all() if user.pk in serving_ids]
        teams.setdefault(team.provider_id, []).append((team, members))
    return [
        {"provider": provider, "people": people.get(provider.pk, []), "teams": teams.get(provider.pk, [])}
        for provider in providers
    ]


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation the link's token names (whatever its state), or None."""
    return Invitation.objects.select_related("client", "invited_by").filter(token_hash=secret_digest(token)).first()


def secret_digest(raw: str) -> str:
    """What is stored of a secret (an invitation link's token, an API token): its SHA-256.
    The secrets are 256 random bits, so a plain hash is enough."""
    return hashlib.sha256(raw.encode()).hexdigest()


# --- A provider lead's pages (public site) ------------------------------------------------------


def providers_led_by(user: User) -> QuerySet[ProviderOrganisation]:
    if not user.is_authenticated:
        return ProviderOrganisation.objects.none()
    return ProviderOrganisation.objects.filter(
        memberships__user=user, memberships__role=ProviderRole.LEAD
    ).order_by("name")


def get_provider_for_lead(user: User, pk: int) -> ProviderOrganisation:
    """The provider `pk` when the person leads it; a 404 for anyone else and for missing ones."""
    provider = providers_led_by(user).filter(pk=pk).first()
    if provider is None:
        raise Http404
    return provider


def get_team_for_lead(user: User, provider_pk: int, team_pk: int) -> ProviderTeam:
    """A team of a provider the person leads; 404 for another provider's team or a missing one."""
    provider = get_provider_for_lead(user, provider_pk)
    team = ProviderTeam.objects.select_related("provider").filter(provider=provider, pk=team_pk).first()
    if team is None:
        raise Http404
    return team


def get_team_member_for_lead(user: User, team: ProviderTeam, member_pk: int) -> User:
    """A member of `team` (found with `get_team_for_lead`); 404 for anyone else."""
    get_provider_for_lead(user, team.provider_id)
    member = team.members.filter(pk=member_pk).first()
    if member is None:
        raise Http404
    return member


def get_provider_person_for_lead(user: User, provider_pk: int, person_pk: int) -> ProviderMembership:
    """One of the people of a provider the person leads; 404 for anyone else."""
    provider = get_provider_for_lead(user, provider_pk)
    membership = (
        ProviderMembership.objects.select_related("user", "provider").filter(provider=provider, user_id=person_pk).first()
    )
    if membership is None:
        raise Http404
    return membership


def clients_engaging(provider: ProviderOrganisation) -> QuerySet[Client]:
    active = Engagement.objects.active().filter(provider=provider).values("client_id")
    return Client.objects.filter(pk__in=active).order_by("name")


def provider_people(provider: ProviderOrganisation) -> QuerySet[User]:
    return User.objects.filter(provider_memberships__provider=provider).order_by("full_name", "email")


def provider_overview(provider: ProviderOrganisation) -> dict:
    """A lead's overview of their provider (found with `get_provider_for_lead`): the clients
    engaging it, its people with the engaged clients each serves, its teams with theirs."""
    clients = clients_engaging(provider)
    people = (
        ProviderMembership.objects.filter(provider=provider)
        .select_related("user")
        .prefetch_related(Prefetch("clients", queryset=clients, to_attr="engaged_clients"))
        .order_by("user__full_name", "user__email")
    )
    teams = (
        ProviderTeam.objects.filter(provider=provider)
        .prefetch_related(Prefetch("members", queryset=User.objects.order_by("full_name", "email")))
        .prefetch_related(Prefetch("clients", queryset=clients, to_attr="serving"))
        .order_by("name")
    )
    return {"clients": clients, "people": people, "teams": teams}


def account_exists(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


# --- Personal API tokens -------------------------------------------------------------------------

TOKEN_PREFIX = "kbp"  # noqa: S105 - the public marker of our tokens, not a secret
# kbp_ + 8 hex + _ + 43 URL-safe base64 characters (32 bytes); a little slack for the future.
TOKEN_PATTERN = re.compile(r"^kbp_[0-9a-f]{8}_[A-Za-z0-9_-]{40,100}$")


def find_api_token(raw: str) -> ApiToken | None:
    """The active token `raw` names, with its person, or None: malformed, unknown, revoked, or
    its person may not sign in (inactive, or a demo account while KB_DEMO_ACCOUNTS is off).
    Lookups go by the hash (unique, indexed), compared again in constant time. Reads only:
    `services.token_resolve` records the use."""
    if not raw or not TOKEN_PATTERN.match(raw):
        return None
    digest = secret_digest(raw)
    token = ApiToken.objects.select_related("user").filter(token_hash=digest).first()
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    if token.is_revoked or not AccountBackend().user_can_authenticate(token.user):
        return None
    return token


def tokens_for_user(user: User) -> QuerySet[ApiToken]:
    """The person's tokens, active first, newest first."""
    return ApiToken.objects.filter(user=user).order_by(F("revoked_at").desc(nulls_first=True), "-created_at", "-id")


def get_own_api_token(user: User, pk: int) -> ApiToken:
    """One of the person's own tokens; 404 for anyone else's and for a missing one."""
    token = ApiToken.objects.filter(pk=pk, user_id=user.pk).first()
    if token is None:
        raise Http404
    return token


# --- A provider's invitations, a person's roles (tenants.services.provider_people) ---------------


def pending_provider_invitations(provider: ProviderOrganisation):
    from .models import ProviderInvitation

    return ProviderInvitation.objects.pending().filter(provider=provider).select_related("team", "invited_by")


def get_provider_invitation_for_lead(user: User, provider_pk: int, pk: int):
    """A pending invitation of a provider the person leads; 404 for anyone else."""
    invitation = pending_provider_invitations(get_provider_for_lead(user, provider_pk)).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


def provider_invitation_for_token(token: str):
    """The provider invitation the link's token names (whatever its state), or None."""
    from .models import ProviderInvitation

    return (ProviderInvitation.objects.select_related("provider", "team", "invited_by")
            .filter(token_hash=secret_digest(token)).first())


def provider_teams(provider: ProviderOrganisation) -> QuerySet[ProviderTeam]:
    return ProviderTeam.objects.filter(provider=provider).order_by("name")


def provider_roles_of(email: str, client: Client) -> list[ProviderMembership]:
    """The memberships of the account with this address in the providers `client` engages (none
    for a new address): another provider's people are never named to a client."""
    return list(ProviderMembership.objects.filter(user__email__iexact=email.strip(),
                                                  provider__in=providers_engaged_by(client)).select_related("provider"))


def pending_invitation_to(client: Client, email: str) -> Invitation | None:
    return Invitation.objects.pending().filter(client=client, email__iexact=email.strip()).first()
