"""What the access pages share: grant kinds, links to an object's pages, CSV files."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from articles.models import Collection
from audit import services as audit
from audit.models import Action
from audit.services import Actor

from ..models import (
    ArticlePersonGrant,
    ArticleTeamGrant,
    CollectionPersonGrant,
    CollectionTeamGrant,
)

GRANT_KINDS = {
    "collection-team": CollectionTeamGrant,
    "collection-person": CollectionPersonGrant,
    "article-team": ArticleTeamGrant,
    "article-person": ArticlePersonGrant,
}


def _kind_of(grant) -> str:
    return next(kind for kind, model in GRANT_KINDS.items() if isinstance(grant, model))


def _access_url(target) -> str:
    if isinstance(target, Collection):
        return reverse("access:collection", args=[target.slug])
    return reverse("access:article", args=[target.prefix, target.slug])


def _review_url(target) -> str:
    if isinstance(target, Collection):
        return reverse("access:review-collection", args=[target.slug])
    return reverse("access:review-article", args=[target.prefix, target.slug])


def _cell(value) -> str:
    """Text a spreadsheet shows as text: a leading =, +, - or @ would make it a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_response(request, name: str, header: list[str], rows, *, obj=None, what: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([_cell(value) for value in row])
        count += 1
    audit.record(Action.EXPORT, obj=obj, label="" if obj is not None else what, actor=Actor.from_request(request),
                 detail={"what": what, "format": "csv", "rows": count})
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"{request.tenant.schema_name}-{name}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
