from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Tenants and people")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        # Registers `migrate_schemas --executor=pending` (django-tenants finds executors by subclass).
        from . import migration_executor  # noqa: F401

        # Each sign-in and sign-out keeps the person's list of sessions (tenants.services.sessions).
        from .services.sessions import connect_signals

        connect_signals()
        from .services.passwords import register_stream

        register_stream()
        # The workspaces page sends a person with one workspace straight into it after signing in.
        from .views import mark_just_signed_in

        user_logged_in.connect(mark_just_signed_in, dispatch_uid="kb-just-signed-in")
