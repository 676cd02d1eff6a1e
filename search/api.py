"""The JSON API of a tenant site (`/api/v1/`), for the tools agents already use: CTI and CRM
sidebars look procedures up and show them next to the call.

Same permission layer as the pages: hits come from `search.engine.search` (filtered by
`visible_articles` before anything is counted or ranked), an article is resolved through
`permissions.selectors.get_published_article_by_id_for_user` (missing and forbidden are the same 404), a confidential read is
written to the audit log like on the reading page, and searches are logged like the lookup
page's so that content gaps include API lookups. Authentication (session or personal token)
and JSON errors for everything that is not a view are in tenants.api_auth.
"""

from __future__ import annotations

import functools
import re

from django.core.exceptions import EmptyResultSet
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from articles.models import Collection, Kind, Language
from audit import services as audit
from audit.models import Action
from audit.services import Actor
from permissions.policy import requires
from permissions.selectors import find_collection_for_user, get_published_article_by_id_for_user
from tenants.api_auth import api_error

from . import engine

MAX_QUERY, MAX_TAG = engine.MAX_QUERY, engine.MAX_TAG
DEFAULT_LIMIT = 20
MAX_LIMIT = 50


class BadRequest(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def api_endpoint(view):
    """GET only (405 otherwise), and a JSON 404 / 400 for what the view refuses. Outermost, so
    that it also answers for `requires`."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "GET":
            return api_error(405, "method_not_allowed", _("Only GET is allowed here."), Allow="GET")
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return api_error(404, "not_found", _("Nothing here, or you do not have access to it."))
        except BadRequest as error:
            return api_error(400, error.code, error.message)

    return wrapped


# --- search -------------------------------------------------------------------------------

def _search_params(request) -> dict:
    """The search parameters, checked; BadRequest says what is wrong in words a person reads."""
    query = " ".join(request.GET.get("q", "").replace("\x00", " ").split())
    if not query:
        raise BadRequest("missing_query", _("Give the words to look for in the q parameter."))
    if len(query) > MAX_QUERY:
        raise BadRequest("query_too_long", _("The query is too long (%(max)s characters at most).") % {"max": MAX_QUERY})
    raw_limit = request.GET.get("limit", "").strip() or str(DEFAULT_LIMIT)
    if not re.fullmatch(r"[0-9]{1,3}", raw_limit) or not 1 <= int(raw_limit) <= MAX_LIMIT:
        raise BadRequest("invalid_limit", _("limit must be a whole number from 1 to %(max)s.") % {"max": MAX_LIMIT})
    kind = request.GET.get("kind", "").strip()
    if kind and kind not in Kind.values:
        raise BadRequest("invalid_kind", _("kind must be one of: %(kinds)s.") % {"kinds": ", ".join(Kind.values)})
    language = request.GET.get("language", "").strip()
    if language and language not in Language.values:
        raise BadRequest("invalid_language",
                         _("language must be one of: %(languages)s.") % {"languages": ", ".join(Language.values)})
    tag = " ".join(request.GET.get("tag", "").replace("\x00", " ").split())
    if len(tag) > MAX_TAG:
        raise BadRequest("invalid_tag", _("The tag is too long (%(max)s characters at most).") % {"max": MAX_TAG})
    return {"query": query, "limit": int(raw_limit), "kind": kind or None, "language": language or None,
            "tag": tag or None, "collection": _collection(request)}


def _collection(request) -> Collection | None:
    """The collection filter, by slug, among the collections this person may see: a missing
    one and a forbidden one get the same answer."""
    slug = request.GET.get("collection", "").strip()
    if not slug:
        return None
    collection = find_collection_for_user(request, slug)
    if collection is None:
        shown = slug.replace("\x00", "")[:MAX_TAG]
        raise BadRequest("unknown_collection", _("There is no collection %(slug)s that you can read.") % {"slug": shown})
    return collection


def _hit(request, hit: engine.Hit, slugs: dict[int, str]) -> dict:
    return {
        "id": hit.article_id,
        "kind": hit.kind,
        "title": hit.title,
        "title_html": str(hit.title_html),
        "collection": {"id": hit.collection_id, "slug": slugs.get(hit.collection_id, ""), "name": hit.collection_name},
        "language": hit.language,
        "stale": hit.stale,
        "best_bet": hit.best_bet,
        "url": request.build_absolute_uri(hit.url),
        "api_url": request.build_absolute_uri(f"/api/v1/articles/{hit.article_id}"),
        "match": {"anchor": hit.part_anchor, "title_html": str(hit.part_title_html)} if hit.part_anchor else None,
        "snippet": hit.snippet,
        "snippet_html": str(hit.snippet_html),
    }


@api_endpoint
@requires("member")
def search(request):
    """What this person may read that matches `q`, best first."""
    params = _search_params(request)
    try:
        results = engine.search(
            request.workspace, params["query"], kind=params["kind"], collection=params["collection"],
            tag=params["tag"], language=params["language"], limit=params["limit"], log=True,
        )
    except EmptyResultSet:
        # A provider person with no grant at all may read nothing: `visible_articles` is
        # `.none()`, which has no SQL for the engine to embed.
        results = engine.SearchResults(query=params["query"])
    slugs = dict(Collection.objects.filter(pk__in={h.collection_id for h in results.hits}).values_list("pk", "slug"))
    return JsonResponse({
        "query": params["query"],
        "corrected_query": results.corrected_query or None,
        "suggestions": results.suggestions,
        "total": min(results.total, engine.COUNT_CAP),
        "total_is_capped": results.total_is_capped,
        "total_label": results.total_label,
        "results": [_hit(request, hit, slugs) for hit in results.hits],
    })


# --- one article --------------------------------------------------------------------------

def _article_payload(request, article, revision, breadcrumbs) -> dict:
    rendered = revision.rendered or {}
    url = request.build_absolute_uri(article.get_absolute_url())
    steps = [
        {"n": n, "title": step["title"], "html": html, "anchor": f"step-{n}", "url": f"{url}#step-{n}"}
        for n, (step, html) in enumerate(zip(revision.steps, rendered.get("steps", []), strict=False), start=1)
    ]
    faqs = [
        {"n": n, "question": pair["question"], "alternatives": pair.get("alternatives", []), "html": html,
         "anchor": f"faq-{n}", "url": f"{url}#faq-{n}"}
        for n, (pair, html) in enumerate(zip(revision.faqs, rendered.get("faqs", []), strict=False), start=1)
    ]
    collection = article.collection
    return {
        "id": article.pk,
        "kind": article.kind,
        "title": revision.title,
        "collection": {"id": collection.pk, "slug": collection.slug, "name": collection.name},
        "language": revision.language,
        "tags": list(revision.tags),
        "url": url,
        "revision": revision.number,
        "published_at": article.last_published_at,
        "first_published_at": article.first_published_at,
        "review": {"review_by": article.review_by, "stale": article.is_stale, "verified_at": article.verified_at},
        "confidential": _is_confidential(article, breadcrumbs),
        "archived": article.is_archived,
        "body_html": rendered.get("body", ""),
        "steps": steps,
        "faqs": faqs,
        "attachments": _attachments(request, revision),
    }


def _attachments(request, revision) -> list[dict]:
    """The images and files the revision shows, each with its permission-checked address
    (this API's, for a token or a session; the app's, for a signed-in browser)."""
    from articles.attachments.selectors import revision_attachments

    return [{"id": str(item.pk), "kind": item.kind, "name": item.name, "type": item.content_type, "size": item.size,
             "url": request.build_absolute_uri(reverse("api:file", args=[item.pk])),
             "page_url": request.build_absolute_uri(reverse("articles:file-original", args=[item.pk]))}
            for item in revision_attachments(revision)]


def _is_confidential(article, breadcrumbs) -> bool:
    return article.confidential or any(collection.confidential for collection in breadcrumbs)


@api_endpoint
@requires("read")
def article(request, pk: int):
    """The published revision of one article, guide or FAQ, as the reading page shows it."""
    found = get_published_article_by_id_for_user(request, pk)
    revision = found.live_revision
    breadcrumbs = found.collection.ancestors() + [found.collection]
    if _is_confidential(found, breadcrumbs):
        audit.record(Action.CONFIDENTIAL_READ, obj=found, actor=Actor.from_request(request),
                     detail={"revision": revision.number, "via": "api"})
    return JsonResponse(_article_payload(request, found, revision, breadcrumbs))


@api_endpoint
@requires("read")
def file(request, file_id):
    """One image or file of an article, with the reader's access (the same 404 as the pages)."""
    from articles.attachments.views import serve_original

    return serve_original(request, file_id)


# --- the description ----------------------------------------------------------------------

@api_endpoint
@requires("member")
def schema(request):
    """The OpenAPI 3.1 description of this API, with this tenant's address as the server."""
    from . import openapi  # it describes this module, and imports its limits

    return JsonResponse(openapi.schema(server_url=request.build_absolute_uri("/api/v1")))

