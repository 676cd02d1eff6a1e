"""Two-factor authentication, on django-otp: TOTP apps (otp_totp), recovery codes (otp_static,
each code deleted when used) and passkeys (django_otp_webauthn).

A session is *verified* when it carries `kb_second_factor` (the method: "totp", "recovery",
"passkey", or "sso" when an identity provider said the sign-in used one). A person who has a
device and has just given their password carries `kb_second_factor_pending` until then
(twofactor.middleware stops them everywhere but the second step)."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django_otp import DEVICE_ID_SESSION_KEY, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .selectors import RECOVERY_DEVICE_NAME

VERIFIED_SESSION_KEY = "kb_second_factor"
PENDING_SESSION_KEY = "kb_second_factor_pending"
RECOVERY_CODES = 10


def has_device(user: AbstractBaseUser) -> bool:
    """A confirmed second factor of any kind (an app, a passkey, recovery codes)."""
    return bool(user.is_authenticated and user_has_device(user, confirmed=True))


def is_verified(request) -> bool:
    """This session passed a second factor. A passkey verified by django_otp_webauthn's own
    view marks django-otp's session key only: it is named here on the first request after."""
    session = getattr(request, "session", None)
    if session is None:
        return False
    if session.get(VERIFIED_SESSION_KEY):
        return True
    if session.get(DEVICE_ID_SESSION_KEY):
        user = getattr(request, "user", None)
        device = getattr(user, "otp_device", None)
        if device is not None:
            mark_verified(request, _method_of(device))
            return True
    return False


def _method_of(device) -> str:
    if isinstance(device, TOTPDevice):
        return "totp"
    if isinstance(device, StaticDevice):
        return "recovery"
    return "passkey"


def mark_verified(request, method: str) -> None:
    request.session[VERIFIED_SESSION_KEY] = method
    request.session.pop(PENDING_SESSION_KEY, None)


def start_second_step(request, user: AbstractBaseUser) -> bool:
    """Right after the password: True when the person must now give a second factor."""
    if has_device(user):
        request.session[PENDING_SESSION_KEY] = True
        return True
    return False


def totp_start(user: AbstractBaseUser) -> TOTPDevice:
    """A new, unconfirmed app for the person (an earlier unconfirmed one is dropped)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="app", confirmed=False)


def totp_confirm(request, *, device: TOTPDevice, token: str) -> list[str] | None:
    """The app is confirmed when it shows the right code; then the session counts as verified
    and the person gets recovery codes (returned, to show once) unless they have some."""
    if not device.verify_token(_digits(token)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    mark_verified(request, "totp")
    has_codes = StaticToken.objects.filter(device__user=device.user, device__name=RECOVERY_DEVICE_NAME).exists()
    return None if has_codes else recovery_codes_issue(device.user) or []


@transaction.atomic
def recovery_codes_issue(user: AbstractBaseUser) -> list[str]:
    """New recovery codes (the old ones stop working), each usable once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME,
                                                   defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def _digits(token: str) -> str:
    return "".join(token.split())


def verify(request, user: AbstractBaseUser, token: str) -> str | None:
    """The second step with a code: an app's current code, or one recovery code (used up).
    The method on success (and the session is marked), None otherwise. TOTP devices throttle
    failures themselves (django-otp's growing delay after each wrong code)."""
    token = _digits(token).lower()
    if not token:
        return None
    candidates: list = []
    if token.isdigit():
        candidates += list(TOTPDevice.objects.filter(user=user, confirmed=True))
    candidates += list(StaticDevice.objects.filter(user=user, confirmed=True))
    for device in candidates:
        if device.verify_is_allowed()[0] and device.verify_token(token):
            otp_login(request, device)
            method = _method_of(device)
            mark_verified(request, method)
            return method
    return None


def devices_remove(user: AbstractBaseUser) -> None:
    """Turns two-factor off for the person: every app, passkey and recovery code."""
    from django_otp_webauthn.models import WebAuthnCredential

    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    WebAuthnCredential.objects.filter(user=user).delete()
