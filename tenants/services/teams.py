"""A provider's teams and people, managed by its leads."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from audit import services as audit
from audit.models import Action
from audit.services import Actor

from ..models import (
    Client,
    Engagement,
    ProviderMembership,
    ProviderOrganisation,
    ProviderTeam,
    User,
)
from .common import audit_in_tenant, require_lead


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
    require_lead(acting_user, provider)
    return team_create(provider=provider, name=_team_name_free(provider, name), clients=())


@transaction.atomic
def team_clients_set(*, team: ProviderTeam, clients, acting_user: User) -> ProviderTeam:
    """Which of the clients engaging the provider this team works for (their admins see it and
    may grant it access; the others never learn its name). Grants it already holds stay."""
    require_lead(acting_user, team.provider)
    engaged = set(Engagement.objects.active().filter(provider_id=team.provider_id).values_list("client_id", flat=True))
    chosen = {client.pk for client in clients}
    if chosen - engaged:
        raise ValidationError(_("Choose among the clients that engage %(provider)s.") % {"provider": team.provider.name})
    kept = set(team.clients.exclude(pk__in=engaged).values_list("pk", flat=True))
    team.clients.set(chosen | kept)
    return team


@transaction.atomic
def team_rename(*, team: ProviderTeam, name: str, acting_user: User) -> ProviderTeam:
    require_lead(acting_user, team.provider)
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
                audit.record(action, actor=Actor.of(actor), obj=person, label=person.email, detail={"team": team.name, "team_id": team.pk})


@transaction.atomic
def team_member_add(*, team: ProviderTeam, user: User, acting_user: User) -> None:
    """From the next request on, the person reaches what the team was granted."""
    require_lead(acting_user, team.provider)
    _provider_person(team.provider, user)
    if not team.members.filter(pk=user.pk).exists():
        team.members.add(user)
        _audit_where_team_works(team, Action.TEAM_MEMBER_ADDED, actor=acting_user, person=user)


@transaction.atomic
def team_member_remove(*, team: ProviderTeam, user: User, acting_user: User) -> None:
    """From the next request on, the person no longer reaches what the team was granted."""
    require_lead(acting_user, team.provider)
    if team.members.filter(pk=user.pk).exists():
        team.members.remove(user)
        _audit_where_team_works(team, Action.TEAM_MEMBER_REMOVED, actor=acting_user, person=user)


@transaction.atomic
def provider_member_clients_set(*, membership: ProviderMembership, clients, acting_user: User) -> ProviderMembership:
    """Which of the clients engaging the provider this person works for."""
    require_lead(acting_user, membership.provider)
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
        audit_in_tenant(client, action, actor=Actor.of(acting_user), obj=membership.user, label=membership.user.email,
               detail={"provider": membership.provider.name})
    return membership
