"""People of a client tenant (tenant admins only, on the tenant host) and the invitation page
(public site, for the person holding the link).

Every tenant view here is `@requires("admin")`: anyone else, provider people included, gets a
404 and so never sees the client staff directory. Objects are resolved inside the tenant of
the request by tenants.selectors (a membership id of another tenant is a 404 like a missing
one).
"""

from __future__ import annotations

import time
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import Actor
from permissions.policy import requires

from . import services
from .forms_people import InviteForm, JoinForm, RoleForm
from .models import (
    Role,
    SiteAddress,
    public_url,
)
from .selectors import (
    account_exists,
    client_staff,
    engaged_providers,
    get_membership_for_admin,
    get_pending_invitation_for_admin,
    invitation_for_token,
    pending_invitations,
)


def _people_page(request, *, invite_form: InviteForm, status: int = 200, needs_confirmation: bool = False):
    access = request.workspace
    if needs_confirmation:
        invite_form.ask_confirmation()
    return render(request, "tenants/people/list.html", {
        "staff": client_staff(access),
        "invitations": pending_invitations(access),
        "invite_form": invite_form,
        "roles": Role.choices,
        "providers": engaged_providers(access),
    }, status=status)


@requires("admin")
def people(request):
    return _people_page(request, invite_form=InviteForm())


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


@requires("admin")
@require_POST
def invite(request):
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation, _token = services.invitation_create(
                client=request.workspace.client, acting_user=request.user, site=SiteAddress.from_request(request),
                actor=Actor.from_request(request), email=form.cleaned_data["email"], role=form.cleaned_data["role"],
                confirmed=form.cleaned_data["confirm"],
            )
        except ValidationError as error:
            _add_errors(form, error)
            needs_confirmation = "confirm" in getattr(error, "error_dict", {})
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("people:list")
    else:
        needs_confirmation = False
    return _people_page(request, invite_form=form, status=400, needs_confirmation=needs_confirmation)


@requires("admin")
@require_POST
def invitation_resend(request, pk: int):
    """Send a fresh link to the same address with the same role (the old link stops working)."""
    old = get_pending_invitation_for_admin(request.workspace, pk)
    try:
        invitation, _token = services.invitation_create(
            client=old.client, email=old.email, role=old.role, acting_user=request.user,
            site=SiteAddress.from_request(request), actor=Actor.from_request(request), confirmed=True,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("A new invitation was sent to %(email)s.") % {"email": invitation.email})
    return redirect("people:list")


@requires("admin")
@require_POST
def invitation_revoke(request, pk: int):
    invitation = get_pending_invitation_for_admin(request.workspace, pk)
    services.invitation_revoke(invitation=invitation, acting_user=request.user, actor=Actor.from_request(request))
    messages.success(request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email})
    return redirect("people:list")


@requires("admin")
@require_POST
def role_change(request, pk: int):
    membership = get_membership_for_admin(request.workspace, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return redirect("people:list")
    try:
        services.membership_role_change(
            membership=membership, role=form.cleaned_data["role"], acting_user=request.user, actor=Actor.from_request(request)
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("people:list")
    messages.success(request, _("%(person)s is now %(role)s.") % {
        "person": membership.user, "role": Role(form.cleaned_data["role"]).label})
    if membership.user_id == request.user.pk and form.cleaned_data["role"] != Role.ADMIN:
        return redirect("/")  # no longer an admin: the people page is not theirs any more
    return redirect("people:list")


@requires("admin")
def remove(request, pk: int):
    """GET asks for confirmation; POST removes the person from the tenant."""
    membership = get_membership_for_admin(request.workspace, pk)
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership, acting_user=request.user, actor=Actor.from_request(request))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("people:list")
        messages.success(request, _("%(person)s no longer has access to %(client)s.") % {
            "person": membership.user, "client": membership.client.name})
        if membership.user_id == request.user.pk:
            return HttpResponseRedirect(public_url(request, "/"))
        return redirect("people:list")
    return render(request, "tenants/people/remove.html", {"membership": membership})


# --- The invitation link (public site) ----------------------------------------------------


def _invitation_error(request, message: str, status: int):
    return render(request, "tenants/people/invitation_error.html", {"message": message}, status=status)


def invitation(request, token: str):
    """Accept an invitation: a signed-in person with the invited address joins; a person with
    an account signs in first; a new person chooses a name and a password."""
    invitation = invitation_for_token(token)
    if invitation is None:
        return _invitation_error(request, _(
            "This invitation link is not valid. Check that you opened the whole link from the e-mail."), 404)
    try:
        services.invitation_check(invitation)
    except ValidationError as error:
        return _invitation_error(request, error.messages[0], 410)
    client = invitation.client
    if request.user.is_authenticated:
        if request.user.email.lower() != invitation.email.lower():
            return _invitation_error(request, _(
                "This invitation is for %(email)s, but you are signed in as %(current)s. Sign out, then open the "
                "link again.") % {"email": invitation.email, "current": request.user.email}, 403)
        if request.method == "POST":
            try:
                services.invitation_accept(invitation=invitation, user=request.user, actor=Actor.from_request(request))
            except ValidationError as error:
                return _invitation_error(request, error.messages[0], 410)
            messages.success(request, _("Welcome to %(client)s.") % {"client": client.name})
            return HttpResponseRedirect(client.url(request))
        return render(request, "tenants/people/invitation.html", {"invitation": invitation})
    if account_exists(invitation.email):
        messages.info(request, _("You already have an account: sign in to accept the invitation to %(client)s.")
                      % {"client": client.name})
        return HttpResponseRedirect(
            public_url(request, settings.LOGIN_URL) + "?next=" + quote(request.get_full_path()))
    form = JoinForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept_new_person(
                invitation=invitation, full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"], actor=Actor.from_request(request),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            login(request, user, backend="tenants.auth.AccountBackend")
            now = int(time.time())
            request.session["kb_signed_in_at"] = now
            request.session["kb_seen_at"] = now
            messages.success(request, _("Welcome to %(client)s.") % {"client": client.name})
            return HttpResponseRedirect(client.url(request))
    return render(request, "tenants/people/invitation.html", {"invitation": invitation, "form": form})
