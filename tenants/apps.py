from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Tenants and people")

    def ready(self):
        # Registers `migrate_schemas --executor=pending` (django-tenants finds executors by subclass).
        from . import migration_executor  # noqa: F401
