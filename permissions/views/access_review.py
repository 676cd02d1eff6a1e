"""The access review: who can reach a collection or an article, and what a person can reach."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from articles.models import Collection
from tenants.models import User

from .. import review
from ..policy import requires
from ..selectors import get_article_for_user, get_collection_for_user
from .common import _access_url, _csv_response


def _review_page(request, result: review.Review, export_url: str, csv_name: str):
    if request.GET.get("format") == "csv":
        rows = ([line.person.get_full_name(), line.person.email,
                 _("Client staff") if line.side == "client" else _("Provider"), line.role, line.level_label,
                 " | ".join(line.reasons)] for line in result.lines)
        header = [_("Name"), _("E-mail address"), _("Side"), _("Role"), _("Level"), _("Why")]
        return _csv_response(request, csv_name, header, rows, obj=result.target, what="access review")
    return render(request, "permissions/review.html", {
        "target": result.target,
        "is_collection": isinstance(result.target, Collection),
        "review": result,
        "export_url": export_url,
        "grants_url": _access_url(result.target),
    })


@requires("admin")
def review_collection(request, slug):
    collection = get_collection_for_user(request, slug)
    result = review.collection_review(collection, request.workspace.client)
    return _review_page(request, result, reverse("access:review-collection", args=[slug]) + "?format=csv",
                        f"access-{collection.slug}")


@requires("admin")
def review_article(request, prefix, slug):
    article = get_article_for_user(request, prefix, slug, drafts=True)
    result = review.article_review(article, request.workspace.client)
    return _review_page(request, result, reverse("access:review-article", args=[prefix, slug]) + "?format=csv",
                        f"access-{article.slug}")


@requires("admin")
def review_people(request):
    staff, providers = review.reviewable_people(request.workspace.client)
    return render(request, "permissions/review_people.html", {"staff": staff, "providers": providers})


def _get_reviewable_person(request, pk: int) -> User:
    """A person of this tenant (client staff or a provider person serving it); anyone else,
    existing or not, is a 404."""
    staff, providers = review.reviewable_people(request.workspace.client)
    people = {m.user.pk: m.user for m in staff} | {p.user.pk: p.user for p in providers}
    if pk not in people:
        raise Http404
    return people[pk]


@requires("admin")
def review_person(request, pk):
    person = _get_reviewable_person(request, pk)
    result = review.person_review(person, request.workspace.client)
    if result is None:
        raise Http404
    if request.GET.get("format") == "csv":
        def rows():
            for item in result.collections:
                yield [_("Collection"), item.obj.name, item.obj.slug, item.level_label, " | ".join(item.reasons)]
            for item in result.articles:
                yield [item.obj.get_kind_display(), item.obj.title, item.obj.slug, item.level_label,
                       " | ".join(item.reasons)]
        header = [_("Kind"), _("Name"), _("Slug"), _("Level"), _("Why")]
        return _csv_response(request, f"access-{person.pk}", header, rows(), what=f"access review of {person.email}")
    return render(request, "permissions/review_person.html", {
        "review": result,
        "person": person,
        "export_url": reverse("access:review-person", args=[pk]) + "?format=csv",
    })
