"""Test settings: the same services as development, a test database, fast hashing."""

import os

from .base import *  # noqa: F403

# One name per test run (the pytest process's id). A server or worker that a test starts as a
# subprocess gets its run's name in KB_TEST_RUN, so that it shares the run's cache keys and queue.
RUN = os.environ.get("KB_TEST_RUN") or str(os.getpid())

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# In-memory mail (django.core.mail.outbox); a worker subprocess of a fault test sends through a
# real SMTP server on loopback instead (KB_TEST_EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT).
EMAIL_BACKEND = os.environ.get("KB_TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
CELERY_BROKER_URL = REDIS_URL.rsplit("/", 1)[0] + "/14"  # noqa: F405
CELERY_RESULT_BACKEND = CELERY_BROKER_URL
CACHES["default"]["LOCATION"] = REDIS_URL.rsplit("/", 1)[0] + "/15"  # noqa: F405
# Fresh keys per run: ids restart in each run's new database, so an entry left in Redis by an
# earlier run could otherwise answer for different data.
CACHES["default"]["KEY_PREFIX"] = f"kbtest{RUN}"  # noqa: F405
CACHES["sessions"]["LOCATION"] = CACHES["default"]["LOCATION"]  # noqa: F405
CACHES["sessions"]["KEY_PREFIX"] = f"kbtestsession{RUN}"  # noqa: F405
WHITENOISE_USE_FINDERS = True  # serve static files without collectstatic in browser tests
# One test database per run, so that concurrent runs (several developers on one machine, or
# CI beside a developer) never drop each other's database.
DATABASES["default"]["TEST"] = {"NAME": f"test_kbportal_{RUN}"}  # noqa: F405
# A queue of this run's own: concurrent runs share the broker's database, and a worker of one
# run must never take another run's task (it would run it against the wrong test database).
CELERY_TASK_DEFAULT_QUEUE = f"kbtest{RUN}"
# In-process test workers (celery.contrib.testing) run beside tests that hold transactions:
# they do no sweeps of their own. The worker subprocesses of tests/test_faults.py (KB_TEST_RUN
# set) run as in production.
if not os.environ.get("KB_TEST_RUN"):
    RECONCILE_ON_CONNECT: list[str] = []

# The shared test workspaces start without the starter synonyms (tests/test_search_relevance.py
# seeds them where it needs them).
KB_STARTER_SYNONYMS = False

# Attachments of this run in a folder of its own (KB_MEDIA_ROOT set by a test wins).
if not os.environ.get("KB_MEDIA_ROOT"):
    STORAGES["attachments"]["OPTIONS"]["location"] = f"/tmp/kbtest-media-{RUN}/attachments"  # noqa: F405, S108
