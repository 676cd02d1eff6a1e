"""The person's e-mail settings in a workspace (tenant site), and unsubscribing (public site)."""

from __future__ import annotations

from django.contrib import messages
from django.db import connection
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django_tenants.utils import get_tenant_model

from permissions.policy import requires

from . import preferences, services, streams
from .forms import PreferenceForm


@requires("member")
@require_http_methods(["GET", "POST"])
def preference_page(request):
    """GET shows the person's choices for this workspace; POST saves them."""
    schema_name = connection.schema_name  # type: ignore[attr-defined]  # django-tenants' connection
    current = preferences.preference_for(request.user.pk, schema_name)
    form = PreferenceForm(request.POST if request.method == "POST" else None, initial=current)
    if request.method == "POST":
        if form.is_valid():
            preferences.preference_set(person_id=request.user.pk, schema_name=schema_name, **form.cleaned_data)
            messages.success(request, _("Your e-mail settings are saved."))
            return redirect("outbox:preferences")
        return render(request, "outbox/preferences.html", {"form": form}, status=400)
    return render(request, "outbox/preferences.html", {"form": form})


@csrf_exempt  # RFC 8058: mailbox providers POST without a session or a CSRF token; the token is the credential
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET only shows what the link would do, with a button (link scanners follow GETs); POST
    (the button, or a mailbox provider's one-click `List-Unsubscribe=One-Click`) unsubscribes.
    Works without signing in; an unknown token is a 404, the same for every kind of wrong."""
    row = services.token_for(token)
    if row is None:
        raise Http404
    client = get_tenant_model().objects.filter(schema_name=row.schema_name).first() if row.schema_name else None
    context = {"stream": streams.get(row.stream), "workspace_name": getattr(client, "name", ""), "done": False}
    if request.method == "POST":
        services.unsubscribe(row)
        context["done"] = True
    response = render(request, "outbox/unsubscribe.html", context)
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"  # the token is in the address
    return response
