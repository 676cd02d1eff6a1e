"""A provider lead's pages on the public site: the provider's teams and people, and which of
the engaging clients each person works for. Provider leads only: anyone else gets a 404, and
a lead only ever reaches their own provider's teams and people.

What clients granted to the teams is shown per client on the tenant hosts, not here.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms_people import ServesClientsForm, TeamForm, TeamMemberForm
from .models import (
    ProviderOrganisation,
    ProviderRole,
    ProviderTeam,
)
from .phrases import elide
from .selectors import (
    clients_engaging,
    get_provider_for_lead,
    get_provider_person_for_lead,
    get_team_for_lead,
    get_team_member_for_lead,
    provider_overview,
    provider_people,
    providers_led_by,
)


def _show_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def home(request):
    providers = list(providers_led_by(request.user))
    if not providers:
        raise Http404
    if len(providers) == 1:
        return redirect("provider:overview", provider=providers[0].pk)
    return render(request, "tenants/provider/home.html", {"providers": providers})


def _overview_page(request, provider: ProviderOrganisation, *, team_form: TeamForm, status: int = 200):
    return render(request, "tenants/provider/overview.html", {
        "provider": provider,
        **provider_overview(provider),
        "team_form": team_form,
    }, status=status)


@login_required
def overview(request, provider: int):
    return _overview_page(request, get_provider_for_lead(request.user, provider), team_form=TeamForm())


@login_required
@require_POST
def team_create(request, provider: int):
    organisation = get_provider_for_lead(request.user, provider)
    form = TeamForm(request.POST)
    if form.is_valid():
        try:
            team = services.team_create_by_lead(
                provider=organisation, name=form.cleaned_data["name"], acting_user=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("name", message)
        else:
            messages.success(request, _("Team %(name)s created.") % {"name": team.name})
            return redirect("provider:team", provider=organisation.pk, team=team.pk)
    return _overview_page(request, organisation, team_form=form, status=400)


def _team_clients_form(team: ProviderTeam, data=None) -> ServesClientsForm:
    clients = clients_engaging(team.provider)
    return ServesClientsForm(data, clients=clients, initial={"clients": list(team.clients.filter(pk__in=clients))})


def _team_page(request, team: ProviderTeam, *, rename_form: TeamForm | None = None, status: int = 200):
    members = team.members.order_by("full_name", "email")
    candidates = provider_people(team.provider).exclude(pk__in=team.members.values("pk"))
    clients_form = _team_clients_form(team)
    return render(request, "tenants/provider/team.html", {
        "provider": team.provider,
        "team": team,
        "members": members,
        "clients_form": clients_form,
        "works_for_nobody": not clients_form.initial["clients"],
        "rename_form": rename_form or TeamForm(initial={"name": team.name}),
        "member_form": TeamMemberForm(people=candidates),
        "has_candidates": candidates.exists(),
    }, status=status)


@login_required
def team_detail(request, provider: int, team: int):
    return _team_page(request, get_team_for_lead(request.user, provider, team))


@login_required
@require_POST
def team_rename(request, provider: int, team: int):
    team_obj = get_team_for_lead(request.user, provider, team)
    form = TeamForm(request.POST)
    if form.is_valid():
        try:
            services.team_rename(team=team_obj, name=form.cleaned_data["name"], acting_user=request.user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error("name", message)
        else:
            messages.success(request, _("Team renamed."))
            return redirect("provider:team", provider=provider, team=team)
    team_obj.refresh_from_db()
    return _team_page(request, team_obj, rename_form=form, status=400)


@login_required
@require_POST
def team_clients(request, provider: int, team: int):
    """Which clients the team works for: only their admins see it."""
    team_obj = get_team_for_lead(request.user, provider, team)
    form = _team_clients_form(team_obj, request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose among the clients that engage %(provider)s.") % {"provider": team_obj.provider.name})
    else:
        try:
            services.team_clients_set(team=team_obj, clients=form.cleaned_data["clients"], acting_user=request.user)
        except ValidationError as error:
            _show_errors(request, error)
        else:
            messages.success(request, _("Saved: the clients %(team)s works for.") % {"team": team_obj.name})
    return redirect("provider:team", provider=provider, team=team)


@login_required
@require_POST
def team_member_add(request, provider: int, team: int):
    team_obj = get_team_for_lead(request.user, provider, team)
    form = TeamMemberForm(request.POST, people=provider_people(team_obj.provider))
    if not form.is_valid():
        messages.error(request, elide(_("Choose one of %(provider)s's people.") % {"provider": team_obj.provider.name}))
    else:
        try:
            services.team_member_add(team=team_obj, user=form.cleaned_data["user"], acting_user=request.user)
        except ValidationError as error:
            _show_errors(request, error)
        else:
            messages.success(request, _("%(person)s joined %(team)s.") % {
                "person": form.cleaned_data["user"], "team": team_obj.name})
    return redirect("provider:team", provider=provider, team=team)


@login_required
@require_POST
def team_member_remove(request, provider: int, team: int, user: int):
    team_obj = get_team_for_lead(request.user, provider, team)
    member = get_team_member_for_lead(request.user, team_obj, user)
    services.team_member_remove(team=team_obj, user=member, acting_user=request.user)
    messages.success(request, _("%(person)s left %(team)s.") % {"person": member, "team": team_obj.name})
    return redirect("provider:team", provider=provider, team=team)


@login_required
def person_clients(request, provider: int, person: int):
    """Which of the clients engaging the provider one of its people works for."""
    membership = get_provider_person_for_lead(request.user, provider, person)
    organisation = membership.provider
    clients = clients_engaging(organisation)
    form = ServesClientsForm(
        request.POST or None, clients=clients, initial={"clients": list(membership.clients.filter(pk__in=clients))}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_member_clients_set(
                membership=membership, clients=form.cleaned_data["clients"], acting_user=request.user
            )
        except ValidationError as error:
            _show_errors(request, error)
        else:
            messages.success(request, _("Saved: the clients %(person)s works for.") % {"person": membership.user})
            return redirect("provider:overview", provider=organisation.pk)
    return render(request, "tenants/provider/person.html", {
        "provider": organisation,
        "membership": membership,
        "is_lead": membership.role == ProviderRole.LEAD,
        "form": form,
    })
