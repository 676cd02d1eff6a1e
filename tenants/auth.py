"""Sign-in: the e-mail backend and the lock against password guessing.

Failures are counted per account (the normalised e-mail), never per IP: a call-centre floor
shares one public address and must not be locked out by one person's typos. After
LOGIN_MAX_FAILURES failures the account refuses every password for LOGIN_LOCKOUT_SECONDS,
counted from the last failure. A locked account answers the same whether it exists or not.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache


class AccountBackend(ModelBackend):
    """E-mail login. Demo accounts (seeded by `make run`) only work while KB_DEMO_ACCOUNTS is on."""

    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_demo", False) and not settings.KB_DEMO_ACCOUNTS:
            return False
        return super().user_can_authenticate(user)


def _key(email: str) -> str:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return f"signin-failures:{digest}"


def is_locked(email: str) -> bool:
    return (cache.get(_key(email)) or 0) >= settings.LOGIN_MAX_FAILURES


def record_failure(email: str) -> int:
    key = _key(email)
    failures = (cache.get(key) or 0) + 1
    cache.set(key, failures, timeout=settings.LOGIN_LOCKOUT_SECONDS)
    return failures


def clear_failures(email: str) -> None:
    cache.delete(_key(email))
