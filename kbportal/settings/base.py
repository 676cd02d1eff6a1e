"""Settings shared by every environment; everything configurable comes from the environment.

Variables (development defaults in brackets):
DATABASE_URL [postgres://postgres@127.0.0.1:5432/kbportal], REDIS_URL [redis://127.0.0.1:6379/0],
KB_BASE_DOMAIN [kb.localhost], SECRET_KEY [dev-only key], DEBUG [false],
KB_DEMO_ACCOUNTS [false here, true in local; never in production],
EMAIL_URL-style settings: EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
EMAIL_USE_TLS, EMAIL_USE_SSL, EMAIL_TIMEOUT, DEFAULT_FROM_EMAIL, KB_PUBLIC_URL, OUTBOX_UNSUBSCRIBE_MAILTO,
OUTBOX_MAX_ATTEMPTS (README, "E-mail"); SESSION_IDLE_SECONDS, SESSION_MAX_AGE_SECONDS,
LOGIN_MAX_FAILURES, LOGIN_LOCKOUT_SECONDS; CACHE_SOCKET_TIMEOUT, CACHE_RETRY_SECONDS,
ENQUEUE_TIMEOUT_SECONDS, WORKER_BROKER_SOCKET_TIMEOUT, CELERY_VISIBILITY_TIMEOUT,
KB_RECONCILE_ON_CONNECT (README, "When Redis or a worker fails").
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from articles import limits as article_limits

from .env import env_bool, env_float, env_int  # noqa: F401 - the other settings modules read them from here

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-3f8a9c1e7b")
DEBUG = env_bool("DEBUG", False)
# Whether the accounts `make run` seeds (flagged `is_demo`) may sign in, by password or API
# token. Separate from DEBUG: the demo runs with DEBUG off, so that it shows the product's own
# error pages, never Django's technical ones (tenants.auth.AccountBackend).
KB_DEMO_ACCOUNTS = env_bool("KB_DEMO_ACCOUNTS", False)
# Reuse the tenant, the person and their access between requests while unchanged
# (permissions.access_cache); off: every request asks the database again (the "before" figure).
KB_ACCESS_CACHE = env_bool("KB_ACCESS_CACHE", True)
# A new workspace starts with the starter synonyms (search.starter); the tests' shared
# workspaces start without, as their synonym tests expect an empty table.
KB_STARTER_SYNONYMS = env_bool("KB_STARTER_SYNONYMS", True)

KB_BASE_DOMAIN = os.environ.get("KB_BASE_DOMAIN", "kb.localhost").lower()
ALLOWED_HOSTS = [KB_BASE_DOMAIN, f".{KB_BASE_DOMAIN}", "127.0.0.1", "localhost"]

SHARED_APPS = [
    "django_tenants",
    "tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.contrib.postgres",
    "django_htmx",
    "notifications.counters",
    "outbox",
    "sso",
    # Two-factor (twofactor/): django-otp's apps, recovery codes, passkeys; public schema.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "twofactor",
]
# guardian's object permissions live in each tenant's schema, next to the objects they name.
# Content types and permissions live in the public schema only (see README, "Tenancy").
TENANT_APPS = [
    "guardian",
    "audit",
    "permissions",
    "articles",
    "search",
    "notifications",
    "readiness",
    "checks",
    "dashboard",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Client"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "kbportal.urls_public"
ROOT_URLCONF = "kbportal.urls_tenants"
# New tenants are cloned from this template schema (kept migrated by `manage.py
# sync_tenant_template`), which is ~20x faster than running every migration.
TENANT_BASE_SCHEMA = "tenant_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)
# migrate_schemas --executor=pending (tenants.migration_executor) migrates only the schemas
# with migrations to run, this many at a time (README, "Thousands of clients").
TENANT_MULTIPROCESSING_MAX_PROCESSES = env_int("TENANT_MULTIPROCESSING_MAX_PROCESSES", 2)
# Set the search_path once per connection and tenant switch, not before every query.
TENANT_LIMIT_SET_CALLS = True

MIDDLEWARE = [
    # First, so that the answers given before any view (a 400 for a host not ours) carry the
    # security headers too: CSP, Permissions-Policy, X-Frame-Options.
    "kbportal.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tenants.middleware.HealthCheckMiddleware",
    # tenants.middleware.KbTenantMiddleware, with a tenant host's tenant reused while its row
    # and domains are unchanged (permissions.access_cache).
    "permissions.access_cache.CachedTenantMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check, which reads the post first: a post over the limits gets a page.
    "articles.middleware.FormTooLargeMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the person's row reused while it has not changed (permissions.access_cache).
    "permissions.access_cache.CachedAuthenticationMiddleware",
    # Bearer tokens on the JSON API (replaces request.user there; see tenants.api_auth).
    "tenants.api_auth.ApiTokenMiddleware",
    # django-otp: `request.user.is_verified()`, `otp_device` (the passkey ceremonies read them).
    "django_otp.middleware.OTPMiddleware",
    # Cache-Control: private, no-store on tenant pages and on anything a signed-in person gets.
    "tenants.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tenants.middleware.SessionLifetimeMiddleware",
    "tenants.middleware.UserLanguageMiddleware",
    "tenants.middleware.UserTimeZoneMiddleware",
    # A NUL in the address or a form answers the product's 400 page before any view runs.
    "kbportal.input_guard.RefuseNulMiddleware",
    # tenants.middleware.TenantAccessMiddleware, with the access and the grants' reach reused
    # while they hold: a revoke, an end or an expiry takes effect on the next request.
    "permissions.access_cache.CachedTenantAccessMiddleware",
    # The second factor: pending after the password, or required by the workspace (twofactor).
    "twofactor.middleware.TwoFactorMiddleware",
    # A suspended client answers a page; a read-only one refuses writes (tenants.lifecycle).
    "tenants.lifecycle.ClientStatusMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenants.context_processors.workspace",
                # Inline or side-by-side comparisons, as the person last chose (issue 14).
                "articles.diff_choice.context",
            ],
            # {% icon %} on every page without a {% load %} (tenants/templatetags/ui.py).
            "builtins": ["tenants.templatetags.ui"],
        },
    },
]

WSGI_APPLICATION = "kbportal.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kbportal"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
# django-tenants' backend, skipping a `SET search_path` the connection already has
# (tenants.postgresql_backend).
DATABASES["default"]["ENGINE"] = "tenants.postgresql_backend"

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# The cache holds only what can be rebuilt; when Redis is unreachable it answers "miss" within
# CACHE_SOCKET_TIMEOUT and then stops asking for CACHE_RETRY_SECONDS (kbportal.cache).
CACHES = {
    "default": {
        "BACKEND": "kbportal.cache.FaultTolerantRedisCache",
        "LOCATION": REDIS_URL,
        # Every key carries the schema of the request that wrote it: one tenant's cached
        # fragment can never be read by another.
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        "KEY_PREFIX": "kb",
        "OPTIONS": {
            "socket_connect_timeout": env_float("CACHE_SOCKET_TIMEOUT", 0.25),
            "socket_timeout": env_float("CACHE_SOCKET_TIMEOUT", 0.25),
            "retry_after": env_float("CACHE_RETRY_SECONDS", 5),
        },
    }
}
# The sessions' copies: the same Redis, keys without the tenant (one sign-in serves every host).
CACHES["sessions"] = {**{k: v for k, v in CACHES["default"].items() if not k.endswith("KEY_FUNCTION")},
                      "KEY_PREFIX": "kbsession"}
CACHE_MIDDLEWARE_KEY_PREFIX = "kbpage"

AUTH_USER_MODEL = "tenants.User"
AUTHENTICATION_BACKENDS = [
    "tenants.auth.AccountBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A forgotten-password link works once, for this long (tenants.services.passwords); asking for
# one takes at least KB_PASSWORD_RESET_MIN_SECONDS, whether the address has an account or not.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60)
KB_PASSWORD_RESET_MIN_SECONDS = float(os.environ.get("KB_PASSWORD_RESET_MIN_SECONDS", "0.4"))
LOGIN_URL = "/accounts/sign-in/"
# Single sign-on (sso/): how long one request to an organisation's identity provider may take.
KB_SSO_TIMEOUT_SECONDS = env_int("KB_SSO_TIMEOUT_SECONDS", 5)
LOGIN_REDIRECT_URL = "/"
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None  # no guardian anonymous user: anonymous people get nothing

# Sessions: one cookie for the public site and every tenant subdomain. Read from Redis first,
# the database behind it; an ended session is never served from the cache (tenants.sessions).
SESSION_ENGINE = "tenants.sessions"
SESSION_CACHE_ALIAS = "sessions"
SESSION_COOKIE_DOMAIN = os.environ.get("SESSION_COOKIE_DOMAIN", f".{KB_BASE_DOMAIN}")
SESSION_COOKIE_NAME = "kb_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_DOMAIN = SESSION_COOKIE_DOMAIN
CSRF_COOKIE_NAME = "kb_csrftoken"
LANGUAGE_COOKIE_DOMAIN = SESSION_COOKIE_DOMAIN
LANGUAGE_COOKIE_NAME = "kb_language"
# Inactivity timeout and absolute lifetime (tenants.middleware.SessionLifetimeMiddleware).
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 60 * 60)
SESSION_MAX_AGE_SECONDS = env_int("SESSION_MAX_AGE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_MAX_AGE_SECONDS
# Password guessing (tenants.auth, device cookies): after LOGIN_MAX_FAILURES failures, lock one
# trusted browser, or the untrusted browsers of one account (never an IP: a call-centre floor
# shares one), for LOGIN_LOCKOUT_SECONDS, doubled at each new lock of the same key within
# LOGIN_LOCKOUT_MEMORY_SECONDS, at most LOGIN_LOCKOUT_MAX_SECONDS.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
LOGIN_LOCKOUT_MAX_SECONDS = env_int("LOGIN_LOCKOUT_MAX_SECONDS", 24 * 60 * 60)
LOGIN_LOCKOUT_MEMORY_SECONDS = env_int("LOGIN_LOCKOUT_MEMORY_SECONDS", 24 * 60 * 60)

# Two-factor (twofactor/, django-otp). Passkeys belong to the base domain and its subdomains.
OTP_TOTP_ISSUER = "kbportal"
OTP_WEBAUTHN_RP_ID_CALLABLE = "twofactor.webauthn.rp_id"
OTP_WEBAUTHN_RP_NAME_CALLABLE = "twofactor.webauthn.rp_name"
OTP_WEBAUTHN_HELPER_CLASS = "twofactor.webauthn.Helper"
# For the library's system check; the helper expects the origin the public site is served from.
OTP_WEBAUTHN_ALLOWED_ORIGINS = [f"https://{KB_BASE_DOMAIN}"]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False  # a passkey is a second factor here, after the password

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
# One date format everywhere, by language (kbportal/formats/<language>/formats.py): `1 Dec 2026`,
# `1 déc. 2026`. Times are shown in the person's time zone (tenants.middleware.UserTimeZoneMiddleware).
FORMAT_MODULE_PATH = ["kbportal.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Images and files of articles (articles/attachments, README "Images and attachments"): never
# served from the storage, only through the permission-checked views. A local folder per tenant
# by default; set KB_S3_BUCKET (and the KB_S3_* below) for any S3-compatible store.
KB_MEDIA_ROOT = Path(os.environ.get("KB_MEDIA_ROOT", str(BASE_DIR / "media")))
if os.environ.get("KB_S3_BUCKET"):
    _ATTACHMENTS_STORAGE: dict = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": os.environ["KB_S3_BUCKET"],
        "endpoint_url": os.environ.get("KB_S3_ENDPOINT_URL") or None,  # e.g. MinIO, Garage, Scaleway
        "region_name": os.environ.get("KB_S3_REGION") or None,
        "access_key": os.environ.get("KB_S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("KB_S3_SECRET_ACCESS_KEY") or None,
        "location": os.environ.get("KB_S3_PREFIX", "attachments"),
        "default_acl": "private",
        "querystring_auth": True,  # no public URL, should anything ever ask the storage for one
        "file_overwrite": False,
    }}
else:
    _ATTACHMENTS_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {
        "location": str(KB_MEDIA_ROOT / "attachments"), "base_url": None,
        "file_permissions_mode": 0o640, "directory_permissions_mode": 0o750,
    }}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "attachments": _ATTACHMENTS_STORAGE,
}
# One image or file, and what a tenant may store in all (a tenant's own quota, set by the
# platform admin on the client, takes precedence).
KB_UPLOAD_MAX_MB = env_int("KB_UPLOAD_MAX_MB", 20)
KB_STORAGE_QUOTA_MB = env_int("KB_STORAGE_QUOTA_MB", 2048)
# An upload no revision references after this long is swept (with its bytes).
KB_UNREFERENCED_UPLOAD_HOURS = env_int("KB_UNREFERENCED_UPLOAD_HOURS", 7 * 24)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"kbportal <no-reply@{KB_BASE_DOMAIN}>")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# A worker holds a row lock while it talks to the SMTP server: never wait on it for long.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
# The outbox (outbox.services): links in e-mail are made without a request, on this address's
# scheme and port; the mailto of List-Unsubscribe (RFC 8058); attempts before a message is
# marked failed (5 s doubling up to an hour between attempts: about a day and a half).
KB_PUBLIC_URL = os.environ.get("KB_PUBLIC_URL", f"http://{KB_BASE_DOMAIN}")
OUTBOX_UNSUBSCRIBE_MAILTO = os.environ.get("OUTBOX_UNSUBSCRIBE_MAILTO", f"unsubscribe@{KB_BASE_DOMAIN}")
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 40)
OUTBOX_BACKOFF_SECONDS = env_int("OUTBOX_BACKOFF_SECONDS", 5)
OUTBOX_SWEEP_GRACE_SECONDS = env_int("OUTBOX_SWEEP_GRACE_SECONDS", 30)
OUTBOX_KEEP_DAYS = env_int("OUTBOX_KEEP_DAYS", 30)  # sent messages are forgotten after this

# A form post must carry every size the product documents (1 MB of Markdown, 100 steps, 200
# questions), twice over, so that past the limits the editor answers with its own message and
# keeps the text (computed in articles.limits). Beyond even that, the author gets the product's
# message too (articles.middleware.FormTooLargeMiddleware, and the editor checks before posting).
DATA_UPLOAD_MAX_NUMBER_FIELDS = article_limits.MAX_FORM_FIELDS
DATA_UPLOAD_MAX_MEMORY_SIZE = article_limits.MAX_FORM_BYTES
X_FRAME_OPTIONS = "DENY"
# Image origins every tenant's pages may show besides our own (https origins, separated by
# spaces); a tenant adds its own on its Client row. See kbportal/csp.py.
KB_IMG_SRC_ALLOW = os.environ.get("KB_IMG_SRC_ALLOW", "").split()
CSRF_FAILURE_VIEW = "kbportal.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Celery: Redis is broker (and result store for the rare task whose result is read).
# Tasks are tenant-explicit (tenants.tasking). Redis or a worker may fail at any time:
# - A request never waits on the broker for more than about ENQUEUE_TIMEOUT_SECONDS, and never
#   fails because of it (tenants.tasking.enqueue logs and drops; reconciliation does the work).
# - A task whose worker dies is run again: acknowledged only when done (acks_late, also when the
#   pool process is killed: reject_on_worker_lost), and redelivered by any live worker
#   CELERY_VISIBILITY_TIMEOUT seconds after it was handed out when the whole worker died.
# - The visibility timeout is therefore short (30 s, not kombu's hour: a dead worker's task is
#   done again within a minute, tests/test_faults.py) and every task must end, or wait for its
#   retry's ETA, within it, or it is handed to a second worker meanwhile. The longest tasks: a
#   retry waits at most 20 s (tenants.tasking.RETRY_OPTIONS, checked against this timeout by
#   tests/test_celery_tenancy.py); a reconciliation indexes at most 2,000 articles (about 4 s)
#   and sends itself for the rest (search.tasks.RECONCILE_SHARE); publishing indexes one
#   article (1-2 s for the largest, 900 KB). Bulk rebuilds (`manage.py reindex`) run in a
#   command, not a task. A new task that can run longer must do a bounded share the same way.
ENQUEUE_TIMEOUT_SECONDS = env_float("ENQUEUE_TIMEOUT_SECONDS", 0.5)
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 30)
WORKER_BROKER_SOCKET_TIMEOUT = env_float("WORKER_BROKER_SOCKET_TIMEOUT", 5)
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# The queue tasks go to (and a plain `celery worker` consumes); a benchmark gives its own
# worker a queue of its own (notifications/bench.py).
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Nothing reads a task's result (the work is in the database): no result-backend round trip,
# and no reconnect loop of the result backend inside a request. A task that is read opts in.
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_TIMEOUT = ENQUEUE_TIMEOUT_SECONDS
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True  # a worker started before Redis waits for it
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # ...and a worker never gives up on a Redis that is away
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A publish to a Redis that refuses fails at once; to one that hangs, after this. Workers
    # allow a slow Redis more: WORKER_BROKER_SOCKET_TIMEOUT (kbportal.celery).
    "socket_connect_timeout": ENQUEUE_TIMEOUT_SECONDS,
    "socket_timeout": ENQUEUE_TIMEOUT_SECONDS,
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Look for tasks of dead workers every 5 s, not every 10 x 10 s (kombu's default throttle).
    "unacked_restore_interval": 5,
    "unacked_restore_throttle": 1,
    "unacked_mutex_expire": 10,  # a worker killed while sweeping must not block sweeps for 5 min
}
# No second attempt: a pooled connection that a Redis restart broke is replaced transparently
# anyway, and each attempt on a Redis that hangs would cost the request another timeout (measured:
# 1.5 s with one retry, 0.5 s without). The caller logs the failure; reconciliation catches up.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 0, "interval_start": 0, "interval_step": 0.1, "interval_max": 0.1}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = ENQUEUE_TIMEOUT_SECONDS
CELERY_REDIS_SOCKET_TIMEOUT = 5
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.1}}
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True  # Celery 6's default; they are redelivered
CELERY_BEAT_SCHEDULE: dict = {
    "expire-grants": {"task": "permissions.tasks.expire_grants_everywhere", "schedule": 15 * 60},
    "reconcile-search-index": {"task": "search.reconcile_search_index", "schedule": 5 * 60},
    "must-read-reminders": {"task": "readiness.send_reminders_everywhere", "schedule": 15 * 60},
    # The weekly summary of the dashboard, Monday morning (dashboard.services.summaries_send is
    # idempotent per person and ISO week: a beat running twice sends nothing twice).
    "dashboard-weekly-summary": {"task": "dashboard.send_summaries_everywhere",
                                 "schedule": crontab(minute=0, hour=6, day_of_week="mon")},
    # The search-success rollup of the days that became final (dashboard.rollup; idempotent).
    "dashboard-roll-lookups": {"task": "dashboard.roll_lookups_everywhere", "schedule": crontab(minute=20, hour=2)},
    "notifications-sweep": {"task": "notifications.sweep", "schedule": 60},
    "notifications-daily-digest": {"task": "notifications.digests", "args": ["daily"],
                                   "schedule": crontab(hour=6, minute=0)},
    "notifications-weekly-digest": {"task": "notifications.digests", "args": ["weekly"],
                                    "schedule": crontab(hour=6, minute=0, day_of_week=1)},
    "outbox-sweep": {"task": "outbox.sweep", "schedule": 60},
    "outbox-purge": {"task": "outbox.purge", "schedule": 24 * 60 * 60},
    "sweep-attachments": {"task": "articles.attachments.tasks.sweep_attachments_everywhere", "schedule": 60 * 60},
    "clear-expired-sessions": {"task": "tenants.clear_expired_sessions", "schedule": crontab(hour=3, minute=30)},
}
# Sweeps every worker sends when it (re)connects to the broker: what was lost while Redis was
# away (tasks that could not be sent, beat ticks, a queue emptied by a restart) is done then.
# KB_RECONCILE_ON_CONNECT: task names, comma-separated ("" for none).
RECONCILE_ON_CONNECT = [name for name in os.environ.get(
    "KB_RECONCILE_ON_CONNECT", "search.reconcile_search_index,outbox.sweep,notifications.sweep").split(",") if name.strip()]


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Knowledge checks: how long one "minute" of a must-read's retry delay lasts (tests shorten it).
KB_CHECK_RETRY_UNIT_SECONDS = env_int("KB_CHECK_RETRY_UNIT_SECONDS", 60)
