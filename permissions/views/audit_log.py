"""The tenant's audit log: the filtered page and its CSV export."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent

from .. import audit_text
from ..forms import AuditFilterForm
from ..policy import requires
from .common import csv_response

AUDIT_PAGE_SIZE = 50


def _detail_text(detail) -> str:
    if isinstance(detail, dict):
        return "; ".join(f"{key}: {_detail_text(value)}" for key, value in detail.items())
    if isinstance(detail, list):
        return ", ".join(_detail_text(value) for value in detail)
    return "—" if detail is None else str(detail)


@requires("admin")
def audit_log(request):
    return _audit_page(request, AuditFilterForm(request.GET or None))


def _audit_page(request, form: AuditFilterForm):
    events = form.filter(AuditEvent.objects.order_by("-at", "-id"))
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "permissions/audit.html", {
        "form": form,
        "page": page,
        "events": audit_text.sentences(page.object_list),
        "query": query.urlencode(),
        "filtered": bool(request.GET.get("action") or request.GET.get("person") or request.GET.get("start")
                         or request.GET.get("end")),
    }, status=400 if form.is_bound and not form.is_valid() else 200)


@requires("admin")
def audit_export(request):
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # The log page with the filter's errors, here: a redirect echoing the filter could be
        # longer than a redirect may be (DisallowedRedirect).
        messages.error(request, _("Correct the filter before exporting."))
        return _audit_page(request, form)
    events = list(form.filter(AuditEvent.objects.order_by("-at", "-id")))
    rows = ([timezone.localtime(e.at).isoformat(), e.actor_label, e.action, e.get_action_display(), e.object_type,
             e.object_id, e.object_label, _detail_text(e.detail), e.ip or ""] for e in events)
    header = [_("When"), _("Who"), _("Action code"), _("Action"), _("Object type"), _("Object id"), _("Object"),
              _("Detail"), _("IP address")]
    return csv_response(request, "audit-log", header, rows, what="audit log")
