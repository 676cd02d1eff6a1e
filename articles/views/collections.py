"""Collection pages: read, create, edit, archive, move."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from permissions.policy import requires
from permissions.selectors import (
    get_collection_for_user,
    get_rw_collection_for_user,
    visible_articles,
    visible_collections,
)

from .. import services
from ..forms import CollectionForm
from ..models import NEW_KIND, Kind

COLLECTION_PAGE_SIZE = 200


@requires("read")
def collection_detail(request, slug):
    collection = get_collection_for_user(request, slug)
    access = request.workspace
    subcollections = visible_collections(access).filter(parent=collection)
    if not collection.is_archived:
        subcollections = subcollections.active()
    articles = visible_articles(access, drafts=access.can_edit).filter(collection=collection)
    if not collection.is_archived:
        articles = articles.filter(archived_at__isnull=True)
    page = Paginator(articles.order_by("title", "pk"), COLLECTION_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "articles/collection.html", {
        "collection": collection,
        "subcollections": subcollections,
        "articles": page.object_list,
        "page": page,
        "breadcrumbs": collection.ancestors(),
        "kinds": [(kind.value, NEW_KIND[kind]) for kind in Kind],
    })


@requires("edit")
def collection_create(request):
    collections = visible_collections(request.workspace).active()
    form = CollectionForm(request.POST or None, collections=collections,
                          initial={"parent": request.GET.get("parent") and collections.filter(slug=request.GET["parent"]).first()})
    if request.method == "POST" and form.is_valid():
        try:
            collection = services.collection_create(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Collection created."))
            return redirect(collection)
    return render(request, "articles/collection_form.html", {"form": form})


@requires("edit")
def collection_edit(request, slug):
    collection = get_rw_collection_for_user(request, slug)
    collections = visible_collections(request.workspace).active().exclude(pk=collection.pk)
    initial = {
        "name": collection.name, "description": collection.description, "parent": collection.parent,
        "review_interval_days": collection.review_interval_days, "confidential": collection.confidential,
    }
    form = CollectionForm(request.POST or None, collections=collections, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.collection_update(collection=collection, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Collection saved."))
            return redirect(collection)
    return render(request, "articles/collection_form.html", {"form": form, "collection": collection})


@requires("edit")
@require_POST
def collection_archive(request, slug):
    collection = get_rw_collection_for_user(request, slug)
    archived = request.POST.get("archived", "1") == "1"
    services.collection_archive(collection=collection, archived=archived)
    messages.success(request, _("Collection archived.") if archived else _("Collection restored."))
    if request.POST.get("back") == "archive":  # brought back from the archive list: stay there
        return redirect("articles:archive")
    return redirect(collection)


@requires("edit")
@require_POST
def collection_move(request, slug):
    collection = get_rw_collection_for_user(request, slug)
    services.collection_move(collection=collection, offset=-1 if request.POST.get("direction") == "up" else 1)
    return redirect(collection.parent or "articles:home")
