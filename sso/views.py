"""Sign in with your organisation: the e-mail-first step and the return from the identity provider."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tenants.addresses import public_url
from tenants.redirects import safe_next

from . import oidc, saml
from .discovery import domain_of, identity_provider_for
from .forms import OrganisationEmailForm
from .models import IdentityProvider, Protocol
from .selectors import PENDING_KEY, get_pending_identity_provider
from .services import SsoRefused, account_for_claims

log = logging.getLogger(__name__)

BACKEND = "tenants.auth.AccountBackend"


@require_http_methods(["GET", "POST"])
def start(request):
    """Ask the work e-mail address; send its organisation's people to their identity provider,
    everyone else to the password sign-in with the address filled in."""
    initial = {"email": request.GET.get("email", ""), "next": request.GET.get("next", "")}
    form = OrganisationEmailForm(request.POST or None, initial=initial)
    required = request.GET.get("required") == "1"
    if request.method == "POST" and form.is_valid():
        email, target = form.cleaned_data["email"].lower(), form.cleaned_data["next"]
        identity_provider = identity_provider_for(email)
        if identity_provider is None:
            messages.info(request, _("%(domain)s does not use single sign-on here: sign in with your password.")
                          % {"domain": domain_of(email)})
            query = {"next": target} if target else {}
            return HttpResponseRedirect(f"{reverse('sign-in')}?{urlencode(query)}" if query else reverse("sign-in"))
        pending: dict = {"identity_provider": identity_provider.pk, "next": target}
        try:
            url = _authorization_url(request, identity_provider, email, pending)
        except oidc.SsoError as error:
            log.warning("single sign-on of %s could not start: %s", identity_provider, error)
            return failed(request, status=502)
        request.session[PENDING_KEY] = pending
        # A page that moves on by itself, not a redirect: the browser checks a form's redirects
        # against the page's CSP form-action, which names only our own hosts.
        page = render(request, "sso/redirect.html", {"authorize_url": url,
                                                     "organisation": identity_provider.organisation})
        page["Refresh"] = f"0; url={url}"
        return page
    return render(request, "sso/start.html", {"form": form, "required": required})


def _authorization_url(request, identity_provider: IdentityProvider, email: str, pending: dict) -> str:
    """Where the person signs in at their identity provider, by the organisation's protocol."""
    if identity_provider.protocol == Protocol.SAML:
        url, request_id = saml.redirect_url(request, identity_provider, service_provider(request))
        pending["saml_request_id"] = request_id  # the InResponseTo the response must carry, once
        return url
    response = oidc.redirect_to_provider(request, identity_provider, public_url(request, reverse("sso:callback")),
                                         login_hint=email)
    return response["Location"]


def service_provider(request) -> dict[str, str]:
    """Our SAML service provider, named from the site: its entity ID is its metadata's URL."""
    return {"entity_id": public_url(request, reverse("sso:saml-metadata")),
            "acs_url": public_url(request, reverse("sso:saml-acs"))}


@require_http_methods(["GET"])
def callback(request):
    """The identity provider sends the person back here with a code (or an error)."""
    identity_provider = get_pending_identity_provider(request.session)
    if identity_provider is None or identity_provider.protocol != Protocol.OIDC:
        return failed(request, status=400)
    target = (request.session.get(PENDING_KEY) or {}).get("next", "")
    try:
        claims = oidc.claims_from_callback(request, identity_provider)
        user = account_for_claims(identity_provider=identity_provider, claims=claims)
    except oidc.SsoError as error:
        log.warning("single sign-on with %s refused: %s", identity_provider, error)
        return failed(request, status=400)
    except SsoRefused as refusal:
        return failed(request, status=403, message=refusal.message)
    return sign_in(request, user, target, second_factor=oidc.multi_factor(claims))


def sign_in(request, user, target: str, *, second_factor: bool):
    """The person the identity provider vouched for is signed in, as the OpenID Connect and the
    SAML paths both end."""
    request.session.pop(PENDING_KEY, None)
    login(request, user, backend=BACKEND)  # a new session key
    now = int(time.time())
    request.session.update({"kb_signed_in_at": now, "kb_seen_at": now, "kb_auth_method": "sso"})
    if second_factor:  # the organisation's provider checked a second factor
        request.session["kb_second_factor"] = "sso"
    return HttpResponseRedirect(safe_next(request, target, default=settings.LOGIN_REDIRECT_URL))


def failed(request, *, status: int, message: str = ""):
    return render(request, "sso/failed.html", {"message": message}, status=status)
