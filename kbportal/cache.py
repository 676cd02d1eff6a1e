"""The cache backend: Django's own Redis cache, made to degrade instead of fail.

The cache only ever holds what can be rebuilt (the lookup page's tag list, the "already
audited today" mark of an API token); security state never lives here. So when Redis cannot be
reached, a read is a miss, a write is dropped, and the caller carries on with its source of
truth, a little slower. Nothing raises out of the cache.

- Short socket timeouts (OPTIONS `socket_connect_timeout`, `socket_timeout`, 0.25 s by
  default): a Redis that does not answer costs a request at most that, once.
- A breaker: after a connection error the process stops asking Redis for
  `CACHE_RETRY_SECONDS` (OPTIONS `retry_after`, 5 s) and answers "miss" at once, so an outage
  does not add a timeout to every cache call of every request. One warning is logged when the
  cache goes away and one line when it comes back, not one per call.
- `add()` answers True while Redis is down ("stored, you are the first"): its callers use it as
  "is this the first time?" and then consult their source of truth (the token audit reads the
  audit log), so doing the check twice is harmless while skipping it would lose an event.

Why not django-redis and its `IGNORE_EXCEPTIONS`: it is a different backend with its own client
and serialiser where Django's built-in one does the job; its ignored `add()` returns None (the
token audit would silently skip writing sign-ins); and it has no breaker, so every call of every
request pays the connect timeout during an outage. A subclass of the built-in backend does it.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("kbportal.cache")

# Connection refused/reset, DNS failure, timeouts, "LOADING" on a restarting server...
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
DEFAULT_SOCKET_TIMEOUT = 0.25
DEFAULT_RETRY_AFTER = 5.0

# Per process and server list: when may this process try Redis again (monotonic seconds).
_down_until: dict[tuple[str, ...], float] = {}
_lock = threading.Lock()


def cache_is_down(servers: tuple[str, ...]) -> bool:
    return time.monotonic() < _down_until.get(servers, 0.0)


class FaultTolerantRedisCacheClient(RedisCacheClient):
    """Every operation of the built-in client, answering a miss when Redis is unavailable."""

    def __init__(self, servers, *, retry_after: float = DEFAULT_RETRY_AFTER, **options: Any) -> None:
        options.setdefault("socket_connect_timeout", DEFAULT_SOCKET_TIMEOUT)
        options.setdefault("socket_timeout", DEFAULT_SOCKET_TIMEOUT)
        super().__init__(servers, **options)
        self._key = tuple(servers)
        self._retry_after = float(retry_after)

    def get_client(self, key=None, *, write=False):
        """One Redis client per connection pool, not one per call: building a client sets up
        its ~170 response callbacks, about 1 ms of CPU on a busy machine, on every cache call
        (the bell polls every 10 s on every open page). A client is safe to share between
        threads; the pool hands each call its own connection."""
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def is_down(self) -> bool:
        """True while this process does not ask Redis (a write or delete may not have reached it)."""
        return cache_is_down(self._key)

    def _guard(self, operation: str, missing: Any, call, *args: Any) -> Any:
        if cache_is_down(self._key):
            return missing
        try:
            result = call(*args)
        except UNAVAILABLE as exc:
            with _lock:
                was_up = self._key not in _down_until
                _down_until[self._key] = time.monotonic() + self._retry_after
            if was_up:
                logger.warning("Cache unavailable (%s on %s: %s); serving without it, retrying every %.0f s.",
                               exc.__class__.__name__, operation, exc, self._retry_after)
            return missing
        if self._key in _down_until:
            with _lock:
                if _down_until.pop(self._key, None) is not None:
                    logger.warning("Cache is back.")
        return result

    def add(self, key, value, timeout):
        return self._guard("add", True, super().add, key, value, timeout)

    def get(self, key, default):
        return self._guard("get", default, super().get, key, default)

    def set(self, key, value, timeout):
        return self._guard("set", None, super().set, key, value, timeout)

    def touch(self, key, timeout):
        return self._guard("touch", False, super().touch, key, timeout)

    def delete(self, key):
        return self._guard("delete", False, super().delete, key)

    def get_many(self, keys):
        return self._guard("get_many", {}, super().get_many, keys)

    def has_key(self, key):
        return self._guard("has_key", False, super().has_key, key)

    def incr(self, key, delta):
        result = self._guard("incr", None, super().incr, key, delta)
        if result is None:  # what a missing key does with every cache backend
            raise ValueError(f"Key '{key}' not found.")
        return result

    def set_many(self, data, timeout):
        return self._guard("set_many", None, super().set_many, data, timeout)

    def delete_many(self, keys):
        return self._guard("delete_many", None, super().delete_many, keys)

    def clear(self):
        return self._guard("clear", False, super().clear)


class FaultTolerantRedisCache(RedisCache):
    """`CACHES["default"]["BACKEND"]`: Django's RedisCache with the client above."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = FaultTolerantRedisCacheClient
