"""Passwords: the forgotten-password e-mail, setting a new one from its link, changing one's own.

The reset link carries Django's PasswordResetTokenGenerator token: it is made from the
person's password hash and last sign-in, so it works once (the new password changes the hash)
and until PASSWORD_RESET_TIMEOUT seconds have passed (one hour here). Asking for a link answers
the same for any address, and takes the same time: the request is padded to
KB_PASSWORD_RESET_MIN_SECONDS whether or not an e-mail was queued, so neither the page nor its
timing tells whether an account exists.
"""

from __future__ import annotations

import logging
import time
import zoneinfo

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outbox import services as outbox

from ..auth import AccountBackend
from ..models import SiteAddress, User
from .sessions import end_sessions

logger = logging.getLogger(__name__)

ACCOUNT_STREAM = "account"


def register_stream() -> None:
    from outbox import streams

    streams.register(ACCOUNT_STREAM, label=gettext_lazy("Your account"),
                     reason=gettext_lazy("Someone asked for this e-mail about an account on %(product)s."))


def reset_link(site: SiteAddress, user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return site.public(f"/accounts/password/reset/{uid}/{default_token_generator.make_token(user)}/")


def _resettable(email: str) -> User | None:
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None or not AccountBackend().user_can_authenticate(user) or not user.has_usable_password():
        return None
    return user


def password_reset_request(*, email: str, site: SiteAddress, language: str | None) -> None:
    """E-mail a reset link to `email` if it is an account's that may sign in; say nothing
    either way, and take at least KB_PASSWORD_RESET_MIN_SECONDS."""
    started = time.monotonic()
    try:
        user = _resettable(email)
        if user is not None:
            with transaction.atomic():
                subject = gettext_lazy("Reset your kbportal password")  # in the person's language
                hours = settings.PASSWORD_RESET_TIMEOUT // 3600
                outbox.queue_template(
                    to=user.email, template="tenants/password/reset_email", subject=subject,  # type: ignore[arg-type]
                    context={"person": user, "link": reset_link(site, user), "hours": hours},
                    stream=ACCOUNT_STREAM, language=user.language or language, site=site,
                )
    except Exception:  # a fault must not tell the asker anything either (logged, same answer)
        logger.exception("password reset e-mail could not be queued")
    remaining = settings.KB_PASSWORD_RESET_MIN_SECONDS - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)


def user_for_reset_link(uidb64: str, token: str) -> User | None:
    """The person whose valid, unused, unexpired link this is; None for any other link."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.filter(pk=pk).first()
    if user is None or not AccountBackend().user_can_authenticate(user):
        return None
    if not default_token_generator.check_token(user, token):
        return None
    return user


@transaction.atomic
def password_reset_complete(*, user: User, password: str) -> None:
    """Set the new password (validated): the link stops working, every session of the person
    ends (whoever knew the old password is out)."""
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    end_sessions(user)
    logger.info("password of user %s reset by e-mail link", user.pk)


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str, keep_session: str | None) -> int:
    """Change one's password (the old one required): every other session is signed out, the
    one `keep_session` names stays. Returns how many sessions were ended."""
    if not user.check_password(old_password):
        raise ValidationError({"old_password": [_("This is not your current password.")]}, code="wrong_password")
    validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    ended = end_sessions(user, keep=keep_session)
    logger.info("password of user %s changed; %s other sessions ended", user.pk, ended)
    return ended


def valid_time_zone(name: str) -> bool:
    """An IANA time zone name this system knows (blank: the default)."""
    if not name:
        return True
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return name in zoneinfo.available_timezones()


def profile_update(*, user: User, full_name: str, language: str, time_zone: str) -> User:
    """The person's name, language (blank: the browser's) and time zone (blank: the default)."""
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": [_("Choose one of the languages offered.")]})
    if not valid_time_zone(time_zone):
        raise ValidationError({"time_zone": [_("Choose a time zone from the list.")]})
    user.full_name, user.language, user.time_zone = " ".join(full_name.split()), language, time_zone
    user.save(update_fields=["full_name", "language", "time_zone"])
    return user
