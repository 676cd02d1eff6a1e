"""Sign-in: the e-mail backend and the lock against password guessing, by device cookie.

OWASP's "Slow Down Online Guessing Attacks with Device Cookies": a browser that has signed in
to an account carries a *device cookie* for it (`kb_device`: the account's keyed hash and a
random nonce, signed with django.core.signing, HttpOnly, Secure in production, kept for a
year; one cookie holds the last few accounts signed in from that browser, for a shared desk).
An attempt presented with a valid device cookie for the account counts against *that device*
only; an attempt without one counts against *the untrusted browsers of the account*, together.
After LOGIN_MAX_FAILURES failures the key (one device, or every untrusted browser of the
account) refuses every password for LOGIN_LOCKOUT_SECONDS, then twice as long the next time, and
so on up to LOGIN_LOCKOUT_MAX_SECONDS. So an attacker hammering an agent's e-mail locks out
only browsers that never signed in to it: the agent's own workstation still signs in.

Failures are never counted per IP: a call-centre floor shares one public address. A locked key
answers the same whether an account has the address or not.

The count lives in the database (`SignInLockout`), not in the cache: a cache that empties or
goes away must neither unlock an account nor stop people signing in. Each attempt *takes a
try* in one atomic statement before its password is checked, and gives it back on success, so
that simultaneous wrong passwords cannot all be checked before the first failure is counted.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core import signing
from django.db import connection
from django.utils import timezone
from django.utils.crypto import salted_hmac

DEVICE_COOKIE = "kb_device"
DEVICE_SALT = "kbportal.signin.device"
DEVICE_MAX_AGE = 365 * 24 * 3600
DEVICES_PER_BROWSER = 8  # the accounts a shared desk remembers


class AccountBackend(ModelBackend):
    """E-mail login. Demo accounts (seeded by `make run`) only work while KB_DEMO_ACCOUNTS is on."""

    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_demo", False) and not settings.KB_DEMO_ACCOUNTS:
            return False
        return super().user_can_authenticate(user)


def _normal(email: str) -> str:
    return email.strip().lower()


def _key(email: str) -> str:
    """The key of the account's untrusted browsers."""
    return hashlib.sha256(_normal(email).encode()).hexdigest()


def _device_key(email: str, nonce: str) -> str:
    return hashlib.sha256(f"device\0{_normal(email)}\0{nonce}".encode()).hexdigest()


def _account(email: str) -> str:
    """What the cookie says of the account: a keyed hash, not the address."""
    return salted_hmac(DEVICE_SALT, _normal(email)).hexdigest()[:32]


def _devices(request) -> list[list[str]]:
    """The [account, nonce] pairs of the request's valid device cookie (none when it is absent,
    forged, expired or malformed)."""
    value = request.COOKIES.get(DEVICE_COOKIE) if request is not None else None
    if not value:
        return []
    try:
        entries = signing.loads(value, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return []
    if not isinstance(entries, list):
        return []
    return [e for e in entries if isinstance(e, list) and len(e) == 2 and all(isinstance(x, str) for x in e)]


def attempt_key(request, email: str) -> str:
    """The lockout key an attempt counts against: this browser's device for the account, or the
    account's untrusted browsers."""
    account = _account(email)
    for entry_account, nonce in _devices(request):
        if entry_account == account:
            return _device_key(email, nonce)
    return _key(email)


def is_trusted(request, email: str) -> bool:
    return attempt_key(request, email) != _key(email)


def remember_device(request, response, email: str) -> None:
    """After a successful sign-in: a new nonce for this account in the browser's device cookie
    (the old one's count is forgotten), the other accounts it remembers kept."""
    account = _account(email)
    kept = []
    for entry_account, nonce in _devices(request):
        if entry_account == account:
            clear_failures(_device_key(email, nonce))
        else:
            kept.append([entry_account, nonce])
    entries = [[account, secrets.token_urlsafe(16)], *kept][:DEVICES_PER_BROWSER]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps(entries, salt=DEVICE_SALT),
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )


