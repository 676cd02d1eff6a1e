"""The one access layer for content: every list, page, search, export and API path asks here.

Client staff (admin, editor, viewer) see the whole tenant, confidential content included;
viewers see published content only. Provider people see only what grants open to them
(see permissions.grants).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from articles.models import KIND_URL_PREFIX, Article, Collection, Kind, Revision
from tenants.selectors import WorkspaceAccess

PREFIX_TO_KIND = {prefix: kind for kind, prefix in KIND_URL_PREFIX.items()}


def _access(request_or_access) -> WorkspaceAccess:
    access = getattr(request_or_access, "workspace", request_or_access)
    if not isinstance(access, WorkspaceAccess):
        raise Http404
    return access


def visible_collections(access: WorkspaceAccess) -> QuerySet[Collection]:
    if access.is_client_staff:
        return Collection.objects.all()
    from .grants import provider_collections

    return provider_collections(access)


def visible_articles(access: WorkspaceAccess, *, drafts: bool = False) -> QuerySet[Article]:
    """Articles this person may read. `drafts=True` adds never-published articles for editors."""
    if access.is_client_staff:
        articles = Article.objects.all()
        if not (drafts and access.can_edit):
            articles = articles.published()
        return articles
    from .grants import provider_articles

    return provider_articles(access)


def contributable_articles(access: WorkspaceAccess) -> QuerySet[Article]:
    """Articles this person may propose changes to (provider people with contribute grants);
    client editors edit directly instead."""
    if access.is_client_staff:
        return Article.objects.none()
    from .grants import provider_contributable_articles

    return provider_contributable_articles(access)


def contributable_collections(access: WorkspaceAccess) -> QuerySet[Collection]:
    """Collections in which this person may propose new articles."""
    if access.is_client_staff:
        return Collection.objects.none()
    from .grants import provider_reach

    return Collection.objects.filter(pk__in=provider_reach(access).contribute_collections)


def get_collection_for_user(request, slug: str) -> Collection:
    access = _access(request)
    try:
        return visible_collections(access).get(slug=slug)
    except Collection.DoesNotExist:
        raise Http404 from None


def get_rw_collection_for_user(request, slug: str) -> Collection:
    access = _access(request)
    if not access.can_edit:
        raise Http404
    return get_collection_for_user(request, slug)


def get_article_for_user(request, prefix: str, slug: str, *, drafts: bool = False) -> Article:
    """The article, or 404 whether it is missing, of another kind, or not for this person."""
    access = _access(request)
    kind = PREFIX_TO_KIND.get(prefix)
    if kind is None:
        raise Http404
    try:
        article = (
            visible_articles(access, drafts=drafts)
            .select_related("collection", "live_revision", "latest_revision")
            .get(slug=slug, kind=kind)
        )
    except Article.DoesNotExist:
        raise Http404 from None
    return article


def get_rw_article_for_user(request, prefix: str, slug: str) -> Article:
    """For editing: client admins and editors only (providers propose through suggestions)."""
    access = _access(request)
    if not access.can_edit:
        raise Http404
    return get_article_for_user(request, prefix, slug, drafts=True)


def revision_for(access: WorkspaceAccess, article: Article, *, draft: bool = False) -> Revision | None:
    """The revision of `article` (found through this layer) this person reads: the live one.
    Editors get the latest draft when they ask for it (`draft`) or when nothing is published
    yet; nobody else ever does. The one place that decides whether a draft is shown (the
    article row's title, language and tags are the live revision's already)."""
    if access.can_edit and (draft or article.live_revision_id is None):
        return article.latest_revision
    return article.live_revision


def can_edit(request) -> bool:
    access = getattr(request, "workspace", None)
    return bool(access and access.can_edit)


__all__ = [
    "Kind",
    "can_edit",
    "contributable_articles",
    "contributable_collections",
    "get_article_for_user",
    "get_collection_for_user",
    "get_rw_article_for_user",
    "get_rw_collection_for_user",
    "revision_for",
    "visible_articles",
    "visible_collections",
]
