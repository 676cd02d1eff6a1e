"""Must-read pages. Thin: access (the permission layer), one service or selector, response."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from articles.diff import diff_revisions, has_changes
from audit import services as audit
from audit.models import Action
from audit.services import Actor
from permissions.policy import requires
from permissions.selectors import get_article_for_user

from . import selectors, services
from .forms import AcknowledgeForm, SettingsForm
from .models import ReadinessSettings


@requires("member")
@require_GET
def mine(request):
    """What this person must read and acknowledge here."""
    return render(request, "readiness/mine.html", {"pending": selectors.pending_for(request.workspace)[:100]})


@requires("read")
def acknowledge(request, prefix, slug):
    """"I have read and understood revision N": the diff since what they acknowledged last (or
    since the revision before the must-read), and the button, tied to the revision shown."""
    article = get_article_for_user(request, prefix, slug)
    access = request.workspace
    state = selectors.ack_state(access, article)
    status = 200
    if request.method == "POST":
        form = AcknowledgeForm(request.POST)
        if not state.asked:
            messages.info(request, _("Nothing here is waiting for your acknowledgement."))
            return redirect("readiness:acknowledge", prefix=article.prefix, slug=article.slug)
        if form.is_valid():
            try:
                services.acknowledge(access=access, article=article, revision_id=form.cleaned_data["revision"])
            except (services.RevisionChanged, services.CheckRequired) as error:
                messages.warning(request, error.messages[0])
                return redirect("readiness:acknowledge", prefix=article.prefix, slug=article.slug)
            messages.success(request, _("Thank you: you acknowledged revision %(n)s of “%(title)s”.") % {
                "n": state.live.number, "title": article.title})
            return redirect("readiness:mine")
        status = 400
    sections = []
    if state.live is not None and (state.asked or state.last is not None):
        old = state.base.content() if state.base is not None else {}
        sections = diff_revisions(old, state.live.content(), article.kind)
    return render(request, "readiness/acknowledge.html", {
        "article": article, "state": state, "sections": sections, "changed": has_changes(sections),
        "today": timezone.localdate(),
    }, status=status)


def _percent(value: float | None) -> str:
    return "" if value is None else f"{round(value * 100)}"


def _csv(request, result: selectors.Readiness, name: str) -> HttpResponse:
    """UTF-8 with a byte-order mark, so that Excel shows accents."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([_("Company"), _("Team"), _("Person"), _("E-mail address"), _("Status"), _("Assigned at"),
                     _("Acknowledged at"), _("Revision acknowledged"), _("Hours to acknowledge"), _("Deadline")])
    deadline = result.must_read.deadline.isoformat() if result.must_read.deadline else ""
    for row in result.rows:
        hours = row.seconds_to_acknowledge
        writer.writerow([_cell(v) for v in (
            row.company, row.team, row.person.full_name or row.person.email, row.person.email, row.status_label,
            timezone.localtime(row.assigned_at).isoformat(timespec="minutes"),
            timezone.localtime(row.acknowledged_at).isoformat(timespec="minutes") if row.acknowledged_at else "",
            row.acknowledged_revision or "", f"{hours / 3600:.1f}" if hours is not None else "", deadline)])
    audit.record(Action.EXPORT, obj=result.must_read.article, actor=Actor.from_request(request),
                 detail={"what": "readiness", "format": "csv", "rows": len(result.rows),
                         "revision": result.must_read.revision.number})
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"{request.tenant.schema_name}-{name}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _cell(value) -> str:
    """Text a spreadsheet shows as text: a leading =, +, - or @ would make it a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@requires("edit")
@require_GET
def overview(request):
    client = request.workspace.client
    results = [selectors.readiness(m, client) for m in selectors.must_reads_for_editors()[:selectors.RECENT]]
    return render(request, "readiness/overview.html", {"results": results, "lead": False})


@requires("edit")
@require_GET
def detail(request, pk):
    must_read = selectors.get_must_read_for_editor(request.workspace, pk)
    result = selectors.readiness(must_read, request.workspace.client)
    if request.GET.get("format") == "csv":
        return _csv(request, result, f"readiness-{must_read.article.slug}-r{must_read.revision.number}")
    return render(request, "readiness/detail.html", {
        "result": result, "lead": False, "export_url": reverse("readiness:detail", args=[pk]) + "?format=csv"})


@requires("lead")
@require_GET
def provider_overview(request):
    results = selectors.must_reads_for_lead(request.workspace, request.workspace.client)
    return render(request, "readiness/overview.html", {"results": results, "lead": True})


@requires("lead")
@require_GET
def provider_detail(request, pk):
    result = selectors.get_readiness_for_lead(request.workspace, request.workspace.client, pk)
    if request.GET.get("format") == "csv":
        return _csv(request, result, f"readiness-{result.must_read.article.slug}-r{result.must_read.revision.number}")
    return render(request, "readiness/detail.html", {
        "result": result, "lead": True, "export_url": reverse("readiness:provider-detail", args=[pk]) + "?format=csv"})


@requires("admin")
def settings(request):
    """The workspace's reminder delays."""
    form = SettingsForm(request.POST or None, instance=ReadinessSettings.current())
    if request.method == "POST":
        if form.is_valid():
            services.settings_save(actor=Actor.from_request(request), **form.cleaned_data)
            messages.success(request, _("Saved: reminders are sent after %(days)s days.") % {
                "days": form.cleaned_data["reminder_after_days"]})
            return redirect("readiness:settings")
        return render(request, "readiness/settings.html", {"form": form}, status=400)
    return render(request, "readiness/settings.html", {"form": form})
