from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Knowledge")

    def ready(self) -> None:
        # Celery finds `<app>.tasks` by itself; the attachments' tasks live one level down.
        from .attachments import tasks  # noqa: F401
