"""An organisation's own single sign-on settings: the tenant admin's (Access → Single sign-on,
on the workspace) and the provider lead's (on the public site, beside the provider's teams).
The e-mail domains are the platform admin's only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.services import Actor
from permissions.policy import requires
from tenants.addresses import public_url
from tenants.selectors import get_provider_for_lead

from .forms import ProviderSsoForm, WorkspaceSsoForm
from .models import IdentityProvider
from .selectors import identity_provider_of
from .services import organisation_sso_save


def _settings(request, *, form_class, organisation: dict, done, extra: dict):
    identity_provider = identity_provider_of(**organisation) or IdentityProvider(**organisation, enabled=False)
    stored_secret = identity_provider.oidc_client_secret
    form = form_class(request.POST or None, instance=identity_provider)
    if request.method == "POST" and form.is_valid():
        organisation_sso_save(**organisation, identity_provider=form.save(commit=False), acting_user=request.user,
                              actor=Actor.from_request(request),
                              secret_changed=form.cleaned_data["oidc_client_secret"] != stored_secret)
        messages.success(request, _("Saved: the single sign-on of %(client)s.")
                         % {"client": identity_provider.organisation.name})
        return done
    return render(request, "sso/workspace_settings.html", {
        "form": form, "domains": list(identity_provider.domains.all()) if identity_provider.pk else [],
        "has_secret": bool(stored_secret),
        "callback_url": public_url(request, reverse("sso:callback", urlconf="kbportal.urls_public")),
        "saml_acs_url": public_url(request, reverse("sso:saml-acs", urlconf="kbportal.urls_public")),
        "saml_metadata_url": public_url(request, reverse("sso:saml-metadata", urlconf="kbportal.urls_public")),
        **extra,
    })


@requires("admin")
def settings_page(request):
    return _settings(request, form_class=WorkspaceSsoForm, organisation={"client": request.workspace.client},
                     done=redirect("sso_settings:edit"), extra={"nav": True})


@login_required
def provider_settings_page(request, provider: int):
    led = get_provider_for_lead(request.user, provider)
    return _settings(request, form_class=ProviderSsoForm, organisation={"provider": led},
                     done=redirect("provider_sso:edit", provider=led.pk), extra={"provider": led})
