"""The person's profile on the public site: who they are (name, language, time zone), their
password, their open sessions, and their personal API tokens.

A token is created here and its plaintext shown once, in the answer to the POST that created
it (never stored, never put in the session, never shown again); the page is not cached. A
token is personal and spans tenants, so creating and revoking it is logged (tenants.services.tokens)
rather than written to a tenant's audit log; its use in a tenant is audited there (see
tenants.middleware.TenantAccessMiddleware).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .forms_profile import ApiTokenForm, PasswordChangeForm, ProfileForm
from .models import ApiToken
from .selectors import get_own_api_token, tokens_for_user, workspaces_for_user
from .services import passwords, sessions
from .services.tokens import MAX_ACTIVE_TOKENS, token_create, token_revoke


@login_required
def profile(request):
    """GET shows the page; POST creates a token (`action=create`) or revokes one
    (`action=revoke`, `token=<id>`)."""
    if request.method == "POST" and request.POST.get("action") == "revoke":
        return _revoke(request)
    if request.method == "POST":
        return _create(request)
    return _page(request, ApiTokenForm())


def _page(request, form: ApiTokenForm, *, new_token: str = "", created: ApiToken | None = None, status: int = 200,
          profile_form: ProfileForm | None = None):
    response = render(request, "tenants/profile.html", {
        "form": form,
        "profile_form": profile_form or _profile_form(request),
        "tokens": tokens_for_user(request.user),
        "new_token": new_token,
        "created": created,
        "max_tokens": MAX_ACTIVE_TOKENS,
        **_examples(request),
    }, status=status)
    add_never_cache_headers(response)  # the page may hold a token's plaintext
    return response


def _examples(request) -> dict:
    """The API addresses of the person's first workspace, for the usage example."""
    client = workspaces_for_user(request.user).first()
    if client is None:
        return {}
    return {"example_url": client.url(request, "/api/v1/search?q=refund"),
            "schema_url": client.url(request, "/api/v1/schema")}


def _create(request):
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        token, plaintext = token_create(user=request.user, name=form.cleaned_data["name"])
    except ValidationError as error:
        by_field = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for field, errors in by_field.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
        return _page(request, form, status=400)
    return _page(request, ApiTokenForm(), new_token=plaintext, created=token)


def _revoke(request):
    pk = request.POST.get("token", "")
    if not re.fullmatch(r"[0-9]{1,18}", pk):
        raise Http404
    token = get_own_api_token(request.user, int(pk))
    token_revoke(token=token, acting_user=request.user)
    messages.success(request, _("Token “%(name)s” revoked: it no longer works.") % {"name": token.name})
    return redirect("profile")


# --- Name, language, time zone; password; sessions -----------------------------------------


def _profile_form(request, data=None) -> ProfileForm:
    user = request.user
    return ProfileForm(data, current_time_zone=user.time_zone,
                       initial={"full_name": user.full_name, "language": user.language, "time_zone": user.time_zone})


@login_required
@require_POST
def details(request):
    form = _profile_form(request, request.POST)
    if form.is_valid():
        try:
            passwords.profile_update(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your profile was saved."))
            response = redirect("profile")
            if request.user.language:  # the language cookie follows, as with the switch
                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, request.user.language, max_age=365 * 24 * 3600,
                                    domain=settings.LANGUAGE_COOKIE_DOMAIN, samesite="Lax",
                                    secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False))
            return response
    return _page(request, ApiTokenForm(), profile_form=form, status=400)


def _add_errors(form, error: ValidationError) -> None:
    by_field = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, errors in by_field.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            ended = passwords.password_change(
                user=request.user, old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"], keep_session=request.session.session_key)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            before = request.session.session_key
            update_session_auth_hash(request, request.user)  # this session stays signed in, under a new key
            sessions.session_rekeyed(before, request.session.session_key)
            messages.success(request, ngettext(
                "Your password was changed. %(count)s other session was signed out.",
                "Your password was changed. %(count)s other sessions were signed out.", ended) % {"count": ended})
            return redirect("profile")
    response = render(request, "tenants/profile/password_change.html", {"form": form},
                      status=400 if request.method == "POST" else 200)
    add_never_cache_headers(response)
    return response


@login_required
def session_list(request):
    current = request.session.session_key
    rows = [{"row": row, "device": sessions.describe_user_agent(row.user_agent), "current": row.session_key == current}
            for row in sessions.active_sessions(request.user)]
    return render(request, "tenants/profile/sessions.html", {
        "sessions": rows, "others": sum(1 for item in rows if not item["current"])})


@login_required
@require_POST
def sessions_end_others(request):
    ended = sessions.end_sessions(request.user, keep=request.session.session_key)
    messages.success(request, ngettext("%(count)s other session was signed out.",
                                       "%(count)s other sessions were signed out.", ended) % {"count": ended})
    return redirect("profile-sessions")


@login_required
@require_POST
def session_end(request, pk: int):
    if not sessions.end_one_session(request.user, pk, keep=request.session.session_key):
        raise Http404
    messages.success(request, _("That session was signed out."))
    return redirect("profile-sessions")
