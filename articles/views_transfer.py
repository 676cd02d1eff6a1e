"""Export a collection (or the whole tenant) as a zip of Markdown files, and import one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit import services as audit
from audit.models import Action
from audit.services import Actor
from permissions.policy import requires
from permissions.selectors import get_collection_for_user, visible_articles, visible_collections

from . import transfer

MAX_UPLOAD_BYTES = 60 * 1024 * 1024


class ImportForm(forms.Form):
    archive = forms.FileField(label=gettext_lazy("Zip archive exported from kbportal"))
    into = forms.ModelChoiceField(
        label=gettext_lazy("Put top-level collections inside"), required=False, queryset=None,
        empty_label=gettext_lazy("(top level)"),
    )
    publish = forms.BooleanField(label=gettext_lazy("Publish what is imported"), required=False, initial=True)

    def __init__(self, *args, collections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = collections


def _zip_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate().isoformat()}.zip"'
    return response


@requires("edit")
def export_tenant(request):
    """Everything this person can read (editors: drafts too, as their latest revision)."""
    access = request.workspace
    articles = visible_articles(access, drafts=True).select_related("collection")
    data = transfer.export_zip(visible_collections(access), articles)
    audit.record(Action.EXPORT, label=_("Whole knowledge base"), actor=Actor.from_request(request),
                 detail={"what": "knowledge base", "format": "zip", "articles": articles.count()})
    return _zip_response(data, request.tenant.schema_name)


@requires("edit")
def export_collection(request, slug):
    collection = get_collection_for_user(request, slug)
    access = request.workspace
    collections = visible_collections(access)
    ids, frontier = {collection.pk}, [collection.pk]
    while frontier:  # the collection and everything nested in it
        frontier = list(collections.filter(parent_id__in=frontier).exclude(pk__in=ids).values_list("pk", flat=True))
        ids.update(frontier)
    articles = visible_articles(access, drafts=True).filter(collection_id__in=ids).select_related("collection")
    data = transfer.export_zip(collections.filter(pk__in=ids), articles)
    audit.record(Action.EXPORT, obj=collection, actor=Actor.from_request(request),
                 detail={"what": "collection", "format": "zip", "articles": articles.count()})
    return _zip_response(data, collection.slug)


@requires("edit")
def import_archive(request):
    collections = visible_collections(request.workspace).active()
    form = ImportForm(request.POST or None, request.FILES or None, collections=collections)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["archive"]
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error("archive", _("This file is larger than %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // 2**20})
        else:
            try:
                report = transfer.import_zip(
                    upload.read(), acting_user=request.user, into=form.cleaned_data["into"],
                    publish=form.cleaned_data["publish"], source_name=upload.name,
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("archive", message)
            else:
                audit.record(Action.IMPORT, obj=form.cleaned_data["into"], label=upload.name, actor=Actor.from_request(request), detail={
                    "file": upload.name, "created": len(report.created_articles),
                    "updated": len(report.updated_articles), "unchanged": len(report.unchanged_articles),
                    "problems": len(report.errors),
                })
                messages.success(request, _("Import finished: %(new)s created, %(updated)s updated, %(errors)s problems.") % {
                    "new": len(report.created_articles), "updated": len(report.updated_articles), "errors": len(report.errors),
                })
    return render(request, "articles/import.html", {"form": form, "report": report}, status=400 if form.errors else 200)
