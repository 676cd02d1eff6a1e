"""Second factor, enforced on every host (after the tenant, auth and tenant-access middleware).

1. A person who has a device and gave their password in this session, but not yet a second
   factor, gets nothing but the second step (and signing out).
2. A workspace that requires two-factor authentication (`Client.require_two_factor`) stops
   its members — client staff and provider people alike — whose session has not been
   verified with a second factor: a page that says why and leads to set-up (or to the second
   step), then back. Other workspaces stay open to them. The setting is read from the request's
   tenant, which the access cache reads afresh on the next request after the row changed.
   On the JSON API the answer is a 403 in JSON. An API token (no session) is accepted in such a
   workspace only while its owner has a confirmed second factor: a person without one gets
   `two_factor_required` until they set it up.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from tenants.api_auth import api_error, is_api_request
from tenants.models import public_url

from . import services

# Paths served whatever the second factor: health, static files, the language switch, signing
# out, and the two-factor pages themselves.
OPEN_PREFIXES = ("/healthz", "/static/", "/i18n/", "/favicon.ico", "/accounts/sign-out/",
                 "/accounts/two-factor/")


def verify_url(request) -> str:
    back = quote(request.build_absolute_uri(), safe="")
    return public_url(request, f"/accounts/two-factor/verify/?next={back}")


def setup_url(request) -> str:
    back = quote(request.build_absolute_uri(), safe="")
    return public_url(request, f"/accounts/two-factor/?next={back}")


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(OPEN_PREFIXES):
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        token = getattr(request, "api_token", None)
        if token is None and request.session.get(services.PENDING_SESSION_KEY) and not services.is_verified(request):
            if is_api_request(request):
                return api_error(403, "second_factor_pending",
                                 _("Finish signing in: give your second factor first."))
            return HttpResponseRedirect(verify_url(request))
        tenant = getattr(request, "tenant", None)
        if (tenant is None or tenant.schema_name == get_public_schema_name()
                or not getattr(tenant, "require_two_factor", False) or request.workspace is None):
            return self.get_response(request)
        if token is not None:
            if services.has_device(user):
                return self.get_response(request)
            return api_error(403, "two_factor_required", _(
                "%(client)s requires two-factor authentication: set it up in your profile, then use "
                "this token again.") % {"client": tenant.name})
        if services.is_verified(request):
            return self.get_response(request)
        if is_api_request(request):
            return api_error(403, "two_factor_required", _(
                "%(client)s requires two-factor authentication: sign in with your second factor.")
                % {"client": tenant.name})
        if request.headers.get("HX-Request"):
            return HttpResponse(status=204)  # a partial (the bell's polling) just does not update
        has_device = services.has_device(user)
        return render(request, "twofactor/required.html", {
            "client": tenant, "has_device": has_device,
            "action_url": verify_url(request) if has_device else setup_url(request),
            "workspaces_url": public_url(request, settings.LOGIN_REDIRECT_URL),
        }, status=403)
