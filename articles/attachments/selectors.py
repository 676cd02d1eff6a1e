"""Reads: which attachment a person may fetch, and what a revision shows.

The rule, in one query: client editors and admins reach every attachment of their workspace
(they see every article, draft and history included). Everyone else reaches an attachment
only when the published revision of an article they may read (permissions.selectors, the one
access layer: grants, confidentiality, engagements) references it, or, for the person who
uploaded it, while no revision references it yet (an image in their pending suggestion).
Missing, another tenant's, not referenced where they can read, revoked: the same 404.
"""

from __future__ import annotations

import uuid

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from permissions.selectors import contributable_articles, contributable_collections, visible_articles
from tenants.selectors import WorkspaceAccess

from .models import Attachment, AttachmentKind, AttachmentReference


def readable_attachments(access: WorkspaceAccess) -> QuerySet[Attachment]:
    if access.can_edit:
        return Attachment.objects.all()
    live = visible_articles(access).filter(live_revision__isnull=False).values("live_revision_id")
    published = Exists(AttachmentReference.objects.filter(attachment=OuterRef("pk"), revision_id__in=live))
    own_unused = Q(uploaded_by_id=access.user_id) & ~Exists(AttachmentReference.objects.filter(attachment=OuterRef("pk")))
    return Attachment.objects.filter(published | own_unused)


def get_attachment_for_user(request, attachment_id) -> Attachment:
    access = getattr(request, "workspace", None)
    if not isinstance(access, WorkspaceAccess):
        raise Http404
    if not isinstance(attachment_id, uuid.UUID):
        try:
            attachment_id = uuid.UUID(str(attachment_id))
        except ValueError:
            raise Http404 from None
    attachment = readable_attachments(access).filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return attachment


def revision_files(revision) -> list[Attachment]:
    """The files (not images) that `revision` references, for its reading page: one query,
    whatever the number of images and files."""
    if revision is None or revision.pk is None:
        return []
    return list(Attachment.objects.filter(references__revision=revision, kind=AttachmentKind.FILE).order_by("name"))


def revision_attachments(revision) -> list[Attachment]:
    if revision is None or revision.pk is None:
        return []
    return list(Attachment.objects.filter(references__revision=revision).order_by("uploaded_at"))


def may_propose(access: WorkspaceAccess) -> bool:
    """Whether this person holds a contribute grant somewhere (and so may upload from the
    suggestion editor). Provider people only: client staff edit directly."""
    return access.is_provider and (contributable_collections(access).exists() or contributable_articles(access).exists())
