"""A provider lead's pages on the public site: the provider's teams and people, and which of
the engaging clients each person works for. Provider leads only: anyone else gets a 404, and
a lead only ever reaches their own provider's teams and people. The lead invites agents (one by
one or from a CSV, previewed before anything is created) and deactivates leavers; the invited
agent's link (`join`) is for whoever holds it.

What clients granted to the teams is shown per client on the tenant hosts, not here.
"""

from __future__ import annotations

import time
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import services
from .forms_people import (
    InviteCsvConfirmForm,
    InviteCsvForm,
    JoinForm,
    ProviderInviteForm,
    ServesClientsForm,
    TeamForm,
    TeamMemberForm,
)
from .models import (
    ProviderOrganisation,
    ProviderRole,
    ProviderTeam,
    SiteAddress,
)
from .phrases import elide
from .selectors import (
    account_exists,
    clients_engaging,
    get_provider_for_lead,
    get_provider_invitation_for_lead,
    get_provider_person_for_lead,
    get_team_for_lead,
    get_team_member_for_lead,
    pending_provider_invitations,
    provider_invitation_for_token,
    provider_overview,
    provider_people,
    provider_teams,
    providers_led_by,
)
from .services import provider_people as onboarding


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


# --- Onboarding: invitations one by one or from a CSV; deactivating a leaver ------------------


def _invite_page(request, organisation: ProviderOrganisation, *, form: ProviderInviteForm | None = None,
                 csv_form: InviteCsvForm | None = None, preview=None, content: str = "", status: int = 200):
    teams = provider_teams(organisation)
    return render(request, "tenants/provider/invite.html", {
        "provider": organisation,
        "form": form or ProviderInviteForm(teams=teams),
        "csv_form": csv_form or InviteCsvForm(),
        "preview": preview,
        "valid_rows": sum(1 for row in preview if row.ok) if preview is not None else 0,
        "confirm_form": InviteCsvConfirmForm(initial={"content": content}) if preview is not None else None,
        "invitations": pending_provider_invitations(organisation),
        "has_teams": teams.exists(),
    }, status=status)


@login_required
def invite(request, provider: int):
    return _invite_page(request, get_provider_for_lead(request.user, provider))


@login_required
@require_POST
def invite_one(request, provider: int):
    organisation = get_provider_for_lead(request.user, provider)
    form = ProviderInviteForm(request.POST, teams=provider_teams(organisation))
    if form.is_valid():
        try:
            invitation, _token = onboarding.provider_invite(
                provider=organisation, acting_user=request.user, site=SiteAddress.from_request(request),
                **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error("email", message)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("provider:invite", provider=organisation.pk)
    return _invite_page(request, organisation, form=form, status=400)


@login_required
@require_POST
def invite_csv(request, provider: int):
    """Step 1: read the file and show every row with what is wrong with it; nothing is created."""
    organisation = get_provider_for_lead(request.user, provider)
    form = InviteCsvForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invite_page(request, organisation, csv_form=form, status=400)
    data = form.cleaned_data["file"].read(onboarding.MAX_CSV_BYTES + 1)
    try:
        rows = onboarding.parse_invite_csv(organisation, data)
    except ValidationError as error:
        for message in error.messages:
            form.add_error("file", message)
        return _invite_page(request, organisation, csv_form=form, status=400)
    return _invite_page(request, organisation, preview=rows, content=data.decode("utf-8-sig"))


@login_required
@require_POST
def invite_csv_confirm(request, provider: int):
    """Step 2: invite the rows of the previewed file that have no error (checked again)."""
    organisation = get_provider_for_lead(request.user, provider)
    form = InviteCsvConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The file was lost on the way: choose it again."))
        return redirect("provider:invite", provider=organisation.pk)
    try:
        rows = onboarding.parse_invite_csv(organisation, form.cleaned_data["content"].encode())
        invited = onboarding.provider_invite_rows(provider=organisation, rows=rows, acting_user=request.user,
                                                       site=SiteAddress.from_request(request))
    except ValidationError as error:
        _show_errors(request, error)
        return redirect("provider:invite", provider=organisation.pk)
    skipped = sum(1 for row in rows if not row.ok)
    messages.success(request, ngettext("%(count)s invitation sent.", "%(count)s invitations sent.", len(invited))
                     % {"count": len(invited)})
    if skipped:
        messages.warning(request, ngettext("%(count)s line with an error was not invited.",
                                           "%(count)s lines with errors were not invited.", skipped) % {"count": skipped})
    return redirect("provider:invite", provider=organisation.pk)


@login_required
@require_POST
def invitation_revoke(request, provider: int, pk: int):
    invitation = get_provider_invitation_for_lead(request.user, provider, pk)
    onboarding.provider_invitation_revoke(invitation=invitation, acting_user=request.user)
    messages.success(request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email})
    return redirect("provider:invite", provider=provider)


@login_required
def person_deactivate(request, provider: int, person: int):
    """GET asks for confirmation; POST deactivates the leaver's account."""
    membership = get_provider_person_for_lead(request.user, provider, person)
    if request.method == "POST":
        try:
            onboarding.provider_person_deactivate(membership=membership, acting_user=request.user)
        except ValidationError as error:
            _show_errors(request, error)
            return redirect("provider:person", provider=provider, person=person)
        messages.success(request, _("%(person)s is deactivated: signed out everywhere, API tokens revoked, no "
                                    "workspace any more.") % {"person": membership.user})
        return redirect("provider:overview", provider=provider)
    return render(request, "tenants/provider/deactivate.html", {"provider": membership.provider,
                                                                "membership": membership})


# --- The invitation link (for the invited agent) ------------------------------------------------


def join(request, token: str):
    """An invited agent without an account chooses a name and a password; one with an account
    signs in first, then accepts. Either way they land on their workspaces."""
    invitation = provider_invitation_for_token(token)
    if invitation is None:
        return _join_error(request, _("This invitation link is not valid. Check that you opened the whole link from "
                                      "the e-mail."), 404)
    try:
        onboarding.provider_invitation_check(invitation)
    except ValidationError as error:
        return _join_error(request, error.messages[0], 410)
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                onboarding.provider_invitation_accept(invitation=invitation, user=request.user)
            except ValidationError as error:
                return _join_error(request, error.messages[0], 403)
            messages.success(request, _("Welcome to %(provider)s.") % {"provider": invitation.provider.name})
            return redirect("workspaces")
        return render(request, "tenants/provider/join.html", {"invitation": invitation})
    if account_exists(invitation.email):
        messages.info(request, _("You already have an account: sign in to accept the invitation of %(provider)s.")
                      % {"provider": invitation.provider.name})
        return HttpResponseRedirect(f"{settings.LOGIN_URL}?next={quote(request.get_full_path())}")
    form = JoinForm(request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            user = onboarding.provider_invitation_accept_new_person(
                invitation=invitation, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password1"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            login(request, user, backend="tenants.auth.AccountBackend")
            now = int(time.time())
            request.session["kb_signed_in_at"] = now
            request.session["kb_seen_at"] = now
            messages.success(request, _("Welcome to %(provider)s.") % {"provider": invitation.provider.name})
            return redirect("workspaces")
    return render(request, "tenants/provider/join.html", {"invitation": invitation, "form": form})


def _join_error(request, message: str, status: int):
    return render(request, "tenants/people/invitation_error.html", {"message": message}, status=status)
