"""Personal API tokens: create, revoke, and authenticate a request's bearer token.

A token reads `kbp_<prefix>_<secret>`: `prefix` (8 hex characters) is stored in clear so that
people recognise their tokens in a list; `secret` is 256 random bits. Only the SHA-256 of the
whole token is stored, so a database read never yields a working token; lookups go by that
hash (unique, indexed), which leaks nothing useful about any stored secret through timing, and
the stored hash is compared again in constant time. A token acts as its person with exactly
their access in each tenant; revoking keeps the row, so the list still says what existed and
when it was last used.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ApiToken, User
from ..selectors import TOKEN_PREFIX, find_api_token, secret_digest

logger = logging.getLogger(__name__)

MAX_ACTIVE_TOKENS = 20
TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often


def _new_token_string() -> tuple[str, str]:
    prefix = secrets.token_hex(4)
    return prefix, f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"



@transaction.atomic
def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`, and its plaintext: returned once, never stored, never shown
    again. At most MAX_ACTIVE_TOKENS active tokens per person (revoked ones do not count)."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": [_("Give the token a name, such as the tool that will use it.")]})
    if len(name) > (ApiToken._meta.get_field("name").max_length or 0):
        raise ValidationError({"name": [_("The name is too long (100 characters at most).")]})
    User.objects.select_for_update().filter(pk=user.pk).first()  # serialise concurrent creations
    if ApiToken.objects.active().filter(user=user).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("You already have %(max)s active tokens. Revoke one you no longer use, then create a new one.")
            % {"max": MAX_ACTIVE_TOKENS},
            code="too_many_tokens",
        )
    prefix, raw = _new_token_string()
    token = ApiToken.objects.create(user=user, name=name, prefix=prefix, token_hash=secret_digest(raw))
    logger.info("API token %s (kbp_%s) created by user %s", token.pk, prefix, user.pk)
    return token, raw



def token_revoke(*, token: ApiToken, acting_user: User) -> ApiToken:
    """Revoke one's own token (or, for platform staff, anyone's): it stops working on the next
    request. Revoking twice is a no-op."""
    if token.user_id != acting_user.pk and not acting_user.is_superuser:
        raise PermissionDenied
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db(fields=["revoked_at"])
    if revoked:
        logger.info("API token %s (kbp_%s) revoked by user %s", token.pk, token.prefix, acting_user.pk)
    return token


def token_resolve(raw: str) -> ApiToken | None:
    """The active token `raw` names, with its person (`selectors.find_api_token`), and the use
    recorded, at most once per TOUCH_EVERY; None when it authenticates no one."""
    token = find_api_token(raw)
    if token is not None:
        _touch(token)
    return token


def token_authenticate(raw: str) -> User | None:
    """The person the token `raw` authenticates, or None."""
    token = token_resolve(raw)
    return token.user if token is not None else None



def _touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return
    # Compare-and-set: of concurrent requests, one writes.
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOUCH_EVERY)
    ).update(last_used_at=now)
    token.last_used_at = now
