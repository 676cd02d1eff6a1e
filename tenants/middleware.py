"""Request plumbing: health, tenant routing, session lifetime, language, tenant access."""

from __future__ import annotations

import time
import zoneinfo
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponseRedirect
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import get_public_schema_name

from audit import services as audit
from audit.models import Action, AuditEvent
from audit.services import Actor

from .api_auth import api_error, api_unauthorized, is_api_request
from .models import Client, public_url
from .selectors import workspace_access
from .services.sessions import session_seen

# Paths a tenant host serves to anyone: health, static files, the language switch.
OPEN_PATH_PREFIXES = ("/healthz", "/static/", "/i18n/", "/favicon.ico")


# The longest address the sign-in page is asked to come back to. A longer one (a query of
# thousands of characters) is dropped for the page's bare path, or for nothing: a redirect
# Django refuses (DisallowedRedirect) would answer 400 instead of the sign-in page.
MAX_NEXT_LENGTH = 2000


def sign_in_redirect(request) -> HttpResponseRedirect:
    """To the public sign-in page, coming back to this address afterwards when it is short
    enough to carry."""
    url = public_url(request, settings.LOGIN_URL)
    for back in (request.build_absolute_uri(), request.build_absolute_uri(request.path)):
        back = quote(back)
        if len(back) <= MAX_NEXT_LENGTH:
            return HttpResponseRedirect(f"{url}?next={back}")
    return HttpResponseRedirect(url)


class HealthCheckMiddleware:
    """`GET /healthz` on any host, before tenant routing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            from kbportal.health import healthz

            return healthz(request)
        return self.get_response(request)


class KbTenantMiddleware(TenantMainMiddleware):
    """django-tenants routing; the base domain (and bare loopback names) are the public site."""

    def process_request(self, request):
        # A host outside ALLOWED_HOSTS raises DisallowedHost, answered by the product's 400 page
        # (handler400), where django-tenants would answer an empty 404.
        request.get_host()
        return super().process_request(request)

    def get_tenant(self, domain_model, hostname):
        if hostname in (settings.KB_BASE_DOMAIN, "127.0.0.1", "localhost"):
            return Client.objects.get(schema_name=get_public_schema_name())
        return super().get_tenant(domain_model, hostname)


class SessionLifetimeMiddleware:
    """Ends a session after SESSION_IDLE_SECONDS without a request, and in any case
    SESSION_MAX_AGE_SECONDS after sign-in. API-token requests have no session (see
    tenants.api_auth) and are left alone; an expired session on the JSON API answers 401."""

    TOUCH_EVERY = 60  # seconds; avoid a session write on every request

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(request, "api_token", None) is None and request.user.is_authenticated:
            now = int(time.time())
            started = request.session.get("kb_signed_in_at", now)
            seen = request.session.get("kb_seen_at", now)
            if now - seen > settings.SESSION_IDLE_SECONDS or now - started > settings.SESSION_MAX_AGE_SECONDS:
                logout(request)
                if is_api_request(request):
                    return api_unauthorized()
                messages.info(request, _("Your session has expired. Please sign in again."))
                return sign_in_redirect(request)
            request.session.setdefault("kb_signed_in_at", now)
            if now - seen >= self.TOUCH_EVERY or "kb_seen_at" not in request.session:
                request.session["kb_seen_at"] = now
            session_seen(request, now)  # the person's list of sessions, every few minutes at most
        return self.get_response(request)


class UserLanguageMiddleware:
    """A signed-in person's saved language wins over the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = getattr(request.user, "language", "")
        if not language:
            return self.get_response(request)
        request.LANGUAGE_CODE = language
        # For this request only: the thread serves other people next.
        with translation.override(language):
            response = self.get_response(request)
        response["Content-Language"] = language  # what the body speaks, whatever the browser asked
        return response


