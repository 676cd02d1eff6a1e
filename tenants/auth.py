"""Sign-in: the e-mail backend and the lock against password guessing.

Failures are counted per account (the normalised e-mail), never per IP: a call-centre floor
shares one public address and must not be locked out by one person's typos. After
LOGIN_MAX_FAILURES failures the account refuses every password for LOGIN_LOCKOUT_SECONDS,
counted from the last failure. A locked account answers the same whether it exists or not.

The count lives in the database (`SignInLockout`), not in the cache: a cache that empties or
goes away must neither unlock an account nor stop people signing in. Each attempt *takes a
try* in one atomic statement before its password is checked, and gives it back on success, so
that simultaneous wrong passwords cannot all be checked before the first failure is counted.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.utils import timezone


class AccountBackend(ModelBackend):
    """E-mail login. Demo accounts (seeded by `make run`) only work while KB_DEMO_ACCOUNTS is on."""

    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_demo", False) and not settings.KB_DEMO_ACCOUNTS:
            return False
        return super().user_can_authenticate(user)


def _key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _table() -> str:
    from django_tenants.utils import get_public_schema_name

    from .models import SignInLockout

    quote = connection.ops.quote_name
    return f"{quote(get_public_schema_name())}.{quote(SignInLockout._meta.db_table)}"


def take_attempt(email: str) -> bool:
    """Take one try of the account's LOGIN_MAX_FAILURES; False when none is left (locked: do
    not check the password). The try counts as a failure unless `clear_failures` follows.

    One upsert, atomic under concurrency (PostgreSQL locks the row for the update): failures
    older than the lockout are forgotten, a locked account's count keeps growing without
    moving its last failure (the lock ends LOGIN_LOCKOUT_SECONDS after the failure that set
    it), any other attempt counts and moves it."""
    now = timezone.now()
    forgotten = now - timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    limit = settings.LOGIN_MAX_FAILURES
    table = _table()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} AS lockout (key, failures, last_failure_at) VALUES (%s, 1, %s)
            ON CONFLICT (key) DO UPDATE SET
                failures = CASE WHEN lockout.last_failure_at < %s THEN 1 ELSE lockout.failures + 1 END,
                last_failure_at = CASE WHEN lockout.last_failure_at >= %s AND lockout.failures >= %s
                                       THEN lockout.last_failure_at ELSE EXCLUDED.last_failure_at END
            RETURNING failures
            """,  # noqa: S608 - the table name is ours, quoted; every value is a parameter
            [_key(email), now, forgotten, forgotten, limit],
        )
        (failures,) = cursor.fetchone()
    return failures <= limit


def clear_failures(email: str) -> None:
    from .models import SignInLockout

    SignInLockout.objects.filter(key=_key(email)).delete()
