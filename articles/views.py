"""Tenant views for collections, articles, guides and FAQs.

Each view resolves its object through permissions.selectors (no access means 404), calls one
service, and renders or redirects.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.postgres.search import TrigramSimilarity
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import resolve, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit import services as audit
from audit.models import Action
from audit.services import Actor
from permissions.policy import requires
from permissions.selectors import (
    can_edit,
    contributable_articles,
    get_article_for_user,
    get_collection_for_user,
    get_rw_article_for_user,
    get_rw_collection_for_user,
    revision_for,
    visible_articles,
    visible_collections,
)

from . import events, rendering, services
from .diff import diff_revisions, has_changes
from .forms import ArticleForm, CollectionForm, FeedbackForm, rows_from_revision
from .models import Article, Collection, Kind

COLLECTION_PAGE_SIZE = 200


def _require_editor(request) -> None:
    if not can_edit(request):
        raise Http404


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
        "kinds": Kind.choices,
    })


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
        "kinds": Kind.choices,
    })


@requires("edit")
def collection_create(request):
    _require_editor(request)
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
    return redirect(collection)


@requires("edit")
@require_POST
def collection_move(request, slug):
    collection = get_rw_collection_for_user(request, slug)
    services.collection_move(collection=collection, offset=-1 if request.POST.get("direction") == "up" else 1)
    return redirect(collection.parent or "articles:home")


@requires("read")
def article_read(request, prefix, slug):
    """The reading page: the published revision (editors may look at the draft)."""
    access = request.workspace
    article = get_article_for_user(request, prefix, slug, drafts=access.can_edit)
    revision = revision_for(access, article, draft=request.GET.get("draft") == "1")
    if revision is None:
        raise Http404
    show_draft = revision.pk != article.live_revision_id
    context = _reading_context(request, article, revision, show_draft)
    if article.confidential or any(collection.confidential for collection in context["breadcrumbs"]):
        audit.record(Action.CONFIDENTIAL_READ, obj=article, actor=Actor.from_request(request), detail={"revision": revision.number})
    if revision == article.live_revision:
        context.update(events.opened(access=access, article=article))
    return render(request, "articles/read.html", context)


def _reading_context(request, article: Article, revision, show_draft: bool) -> dict:
    rendered = revision.rendered or {}
    steps = [
        {"n": n, "title": step["title"], "html": html}
        for n, (step, html) in enumerate(zip(revision.steps, rendered.get("steps", []), strict=False), start=1)
    ]
    faqs = [
        {"n": n, "question": pair["question"], "alternatives": pair.get("alternatives", []), "html": html}
        for n, (pair, html) in enumerate(zip(revision.faqs, rendered.get("faqs", []), strict=False), start=1)
    ]
    toc = rendering.extract_toc(rendered.get("body", ""))
    return {
        "article": article,
        "revision": revision,
        "body_html": rendered.get("body", ""),
        "steps": steps,
        "faqs": faqs,
        "toc": toc if len(toc) >= 3 else [],
        "breadcrumbs": article.collection.ancestors() + [article.collection],
        "show_draft": show_draft,
        "feedback_form": FeedbackForm(),
        "can_edit": can_edit(request),
        "can_suggest": contributable_articles(request.workspace).active().filter(pk=article.pk).exists(),
    }


def _editor_context(request, form, kind, article=None, steps=None, faqs=None, **extra) -> dict:
    return {
        "form": form,
        "kind": kind,
        "kind_label": Kind(kind).label,
        "article": article,
        "steps": steps if steps is not None else form.steps,
        "faqs": faqs if faqs is not None else form.faqs,
        "max_kb": rendering.MAX_SOURCE_BYTES // 1000,
        **extra,
    }


@requires("edit")
def article_create(request, kind):
    _require_editor(request)
    if kind not in Kind.values:
        raise Http404
    collections = visible_collections(request.workspace).active()
    if request.method == "POST":
        form = ArticleForm(request.POST, kind=kind, collections=collections)
        if form.is_valid():
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
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Published.") if article.is_published else _("Draft saved."))
                return redirect(article.url("read") + ("" if article.is_published else "?draft=1"))
        return render(request, "articles/editor.html", _editor_context(request, form, kind), status=400)
    collection = collections.filter(slug=request.GET.get("collection", "")).first()
    form = ArticleForm(kind=kind, collections=collections, initial={
        "collection": collection, "language": request.LANGUAGE_CODE[:2] if request.LANGUAGE_CODE else "en",
        "title": " ".join(request.GET.get("title", "").split())[:200],  # from the content-gap report
    })
    starter = [{"key": uuid.uuid4().hex[:8], "order": 1}]
    return render(request, "articles/editor.html", _editor_context(
        request, form, kind,
        steps=starter if kind == Kind.GUIDE else [],
        faqs=starter if kind == Kind.FAQ else [],
    ))


@requires("edit")
def article_edit(request, prefix, slug):
    article = get_rw_article_for_user(request, prefix, slug)
    collections = visible_collections(request.workspace).active() | Collection.objects.filter(pk=article.collection_id)
    latest = article.latest_revision
    if request.method == "POST":
        form = ArticleForm(request.POST, kind=article.kind, collections=collections.distinct())
        if form.is_valid():
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
                )
            except services.EditConflict as conflict:
                return _conflict(request, form, article, conflict.current)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                live = article.live_revision_id == article.latest_revision_id
                messages.success(request, _save_message(saved))
                return redirect(article.url("read") + ("" if live else "?draft=1"))
        return render(request, "articles/editor.html", _editor_context(request, form, article.kind, article), status=400)
    form = ArticleForm(kind=article.kind, collections=collections.distinct(), initial={
        "title": latest.title, "collection": article.collection, "language": latest.language,
        "tags": ", ".join(latest.tags), "review_by": article.review_by, "body": latest.body,
        "base_revision": latest.pk, "confidential": article.confidential,
    })
    steps, faqs = rows_from_revision(latest)
    return render(request, "articles/editor.html", _editor_context(request, form, article.kind, article, steps, faqs))


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
    return render(request, "articles/conflict.html", _editor_context(
        request, merged_form, article.kind, article,
        current=current, sections=sections,
    ), status=409)


@requires("edit")
@require_POST
def article_publish(request, prefix, slug):
    article = get_rw_article_for_user(request, prefix, slug)
    services.article_publish(article=article, revision=article.latest_revision, acting_user=request.user)
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
    return redirect(article.url("read"))


@requires("read")
@require_POST
def article_feedback(request, prefix, slug):
    article = get_article_for_user(request, prefix, slug, drafts=request.workspace.can_edit)
    form = FeedbackForm(request.POST)
    revision = revision_for(request.workspace, article)
    if form.is_valid() and revision is not None:
        services.feedback_add(revision=revision, acting_user=request.user, **form.cleaned_data)
        text = _("Thank you: your feedback was recorded.")
    else:
        text = _("Choose yes or no.")
    if request.htmx:
        return HttpResponse(f'<p class="muted" role="status">{text}</p>')
    messages.info(request, text)
    return redirect(article.url("read"))


@requires("edit")
def history(request, prefix, slug):
    article = get_rw_article_for_user(request, prefix, slug)
    revisions = article.revisions.select_related("author", "contributor")
    return render(request, "articles/history.html", {"article": article, "revisions": revisions})


@requires("edit")
def revision_detail(request, prefix, slug, number):
    article = get_rw_article_for_user(request, prefix, slug)
    revision = article.revisions.filter(number=number).first()
    if revision is None:
        raise Http404
    context = _reading_context(request, article, revision, show_draft=True)
    context["viewing_revision"] = True
    return render(request, "articles/read.html", context)


@requires("edit")
def compare(request, prefix, slug):
    article = get_rw_article_for_user(request, prefix, slug)
    revisions = list(article.revisions.all())
    if len(revisions) < 2:
        messages.info(request, _("There is only one revision: nothing to compare yet."))
        return redirect(article.url("history"))
    by_number = {r.number: r for r in revisions}
    try:
        a = by_number[int(request.GET.get("a") or revisions[1].number)]
        b = by_number[int(request.GET.get("b") or revisions[0].number)]
    except (KeyError, ValueError):
        raise Http404 from None
    if a.number > b.number:
        a, b = b, a
    sections = diff_revisions(a.content(), b.content(), article.kind)
    return render(request, "articles/compare.html", {
        "article": article, "a": a, "b": b, "sections": sections,
        "changed": has_changes(sections), "revisions": revisions,
    })


@requires("edit")
@require_POST
def restore(request, prefix, slug, number):
    article = get_rw_article_for_user(request, prefix, slug)
    revision = article.revisions.filter(number=number).first()
    if revision is None:
        raise Http404
    new = services.revision_restore(article=article, revision=revision, acting_user=request.user)
    messages.success(request, _("Revision %(old)s restored as revision %(new)s (a draft: publish it to show it to readers).")
                     % {"old": revision.number, "new": new.number})
    return redirect(article.url("read") + "?draft=1")


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
    _require_editor(request)
    return render_preview(request)


@requires("edit")
@require_GET
def similar(request):
    """'A similar article exists': near-duplicate titles among what this person can see."""
    _require_editor(request)
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
    _require_editor(request)
    return render_editor_row(request, group)


@requires("edit")
def review_list(request):
    """Content past its review-by date that this person owns (editors: everything stale)."""
    _require_editor(request)
    stale = visible_articles(request.workspace, drafts=True).active().stale().select_related("collection")
    if request.GET.get("all") != "1":
        stale = stale.filter(owner_id=request.user.pk)
    return render(request, "articles/review.html", {"articles": stale.order_by("review_by"), "all": request.GET.get("all") == "1"})

