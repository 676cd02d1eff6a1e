"""The editor: create, edit, publish, verify, archive, and its htmx helpers (preview, similar titles, a new row)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.postgres.search import TrigramSimilarity
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from permissions.policy import requires
from permissions.selectors import (
    get_rw_article_for_user,
    visible_articles,
    visible_collections,
)

from .. import rendering, services
from ..diff import diff_revisions
from ..forms import ArticleForm, rows_from_revision
from ..models import NEW_KIND, Collection, Kind, Language
from ..publish_choice import publish_choice
from . import undo


def editor_context(request, form, kind, article=None, steps=None, faqs=None, **extra) -> dict:
    return {
        "form": form,
        "kind": kind,
        "kind_label": Kind(kind).label,
        "new_label": NEW_KIND[Kind(kind)],
        "article": article,
        "steps": steps if steps is not None else form.steps,
        "faqs": faqs if faqs is not None else form.faqs,
        "max_kb": rendering.MAX_SOURCE_BYTES // 1000,
        "publish_choice": publish_choice(request),
        **extra,
    }


@requires("edit")
def article_create(request, kind):
    if kind not in Kind.values:
        raise Http404
    collections = visible_collections(request.workspace).active()
    if request.method == "POST":
        form = ArticleForm(request.POST, kind=kind, collections=collections)
        choice = publish_choice(request)
        if form.is_valid() and (choice.is_valid() or request.POST.get("action") != "publish"):
            try:
                article = services.article_create(
                    kind=kind,
                    collection=form.cleaned_data["collection"],
                    content=form.content(),
                    review_by=form.cleaned_data["review_by"],
                    summary=form.cleaned_data["summary"],
                    acting_user=request.user,
                    publish=request.POST.get("action") == "publish",
                    confidential=form.cleaned_data["confidential"],
                    publish_as=choice.publish_as() if choice.is_valid() else None,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                undo.remember(request, article, previous_id=None)
                messages.success(request, _("Published.") if article.is_published else _("Draft saved."))
                return redirect(article.url("read") + ("" if article.is_published else "?draft=1"))
        return render(request, "articles/editor.html", editor_context(request, form, kind), status=400)
    collection = collections.filter(slug=request.GET.get("collection", "")).first()
    form = ArticleForm(kind=kind, collections=collections, initial={
        "collection": collection, "language": request.LANGUAGE_CODE[:2] if request.LANGUAGE_CODE else "en",
        "title": " ".join(request.GET.get("title", "").split())[:200],  # from the content-gap report
    })
    starter = [{"key": uuid.uuid4().hex[:8], "order": 1}]
    return render(request, "articles/editor.html", editor_context(
        request, form, kind,
        steps=starter if kind == Kind.GUIDE else [],
        faqs=starter if kind == Kind.FAQ else [],
    ))


@requires("edit")
def article_edit(request, prefix, slug):
    article = get_rw_article_for_user(request, prefix, slug)
    collections = visible_collections(request.workspace).active() | Collection.objects.filter(pk=article.collection_id)
    latest = article.latest_revision
    previous_id = article.live_revision_id
    if request.method == "POST":
        form = ArticleForm(request.POST, kind=article.kind, collections=collections.distinct())
        choice = publish_choice(request)
        if form.is_valid() and (choice.is_valid() or request.POST.get("action") != "publish"):
            try:
                saved = services.article_save(
                    article=article,
                    expected_revision_id=form.cleaned_data["base_revision"],
                    content=form.content(),
                    summary=form.cleaned_data["summary"],
                    acting_user=request.user,
                    publish=request.POST.get("action") == "publish",
                    collection=form.cleaned_data["collection"],
                    review_by=form.cleaned_data["review_by"] or article.review_by,
                    confidential=form.cleaned_data["confidential"],
                    publish_as=choice.publish_as() if choice.is_valid() else None,
                )
            except services.EditConflict as conflict:
                return _conflict(request, form, article, conflict.current)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                live = article.live_revision_id == article.latest_revision_id
                if saved.published:
                    undo.remember(request, article, previous_id)
                messages.success(request, _save_message(saved))
                return redirect(article.url("read") + ("" if live else "?draft=1"))
        return render(request, "articles/editor.html", editor_context(request, form, article.kind, article), status=400)
    form = ArticleForm(kind=article.kind, collections=collections.distinct(), initial={
        "title": latest.title, "collection": article.collection, "language": latest.language,
        "tags": ", ".join(latest.tags), "review_by": article.review_by, "body": latest.body,
        "base_revision": latest.pk, "confidential": article.confidential,
    })
    steps, faqs = rows_from_revision(latest)
    return render(request, "articles/editor.html", editor_context(request, form, article.kind, article, steps, faqs))


def _save_message(saved: services.SaveResult) -> str:
    if saved.revision is None and not saved.published:
        if saved.settings_changed:
            return _("Settings saved. The text did not change, so no new revision was made.")
        return _("Nothing changed: no new revision was made.")
    if saved.revision is None:
        return _("Published (the text did not change, so no new revision was made).")
    return _("Published.") if saved.published else _("Draft saved.")


def _conflict(request, form, article, current):
    """Someone saved first: show both versions and let the author merge into the form, which
    now builds on the newer revision."""
    mine = form.content()
    mine_dict = services.Content(**mine.__dict__).as_dict()
    sections = diff_revisions(current.content(), {**mine_dict, "tags": services.normalise_tags(mine.tags)}, article.kind)
    data = form.data.copy()
    data["base_revision"] = str(current.pk)
    merged_form = ArticleForm(data, kind=article.kind, collections=form.fields["collection"].queryset)
    merged_form.is_valid()
    return render(request, "articles/conflict.html", editor_context(
        request, merged_form, article.kind, article,
        current=current, sections=sections,
    ), status=409)


@requires("edit")
@require_POST
def article_publish(request, prefix, slug):
    article = get_rw_article_for_user(request, prefix, slug)
    choice = publish_choice(request)
    if not choice.is_valid():
        messages.error(request, " ".join(error for errors in choice.errors.values() for error in errors))
        return redirect(article.url("read") + "?draft=1")
    previous_id = article.live_revision_id
    services.article_publish(article=article, revision=article.latest_revision, acting_user=request.user, **choice.publish_as())
    undo.remember(request, article, previous_id)
    messages.success(request, _("Published."))
    return redirect(article.url("read"))


@requires("edit")
@require_POST
def article_verify(request, prefix, slug):
    article = get_rw_article_for_user(request, prefix, slug)
    revision = None
    if request.POST.get("revision"):
        revision = article.revisions.filter(pk=_int_or_none(request.POST["revision"])).first()
        if revision is None:
            raise Http404
    try:
        services.article_verify(article=article, acting_user=request.user, revision=revision)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(article.url("read") + ("" if article.is_published else "?draft=1"))
    messages.success(request, _("Marked as verified: next review by %(date)s.") % {"date": article.review_by.isoformat()})
    return redirect(article.url("read"))


def _int_or_none(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else None


@requires("edit")
@require_POST
def article_archive(request, prefix, slug):
    article = get_rw_article_for_user(request, prefix, slug)
    archived = request.POST.get("archived", "1") == "1"
    services.article_archive(article=article, archived=archived, acting_user=request.user)
    messages.success(request, _("Archived.") if archived else _("Restored from the archive."))
    if request.POST.get("back") == "archive":  # brought back from the archive list: stay there
        return redirect("articles:archive")
    return redirect(article.url("read"))


def render_preview(request):
    """The editor's live preview: the same render and sanitiser as a saved revision. Callers
    check who may use it."""
    form = ArticleForm(request.POST, kind=request.POST.get("kind", Kind.ARTICLE), collections=Collection.objects.none())
    try:
        body_html = rendering.render_markdown(request.POST.get("body", ""))
        steps = [{"n": n, "title": s.get("title", ""), "html": rendering.render_markdown(s.get("body", ""))}
                 for n, s in enumerate(form.steps, start=1)]
        faqs = [{"n": n, "question": p.get("question", ""), "html": rendering.render_markdown(p.get("answer", ""))}
                for n, p in enumerate(form.faqs, start=1)]
    except rendering.RenderError:
        return HttpResponse(_("This text is too long or too convoluted to preview (the limit is %(limit)s KB).")
                            % {"limit": rendering.MAX_SOURCE_BYTES // 1000})
    return render(request, "articles/_preview.html", {
        "title": request.POST.get("title", ""), "body_html": body_html, "steps": steps, "faqs": faqs,
        # Step labels in the content's language ("Étape 1" on French content for anyone).
        "content_language": language if (language := request.POST.get("language", "")) in Language.values else "",
    })


def render_editor_row(request, group):
    """An empty step or question row for the editor (added with htmx)."""
    if group not in ("steps", "faqs"):
        raise Http404
    row = {"key": uuid.uuid4().hex[:8], "order": request.GET.get("order", 999)}
    return render(request, f"articles/_{group[:-1]}_row.html", {"row": row})


@requires("edit")
@require_POST
def preview(request):
    return render_preview(request)


@requires("edit")
@require_GET
def similar(request):
    """'A similar article exists': near-duplicate titles among what this person can see."""
    title = " ".join(request.GET.get("title", "").split())[:200]
    matches = []
    if len(title) >= 4:
        matches = list(
            visible_articles(request.workspace, drafts=True)
            .exclude(slug=request.GET.get("exclude", ""))
            .annotate(similarity=TrigramSimilarity("title", title))
            .filter(similarity__gte=0.3)
            .order_by("-similarity")[:5]
        )
    return render(request, "articles/_similar.html", {"matches": matches})


@requires("edit")
@require_GET
def editor_row(request, group):
    return render_editor_row(request, group)