class UserTimeZoneMiddleware:
    """Times are shown in the signed-in person's time zone (`time_zone` on the person, when
    set and known), else in the site's (settings.TIME_ZONE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = _time_zone(getattr(request.user, "time_zone", "") or "")
        if zone is None:
            timezone.deactivate()
            return self.get_response(request)
        timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()  # the thread serves other people next


def _time_zone(name: str) -> zoneinfo.ZoneInfo | None:
    if not isinstance(name, str) or not name.strip():
        return None
    try:
        return zoneinfo.ZoneInfo(name.strip())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None  # a name this machine does not know: the site's zone rather than a 500


class TenantAccessMiddleware:
    """On a tenant host, nobody but a member (or an engaged provider's person) gets anything:
    anonymous people are sent to sign in, signed-in non-members get a 404. Sets
    `request.workspace` (a WorkspaceAccess) for every view of the tenant site.

    On the JSON API (`/api/`), the same answers are JSON: 401 for anonymous requests, 404 for
    people (signed in or with an API token) who have no access to the tenant. The sign-in
    audit event is recorded once per session and tenant; for API tokens, which have no
    session, once per token, tenant and day (UTC), with the token's prefix."""

    TOKEN_AUDIT_SECONDS = 25 * 60 * 60  # the day's key outlives the day

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.workspace = None
        tenant = getattr(request, "tenant", None)
        if tenant is None or tenant.schema_name == get_public_schema_name():
            return self.get_response(request)
        if request.path.startswith(OPEN_PATH_PREFIXES):
            return self.get_response(request)
        api = is_api_request(request)
        if not request.user.is_authenticated:
            if api:
                return api_unauthorized()
            return sign_in_redirect(request)
        access = self.workspace_access(request, tenant)
        if access is None:
            if api:
                return api_error(404, "not_found", _("No such workspace."))
            raise Http404(_("No such workspace."))
        request.workspace = access
        # request.tenant: the access layer may have found the host to name another tenant now.
        assert connection.schema_name == request.tenant.schema_name
        self._audit_sign_in(request, access)
        return self.get_response(request)

    def workspace_access(self, request, tenant):
        """The person's access (permissions.access_cache reuses it between requests)."""
        return workspace_access(request.user, tenant)

    def _audit_sign_in(self, request, access) -> None:
        detail = {"role": access.role or access.provider_role}
        token = getattr(request, "api_token", None)
        if token is not None:
            self._audit_token_use(request, token, detail)
            return
        signed_in_flag = f"kb_sign_in_audited:{request.tenant.schema_name}"  # once per session and tenant
        if not request.session.get(signed_in_flag):
            request.session[signed_in_flag] = True
            audit.record(Action.SIGN_IN, actor=Actor.from_request(request), detail=detail)

    def _audit_token_use(self, request, token, detail: dict) -> None:
        """Once per token, tenant and day: the cache answers almost every request (its keys
        carry the schema, django-tenants' KEY_FUNCTION); when it does not know, the log does."""
        now = timezone.now()
        key = f"api-token-sign-in:{token.token_hash[:40]}:{now.date().isoformat()}"
        if not cache.add(key, True, timeout=self.TOKEN_AUDIT_SECONDS):
            return
        label = f"kbp_{token.prefix}"
        start_of_day = now.replace(hour=0, minute=0, second=0, microsecond=0)
        if not AuditEvent.objects.filter(action=Action.SIGN_IN, actor_id=token.user_id, at__gte=start_of_day,
                                         detail__token=label).exists():
            audit.record(Action.SIGN_IN, actor=Actor.from_request(request), detail={**detail, "via": "api-token", "token": label})


class NoStoreMiddleware:
    """`Cache-Control: private, no-store` on everything a tenant host answers and on whatever
    the public site answers a signed-in person (workspaces, profile, a new API token): no shared
    proxy and no browser cache of a shared call-centre workstation keeps a page of procedures,
    confidential ones included. Stands outside TenantAccessMiddleware, so its 404s are covered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        tenant = getattr(request, "tenant", None)
        on_tenant = tenant is not None and tenant.schema_name != get_public_schema_name()
        if on_tenant or signed_in or request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
