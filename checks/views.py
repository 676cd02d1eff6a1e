"""Knowledge-check pages. Thin: access (the permission layer, checks.selectors), one service, response."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from notifications.selectors import managed_teams, team_collections
from permissions.policy import requires
from permissions.selectors import get_article_for_user, get_collection_for_user, get_rw_article_for_user
from readiness.services import RevisionChanged
from tenants.models import ProviderTeam

from . import selectors, services
from .forms import AssignForm, QuestionForm, answers_from


@requires("edit")
@require_GET
def manage(request, prefix, slug):
    """The article's questions, for its editors."""
    article = get_rw_article_for_user(request, prefix, slug)
    return render(request, "checks/manage.html", {"article": article, "questions": selectors.questions_of(article)})


def _question_form(request, article, question=None):
    revision = article.latest_revision
    if revision is None:
        raise Http404
    form = QuestionForm(request.POST or None, revision=revision, question=question)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.question_save(article=article, kind=data["kind"], text=data["text"],
                                   explanation=data["explanation"], anchors=data["anchors"],
                                   choices=form.choices(), acting_user=request.user, question=question)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Question saved."))
            return redirect("checks:manage", prefix=article.prefix, slug=article.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "checks/question_form.html", {"article": article, "form": form, "question": question},
                  status=status)


@requires("edit")
def question_new(request, prefix, slug):
    return _question_form(request, get_rw_article_for_user(request, prefix, slug))


@requires("edit")
def question_edit(request, pk):
    question = selectors.get_question_for_editor(request.workspace, pk)
    return _question_form(request, question.article, question)


@requires("edit")
@require_GET
def review_list(request):
    return render(request, "checks/review_list.html", {"questions": selectors.to_review(request.workspace)[:200]})


@requires("edit")
def review(request, pk):
    """The old and new text of what a flagged question tests, side by side; keep it or retire it."""
    question = selectors.get_question_for_editor(request.workspace, pk)
    if request.method == "POST":
        if request.POST.get("action") == "retire":
            services.question_retire(question=question)
            messages.success(request, _("Question retired."))
        elif question.status == "to_review":
            services.question_review_keep(question=question)
            messages.success(request, _("Question kept: the agents who had passed it are asked again."))
        return redirect("checks:manage", prefix=question.article.prefix, slug=question.article.slug)
    return render(request, "checks/review.html", {"question": question, "sides": selectors.review_sides(question)})


@requires("read")
def take(request, prefix, slug):
    """Take the article's check: the questions (shuffled, no answer in the page), then the result."""
    article = get_article_for_user(request, prefix, slug)
    access = request.workspace
    state = selectors.check_state(access, article)
    if request.method == "POST":
        if state.waiting:
            messages.warning(request, _("You may try again after the delay set by the editor."))
            return redirect("checks:take", prefix=article.prefix, slug=article.slug)
        revision = request.POST.get("revision", "")
        try:
            attempt = services.check_submit(
                access=access, article=article,
                # Not a revision's id (tampered with): treated as a revision since replaced.
                revision_id=int(revision) if revision.isascii() and revision.isdecimal() and len(revision) < 12 else 0,
                questions=state.questions, answers=answers_from(request.POST), must_read=state.must_read,
                carried=state.must_read is not None and not state.questions)
        except RevisionChanged as error:
            messages.warning(request, error.messages[0])
            return redirect("checks:take", prefix=article.prefix, slug=article.slug)
        except services.MissingAnswers as error:
            return render(request, "checks/take.html", {"article": article, "state": state, "error": error.messages[0],
                                                        "chosen": answers_from(request.POST)}, status=400)
        if attempt.passed:
            messages.success(request, _("Passed: %(right)s of %(total)s right.") % {
                "right": attempt.right, "total": attempt.total})
        return redirect("checks:take", prefix=article.prefix, slug=article.slug)
    feedback = selectors.attempt_feedback(state.last) if state.last is not None else []
    return render(request, "checks/take.html", {"article": article, "state": state, "feedback": feedback,
                                                "chosen": {}})


@requires("member")
@require_GET
def practice_index(request):
    access = request.workspace
    return render(request, "checks/practice_index.html", {
        "collections": selectors.collections_with_questions(access), "assignments": selectors.assignments_for(access),
        "history": selectors.practice_history(access)[:20], "re_asks": selectors.re_asks_for(access)[:50]})


@requires("read")
def practice(request, slug):
    """A random set of the collection's current questions; submitted, its score and explanations."""
    collection = get_collection_for_user(request, slug)
    access = request.workspace
    if request.method == "POST":
        pks = [int(pk) for pk in request.POST.getlist("questions") if pk.isdecimal() and len(pk) < 12]
        questions = selectors.practice_questions(access, collection, pks)
        try:
            attempt = services.practice_submit(access=access, collection=collection, questions=questions,
                                               answers=answers_from(request.POST))
        except services.MissingAnswers as error:
            return render(request, "checks/practice.html", {
                "collection": collection, "questions": selectors.shuffled(questions), "error": error.messages[0],
                "chosen": answers_from(request.POST), "history": selectors.practice_history(access, collection)[:20]},
                status=400)
        return render(request, "checks/practice.html", {
            "collection": collection, "attempt": attempt,
            "feedback": selectors.attempt_feedback(attempt, selectors.articles_with_pending_check(access)),
            "history": selectors.practice_history(access, collection)[:20]})
    return render(request, "checks/practice.html", {
        "collection": collection, "questions": selectors.practice_set(access, collection), "chosen": {},
        "history": selectors.practice_history(access, collection)[:20]})


@requires("lead")
def practice_assign(request):
    """A provider lead assigns a practice set on a collection their teams reach to a team, by a date."""
    access = request.workspace
    teams = managed_teams(access) or []
    form = AssignForm(request.POST or None, collections=team_collections(access, teams),
                      teams=ProviderTeam.objects.filter(pk__in=[t.pk for t in teams]).order_by("name"))
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_assign(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("due", error)
        else:
            messages.success(request, _("Practice set assigned."))
            return redirect("checks:practice-assign")
    return render(request, "checks/practice_assign.html", {
        "form": form, "assignments": selectors.lead_assignments([t.pk for t in teams])},
        status=400 if request.method == "POST" else 200)
