"""Suggestions: provider people propose, client editors review.

Every view resolves what it shows through one access helper and answers 404 alike for missing
and forbidden: the review queue and review pages are for client editors and admins; provider
people reach the suggestion editor only for content their contribute grants cover, and see only
their own suggestions.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit.services import Actor
from permissions.policy import requires
from permissions.selectors import (
    can_contribute,
    contributable_collections,
    get_contributable_article_for_user,
    get_contributor_access,
    get_rw_suggestion_for_user,
    get_suggestion_for_user,
    suggestions_for,
    visible_articles,
)
from tenants.models import SiteAddress
from tenants.selectors import person_labels

from . import selectors, services
from .diff import diff_revisions, has_changes
from .forms import AcceptForm, RejectForm, SuggestionForm, rows_from_revision
from .models import Collection, Kind, Suggestion, SuggestionStatus
from .publish_choice import publish_choice
from .services import EditConflict
from .views import editor_context, render_editor_row, render_preview


def _already_reviewed(request, suggestion: Suggestion):
    messages.info(request, _("This suggestion was already reviewed."))
    return redirect("articles:suggestion", suggestion.pk)


# The review queue and page (client editors and admins) ---------------------------------------


@requires("edit")
def queue(request):
    """Suggestions waiting for review (or the reviewed ones, by status)."""
    status = request.GET.get("status", SuggestionStatus.PENDING)
    if status not in SuggestionStatus.values:
        status = SuggestionStatus.PENDING
    reviewable = suggestions_for(request.workspace)
    items = list(
        reviewable.filter(status=status)
        .select_related("article", "collection")
        .order_by("created_at" if status == SuggestionStatus.PENDING else "-reviewed_at")[:200]
    )
    names = person_labels({s.contributor_id for s in items}, request.workspace)
    rows = [{"suggestion": s, "contributor": names.get(s.contributor_id), "stale": selectors.is_stale(s)} for s in items]
    return render(request, "articles/suggestions.html", {
        "rows": rows, "status": status, "statuses": SuggestionStatus.choices,
        "pending_count": reviewable.filter(status=SuggestionStatus.PENDING).count(),
    })


@requires("read")
def detail(request, pk, reject_form=None, status=200):
    """For editors, the review page: what accepting would change in the published version,
    and what changed in the article since the suggestion was made. For the contributor, their
    suggestion and what became of it."""
    suggestion = get_suggestion_for_user(request, pk)
    access = request.workspace
    article = suggestion.article
    current = article.live_revision if article is not None else None
    base = suggestion.base_revision
    reviewing = access.can_edit and suggestion.is_pending
    if reviewing:
        old = current.content() if current is not None else {}
        sections = diff_revisions(old, selectors.proposed_content(suggestion), suggestion.kind)
    else:
        sections = diff_revisions(base.content() if base is not None else {}, suggestion.content(), suggestion.kind)
    stale = reviewing and selectors.is_stale(suggestion)
    stale_sections = []
    if stale and base is not None and current is not None:
        stale_sections = diff_revisions(base.content(), current.content(), suggestion.kind)
    names = person_labels({suggestion.contributor_id, suggestion.reviewed_by_id}, access)
    return render(request, "articles/suggestion.html", {
        "suggestion": suggestion,
        "article": article,
        "current": current,
        "base": base,
        "sections": sections,
        "changed": has_changes(sections),
        "reviewing": reviewing,
        "stale": stale,
        "stale_sections": stale_sections,
        "draft": article.latest_revision if reviewing and article is not None and article.has_unpublished_changes else None,
        "contributor": names.get(suggestion.contributor_id),
        "reviewer": names.get(suggestion.reviewed_by_id),
        "reject_form": reject_form or RejectForm(),
        "publish_choice": publish_choice(request),
        "can_read_article": article is not None and (access.can_edit or _readable(access, article)),
    }, status=status)


def _readable(access, article) -> bool:
    return visible_articles(access).filter(pk=article.pk).exists()


@requires("edit")
@require_POST
def accept(request, pk):
    """Accept as it is: published at once, crediting the contributor."""
    suggestion = get_rw_suggestion_for_user(request, pk)
    if not suggestion.is_pending:
        return _already_reviewed(request, suggestion)
    try:
        choice = publish_choice(request)
        if not choice.is_valid():
            messages.error(request, " ".join(error for errors in choice.errors.values() for error in errors))
            return redirect("articles:suggestion", suggestion.pk)
        revision = services.suggestion_accept(
            suggestion=suggestion, acting_user=request.user, actor=Actor.from_request(request), site=SiteAddress.from_request(request),
            publish_as=choice.publish_as())
    except (ValidationError, EditConflict) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("articles:suggestion", suggestion.pk)
    messages.success(request, _("Accepted and published as revision %(n)s of “%(title)s”. The contributor is told.")
                     % {"n": revision.number, "title": revision.title})
    return redirect("articles:suggestions")


@requires("edit")
def accept_with_changes(request, pk):
    """The editor, prefilled with the suggestion; saving accepts and publishes."""
    suggestion = get_rw_suggestion_for_user(request, pk)
    if not suggestion.is_pending:
        return _already_reviewed(request, suggestion)
    article = suggestion.article
    kind = suggestion.kind
    summary = (_("Suggestion: %(reason)s") % {"reason": " ".join(suggestion.reason.split())})[:300]
    if request.method == "POST":
        form = AcceptForm(request.POST, kind=kind, collections=Collection.objects.none())
        choice = publish_choice(request)
        if form.is_valid() and choice.is_valid():
            try:
                revision = services.suggestion_accept(
                    suggestion=suggestion, acting_user=request.user, content=form.content(),
                    expected_revision_id=form.cleaned_data["base_revision"] if article is not None else None,
                    summary=form.cleaned_data["summary"] or summary,
                    actor=Actor.from_request(request), site=SiteAddress.from_request(request),
                    publish_as=choice.publish_as(),
                )
            except EditConflict:
                messages.error(request, _("Someone published this article while you were editing. "
                                          "Review the suggestion again: nothing was saved."))
                return redirect("articles:suggestion", suggestion.pk)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Accepted with your changes and published as revision %(n)s. "
                                            "The contributor is told.") % {"n": revision.number})
                return redirect(revision.article.get_absolute_url())
        return render(request, "articles/suggestion_accept.html",
                      editor_context(request, form, kind, article, suggestion=suggestion), status=400)
    content = selectors.proposed_content(suggestion)
    form = AcceptForm(kind=kind, collections=Collection.objects.none(), initial={
        "title": content["title"], "language": content["language"], "tags": ", ".join(content["tags"]),
        "body": content["body"], "summary": summary,
        "base_revision": article.latest_revision_id if article is not None else None,
    })
    steps, faqs = rows_from_revision(_Rows(content))
    return render(request, "articles/suggestion_accept.html",
                  editor_context(request, form, kind, article, steps, faqs, suggestion=suggestion))


class _Rows:
    """Content shaped like a revision, for `rows_from_revision`."""

    def __init__(self, content: dict):
        self.steps = content.get("steps") or []
        self.faqs = content.get("faqs") or []


@requires("edit")
@require_POST
def reject(request, pk):
    suggestion = get_rw_suggestion_for_user(request, pk)
    if not suggestion.is_pending:
        return _already_reviewed(request, suggestion)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.suggestion_reject(suggestion=suggestion, acting_user=request.user,
                                          reason=form.cleaned_data["reason"], actor=Actor.from_request(request), site=SiteAddress.from_request(request))
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            messages.success(request, _("Suggestion rejected. The contributor is told why."))
            return redirect("articles:suggestions")
    return detail(request, pk, reject_form=form, status=400)


# Proposing (provider people with contribute) ---------------------------------------------------


@requires("contribute")
def mine(request):
    """The contributor's suggestions and what became of them."""
    access = request.workspace
    items = list(suggestions_for(access).select_related("article", "collection", "resulting_revision__article"))
    if not items and not can_contribute(access):
        raise Http404
    names = person_labels({s.reviewed_by_id for s in items}, access)
    article_ids = {s.article_id or (s.resulting_revision.article_id if s.resulting_revision else None) for s in items}
    readable = set()
    if article_ids - {None}:
        readable = set(visible_articles(access).filter(pk__in=article_ids - {None}).values_list("pk", flat=True))
    rows = []
    for s in items:
        article_id = s.article_id or (s.resulting_revision.article_id if s.resulting_revision else None)
        rows.append({"suggestion": s, "reviewer": names.get(s.reviewed_by_id), "readable": article_id in readable})
    return render(request, "articles/suggestions_mine.html", {
        "rows": rows,
        "collections": contributable_collections(access).active(),
        "kinds": Kind.choices,
    })


