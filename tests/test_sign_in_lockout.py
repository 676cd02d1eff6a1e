"""The sign-in lockout holds under concurrency and without Redis: each attempt takes one of the
account's LOGIN_MAX_FAILURES tries in one atomic database statement *before* the password is
checked, so simultaneous wrong passwords cannot all be tried, and nothing of it lives in the
cache (DESIGN: security state never lives only in a cache)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test import override_settings

from tenants.models import Client, SignInLockout, User

PUBLIC = "kb.localhost"
ATTEMPTS = 12
# Redis nowhere: a port nothing listens on (the machine's Redis is left alone).
# The default cache raises (so the test can prove Redis is out of reach); the sessions' copies
# (tenants.sessions) are the site's fault-tolerant cache, on the same unreachable Redis.
NO_REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                        "LOCATION": "redis://127.0.0.1:9/0", "KEY_PREFIX": "kb-no-redis"},
            "sessions": {"BACKEND": "kbportal.cache.FaultTolerantRedisCache", "LOCATION": "redis://127.0.0.1:9/0",
                         "KEY_PREFIX": "kb-no-redis-session",
                         "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}}}


def sign_in(http, email, password):
    return http.post("/accounts/sign-in/", {"username": email, "password": password}, HTTP_HOST=PUBLIC)


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """Database access without a test transaction: the threads below have connections of
    their own, which see only what is committed."""
    with django_db_blocker.unblock():
        yield django_db_setup


@pytest.fixture
def racer(committed):
    email = f"racer-{time.monotonic_ns()}@acme.test"
    user = User.objects.create_user(email, "the-right-password-42")
    yield user
    SignInLockout.objects.all().delete()
    connection.set_tenant(Client.objects.get(schema_name="acme"))  # guardian's tables are a tenant's
    user.delete()
    connection.set_schema_to_public()


@pytest.fixture
def checks(monkeypatch):
    """Counts the password checks, each made as slow as a real hasher (tests hash with MD5), so
    that the attempts really overlap."""
    seen: list[str] = []
    lock = threading.Lock()
    check = User.check_password

    def counted(self, raw_password):
        with lock:
            seen.append(self.email)
        time.sleep(0.05)
        return check(self, raw_password)

    monkeypatch.setattr(User, "check_password", counted)
    return seen


def test_concurrent_wrong_passwords_are_checked_at_most_the_limit(racer, checks, settings):
    barrier = threading.Barrier(ATTEMPTS)
    answers: list[str] = []
    errors: list[BaseException] = []

    def attempt(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            body = sign_in(HttpClient(), racer.email, f"wrong-{n}").content.decode()
            answers.append("locked" if "Too many failed attempts" in body else
                           "refused" if "do not match" in body else body[:200])
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(answers) == ATTEMPTS
    assert set(answers) <= {"locked", "refused"}, answers
    # At most the limit (and here exactly: every try was taken by one of the attempts).
    assert len(checks) <= settings.LOGIN_MAX_FAILURES, f"{len(checks)} of {ATTEMPTS} concurrent attempts were checked"
    assert len(checks) == settings.LOGIN_MAX_FAILURES
    assert answers.count("refused") == len(checks)
    # The account is locked now: even the right password is not tried.
    tried = len(checks)
    body = sign_in(HttpClient(), racer.email, "the-right-password-42").content.decode()
    assert "Too many failed attempts" in body
    assert len(checks) == tried


def test_attempts_from_other_processes_take_from_the_same_count(racer, checks, settings):
    """The count is one row changed by one statement, whoever sends it: another process (another
    web worker) takes from the same count, and gets only what is left."""
    for n in range(settings.LOGIN_MAX_FAILURES - 1):
        sign_in(HttpClient(), racer.email, f"wrong-{n}")
    database = settings.DATABASES["default"]
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    script = ("import django; django.setup(); from tenants import auth; "
              f"print(sum(auth.take_attempt({racer.email!r}).allowed for _ in range(5)))")
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "kbportal.settings.test", "DATABASE_URL": url}
    done = subprocess.run([sys.executable, "-c", script], env=environ, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "1"  # one try was left: the other process got it, and nothing more
    body = sign_in(HttpClient(), racer.email, "the-right-password-42").content.decode()
    assert "Too many failed attempts" in body


def test_a_success_clears_the_count(racer, checks, settings):
    for n in range(settings.LOGIN_MAX_FAILURES - 1):
        sign_in(HttpClient(), racer.email, f"wrong-{n}")
    assert sign_in(HttpClient(), racer.email, "the-right-password-42").status_code == 302
    assert not SignInLockout.objects.exists()
    for n in range(settings.LOGIN_MAX_FAILURES - 1):
        sign_in(HttpClient(), racer.email, f"wrong-{n}")
    assert sign_in(HttpClient(), racer.email, "the-right-password-42").status_code == 302


def test_the_lockout_lives_in_the_database(racer, checks, settings):
    """Emptying the cache (Redis restarted, flushed or evicting) does not unlock anyone."""
    from django.core.cache import cache

    for n in range(settings.LOGIN_MAX_FAILURES):
        sign_in(HttpClient(), racer.email, f"wrong-{n}")
    cache.clear()
    assert "Too many failed attempts" in sign_in(HttpClient(), racer.email, "the-right-password-42").content.decode()
    assert SignInLockout.objects.get().failures > settings.LOGIN_MAX_FAILURES


def test_sign_in_and_its_lockout_work_with_redis_down(world, settings):
    from django.core.cache import cache

    with override_settings(CACHES=NO_REDIS):
        with pytest.raises(Exception, match="(?i)connect"):
            cache.get("anything")  # Redis is really out of reach
        assert sign_in(HttpClient(), "editor@acme.test", world.password).status_code == 302
        for _ in range(settings.LOGIN_MAX_FAILURES):
            assert "do not match" in sign_in(HttpClient(), "viewer@acme.test", "wrong").content.decode()
        body = sign_in(HttpClient(), "viewer@acme.test", world.password).content.decode()
        assert "Too many failed attempts" in body


def test_an_unknown_address_is_locked_the_same_way(world, settings):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        assert "do not match" in sign_in(HttpClient(), "nobody@acme.test", "wrong").content.decode()
    assert "Too many failed attempts" in sign_in(HttpClient(), "nobody@acme.test", "wrong").content.decode()
    assert "Too many failed attempts" in sign_in(HttpClient(), " NoBody@Acme.test", "wrong").content.decode()
