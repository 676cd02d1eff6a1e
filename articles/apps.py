from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Knowledge")

    def ready(self) -> None:
        from tenants.lifecycle import client_deleted

        # Celery finds `<app>.tasks` by itself; the attachments' tasks live one level down.
        from .attachments import tasks  # noqa: F401

        client_deleted.connect(_forget_files, dispatch_uid="articles.attachments.forget_files")


def _forget_files(sender, schema_name: str, **kwargs) -> None:
    """A deleted client's images and files leave the storage with its schema."""
    from .attachments import storage

    storage.delete_schema(schema_name)
