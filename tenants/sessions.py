"""The session engine: Django's `cached_db` (Redis first, the database behind it), made safe.

A request that polls (the bell, every 10 s on every open page) should not read its session from
the database each time, so the session is read from the `sessions` cache first. Two things must
still hold, whatever Redis does:

- **Redis down or hanging never answers 500 and loses nothing.** The cache is
  `kbportal.cache.FaultTolerantRedisCache`: a read that cannot reach Redis is a miss (the
  database answers), a write that cannot is dropped (the database has it).
- **A session that ended is never served from the cache.** Ending a session deletes its row;
  a trigger then marks its key's digest in `public.tenants_sessionend` (migration
  `0014_platform_session_end`), whatever deleted it. When this store may have left Redis with
  an old copy (a write or delete while the cache was unavailable), it marks the key too. A
  session read from the cache is trusted only once the access check of the same request
  (`permissions.access_cache.get_user`, one statement with the access generations) has found
  no mark; otherwise it is read again from the database (`reload_from_db`).

With the access cache off (`KB_ACCESS_CACHE=0`) nobody checks the marks, so the store reads
the database only, as Django's `db` engine does.

To end a session (sign-out elsewhere, a leaver): `end_sessions([session_key, ...])`, or
`SessionStore(session_key).delete()`; a queryset `.delete()` on `Session` is safe too (the
trigger marks each row), it only leaves the cache to expire by itself.

The cache keys carry no tenant (the `sessions` alias has no tenant key function): one sign-in
serves every workspace, and its copy must be the same, and deleted, whichever host reads it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbStore
from django.db import connection
from django.utils import timezone


def session_digest(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()


def _mark_ended(session_keys: Iterable[str]) -> None:
    digests = [session_digest(key) for key in session_keys if key]
    if not digests:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO public.tenants_sessionend (digest) SELECT unnest(%s::text[]) "
            "ON CONFLICT (digest) DO UPDATE SET ended_at = now()", [digests])


class SessionStore(CachedDbStore):
    cache_key_prefix = "kb.session."

    def __init__(self, session_key=None):
        super().__init__(session_key)
        self.loaded_from_cache = False

    # -- reading --------------------------------------------------------------------------------
    def load(self):
        self.loaded_from_cache = False
        if not settings.KB_ACCESS_CACHE:
            return self._load_from_db()
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # noqa: BLE001 - an invalid key, as Django's own store: read the database
            data = None
        if data is not None:
            self.loaded_from_cache = True
            return data
        return self._load_from_db(store=True)

    def _load_from_db(self, store: bool = False) -> dict:
        row = self._get_session_from_db()
        if not row:
            return {}
        data = self.decode(row.session_data)
        if store:
            self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=row.expire_date))
        return data

    def cached_digest(self) -> str | None:
        """The digest to check against the end marks, when this session was read from the cache."""
        if getattr(self, "_session_cache", None) is None or not self.loaded_from_cache or not self.session_key:
            return None
        return session_digest(self.session_key)

    def reload_from_db(self) -> None:
        """The cached copy was not to be trusted: forget it and read the database."""
        self._cache.delete(self.cache_key)
        self.loaded_from_cache = False
        self._session_cache = self._load_from_db()

    # -- writing --------------------------------------------------------------------------------
    def _cache_unsure(self) -> bool:
        is_down = getattr(getattr(self._cache, "_cache", None), "is_down", None)  # kbportal.cache's client
        return bool(is_down and is_down())

    def save(self, must_create=False):
        super().save(must_create)
        if self._cache_unsure():
            _mark_ended([self.session_key])  # Redis may keep an older copy: never trust it

    def delete(self, session_key=None):
        key = session_key or self.session_key
        super().delete(session_key)
        if key and self._cache_unsure():
            _mark_ended([key])  # the trigger marked a live row; mark an expired one too

    @classmethod
    def clear_expired(cls):
        super().clear_expired()
        horizon = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM public.tenants_sessionend WHERE ended_at < %s", [horizon])


def end_sessions(session_keys: Iterable[str]) -> None:
    """End these sessions at once, wherever they are open (their row, their cached copy)."""
    for key in session_keys:
        SessionStore(key).delete()
