from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Collaboration dashboard")

    def ready(self) -> None:
        from . import mail, registry, sections

        mail.register_stream()
        sections.register_built_in()
        registry.register_defaults(sections.weak_spots_placeholder)
