"""Upload from the editors, serve through the permission layer, the admin's storage page.

Every answer that carries stored bytes goes through `get_attachment_for_user` (404 for
missing and forbidden alike) and is sent with headers that keep it inert in our origin: the
type we decided (never the browser's guess: nosniff), a Content-Security-Policy that
sandboxes it and allows nothing, and for every file that is not an image we re-encoded,
`Content-Disposition: attachment` so that the browser downloads it instead of opening it.
"""

from __future__ import annotations

import logging

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from permissions.policy import requires

from .. import rendering
from . import services, storage
from .models import Attachment
from .selectors import get_attachment_for_user, may_propose

logger = logging.getLogger(__name__)

# Nothing in a served file may run, load or frame anything, even if a browser rendered it.
FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'"


def _refused(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _markdown_for(attachment: Attachment, alt: str) -> str:
    reference = f"attachment:{attachment.pk}"
    if attachment.is_image:
        text = " ".join(alt.replace("[", "(").replace("]", ")").split())[:200]
        return f"![{text}]({reference})"
    label = attachment.name.replace("[", "(").replace("]", ")")
    return f"[{label}]({reference})"


def _upload(request) -> JsonResponse:
    upload = request.FILES.get("file")
    if upload is None:
        return _refused(_("Choose an image or a file to upload."))
    if upload.size > services.max_upload_bytes():
        # Refused before reading it into memory.
        return _refused(_("“%(name)s” is too large: the limit for one file is %(limit)s MB.")
                        % {"name": upload.name[:200], "limit": services.max_upload_bytes() // (1024 * 1024)}, 413)
    try:
        attachment = services.attachment_upload(data=upload.read(), name=upload.name or "", acting_user=request.user)
    except services.Refused as refusal:
        return _refused(str(refusal))
    except OSError:
        logger.exception("upload: the storage refused the file")
        return _refused(_("The file could not be stored just now; nothing was lost in your text. Try again."), 503)
    return JsonResponse({
        "id": str(attachment.pk),
        "kind": attachment.kind,
        "name": attachment.name,
        "size": attachment.size,
        "content_type": attachment.content_type,
        "url": rendering.FILE_URL.format(id=attachment.pk),
        "markdown": _markdown_for(attachment, request.POST.get("alt", "")),
    }, status=201)


@requires("edit")
@require_POST
def upload(request):
    """An image or file pasted, dropped or picked in the editor; JSON back (the Markdown to insert)."""
    return _upload(request)


@requires("contribute")
@require_POST
def suggest_upload(request):
    """The same, from the suggestion editor: for provider people who may propose changes."""
    if not may_propose(request.workspace):
        raise Http404
    return _upload(request)


def _serve(attachment: Attachment, variant: str) -> FileResponse:
    try:
        handle = storage.open_variant(attachment.pk, variant)
    except (FileNotFoundError, OSError):
        logger.warning("attachment %s: %s missing from the storage", attachment.pk, variant)
        raise Http404 from None
    # A rendition keeps its original's format, so the type is the attachment's either way.
    response = FileResponse(handle, content_type=attachment.content_type, as_attachment=not attachment.is_image,
                            filename=attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Referrer-Policy"] = "no-referrer"
    return response


@requires("read")
@require_GET
def file(request, file_id):
    """An image as the page shows it (its rendition when it has one) or a file to download."""
    attachment = get_attachment_for_user(request, file_id)
    return _serve(attachment, storage.RENDITION if attachment.has_rendition else storage.ORIGINAL)


def serve_original(request, file_id) -> FileResponse:
    """The full-size image or the file, for whoever may read it (callers declare who may ask)."""
    return _serve(get_attachment_for_user(request, file_id), storage.ORIGINAL)


@requires("read")
@require_GET
def file_original(request, file_id):
    """The full-size image (click to zoom), or the file itself."""
    return serve_original(request, file_id)


@requires("admin")
@require_GET
def usage(request):
    """The workspace's storage: what it uses of its quota, and the largest uploads."""
    used, quota = services.storage_used(), services.quota_bytes(request.tenant)
    largest = Attachment.objects.order_by("-size")[:20]
    return render(request, "articles/attachments_usage.html", {
        "used": used, "quota": quota, "percent": min(100, round(100 * used / quota)) if quota else 100,
        "largest": largest, "count": Attachment.objects.count(),
        "max_upload_mb": services.max_upload_bytes() // (1024 * 1024),
    })
