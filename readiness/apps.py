from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadinessConfig(AppConfig):
    name = "readiness"
    verbose_name = _("Readiness")

    def ready(self) -> None:
        from articles import events
        from notifications import hooks as notification_hooks
        from notifications import recipients

        from . import hooks, mail, subscribers

        mail.register_stream()
        events.content_changed.connect(subscribers.assign_must_read, dispatch_uid="readiness-assign-must-read")
        # Notifications tells the audience of a must-read, starts its diffs at what a person
        # acknowledged, and shows open must-reads in digests and where work waits.
        recipients.register(hooks.must_read_recipients)
        notification_hooks.register_acknowledged(hooks.last_acknowledged)
        notification_hooks.register_acknowledged_among(hooks.acknowledged_among)
        notification_hooks.register_open_must_reads(hooks.open_must_reads)
