"""The other sites a tenant's articles may show images from: an allow-list of https origins,
checked so that nothing can widen the Content-Security-Policy built from it (kbportal/csp.py)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# An image origin: https, a host name (optionally "*." in front), an optional port. Nothing a
# policy could be widened with ('unsafe-inline', "*", "https:", ";", quotes, paths).
_ORIGIN_RE = re.compile(r"https://(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:[0-9]{1,5})?")


def parse_image_sources(text: str) -> list[str]:
    """The origins of an allow-list (one per line or separated by spaces); ValidationError
    naming the first entry that is not an https origin."""
    origins = []
    for entry in (text or "").split():
        origin = entry.lower().rstrip("/")
        if not _ORIGIN_RE.fullmatch(origin):
            raise ValidationError(
                _("“%(entry)s” is not an image origin: write https:// and a host name, such as "
                  "https://images.example.com (or https://*.example.com for its subdomains)."),
                code="invalid_origin", params={"entry": entry[:100]})
        if origin not in origins:
            origins.append(origin)
    return origins


def validate_image_sources(text: str) -> None:
    parse_image_sources(text)
