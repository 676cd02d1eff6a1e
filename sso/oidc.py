"""OpenID Connect through Authlib: the authorization code flow with PKCE (S256), state and nonce
kept in the session, the ID token validated by Authlib against the identity provider's JWKS
(signature, issuer, audience = our client ID, expiry, nonce).

We only build one Authlib client per identity provider row and per request (so a change in the
admin applies at once), check that the discovery document names the configured issuer, and turn
every failure into `SsoError`, which the view answers with a page, never a 500."""

from __future__ import annotations

import logging
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.django_client import DjangoOAuth2App
from authlib.integrations.django_client.integration import DjangoIntegration
from django.conf import settings
from django.http import HttpResponseRedirect
from joserfc.errors import JoseError

from .models import IdentityProvider

log = logging.getLogger(__name__)

SCOPE = "openid email profile"
# What an `amr` claim (RFC 8176) says when the person proved a second factor at their provider.
MULTI_FACTOR_AMR = frozenset({"mfa", "otp", "hwk", "swk"})


class SsoError(Exception):
    """Single sign-on could not complete; the message is for the log, never for the page."""


def _app(identity_provider: IdentityProvider) -> DjangoOAuth2App:
    name = f"sso-{identity_provider.pk}"
    return DjangoOAuth2App(
        DjangoIntegration(name),
        name=name,
        client_id=identity_provider.oidc_client_id,
        client_secret=identity_provider.oidc_client_secret or None,
        server_metadata_url=identity_provider.metadata_url,
        client_kwargs={
            "scope": SCOPE,
            "code_challenge_method": "S256",
            "default_timeout": settings.KB_SSO_TIMEOUT_SECONDS,
        },
    )


def _checked_metadata(app: DjangoOAuth2App, identity_provider: IdentityProvider) -> None:
    metadata = app.load_server_metadata()
    if metadata.get("issuer", "").rstrip("/") != identity_provider.issuer.rstrip("/"):
        raise SsoError(f"the discovery document names issuer {metadata.get('issuer')!r}, "
                       f"not {identity_provider.issuer!r}")
    # Authlib checks the ID token's issuer against the discovery document's: the one checked above.


def redirect_to_provider(request, identity_provider: IdentityProvider, redirect_uri: str,
                         login_hint: str = "") -> HttpResponseRedirect:
    """The redirect to the identity provider's authorization endpoint (state, nonce and the
    PKCE verifier stored in the session by Authlib)."""
    app = _app(identity_provider)
    try:
        _checked_metadata(app, identity_provider)
        extra = {"login_hint": login_hint} if login_hint else {}
        return app.authorize_redirect(request, redirect_uri, **extra)
    except (requests.RequestException, ValueError, KeyError, RuntimeError, AuthlibBaseError) as error:
        raise SsoError(f"authorization request: {error!r}") from error


def claims_from_callback(request, identity_provider: IdentityProvider) -> dict[str, Any]:
    """The validated ID token's claims for the code and state of this callback request."""
    app = _app(identity_provider)
    try:
        _checked_metadata(app, identity_provider)
        token = app.authorize_access_token(request)
    except (requests.RequestException, ValueError, KeyError, RuntimeError, AuthlibBaseError, JoseError) as error:
        raise SsoError(f"callback: {error!r}") from error
    claims = token.get("userinfo")
    if not claims:  # Authlib validates an ID token only when there is one: we require it
        raise SsoError("the token response has no ID token")
    return dict(claims)


def multi_factor(claims: dict[str, Any]) -> bool:
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    return bool(MULTI_FACTOR_AMR.intersection(str(value) for value in amr))
