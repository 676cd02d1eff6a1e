"""The forgotten-password pages (public site, for anyone): ask for a link, then set a new
password from it.

Asking answers the same page, after the same time, for any address (tenants.services.passwords).
The link's token is moved out of the address into the session on the first visit (as Django's
own reset view does), so that it never reaches another site in a Referer header or stays in the
page's address while the person types.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .forms_profile import PasswordResetRequestForm, SetPasswordForm
from .models import SiteAddress, public_url
from .services import passwords

TOKEN_SESSION_KEY = "kb_password_reset_token"  # noqa: S105 - the name of a session key, not a secret
SET_PASSWORD = "set-password"  # noqa: S105 - stands for the token in the address once it is in the session


def password_reset(request):
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        passwords.password_reset_request(email=form.cleaned_data["email"], site=SiteAddress.from_request(request),
                                         language=get_language())
        return redirect("password-reset-sent")
    return render(request, "tenants/password/reset_request.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def password_reset_sent(request):
    return render(request, "tenants/password/reset_sent.html",
                  {"hours": settings.PASSWORD_RESET_TIMEOUT // 3600})


def _invalid_link(request):
    return render(request, "tenants/password/reset_invalid.html", status=410)


def password_reset_confirm(request, uidb64: str, token: str):
    if token != SET_PASSWORD:
        if passwords.user_for_reset_link(uidb64, token) is None:
            return _invalid_link(request)
        request.session[TOKEN_SESSION_KEY] = token
        return HttpResponseRedirect(request.path.replace(token, SET_PASSWORD))
    user = passwords.user_for_reset_link(uidb64, request.session.get(TOKEN_SESSION_KEY, ""))
    if user is None:
        return _invalid_link(request)
    form = SetPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            passwords.password_reset_complete(user=user, password=form.cleaned_data["new_password1"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error("new_password1", message)
        else:
            request.session.pop(TOKEN_SESSION_KEY, None)
            messages.success(request, _("Your new password is set. Sign in with it."))
            return HttpResponseRedirect(public_url(request, settings.LOGIN_URL))
    response = render(request, "tenants/password/reset_confirm.html", {"form": form, "person": user},
                      status=400 if request.method == "POST" else 200)
    add_never_cache_headers(response)
    return response
