"""The one access layer for content: every list, page, search, export and API path asks here.

Client staff (admin, editor, viewer) see the whole tenant, confidential content included;
viewers see published content only. Provider people see only what grants open to them
(see permissions.grants), read afresh on every request, so a revoked grant closes the next one.

The `get_*` getters take the request (or a WorkspaceAccess) and answer 404 alike for a missing
object, another tenant's, one of the wrong kind and one this person may not reach: views never
resolve an object themselves (tests/test_architecture.py). The capability a view needs is
declared once with `@requires` (permissions.policy); getters named `get_rw_*` / `*_for_admin`
check it again, so that a getter is safe whoever calls it.
"""

from __future__ import annotations

from typing import cast

from django.db.models import QuerySet
from django.http import Http404

from articles.models import KIND_URL_PREFIX, Article, ArticleQuerySet, Collection, Kind, Revision, Suggestion
from tenants.models import User
from tenants.selectors import WorkspaceAccess

from .models import ArticlePersonGrant, ArticleTeamGrant, CollectionPersonGrant, CollectionTeamGrant

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


def visible_articles(access: WorkspaceAccess, *, drafts: bool = False) -> ArticleQuerySet:
    """Articles this person may read. `drafts=True` adds never-published articles for editors."""
    if access.is_client_staff:
        articles = Article.objects.all()
        if not (drafts and access.can_edit):
            articles = articles.published()
        return cast(ArticleQuerySet, articles)
    from .grants import provider_articles

    return cast(ArticleQuerySet, provider_articles(access))


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


def get_contributable_article_for_user(request, prefix: str, slug: str) -> Article:
    """An active article this person may propose changes to (a contribute grant covers it),
    with its live revision; 404 whether it is missing, of another kind, archived or not theirs."""
    access = _access(request)
    kind = PREFIX_TO_KIND.get(prefix)
    if kind is None:
        raise Http404
    try:
        return (
            cast(ArticleQuerySet, contributable_articles(access)).active()
            .select_related("live_revision", "collection")
            .get(slug=slug, kind=kind)
        )
    except Article.DoesNotExist:
        raise Http404 from None


def get_published_article_by_id_for_user(request, pk: int) -> Article:
    """A published article by id (the JSON API names articles by id), with its live revision
    and collection; 404 whether it is missing, unpublished or not for this person."""
    access = _access(request)
    found = (
        visible_articles(access)
        .select_related("collection", "live_revision")
        .filter(pk=pk, live_revision__isnull=False)
        .first()
    )
    if found is None:
        raise Http404
    return found


def find_collection_for_user(request, slug: str) -> Collection | None:
    """The collection with this slug among those this person may see, or None (missing,
    forbidden, and a slug no collection could have are the same answer)."""
    access = _access(request)
    # No slug holds a NUL (PostgreSQL refuses one in a query) or is longer than the column.
    if not slug or "\x00" in slug or len(slug) > (Collection._meta.get_field("slug").max_length or 0):
        return None
    return visible_collections(access).filter(slug=slug).first()


# --- Suggestions ------------------------------------------------------------------------------


def suggestions_for(access: WorkspaceAccess) -> QuerySet[Suggestion]:
    """The suggestions this person may look at: client editors and admins all of them (the
    review queue), provider people only their own, everyone else none."""
    if access.can_edit:
        return Suggestion.objects.all()
    if access.is_provider:
        return Suggestion.objects.filter(contributor_id=access.user_id)
    return Suggestion.objects.none()


def get_suggestion_for_user(request, pk: int) -> Suggestion:
    """The suggestion, or 404 whether it is missing or someone else's business."""
    access = _access(request)
    try:
        return (
            suggestions_for(access)
            .select_related("article__live_revision", "article__collection", "collection", "base_revision",
                            "resulting_revision__article")
            .get(pk=pk)
        )
    except Suggestion.DoesNotExist:
        raise Http404 from None


def get_rw_suggestion_for_user(request, pk: int) -> Suggestion:
    """For reviewing (accept, reject): client admins and editors only."""
    access = _access(request)
    if not access.can_edit:
        raise Http404
    return get_suggestion_for_user(request, pk)


def can_contribute(access: WorkspaceAccess) -> bool:
    """Whether this person holds any contribute grant (provider people only)."""
    if not access.is_provider:
        return False
    from .grants import provider_reach

    reach = provider_reach(access)
    return bool(reach.contribute_collections or reach.contribute_articles)


def get_contributor_access(request) -> WorkspaceAccess:
    """The access of a person who may propose now (a provider person holding a contribute
    grant somewhere), for the suggestion editor's pages that are about no one object; 404
    for anyone else."""
    access = _access(request)
    if not can_contribute(access):
        raise Http404
    return access


# --- The access pages (tenant admins) ---------------------------------------------------------

GRANT_KINDS = {
    "collection-team": CollectionTeamGrant,
    "collection-person": CollectionPersonGrant,
    "article-team": ArticleTeamGrant,
    "article-person": ArticlePersonGrant,
}


def get_grant_for_admin(request, kind: str, pk: int):
    """A grant of this tenant (the connection's schema) for its admins to change or revoke;
    404 for an unknown kind, a missing grant, and anyone who is not a tenant admin."""
    access = _access(request)
    model = GRANT_KINDS.get(kind)
    if model is None or not access.is_admin:
        raise Http404
    related = ["permission", "content_object"] + (["user"] if kind.endswith("person") else ["group"])
    grant = model._default_manager.select_related(*related).filter(pk=pk).first()
    if grant is None:
        raise Http404
    return grant


def get_reviewable_person_for_admin(request, pk: int) -> User:
    """A person of this tenant (client staff, or a provider person serving it) whose access a
    tenant admin may review; anyone else, existing or not, is a 404."""
    access = _access(request)
    if not access.is_admin:
        raise Http404
    from .review import reviewable_people

    staff, providers = reviewable_people(access.client)
    people = {m.user.pk: m.user for m in staff} | {p.user.pk: p.user for p in providers}
    if pk not in people:
        raise Http404
    return people[pk]


def can_edit(request) -> bool:
    access = getattr(request, "workspace", None)
    return bool(access and access.can_edit)


__all__ = [
    "GRANT_KINDS",
    "Kind",
    "can_contribute",
    "can_edit",
    "contributable_articles",
    "contributable_collections",
    "find_collection_for_user",
    "get_article_for_user",
    "get_collection_for_user",
    "get_contributable_article_for_user",
    "get_contributor_access",
    "get_grant_for_admin",
    "get_published_article_by_id_for_user",
    "get_reviewable_person_for_admin",
    "get_rw_article_for_user",
    "get_rw_collection_for_user",
    "get_rw_suggestion_for_user",
    "get_suggestion_for_user",
    "suggestions_for",
    "revision_for",
    "visible_articles",
    "visible_collections",
]
