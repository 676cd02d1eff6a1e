from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationCountersConfig(AppConfig):
    """The public-schema half of notifications: one unread counter per person and workspace,
    so that the public site's workspaces page shows counts without reading any tenant schema.
    A separate app because an app listed in both SHARED_APPS and TENANT_APPS would get a copy
    of the table in every tenant schema, which would shadow the public one there."""

    name = "notifications.counters"
    label = "notification_counters"
    verbose_name = _("Unread notification counters")
