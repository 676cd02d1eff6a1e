"""Absolute addresses of the site, for links made where there is no request to copy them from."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from django.conf import settings
from django.http.request import split_domain_port

if TYPE_CHECKING:
    from .models import Client


@dataclasses.dataclass(frozen=True)
class SiteAddress:
    """The scheme and port people reach the site on, for absolute links made where there is no
    request to copy them from (a service writing an e-mail): the view hands its own over."""

    scheme: str = "https"
    port: str = ""

    @classmethod
    def from_request(cls, request) -> SiteAddress:
        _, port = split_domain_port(request.get_host())
        default = "443" if request.is_secure() else "80"
        return cls(scheme=request.scheme, port=port if port and port != default else "")

    @classmethod
    def configured(cls) -> SiteAddress:
        """No request to copy the scheme from: a site whose cookies are https-only is served on https."""
        return cls(scheme="https" if settings.SESSION_COOKIE_SECURE else "http")

    def url(self, host: str, path: str = "/") -> str:
        return f"{self.scheme}://{host}{':' + self.port if self.port else ''}{path}"

    def public(self, path: str = "/") -> str:
        return self.url(settings.KB_BASE_DOMAIN, path)

    def tenant(self, client: Client, path: str = "/") -> str:
        return self.url(client.host, path)


def site_url(request, host: str, path: str = "/") -> str:
    """An absolute URL on another host of the site, keeping the request's scheme and port."""
    return SiteAddress.from_request(request).url(host, path)


def public_url(request, path: str = "/") -> str:
    return site_url(request, settings.KB_BASE_DOMAIN, path)
