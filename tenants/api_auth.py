"""The JSON API's request plumbing: bearer-token authentication and JSON errors.

On a tenant host, every path under `/api/` is the JSON API. A request there is authenticated
either by the shared session (same-origin fetches from the app) or by a personal API token in
`Authorization: Bearer <token>` (CTI and CRM tools). A token request never reads, creates or
touches a session and never sets a cookie: the view runs with a throwaway in-memory session,
and the person's real session (if the tool happens to send the cookie too) is put back
untouched before SessionMiddleware looks at it. Tokens in the query string are refused (URLs
end up in logs and browser history).

Every API answer is JSON, errors included (`{"error": {"code", "message"}}`), and is never
cached (`Cache-Control: private, no-store`).
"""

from __future__ import annotations

from django.contrib.sessions.backends.base import SessionBase
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from .services import token_resolve

API_PREFIX = "/api/"
QUERY_TOKEN_NAMES = ("access_token", "token", "api_token", "key")

# Generic messages for errors that no API view produced (unknown path, CSRF failure, crash).
GENERIC_ERRORS = {
    400: ("bad_request", lambda: _("The request is not valid.")),
    401: ("not_authenticated", lambda: _("Authentication is required.")),
    403: ("forbidden", lambda: _("This request is not allowed.")),
    404: ("not_found", lambda: _("Nothing here, or you do not have access to it.")),
    405: ("method_not_allowed", lambda: _("Only GET is allowed here.")),
}


def is_api_request(request) -> bool:
    """A request for the JSON API: a tenant host, a path under /api/."""
    tenant = getattr(request, "tenant", None)
    return (
        tenant is not None
        and tenant.schema_name != get_public_schema_name()
        and request.path.startswith(API_PREFIX)
    )


def api_error(status: int, code: str, message: str, **headers: str) -> JsonResponse:
    response = JsonResponse({"error": {"code": code, "message": str(message)}}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def api_unauthorized(*, invalid_token: bool = False) -> JsonResponse:
    if invalid_token:
        return api_error(
            401, "invalid_token",
            _("This API token is not valid: it may have been revoked. Create a new one in your profile."),
            WWW_Authenticate='Bearer realm="kbportal", error="invalid_token"',
        )
    return api_error(
        401, "not_authenticated",
        _("Sign in, or send a personal API token in the Authorization header: \"Bearer <token>\"."),
        WWW_Authenticate='Bearer realm="kbportal"',
    )


class TokenRequestSession(SessionBase):
    """The session of a token request: empty, in memory, never loaded nor saved. Whatever the
    middleware below writes into it (sign-in flags, activity times) is dropped."""

    def exists(self, session_key):
        return False

    def create(self):
        self._session_key = None

    def save(self, must_create=False):
        return None

    def delete(self, session_key=None):
        return None

    def load(self):
        return {}

    @classmethod
    def clear_expired(cls):
        return None


class ApiTokenMiddleware:
    """Bearer-token authentication for the JSON API; JSON errors and no caching for every API
    answer. Placed right after AuthenticationMiddleware (it replaces `request.user`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.api_token = None
        if not is_api_request(request):
            return self.get_response(request)
        if any(name in request.GET for name in QUERY_TOKEN_NAMES):
            response = api_error(
                400, "token_in_query",
                _("Send the API token in the Authorization header, never in the address. "
                  "A token that appeared in an address may have been logged: revoke it and create a new one."),
            )
        elif "HTTP_AUTHORIZATION" in request.META:
            response = self._with_token(request, request.META["HTTP_AUTHORIZATION"])
        else:
            response = self.get_response(request)
        return self._finish(request, response)

    def _with_token(self, request, header: str):
        scheme, _space, credentials = header.strip().partition(" ")
        if scheme.lower() != "bearer":
            return api_unauthorized()
        token = token_resolve(credentials.strip())
        if token is None:
            return api_unauthorized(invalid_token=True)
        session = request.session
        request.session = TokenRequestSession()
        request.api_token = token
        request.user = token.user

        async def auser():
            return token.user

        request.auser = auser
        # No cookie authenticates this request, so there is nothing to forge across sites.
        request._dont_enforce_csrf_checks = True
        try:
            return self.get_response(request)
        finally:
            request.session = session

    def _finish(self, request, response):
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith("application/json"):
            code, message = GENERIC_ERRORS.get(response.status_code, ("error", lambda: _("Something went wrong.")))
            replaced = api_error(response.status_code, code, message())
            for header in ("WWW-Authenticate", "Allow"):
                if header in response:
                    replaced[header] = response[header]
            response = replaced
        if request.api_token is not None:
            # An HTML error page may have asked for a CSRF cookie; a token request sets none.
            request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
        response["Cache-Control"] = "private, no-store"
        return response
