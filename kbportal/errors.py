"""The product's own error pages (handler400/403/404/500 of both URLconfs, and CSRF failures).

Django's technical pages are never served: the demo and production run with DEBUG off, and
these handlers answer instead, in the person's language.

- 404 and 403 render in the full shell (header, workspace switcher) when they can, and say
  who to ask: the workspace's admins, named only to someone with access to the workspace, and
  the way back (the lookup for provider people, the home page for client staff, the list of
  workspaces for anyone else).
- 400 and 500 render a static shell with no request context: nothing that could fail again
  (no database, no session, no host header - a 400 may be a DisallowedHost).
A page that cannot render in the full shell falls back to the static one.
"""

from __future__ import annotations

import logging

from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template import loader
from django.urls import reverse

from tenants.selectors import workspace_admin_names

logger = logging.getLogger(__name__)


# The last resort, should even the static shell fail (a static file missing from the manifest).
BARE = ("<!doctype html><title>kbportal</title><h1>kbportal</h1>"
        "<p>Something went wrong. Please try again in a moment. / Une erreur est survenue. Réessayez dans un instant.</p>")


def _static(template: str, response_class, context: dict | None = None) -> HttpResponse:
    """A page rendered without the request: no context processor, no database."""
    try:
        return response_class(loader.get_template(template).render(context or {}))
    except Exception:  # noqa: BLE001 - an error page must answer
        logger.exception("The static %s page could not render", template)
        return response_class(BARE)


def _with_shell(request, template: str, response_class, context: dict) -> HttpResponse:
    try:
        return response_class(loader.render_to_string(template, context, request=request))
    except Exception:  # noqa: BLE001 - an error page must answer whatever broke the shell
        logger.exception("The %s page could not render in the shell; serving the static one", template)
        return _static(template, response_class, {**context, "static_shell": True})


def _who_to_ask(request) -> dict:
    """The way back and whom to ask, from what the person has in this workspace (nothing of
    the workspace for someone without access)."""
    access = getattr(request, "workspace", None)
    if access is None:
        return {"member": False}
    try:
        admins = workspace_admin_names(access.client)
    except Exception:  # noqa: BLE001 - the names are a help, the page must answer without them
        logger.exception("Could not list the workspace's admins for the error page")
        admins = []
    return {
        "member": True,
        "provider": access.is_provider,
        "admins": admins,
        "back_url": reverse("search:lookup") if access.is_provider else "/",
    }


def page_not_found(request, exception=None) -> HttpResponse:
    return _with_shell(request, "404.html", HttpResponseNotFound, _who_to_ask(request))


def permission_denied(request, exception=None) -> HttpResponse:
    return _with_shell(request, "403.html", HttpResponseForbidden, _who_to_ask(request))


def bad_request(request, exception=None) -> HttpResponse:
    return _static("400.html", HttpResponseBadRequest)


def server_error(request) -> HttpResponse:
    return _static("500.html", HttpResponseServerError)


def csrf_failure(request, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the form was too old or sent from elsewhere."""
    return _static("403_csrf.html", HttpResponseForbidden)
