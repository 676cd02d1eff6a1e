"""Where the bytes live: Django's storage API, under the storage alias "attachments".

By default a folder on the local disk (`KB_MEDIA_ROOT`, `media/` beside the code), one folder
per tenant schema; with `KB_S3_BUCKET` set, any S3-compatible store through django-storages
(settings in kbportal/settings/base.py, README "Configuration"). Nothing is ever served from
the storage directly: no public URL, no media route. Every byte goes out through the
permission-checked views.

Layout: ``<schema>/<uuid>/original`` and ``<schema>/<uuid>/rendition``.
"""

from __future__ import annotations

import os

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import connection

ORIGINAL = "original"
RENDITION = "rendition"


def store() -> Storage:
    return storages["attachments"]


def _schema() -> str:
    return connection.schema_name  # type: ignore[attr-defined]  # django-tenants' connection


def path(attachment_id, variant: str = ORIGINAL, *, schema: str | None = None) -> str:
    return f"{schema or _schema()}/{attachment_id}/{variant}"


def write(attachment_id, variant: str, data: bytes) -> None:
    """Write (or replace) one variant. Storage backends pick another name when one exists:
    delete first, so the name stays the one `path` gives."""
    name = path(attachment_id, variant)
    storage = store()
    if storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, ContentFile(data))
    if saved != name:  # pragma: no cover - a backend that renames regardless
        raise OSError(f"storage saved {name} as {saved}")


def open_variant(attachment_id, variant: str):
    return store().open(path(attachment_id, variant), "rb")


def delete(attachment_id, *, schema: str | None = None) -> None:
    storage = store()
    for variant in (ORIGINAL, RENDITION):
        name = path(attachment_id, variant, schema=schema)
        if storage.exists(name):
            storage.delete(name)
    if isinstance(storage, FileSystemStorage):  # object stores have no folders to leave behind
        try:
            os.rmdir(storage.path(f"{schema or _schema()}/{attachment_id}"))
        except OSError:
            pass


def stored_ids(*, schema: str | None = None) -> list[str]:
    """The attachment folders of a tenant, as the storage lists them."""
    storage = store()
    root = schema or _schema()
    try:
        folders, _files = storage.listdir(root)
    except (FileNotFoundError, NotADirectoryError):
        return []
    return folders


def modified_time(attachment_id, *, schema: str | None = None):
    try:
        return store().get_modified_time(path(attachment_id, ORIGINAL, schema=schema))
    except (FileNotFoundError, NotImplementedError, OSError):
        return None


def delete_schema(schema: str) -> int:
    """Every stored file of a tenant schema (a client deleted): how many attachments went."""
    folders = stored_ids(schema=schema)
    for folder in folders:
        delete(folder, schema=schema)
    storage = store()
    if isinstance(storage, FileSystemStorage):
        try:
            os.rmdir(storage.path(schema))
        except OSError:
            pass
    return len(folders)
