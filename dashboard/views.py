"""Dashboard pages. Thin: access (`@requires` and the selector), the figures, a response."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from permissions.policy import requires

from . import selectors, services


@requires("insight")
@require_GET
def page(request):
    board = selectors.dashboard_for(request.workspace, request.GET)
    query = request.GET.urlencode()
    return render(request, "dashboard/page.html", {"board": board, "query": query})


@requires("insight")
@require_GET
def export(request):
    """One table of the page as CSV (UTF-8 with a byte-order mark, for spreadsheets)."""
    key = request.GET.get("table", "")[:60]
    try:
        board, table = selectors.table_for(request.workspace, request.GET, key)
    except selectors.UnknownTable:
        return HttpResponse(_("No such table. Use the “Download CSV” link under a table of the dashboard."),
                            status=400, content_type="text/plain; charset=utf-8")
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([_("Period"), board.period.label, _("Scope"), board.scope.label])
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow(["" if raw is None else raw for _shown, raw in row])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dashboard-{slugify(key)}.csv"'
    return response


@requires("admin")
@require_POST
def summary(request):
    """Opt in to (or out of) the weekly summary by e-mail."""
    wanted = request.POST.get("subscribe") == "1"
    services.summary_subscribe(person_id=request.workspace.user_id, subscribe=wanted)
    messages.success(request, _("You will get the weekly summary of this dashboard by e-mail every Monday.")
                     if wanted else _("You will no longer get the weekly summary by e-mail."))
    return redirect("dashboard:page")
