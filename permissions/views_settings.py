"""The tenant admin's image sources: the other sites this workspace's articles may show images
from (its pages' Content-Security-Policy allows exactly these, kbportal/csp.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from audit.services import Actor
from tenants import services as tenants
from tenants.models import public_url
from tenants.phrases import elide
from twofactor import services as twofactor

from .forms import ImageSourcesForm, RequireTwoFactorForm
from .policy import requires


@requires("admin")
def image_sources(request):
    client = request.workspace.client
    form = ImageSourcesForm(request.POST or None, initial={"image_sources": client.image_sources})
    if request.method == "POST" and form.is_valid():
        try:
            tenants.client_image_sources_set(client=client, text="\n".join(form.cleaned_data["image_sources"]),
                                             acting_user=request.user,
                                             actor=Actor.from_request(request))
        except ValidationError as error:
            form.add_error("image_sources", error)
        else:
            messages.success(request, elide(_("Saved: the image sources of %(client)s.") % {"client": client.name}))
            return redirect("access:image-sources")
    return render(request, "permissions/image_sources.html", {"form": form})


@requires("admin")
def two_factor(request):
    """Whether the workspace requires a second factor of everyone who opens it. Turning it on
    needs the admin's own session verified, so that nobody locks themselves out of settings."""
    client = request.workspace.client
    form = RequireTwoFactorForm(request.POST or None, initial={"require_two_factor": client.require_two_factor})
    verified = twofactor.is_verified(request)
    if request.method == "POST" and form.is_valid():
        required = form.cleaned_data["require_two_factor"]
        if required and not verified:
            form.add_error("require_two_factor", _("Sign in with two-factor authentication yourself first: set it "
                                                   "up in your account, then turn this on."))
        else:
            tenants.client_require_two_factor_set(client=client, required=required, acting_user=request.user,
                                                  actor=Actor.from_request(request))
            messages.success(request, _("Saved: two-factor authentication in %(client)s.") % {"client": client.name})
            return redirect("access:two-factor")
    return render(request, "permissions/two_factor.html", {"form": form, "verified": verified,
                                                          "setup_url": public_url(request, "/accounts/two-factor/")},
                  status=400 if form.errors else 200)
