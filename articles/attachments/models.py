"""The rows of attachments (tenant schema). The bytes live in the storage (`storage.py`)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..models import PERSON, Revision


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("Image")
    FILE = "file", _("File")


class Attachment(models.Model):
    """One uploaded image or file. Its id is a random UUID (nothing to guess, nothing to count)
    and is the only name Markdown uses for it. Images are stored as Pillow re-encoded them
    (`original`), plus a smaller `rendition` for the page when the original is large."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=8, choices=AttachmentKind.choices)
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size"))
    rendition_size = models.PositiveBigIntegerField(default=0)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    has_rendition = models.BooleanField(default=False)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(null=True, blank=True, **PERSON)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "articles"
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.kind == AttachmentKind.IMAGE

    @property
    def type_label(self) -> str:
        from .processing import type_label

        return type_label(self.content_type)

    @property
    def stored_bytes(self) -> int:
        return self.size + self.rendition_size


class AttachmentReference(models.Model):
    """A revision's Markdown names the attachment. Written with the revision (append-only like
    it): readers may fetch what the revision they read references, and an attachment that any
    revision references is never swept (history keeps its pictures)."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="attachment_references")
    attachment = models.ForeignKey(Attachment, on_delete=models.PROTECT, related_name="references")

    class Meta:
        app_label = "articles"
        constraints = [
            models.UniqueConstraint(fields=["revision", "attachment"], name="one_reference_per_revision_attachment")
        ]

    def __str__(self) -> str:
        return f"{self.revision_id} -> {self.attachment_id}"
