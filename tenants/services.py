"""Writes about tenants, people and providers."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from .models import (
    Client,
    Domain,
    Engagement,
    Membership,
    ProviderMembership,
    ProviderOrganisation,
    ProviderTeam,
    User,
)


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
def team_create(*, provider: ProviderOrganisation, name: str) -> ProviderTeam:
    team = ProviderTeam(provider=provider, name=name)
    ensure_team_group(team)
    team.save()
    return team


def engagement_start(*, provider: ProviderOrganisation, client: Client) -> Engagement:
    existing = Engagement.objects.active().filter(provider=provider, client=client).first()
    return existing or Engagement.objects.create(provider=provider, client=client)


def engagement_end(*, engagement: Engagement) -> Engagement:
    """End an engagement: from the next request on, the provider reaches nothing of the client."""
    Engagement.objects.filter(pk=engagement.pk, ended_at__isnull=True).update(ended_at=timezone.now())
    engagement.refresh_from_db()
    return engagement
