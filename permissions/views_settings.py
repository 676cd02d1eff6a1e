"""The tenant admin's image sources: the other sites this workspace's articles may show images
from (its pages' Content-Security-Policy allows exactly these, kbportal/csp.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from audit.services import Actor
from tenants import services as tenants
from tenants.phrases import elide

from .forms import ImageSourcesForm
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