@requires("contribute")
def suggest(request, prefix, slug):
    """The editor for proposing a change to an article the person may contribute to."""
    access = request.workspace
    article = get_contributable_article_for_user(request, prefix, slug)
    live = article.live_revision
    if request.method == "POST":
        form = SuggestionForm(request.POST, kind=article.kind, collections=Collection.objects.none())
        if form.is_valid():
            base = article.revisions.filter(pk=form.cleaned_data["base_revision"] or 0).first()
            try:
                services.suggestion_create(
                    access=access, acting_user=request.user, article=article, base_revision=base,
                    content=form.content(), reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Thank you: your suggestion was sent to the editors. You will hear "
                                            "back by e-mail and under “My suggestions”."))
                return redirect("articles:suggestions-mine")
        return render(request, "articles/suggest.html", editor_context(request, form, article.kind, article),
                      status=400)
    form = SuggestionForm(kind=article.kind, collections=Collection.objects.none(), initial={
        "title": live.title, "language": live.language, "tags": ", ".join(live.tags), "body": live.body,
        "base_revision": live.pk,
    })
    steps, faqs = rows_from_revision(live)
    return render(request, "articles/suggest.html", editor_context(request, form, article.kind, article, steps, faqs))


@requires("contribute")
def suggest_new(request, kind):
    """The editor for proposing a new article, guide or FAQ in a collection."""
    access = request.workspace
    if kind not in Kind.values:
        raise Http404
    collections = contributable_collections(access).active()
    if not collections.exists():
        raise Http404
    if request.method == "POST":
        form = SuggestionForm(request.POST, kind=kind, collections=collections, new_article=True)
        if form.is_valid():
            try:
                services.suggestion_create(
                    access=access, acting_user=request.user, collection=form.cleaned_data["collection"],
                    kind=kind, content=form.content(), reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Thank you: your proposal was sent to the editors. You will hear "
                                            "back by e-mail and under “My suggestions”."))
                return redirect("articles:suggestions-mine")
        return render(request, "articles/suggest.html", editor_context(request, form, kind), status=400)
    form = SuggestionForm(kind=kind, collections=collections, new_article=True, initial={
        "collection": collections.filter(slug=request.GET.get("collection", "")).first(),
        "language": (request.LANGUAGE_CODE or "en")[:2],
    })
    starter = [{"key": uuid.uuid4().hex[:8], "order": 1}]
    return render(request, "articles/suggest.html", editor_context(
        request, form, kind, steps=starter if kind == Kind.GUIDE else [], faqs=starter if kind == Kind.FAQ else [],
    ))


@requires("contribute")
@require_GET
def editor_row(request, group):
    """A blank step or question row for the suggestion editor."""
    get_contributor_access(request)
    return render_editor_row(request, group)


@requires("contribute")
@require_POST
def preview(request):
    """Live preview for the suggestion editor: the same render and sanitiser as a revision."""
    get_contributor_access(request)
    return render_preview(request)
