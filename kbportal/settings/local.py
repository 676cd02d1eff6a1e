"""Development settings: `make run` and the shell."""

import os

from .base import *  # noqa: F403
from .base import env_bool

# The demo runs with DEBUG off (the product's error pages, never Django's technical ones);
# its seeded accounts sign in because of KB_DEMO_ACCOUNTS, not DEBUG. DEBUG=true for debugging.
DEBUG = env_bool("DEBUG", False)
KB_DEMO_ACCOUNTS = env_bool("KB_DEMO_ACCOUNTS", True)
# Mail goes to files a developer can read (`make run` prints where), one file per worker batch.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / ".run" / "mail"))  # noqa: F405
KB_PUBLIC_URL = os.environ.get("KB_PUBLIC_URL", f"http://{KB_BASE_DOMAIN}:{os.environ.get('PORT', '8000')}")  # noqa: F405
WHITENOISE_USE_FINDERS = True
