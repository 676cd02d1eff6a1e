"""The images and files of an archive: ``_files/<uuid>/<name>``, one folder per attachment.

Export writes the stored original of every attachment the exported revisions reference. The
Markdown keeps its ``attachment:<uuid>`` references unchanged, and import gives each file the
same id in the workspace it lands in, so the round trip changes no text. Import never trusts
the archive: every file goes through the same checks as an upload (images re-encoded by
Pillow, other files typed by content, size and quota limits), and a file whose id already
exists in this workspace is left as it is (the same archive imported again: ids are random).
"""

from __future__ import annotations

import datetime
import uuid
import zipfile
from collections.abc import Iterable

from django.db import DatabaseError
from django.utils.translation import gettext as _

from ..attachments import services as attachments
from ..attachments import storage
from ..attachments.models import Attachment
from ..attachments.processing import clean_name

FILES_FOLDER = "_files"


def _zip_info(name: str, stamp: datetime.datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def export_files(archive: zipfile.ZipFile, revision_ids: Iterable[int], stamp: datetime.datetime) -> int:
    """Write the attachments these revisions reference; how many."""
    count = 0
    for attachment in Attachment.objects.filter(references__revision_id__in=list(revision_ids)).distinct().order_by("pk"):
        try:
            with storage.open_variant(attachment.pk, storage.ORIGINAL) as handle:
                data = handle.read()
        except (FileNotFoundError, OSError):
            continue  # lost from the storage: the text still exports
        archive.writestr(_zip_info(f"{FILES_FOLDER}/{attachment.pk}/{clean_name(attachment.name)}", stamp), data)
        count += 1
    return count


def file_member(parts: list[str]) -> uuid.UUID | None:
    """The attachment id of an archive member ``_files/<uuid>/<name>``, else None."""
    if len(parts) != 3 or parts[0] != FILES_FOLDER:
        return None
    try:
        return uuid.UUID(parts[1])
    except ValueError:
        return None


def import_files(files: list[tuple[str, uuid.UUID, str, bytes]], *, acting_user, problem, errors: list[str]) -> int:
    """Store the archive's files (member name, id, file name, bytes); how many were new."""
    created = 0
    for member, pk, name, data in files:
        existing = Attachment.objects.filter(pk=pk).first()
        if existing is not None:
            continue  # imported before (its content was checked then); references find it
        try:
            attachments.attachment_upload(data=data, name=name, acting_user=acting_user, attachment_id=pk)
        except attachments.Refused as refusal:
            errors.append(problem(member, str(refusal)))
            continue
        except (OSError, DatabaseError):
            errors.append(problem(member, _("the file could not be stored; skipped.")))
            continue
        created += 1
    return created
