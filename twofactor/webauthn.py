"""django_otp_webauthn's helper, told our relying party: the base domain (passkeys are scoped to
it and its subdomains), and the origin the ceremony is served from (the public site, on the
scheme and port being served)."""

from __future__ import annotations

from django.conf import settings
from django_otp_webauthn.helpers import WebAuthnHelper


class Helper(WebAuthnHelper):
    def get_allowed_origins(self) -> list[str]:
        scheme = "https" if self.request.is_secure() else "http"
        return [f"{scheme}://{self.request.get_host()}"]


def rp_id(request) -> str:
    return settings.KB_BASE_DOMAIN


def rp_name(request) -> str:
    return "kbportal"
