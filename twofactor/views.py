"""The person's own two-factor pages on the public site: set-up (an authenticator app with a
QR code, passkeys, recovery codes shown once) and the second step of signing in."""

from __future__ import annotations

import base64
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp_webauthn.views import CompleteCredentialAuthenticationView

from tenants.redirects import safe_next

from . import selectors, services
from .forms import AppCodeForm, CodeForm

SETUP_SESSION_KEY = "kb_totp_setup"


def _next(request) -> str:
    return safe_next(request, request.POST.get("next", request.GET.get("next")), default="")


def _may_change(request) -> bool:
    """Adding or removing a factor needs this session verified, unless the person has none yet
    (someone who only has the password must not add an app of their own)."""
    return services.is_verified(request) or not services.has_device(request.user)


def _to_verify(request):
    return redirect(f"{reverse('two-factor-verify')}?{urlencode({'next': request.path})}")


def _webauthn_config(request) -> dict:
    """What django_otp_webauthn's scripts read; the second step completes through our view."""
    return {
        "autocompleteLoginFieldSelector": None,
        "nextFieldSelector": "input[name='next']",
        "csrfToken": get_token(request),
        "beginAuthenticationUrl": reverse("otp_webauthn:credential-authentication-begin"),
        "completeAuthenticationUrl": reverse("two-factor-passkey-verify"),
        "beginRegistrationUrl": reverse("otp_webauthn:credential-registration-begin"),
        "completeRegistrationUrl": reverse("otp_webauthn:credential-registration-complete"),
    }


def _no_store(response):
    add_never_cache_headers(response)
    return response


@login_required
def overview(request):
    return _no_store(render(request, "twofactor/overview.html", {
        "overview": selectors.overview_for_user(request.user),
        "verified": services.is_verified(request),
        "method": request.session.get(services.VERIFIED_SESSION_KEY, ""),
        "may_change": _may_change(request),
        "next": _next(request),
        "webauthn_config": _webauthn_config(request),
    }))


@login_required
def app_setup(request):
    if not _may_change(request):
        return _to_verify(request)
    device = selectors.pending_app_for_user(request.user, request.session.get(SETUP_SESSION_KEY))
    form = AppCodeForm(request.POST or None, initial={"next": _next(request)})
    if request.method == "POST" and device is not None and form.is_valid():
        codes = services.totp_confirm(request, device=device, token=form.cleaned_data["code"])
        if codes is not None:
            request.session.pop(SETUP_SESSION_KEY, None)
            if codes:
                return _codes_page(request, codes)
            messages.success(request, _("Your authenticator app is set up."))
            return HttpResponseRedirect(_next(request) or "../")
        form.add_error("code", _("That code does not match. Check the app shows kbportal and try the current code."))
    if device is None:
        device = services.totp_start(request.user)
        request.session[SETUP_SESSION_KEY] = device.pk
    secret = base64.b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m")
    return _no_store(render(request, "twofactor/app_setup.html", {
        "form": form,
        "qr_svg": mark_safe(qr.svg_inline(scale=5, title=_("QR code to scan with your app"))),  # noqa: S308 - segno's own SVG
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "next": _next(request),
    }, status=400 if form.errors else 200))


def _codes_page(request, codes: list[str]):
    """The codes, in the answer to the POST that made them: never stored in the session nor shown again."""
    return _no_store(render(request, "twofactor/recovery_codes.html", {"codes": codes, "next": _next(request)}))


@login_required
@require_POST
def recovery_codes(request):
    if not _may_change(request) or not selectors.overview_for_user(request.user).enabled:
        return _to_verify(request)
    return _codes_page(request, services.recovery_codes_issue(request.user))


@login_required
@require_POST
def turn_off(request):
    if not services.is_verified(request):
        return _to_verify(request)
    services.devices_remove(request.user)
    request.session.pop(services.VERIFIED_SESSION_KEY, None)
    messages.success(request, _("Two-factor authentication is off. Workspaces that require it will ask you to set it up again."))
    return redirect("two-factor")


@login_required
def verify(request):
    """The second step of signing in (or of entering a workspace that requires it)."""
    form = CodeForm(request.POST or None, initial={"next": _next(request)})
    if request.method == "POST" and form.is_valid():
        if services.verify(request, request.user, form.cleaned_data["code"]):
            return HttpResponseRedirect(_next(request) or "/")
        form.add_error("code", _("That code does not work. Enter the code your app shows now, or an unused recovery code."))
    return _no_store(render(request, "twofactor/verify.html", {
        "form": form, "has_device": services.has_device(request.user),
        "has_passkey": selectors.has_passkey(request.user), "next": _next(request),
        "webauthn_config": _webauthn_config(request),
    }, status=400 if form.errors else 200))


class PasskeyVerifyView(CompleteCredentialAuthenticationView):
    """django_otp_webauthn's second step with a passkey; back to any page of ours (`next`,
    tenants.redirects), and the session marked as verified by passkey."""

    def complete_auth(self, device):
        user = super().complete_auth(device)
        services.mark_verified(self.request, "passkey")
        return user

    def get_redirect_url(self):
        return safe_next(self.request, self.request.GET.get("next"), default="")
