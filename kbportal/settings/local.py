"""Development settings: `make run` and the shell."""

from .base import *  # noqa: F403
from .base import env_bool

# The demo runs with DEBUG off (the product's error pages, never Django's technical ones);
# its seeded accounts sign in because of KB_DEMO_ACCOUNTS, not DEBUG. DEBUG=true for debugging.
DEBUG = env_bool("DEBUG", False)
KB_DEMO_ACCOUNTS = env_bool("KB_DEMO_ACCOUNTS", True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
WHITENOISE_USE_FINDERS = True
