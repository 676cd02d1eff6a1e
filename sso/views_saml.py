"""SAML 2.0: the assertion consumer service the identity provider posts its Response to, and our
service provider metadata. The sign-in starts at the e-mail step (sso.views.start)."""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import saml
from .models import Protocol
from .oidc import SsoError
from .selectors import PENDING_KEY, get_pending_identity_provider
from .services import SsoRefused, account_for_claims
from .views import failed, service_provider, sign_in

log = logging.getLogger(__name__)

BASE64 = re.compile(r"[A-Za-z0-9+/=\r\n]+")
MAX_RESPONSE = 256 * 1024


@csrf_exempt  # the identity provider's page posts here: the Response's signature, audience,
# destination and InResponseTo (the request this browser's session sent, once) are the credential.
@require_POST
def acs(request):
    raw = request.POST.get("SAMLResponse", "")
    if not raw or len(raw) > MAX_RESPONSE or not BASE64.fullmatch(raw):
        return failed(request, status=400)
    if settings.SESSION_COOKIE_NAME not in request.COOKIES and request.POST.get("kb_repost") != "1":
        # Posted across sites, the session cookie (SameSite=Lax) stayed behind: post it again from here.
        return render(request, "sso/saml_repost.html", {"saml_response": raw, "acs_url": reverse("sso:saml-acs")})
    identity_provider = get_pending_identity_provider(request.session)
    pending = request.session.get(PENDING_KEY) or {}
    request_id = pending.pop("saml_request_id", None) if isinstance(pending, dict) else None
    if identity_provider is None or identity_provider.protocol != Protocol.SAML or not isinstance(request_id, str):
        return failed(request, status=400)
    request.session[PENDING_KEY] = pending  # the request's ID answers one response, whatever it says
    try:
        claims = saml.claims_from_response(request, identity_provider, service_provider(request), request_id)
        user = account_for_claims(identity_provider=identity_provider, claims=claims)
    except SsoError as error:
        log.warning("single sign-on with %s refused: %s", identity_provider, error)
        return failed(request, status=400)
    except SsoRefused as refusal:
        return failed(request, status=403, message=refusal.message)
    return sign_in(request, user, pending.get("next", ""), second_factor=False)


@require_GET
def metadata(request):
    """Our service provider metadata: the identity provider's administrator loads it."""
    return HttpResponse(saml.metadata(service_provider(request)), content_type="application/samlmetadata+xml")
