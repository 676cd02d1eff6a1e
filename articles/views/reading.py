"""The reading page of an article, guide or FAQ, and its feedback form."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit import services as audit
from audit.models import Action
from audit.services import Actor
from permissions.policy import requires
from permissions.selectors import (
    can_edit,
    contributable_articles,
    get_article_for_user,
    revision_for,
)

from .. import events, rendering, services
from ..forms import FeedbackForm
from ..models import Article
from ..publish_choice import publish_choice
from . import undo


@requires("read")
def article_read(request, prefix, slug):
    """The reading page: the published revision (editors may look at the draft)."""
    access = request.workspace
    article = get_article_for_user(request, prefix, slug, drafts=access.can_edit)
    revision = revision_for(access, article, draft=request.GET.get("draft") == "1")
    if revision is None:
        raise Http404
    show_draft = revision.pk != article.live_revision_id
    context = reading_context(request, article, revision, show_draft)
    if article.confidential or any(collection.confidential for collection in context["breadcrumbs"]):
        audit.record(Action.CONFIDENTIAL_READ, obj=article, actor=Actor.from_request(request), detail={"revision": revision.number})
    if revision == article.live_revision:
        context.update(events.opened(access=access, article=article, from_query=request.GET.get("from", "")))
        context["publish_undo"] = undo.offer(request, article)
    return render(request, "articles/read.html", context)


def reading_context(request, article: Article, revision, show_draft: bool) -> dict:
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
        "publish_choice": publish_choice(request) if can_edit(request) and article.has_unpublished_changes else None,
    }


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
