"""The tenant admin's single sign-on settings (Access → Single sign-on)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.services import Actor
from permissions.policy import requires
from tenants.addresses import public_url

from .forms import WorkspaceSsoForm
from .models import IdentityProvider
from .selectors import identity_provider_of_workspace
from .services import workspace_sso_save


@requires("admin")
def settings_page(request):
    client = request.workspace.client
    identity_provider = identity_provider_of_workspace(client) or IdentityProvider(client=client, enabled=False)
    stored_secret = identity_provider.oidc_client_secret
    form = WorkspaceSsoForm(request.POST or None, instance=identity_provider)
    if request.method == "POST" and form.is_valid():
        workspace_sso_save(client=client, identity_provider=form.save(commit=False), acting_user=request.user,
                           actor=Actor.from_request(request),
                           secret_changed=form.cleaned_data["oidc_client_secret"] != stored_secret)
        messages.success(request, _("Saved: the single sign-on of %(client)s.") % {"client": client.name})
        return redirect("sso_settings:edit")
    domains = list(identity_provider.domains.all()) if identity_provider.pk else []
    return render(request, "sso/workspace_settings.html", {
        "form": form, "domains": domains, "configured": identity_provider.pk is not None,
        "has_secret": bool(stored_secret),
        "callback_url": public_url(request, reverse("sso:callback", urlconf="kbportal.urls_public")),
    })
