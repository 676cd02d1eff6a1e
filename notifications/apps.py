from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from articles import events

        from . import mail, subscribers

        mail.register_streams()
        events.content_changed.connect(subscribers.content_changed, dispatch_uid="notifications-fanout")
        events.article_opened.connect(subscribers.article_opened, dispatch_uid="notifications-read-mark")
