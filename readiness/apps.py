from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadinessConfig(AppConfig):
    name = "readiness"
    verbose_name = _("Readiness")

    def ready(self) -> None:
        from articles import events

        from . import mail, subscribers

        mail.register_stream()
        events.content_changed.connect(subscribers.assign_must_read, dispatch_uid="readiness-assign-must-read")
