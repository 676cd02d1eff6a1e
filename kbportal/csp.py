"""Security headers on every response, error responses included: a strict
Content-Security-Policy (no inline script, no plugins, no framing; the second wall behind the
Markdown sanitiser), a Permissions-Policy that turns off the browser features the product never
uses, and X-Frame-Options.

Images come from our own origin only, so that an article cannot embed a remote "tracking pixel"
that tells a third party which agent read which procedure when. Other image origins are an
explicit allow-list: `KB_IMG_SRC_ALLOW` (settings, for every tenant) plus a tenant's own
`Client.image_sources`.

The middleware stands first in MIDDLEWARE, so that the answers Django gives before any view
(a 400 for a host that is not ours) carry the headers too."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError

from tenants.image_sources import parse_image_sources

# Features the product never uses, off for the page and anything it embeds. Only names
# Chromium and Firefox know (an unknown one is a console error). clipboard-write (the copy
# button of a step) and publickey-credentials-get (passkeys) keep their default, 'self'.
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "autoplay", "bluetooth", "camera", "display-capture", "encrypted-media", "geolocation",
    "gyroscope", "hid", "idle-detection", "magnetometer", "microphone", "midi", "payment", "picture-in-picture",
    "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
))

def site_image_sources() -> list[str]:
    """`KB_IMG_SRC_ALLOW`, checked: a wrong entry stops the start, it is never ignored."""
    try:
        return parse_image_sources(" ".join(getattr(settings, "KB_IMG_SRC_ALLOW", [])))
    except ValidationError as error:
        raise ImproperlyConfigured(f"KB_IMG_SRC_ALLOW: {error.messages[0]}") from error


def build_policy(image_sources: list[str] = ()) -> str:
    base = settings.KB_BASE_DOMAIN
    # Forms may post (and redirect after posting) to the public site and tenant subdomains.
    sites = f"{base}:* *.{base}:*"
    images = " ".join(["'self'", *dict.fromkeys(image_sources)])
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {images}",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            f"form-action 'self' {sites}",
        ]
    )


def _tenant_image_sources(request) -> list[str]:
    tenant = getattr(request, "tenant", None)
    text = getattr(tenant, "image_sources", "")
    if not text:
        return []
    try:
        return parse_image_sources(text)
    except ValidationError:  # saved before a stricter rule: leave it out rather than widen
        return []


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.site_sources = site_image_sources()
        self.policy = build_policy(self.site_sources)

    def __call__(self, request):
        response = self.get_response(request)
        tenant_sources = _tenant_image_sources(request)
        policy = build_policy(self.site_sources + tenant_sources) if tenant_sources else self.policy
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if not getattr(response, "xframe_options_exempt", False):
            response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return response