def _table() -> str:
    from django_tenants.utils import get_public_schema_name

    from .models import SignInLockout

    quote = connection.ops.quote_name
    return f"{quote(get_public_schema_name())}.{quote(SignInLockout._meta.db_table)}"


@dataclass(frozen=True)
class Attempt:
    allowed: bool
    locked_until: datetime | None

    @property
    def minutes(self) -> int:
        """Whole minutes left of the lock, at least one."""
        if self.locked_until is None:
            return 1
        return max(1, math.ceil((self.locked_until - timezone.now()).total_seconds() / 60))


def take_attempt(key: str) -> Attempt:
    """Take one try of the key's LOGIN_MAX_FAILURES; not allowed when none is left (locked: do
    not check the password). The try counts as a failure unless `clear_failures` follows.

    `key` is `attempt_key(request, email)`, or an e-mail for the account's untrusted browsers.

    One upsert, atomic under concurrency (PostgreSQL locks the row for the update). While the
    lock holds, the count grows and nothing else moves. Otherwise failures older than
    LOGIN_LOCKOUT_SECONDS are forgotten, the attempt counts, and the one that takes the last
    try sets the lock: LOGIN_LOCKOUT_SECONDS times two to the number of locks the key had in
    the last LOGIN_LOCKOUT_MEMORY_SECONDS, at most LOGIN_LOCKOUT_MAX_SECONDS."""
    if "@" in key or len(key) != 64:
        key = _key(key)
    now = timezone.now()
    forgotten = now - timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    memory = now - timedelta(seconds=settings.LOGIN_LOCKOUT_MEMORY_SECONDS)
    limit = settings.LOGIN_MAX_FAILURES
    base, most = settings.LOGIN_LOCKOUT_SECONDS, settings.LOGIN_LOCKOUT_MAX_SECONDS
    first_lock = now + timedelta(seconds=min(base, most)) if limit <= 1 else None
    locked = "(lockout.locked_until IS NOT NULL AND lockout.locked_until > %(now)s)"
    counted = "(CASE WHEN lockout.last_failure_at < %(forgotten)s THEN 1 ELSE lockout.failures + 1 END)"
    before = "(CASE WHEN lockout.last_failure_at < %(memory)s THEN 0 ELSE lockout.lockouts END)"
    locks = f"(NOT {locked} AND {counted} >= %(limit)s)"
    table = _table()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} AS lockout (key, failures, last_failure_at, locked_until, lockouts)
            VALUES (%(key)s, 1, %(now)s, %(first_lock)s, %(first_lockouts)s)
            ON CONFLICT (key) DO UPDATE SET
                failures = CASE WHEN {locked} THEN lockout.failures + 1 ELSE {counted} END,
                last_failure_at = CASE WHEN {locked} THEN lockout.last_failure_at ELSE %(now)s END,
                locked_until = CASE
                    WHEN {locked} THEN lockout.locked_until
                    WHEN {locks} THEN %(now)s + make_interval(secs => LEAST(%(base)s * power(2, {before}), %(most)s))
                    ELSE lockout.locked_until END,
                lockouts = CASE
                    WHEN {locked} THEN lockout.lockouts
                    WHEN {locks} THEN {before} + 1
                    ELSE {before} END
            RETURNING failures, locked_until
            """,  # noqa: S608 - the table name is ours, quoted; every value is a parameter
            {"key": key, "now": now, "forgotten": forgotten, "memory": memory, "limit": limit,
             "base": base, "most": most, "first_lock": first_lock, "first_lockouts": 1 if first_lock else 0},
        )
        failures, locked_until = cursor.fetchone()
    return Attempt(allowed=failures <= limit, locked_until=locked_until)


def clear_failures(key: str) -> None:
    from .models import SignInLockout

    if "@" in key or len(key) != 64:
        key = _key(key)
    SignInLockout.objects.filter(key=key).delete()
