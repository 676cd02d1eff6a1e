"""An article's history: the list, one old revision, the comparison, a restore."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from permissions.policy import requires
from permissions.selectors import get_rw_article_for_user

from .. import diff_choice, services
from ..diff import diff_revisions, has_changes
from .reading import reading_context


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
    context = reading_context(request, article, revision, show_draft=True)
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
    return diff_choice.remember(request, render(request, "articles/compare.html", {
        "article": article, "a": a, "b": b, "sections": sections,
        "changed": has_changes(sections), "revisions": revisions, "diff_keep": [("a", a.number), ("b", b.number)],
    }))


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
