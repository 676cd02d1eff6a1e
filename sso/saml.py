"""SAML 2.0 through python3-saml (OneLogin_Saml2_Auth, signatures checked by xmlsec): an
SP-initiated sign-in, the AuthnRequest sent by the HTTP-Redirect binding, the Response received
on our assertion consumer service by HTTP-POST.

python3-saml in strict mode checks the Response: its signature (or its assertion's) against the
identity provider's certificate, the issuer (the identity provider's entity ID), the audience (our
entity ID), the destination and the subject confirmation's recipient (our ACS URL), NotBefore and
NotOnOrAfter. We add what a library cannot know: the InResponseTo must be the ID of the request
this browser sent (kept in its session, used once), and an assertion is accepted once only
(its ID in the cache until it expires).

We build the settings from the identity provider's row and the site's address on every request
(a change in the admin applies at once), and turn every failure into `oidc.SsoError`."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache import cache
from onelogin.saml2.auth import OneLogin_Saml2_Auth
from onelogin.saml2.constants import OneLogin_Saml2_Constants as Constants
from onelogin.saml2.errors import OneLogin_Saml2_Error
from onelogin.saml2.settings import OneLogin_Saml2_Settings

from .models import IdentityProvider
from .oidc import SsoError

log = logging.getLogger(__name__)

EMAIL_ATTRIBUTES = ("email", "mail", "emailAddress", "urn:oid:0.9.2342.19200300.100.1.3",
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress")
NAME_ATTRIBUTES = ("displayName", "name", "cn", "urn:oid:2.16.840.1.113730.3.1.241",
                   "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name")
USED_ASSERTION = "kb:sso:saml-assertion:{}"


def _settings(sp: dict[str, str], identity_provider: IdentityProvider | None) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "strict": True,
        "debug": False,
        "sp": {
            "entityId": sp["entity_id"],
            "assertionConsumerService": {"url": sp["acs_url"], "binding": Constants.BINDING_HTTP_POST},
            "NameIDFormat": Constants.NAMEID_EMAIL_ADDRESS,
            "x509cert": "",
            "privateKey": "",
        },
        "security": {
            "authnRequestsSigned": False,
            # Either the Response or its assertion must be signed: python3-saml refuses neither.
            "wantMessagesSigned": False,
            "wantAssertionsSigned": False,
            "wantNameId": True,
            "wantAttributeStatement": False,
            "requestedAuthnContext": False,
            "rejectDeprecatedAlgorithm": True,
            "signatureAlgorithm": Constants.RSA_SHA256,
            "digestAlgorithm": Constants.SHA256,
        },
    }
    if identity_provider is not None:
        settings["idp"] = {
            "entityId": identity_provider.saml_entity_id,
            "singleSignOnService": {"url": identity_provider.saml_sso_url,
                                    "binding": Constants.BINDING_HTTP_REDIRECT},
            "x509cert": identity_provider.saml_x509_cert,
        }
    return settings


def _request_data(request, acs_url: str) -> dict[str, Any]:
    """What python3-saml reads of the request. The URL it checks the Destination against is our
    ACS URL as the site names it (the scheme and host people reach us on)."""
    scheme, _, rest = acs_url.partition("://")
    host, _, path = rest.partition("/")
    return {"https": "on" if scheme == "https" else "off", "http_host": host, "script_name": "/" + path,
            "get_data": request.GET.copy(), "post_data": request.POST.copy()}


def _auth(request, identity_provider: IdentityProvider, sp: dict[str, str]) -> OneLogin_Saml2_Auth:
    try:
        return OneLogin_Saml2_Auth(_request_data(request, sp["acs_url"]), _settings(sp, identity_provider))
    except OneLogin_Saml2_Error as error:
        raise SsoError(f"settings: {error!r}") from error


def metadata(sp: dict[str, str]) -> str:
    """Our service provider metadata (entity ID, ACS URL, NameID format), for the identity provider."""
    settings = OneLogin_Saml2_Settings(_settings(sp, None), sp_validation_only=True)
    xml = settings.get_sp_metadata()
    return xml.decode() if isinstance(xml, bytes) else xml


def redirect_url(request, identity_provider: IdentityProvider, sp: dict[str, str]) -> tuple[str, str]:
    """The identity provider's SSO URL with our AuthnRequest (HTTP-Redirect), and the request's ID."""
    auth = _auth(request, identity_provider, sp)
    url = auth.login(return_to=sp["acs_url"])
    return url, auth.get_last_request_id()


def claims_from_response(request, identity_provider: IdentityProvider, sp: dict[str, str],
                         request_id: str) -> dict[str, Any]:
    """The person the posted Response names, as the claims the OpenID Connect path reads
    (`email`, `name`), once python3-saml has validated it for the request `request_id`."""
    auth = _auth(request, identity_provider, sp)
    try:
        auth.process_response(request_id=request_id)
    except Exception as error:  # python3-saml raises on XML it cannot read, of any kind
        raise SsoError(f"response: {error!r}") from error
    if auth.get_errors() or not auth.is_authenticated():
        raise SsoError(f"response refused: {auth.get_errors()} {auth.get_last_error_reason()}")
    # python3-saml checks InResponseTo only when the response has one: an unsolicited one is refused.
    if auth.get_last_message_id() is None or auth.get_last_response_in_response_to() != request_id:
        raise SsoError("the response does not answer the request this browser sent")
    assertion_id = auth.get_last_assertion_id()
    expires = auth.get_last_assertion_not_on_or_after() or int(time.time()) + 300
    if not assertion_id or not cache.add(USED_ASSERTION.format(assertion_id), 1,
                                         timeout=max(60, int(expires - time.time()) + 300)):
        raise SsoError(f"assertion {assertion_id!r} was already used")
    return _claims(auth)


def _first(attributes: dict[str, list[str]], names: tuple[str, ...]) -> str:
    for name in names:
        values = attributes.get(name) or []
        if values and str(values[0]).strip():
            return str(values[0]).strip()
    return ""


def _claims(auth: OneLogin_Saml2_Auth) -> dict[str, Any]:
    attributes = auth.get_attributes() or {}
    name_id = (auth.get_nameid() or "").strip()
    email = _first(attributes, EMAIL_ATTRIBUTES)
    if not email and ("@" in name_id or auth.get_nameid_format() == Constants.NAMEID_EMAIL_ADDRESS):
        email = name_id
    return {"email": email, "name": _first(attributes, NAME_ATTRIBUTES)}
