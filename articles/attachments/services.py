"""Writes: accept an upload, record what a revision references, sweep what nothing uses.

The bytes are written to the storage *before* the row is committed: a crash between the two
leaves a folder without a row (an orphan, swept by `sweep`), never a row without its bytes.
An attachment that any revision references is never deleted: history keeps its pictures.
"""

from __future__ import annotations

import datetime
import functools
import logging
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from . import processing, storage
from .models import Attachment, AttachmentReference

logger = logging.getLogger(__name__)

REFERENCE_RE = re.compile(r"attachment:([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})")
# A folder without a row is swept only once it is this old (a row may still be committing).
ORPHAN_GRACE = datetime.timedelta(hours=1)

Refused = processing.Refused


def max_upload_bytes() -> int:
    return settings.KB_UPLOAD_MAX_MB * 1024 * 1024


def quota_bytes(tenant=None) -> int:
    tenant = tenant if tenant is not None else getattr(connection, "tenant", None)
    quota = getattr(tenant, "storage_quota_mb", None)
    return (quota if quota is not None else settings.KB_STORAGE_QUOTA_MB) * 1024 * 1024


def storage_used() -> int:
    """Bytes stored by this tenant: originals and renditions."""
    totals = Attachment.objects.aggregate(size=Sum("size"), rendition=Sum("rendition_size"))
    return (totals["size"] or 0) + (totals["rendition"] or 0)


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def attachment_upload(*, data: bytes, name: str, acting_user, attachment_id: uuid.UUID | None = None) -> Attachment:
    """Check, process and store one upload; Refused (with a message naming the limit) when it
    is too large, of a refused type, or over the workspace's quota."""
    limit = max_upload_bytes()
    if len(data) > limit:
        raise Refused(_("“%(name)s” is %(size)s MB; the limit for one file is %(limit)s MB.")
                      % {"name": processing.clean_name(name), "size": _megabytes(len(data)),
                         "limit": settings.KB_UPLOAD_MAX_MB})
    processed = processing.process(data, name)
    stored = len(processed.data) + len(processed.rendition or b"")
    quota, used = quota_bytes(), storage_used()
    if used + stored > quota:
        raise Refused(_("This workspace stores %(used)s MB of its %(quota)s MB of images and files, and this one "
                        "needs %(size)s MB more. Ask your administrator to free some space or raise the quota.")
                      % {"used": _megabytes(used), "quota": _megabytes(quota), "size": _megabytes(stored)})
    pk = attachment_id or uuid.uuid4()
    storage.write(pk, storage.ORIGINAL, processed.data)
    if processed.rendition is not None:
        storage.write(pk, storage.RENDITION, processed.rendition)
    return Attachment.objects.create(
        id=pk, kind=processed.kind, name=processed.name, content_type=processed.content_type,
        size=len(processed.data), rendition_size=len(processed.rendition or b""),
        width=processed.width, height=processed.height, has_rendition=processed.rendition is not None,
        sha256=processed.sha256, uploaded_by_id=getattr(acting_user, "pk", None),
    )


def referenced_ids(texts: Iterable[str]) -> set[uuid.UUID]:
    found: set[uuid.UUID] = set()
    for text in texts:
        for match in REFERENCE_RE.finditer(text or ""):
            found.add(uuid.UUID(match.group(1)))
    return found


def revision_texts(revision) -> list[str]:
    return [revision.body, *(s.get("body", "") for s in revision.steps), *(p.get("answer", "") for p in revision.faqs)]


def references_record(revision) -> None:
    """Remember which attachments (of this tenant) `revision`'s Markdown names. Called by
    articles.services for every new revision, inside its transaction."""
    ids = referenced_ids(revision_texts(revision))
    if not ids:
        return
    existing = Attachment.objects.filter(pk__in=ids).values_list("pk", flat=True)
    AttachmentReference.objects.bulk_create(
        [AttachmentReference(revision=revision, attachment_id=pk) for pk in existing], ignore_conflicts=True)


@dataclass
class SweepReport:
    rows: int = 0
    orphans: int = 0


def _pending_suggestion_ids() -> set[uuid.UUID]:
    from ..models import Suggestion, SuggestionStatus

    texts: list[str] = []
    for suggestion in Suggestion.objects.filter(status=SuggestionStatus.PENDING).only("body", "steps", "faqs"):
        texts += revision_texts(suggestion)
    return referenced_ids(texts)


def sweep(*, now: datetime.datetime | None = None) -> SweepReport:
    """In the current tenant: delete uploads that no revision references and no pending
    suggestion names, once older than KB_UNREFERENCED_UPLOAD_HOURS (the row, then the bytes),
    and storage folders that have no row (older than an hour: a row may still be committing)."""
    now = now or timezone.now()
    report = SweepReport()
    cutoff = now - datetime.timedelta(hours=settings.KB_UNREFERENCED_UPLOAD_HOURS)
    keep = _pending_suggestion_ids()
    unreferenced = ~Exists(AttachmentReference.objects.filter(attachment=OuterRef("pk")))
    stale = Attachment.objects.filter(unreferenced, uploaded_at__lt=cutoff).filter(~Q(pk__in=keep))
    swept: set[str] = set()  # their bytes go once the delete commits
    for attachment in stale.only("pk"):
        try:
            with transaction.atomic():
                # Checked again in the delete itself; a reference committed meanwhile makes the
                # foreign key refuse it (IntegrityError), and the attachment stays.
                deleted = Attachment.objects.filter(unreferenced, pk=attachment.pk).delete()[0]
        except DatabaseError:
            logger.exception("sweep: attachment %s could not be deleted", attachment.pk)
            continue
        if deleted:
            transaction.on_commit(functools.partial(storage.delete, attachment.pk))
            report.rows += 1
            swept.add(str(attachment.pk))
    known = {str(pk) for pk in Attachment.objects.values_list("pk", flat=True)} | swept
    for folder in storage.stored_ids():
        if folder in known:
            continue
        modified = storage.modified_time(folder)
        if modified is not None and modified > now - ORPHAN_GRACE:
            continue
        try:
            uuid.UUID(folder)
        except ValueError:
            continue  # not ours
        storage.delete(folder)
        report.orphans += 1
    return report
