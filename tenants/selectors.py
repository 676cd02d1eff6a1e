"""Reads about people and tenants. Every getter takes the tenant it is about."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet

from .models import (
    Client,
    Engagement,
    Membership,
    ProviderMembership,
    ProviderOrganisation,
    ProviderRole,
    ProviderTeam,
    Role,
    User,
)


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
