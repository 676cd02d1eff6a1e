"""Where a `next` parameter may send people: a path on this host, or a page of one of our own
hosts (the public site or an existing tenant domain) on the port being served. Nothing else.

The target is parsed, never compared by string prefix: its host name must be exactly the base
domain or a domain of the `Domain` table, with no user name or password in front of it (in
`http://acme.kb.localhost:8000@evil.com/` the host is `evil.com`), the same port as the
request, and Django's `url_has_allowed_host_and_scheme` must accept it (schemes, `//`,
backslashes, control characters), percent-decoded too."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.http.request import split_domain_port
from django.utils.http import url_has_allowed_host_and_scheme

DEFAULT_PORTS = {"http": "80", "https": "443"}


def _is_our_host(hostname: str) -> bool:
    from .models import Domain

    return hostname == settings.KB_BASE_DOMAIN or Domain.objects.filter(domain=hostname).exists()


def _own_netloc(request, target: str) -> str | None:
    """The netloc of an absolute `target` on one of our hosts and the request's port, or None."""
    try:
        parts = urlsplit(target)
        port = parts.port
    except ValueError:  # a port that is no number, a bad IPv6 literal
        return None
    if not parts.netloc or parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return None
    hostname = parts.hostname or ""
    if not hostname.isascii() or not _is_our_host(hostname):
        return None
    _, served_port = split_domain_port(request.get_host())
    served = served_port or DEFAULT_PORTS["https" if request.is_secure() else "http"]
    wanted = str(port) if port is not None else DEFAULT_PORTS.get(parts.scheme.lower())
    return parts.netloc if wanted == served else None


def safe_next(request, target: str | None, default: str = "/") -> str:
    """`target` if it is a page of ours (see the module), else `default`."""
    target = (target or "").strip()
    if not target:
        return default
    if not target.startswith("/") and "://" not in target:
        return default  # "evil.com", "https:evil.com", "%2F%2Fevil.com": nothing of ours
    allowed = {request.get_host()}
    own = _own_netloc(request, target)
    if own is not None:
        allowed.add(own)
    secure = request.is_secure()
    for candidate in (target, unquote(target)):
        if not url_has_allowed_host_and_scheme(candidate, allowed_hosts=allowed, require_https=secure):
            return default
    return target
