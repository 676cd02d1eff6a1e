"""The knowledge base's home page and the review list."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import resolve, reverse

from permissions.policy import requires
from permissions.selectors import (
    visible_articles,
    visible_collections,
)

from ..models import NEW_KIND, Collection, Kind


def _lookup_home(request):
    """The lookup page served at the home address. Found by its URL name, as a link would find
    it, so that articles depends on search's address and not on its code."""
    return resolve(reverse("search:lookup")).func(request)


@requires("member")
def home(request):
    """The knowledge base: collections, what needs review, what changed lately. Provider people
    (and anyone arriving with a query) get the lookup page instead: it is what they came for."""
    access = request.workspace
    if access.is_provider or "q" in request.GET:
        return _lookup_home(request)
    collections = visible_collections(access).active()
    top = [c for c in collections if c.parent_id is None or c.parent_id not in {x.pk for x in collections}]
    children: dict[int, list[Collection]] = {}
    for collection in collections:
        children.setdefault(collection.parent_id, []).append(collection)
    articles = visible_articles(access).active()
    recent = articles.select_related("collection").order_by("-last_published_at")[:10]
    to_review = []
    if access.can_edit:
        to_review = list(
            visible_articles(access, drafts=True).active().stale().filter(owner_id=request.user.pk)
            .select_related("collection").order_by("review_by")[:20]
        )
    return render(request, "articles/home.html", {
        "top_collections": top,
        "children": children,
        "recent": recent,
        "to_review": to_review,
        "kinds": [(kind.value, NEW_KIND[kind]) for kind in Kind],
    })


@requires("edit")
def review_list(request):
    """Content past its review-by date that this person owns (editors: everything stale)."""
    stale = visible_articles(request.workspace, drafts=True).active().stale().select_related("collection")
    if request.GET.get("all") != "1":
        stale = stale.filter(owner_id=request.user.pk)
    return render(request, "articles/review.html", {"articles": stale.order_by("review_by"), "all": request.GET.get("all") == "1"})


@requires("edit")
def archive_list(request):
    """What was archived, to be found and brought back: collections, then articles."""
    access = request.workspace
    collections = visible_collections(access).filter(archived_at__isnull=False).order_by("-archived_at")
    articles = (visible_articles(access, drafts=True).filter(archived_at__isnull=False)
                .select_related("collection").order_by("-archived_at"))
    return render(request, "articles/archive.html", {"collections": collections, "articles": articles})
