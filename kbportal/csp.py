"""A strict Content-Security-Policy on every response: no inline script, no plugins, no
framing. The second wall behind the Markdown sanitiser."""

from __future__ import annotations

from django.conf import settings


def build_policy() -> str:
    base = settings.KB_BASE_DOMAIN
    # Forms may post (and redirect after posting) to the public site and tenant subdomains.
    sites = f"{base}:* *.{base}:*"
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' https: data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            f"form-action 'self' {sites}",
        ]
    )


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = build_policy()

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
