"""What grants open to provider people.

Rules:
- A provider person reaches content only through active grants given to one of their teams or
  to them personally (and only while their provider's engagement is active: the tenant access
  middleware refuses them otherwise).
- A grant on a collection covers its nested collections and their articles — except that
  inheritance stops at a *confidential* collection or article: only a grant naming it
  directly opens it.
- Provider people see published content only (drafts never).
- Expired grants stop working at once: every query filters on `expires_at`.

The computation is set-based and bounded: one query for the tenant's collection tree, one per
grant table, then one query for the articles. It never calls guardian per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from articles.models import Article, Collection
from tenants.selectors import WorkspaceAccess

from .models import ArticlePersonGrant, ArticleTeamGrant, CollectionPersonGrant, CollectionTeamGrant, Level


@dataclass
class ProviderReach:
    """The collections and articles one provider person may read and contribute to."""

    read_collections: set[int] = field(default_factory=set)
    contribute_collections: set[int] = field(default_factory=set)
    read_articles: set[int] = field(default_factory=set)  # direct article grants
    contribute_articles: set[int] = field(default_factory=set)


def _grant_filter(access: WorkspaceAccess) -> Q:
    return Q(user_id=access.user_id) | Q(group_id__in=access.team_group_ids)


def _active_grant_rows(model, access: WorkspaceAccess) -> QuerySet:
    if model in (CollectionPersonGrant, ArticlePersonGrant):
        return model.objects.active().filter(user_id=access.user_id)
    return model.objects.active().filter(group_id__in=access.team_group_ids)


def _active_grants(model, access: WorkspaceAccess) -> Iterable[tuple[int, str]]:
    return _active_grant_rows(model, access).values_list("content_object_id", "permission__codename")


def collection_tree() -> dict[int, tuple[int | None, bool]]:
    """id -> (parent id, confidential) for every collection of the tenant."""
    return {pk: (parent, confidential) for pk, parent, confidential in
            Collection.objects.values_list("pk", "parent_id", "confidential")}


def expand(direct: set[int], tree: dict[int, tuple[int | None, bool]]) -> set[int]:
    """Collections reached from directly granted ones, not descending into confidential
    collections (which need a grant of their own)."""
    children: dict[int | None, list[int]] = {}
    for pk, (parent, _confidential) in tree.items():
        children.setdefault(parent, []).append(pk)
    reached, stack = set(), [pk for pk in direct if pk in tree]
    while stack:
        pk = stack.pop()
        if pk in reached:
            continue
        reached.add(pk)
        for child in children.get(pk, []):
            if child not in reached and (not tree[child][1] or child in direct):
                stack.append(child)
    return reached


def provider_reach(access: WorkspaceAccess) -> ProviderReach:
    """Computed once per request (cached on the access object)."""
    cached = getattr(access, "_reach", None)
    if cached is not None:
        return cached
    reach = ProviderReach()
    if access.provider_id is None:
        return reach
    read_direct, contribute_direct = set(), set()
    for model in (CollectionPersonGrant, CollectionTeamGrant):
        for pk, codename in _active_grants(model, access):
            read_direct.add(pk)
            if codename.startswith("contribute_"):
                contribute_direct.add(pk)
    if read_direct:
        tree = collection_tree()
        reach.read_collections = expand(read_direct, tree)
        reach.contribute_collections = expand(contribute_direct, tree)
    for article_model in (ArticlePersonGrant, ArticleTeamGrant):
        for pk, codename in _active_grants(article_model, access):
            reach.read_articles.add(pk)
            if codename.startswith("contribute_"):
                reach.contribute_articles.add(pk)
    object.__setattr__(access, "_reach", reach)
    return reach


def provider_collections(access: WorkspaceAccess) -> QuerySet[Collection]:
    return Collection.objects.filter(pk__in=provider_reach(access).read_collections)


def _articles(collections: set[int], articles: set[int]) -> QuerySet[Article]:
    if not collections and not articles:
        return Article.objects.none()
    return Article.objects.published().filter(
        Q(collection_id__in=collections, confidential=False) | Q(pk__in=articles)
    )


def provider_articles(access: WorkspaceAccess) -> QuerySet[Article]:
    reach = provider_reach(access)
    return _articles(reach.read_collections, reach.read_articles)


def provider_contributable_articles(access: WorkspaceAccess) -> QuerySet[Article]:
    reach = provider_reach(access)
    return _articles(reach.contribute_collections, reach.contribute_articles)


# --- Why: the grants behind the reach (the access review) -----------------------------------


def grants_opening(grants: Iterable, tree: dict[int, tuple[int | None, bool]]) -> dict[int, list]:
    """Collection id -> the collection grants among `grants` that open it.

    A grant opens exactly what `expand` reaches from its own collection alone. The union over
    the grants is what `expand` reaches from all of them together (a path into a confidential
    collection always passes through a grant naming it), so the reasons given here can never
    disagree with `provider_reach`; tests/test_access_ui.py checks it on random trees."""
    by_target: dict[int, list] = {}
    for grant in grants:
        by_target.setdefault(grant.content_object_id, []).append(grant)
    opened: dict[int, list] = {}
    for target, rows in by_target.items():
        for pk in expand({target}, tree):
            opened.setdefault(pk, []).extend(rows)
    return opened


def strongest_level(grants: Iterable) -> str:
    """Contribute when any of the grants gives it (contribute implies read), else read."""
    return Level.CONTRIBUTE if any(grant.level == Level.CONTRIBUTE for grant in grants) else Level.READ


@dataclass
class ExplainedReach:
    """`provider_reach` with its reasons: for each reached collection the grants that open it,
    and for each directly granted article its grants. Levels follow `strongest_level`."""

    collections: dict[int, list] = field(default_factory=dict)
    articles: dict[int, list] = field(default_factory=dict)


def explain_reach(access: WorkspaceAccess, tree: dict[int, tuple[int | None, bool]] | None = None) -> ExplainedReach:
    explained = ExplainedReach()
    if access.provider_id is None:
        return explained
    collection_grants = [
        grant for model in (CollectionPersonGrant, CollectionTeamGrant)
        for grant in _active_grant_rows(model, access).select_related("permission")
    ]
    if collection_grants:
        explained.collections = grants_opening(collection_grants, collection_tree() if tree is None else tree)
    for model in (ArticlePersonGrant, ArticleTeamGrant):
        for grant in _active_grant_rows(model, access).select_related("permission"):
            explained.articles.setdefault(grant.content_object_id, []).append(grant)
    return explained


def confidential_opened(target) -> list:
    """What a grant on `target` would open that is confidential: the confidential collection
    (or article) itself and the articles it reaches. Empty when `target` is not confidential
    (inheritance stops at confidential content, so a grant elsewhere opens none of it)."""
    if isinstance(target, Collection):
        if not target.confidential:
            return []
        reached = expand({target.pk}, collection_tree())
        articles = Article.objects.published().filter(collection_id__in=reached, confidential=False)
        return [target, *articles.order_by("title")]
    return [target] if target.confidential or target.collection.confidential else []
