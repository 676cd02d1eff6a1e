"""What the person's own two-factor pages show: their own devices, nobody else's."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from . import services


@dataclass(frozen=True)
class Overview:
    apps: int
    passkeys: list
    recovery_codes_left: int

    @property
    def enabled(self) -> bool:
        return bool(self.apps or self.passkeys)


def overview_for_user(user: AbstractBaseUser) -> Overview:
    return Overview(
        apps=TOTPDevice.objects.filter(user=user, confirmed=True).count(),
        passkeys=list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at")),
        recovery_codes_left=services.recovery_codes_left(user),
    )


def has_passkey(user: AbstractBaseUser) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
