"""What the person's own two-factor pages show: their own devices, nobody else's."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

RECOVERY_DEVICE_NAME = "recovery"  # the django-otp static device that holds a person's recovery codes


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
        recovery_codes_left=StaticToken.objects.filter(device__user=user, device__name=RECOVERY_DEVICE_NAME).count(),
    )


def has_passkey(user: AbstractBaseUser) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def pending_app_for_user(user: AbstractBaseUser, device_id: int | None) -> TOTPDevice | None:
    """The person's own app being set up (unconfirmed), or None."""
    if device_id is None:
        return None
    return TOTPDevice.objects.filter(user=user, pk=device_id, confirmed=False).first()
