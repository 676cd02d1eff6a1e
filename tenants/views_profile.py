"""The person's profile on the public site: who they are, and their personal API tokens.

A token is created here and its plaintext shown once, in the answer to the POST that created
it (never stored, never put in the session, never shown again); the page is not cached. A
token is personal and spans tenants, so creating and revoking it is logged (tenants.services.tokens)
rather than written to a tenant's audit log; its use in a tenant is audited there (see
tenants.middleware.TenantAccessMiddleware).
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from .forms_profile import ApiTokenForm
from .models import ApiToken
from .selectors import get_own_api_token, tokens_for_user, workspaces_for_user
from .services.tokens import MAX_ACTIVE_TOKENS, token_create, token_revoke


@login_required
def profile(request):
    """GET shows the page; POST creates a token (`action=create`) or revokes one
    (`action=revoke`, `token=<id>`)."""
    if request.method == "POST" and request.POST.get("action") == "revoke":
        return _revoke(request)
    if request.method == "POST":
        return _create(request)
    return _page(request, ApiTokenForm())


def _page(request, form: ApiTokenForm, *, new_token: str = "", created: ApiToken | None = None, status: int = 200):
    response = render(request, "tenants/profile.html", {
        "form": form,
        "tokens": tokens_for_user(request.user),
        "new_token": new_token,
        "created": created,
        "max_tokens": MAX_ACTIVE_TOKENS,
        **_examples(request),
    }, status=status)
    add_never_cache_headers(response)  # the page may hold a token's plaintext
    return response


def _examples(request) -> dict:
    """The API addresses of the person's first workspace, for the usage example."""
    client = workspaces_for_user(request.user).first()
    if client is None:
        return {}
    return {"example_url": client.url(request, "/api/v1/search?q=refund"),
            "schema_url": client.url(request, "/api/v1/schema")}


def _create(request):
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        token, plaintext = token_create(user=request.user, name=form.cleaned_data["name"])
    except ValidationError as error:
        by_field = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for field, errors in by_field.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
        return _page(request, form, status=400)
    return _page(request, ApiTokenForm(), new_token=plaintext, created=token)


def _revoke(request):
    pk = request.POST.get("token", "")
    if not re.fullmatch(r"[0-9]{1,18}", pk):
        raise Http404
    token = get_own_api_token(request.user, int(pk))
    token_revoke(token=token, acting_user=request.user)
    messages.success(request, _("Token “%(name)s” revoked: it no longer works.") % {"name": token.name})
    return redirect("profile")
