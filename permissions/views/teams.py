"""A provider lead's view of what their teams can reach here."""

from __future__ import annotations

from django.shortcuts import render

from .. import review
from ..policy import requires


@requires("lead")
def lead_teams(request):
    access = request.workspace
    return render(request, "permissions/lead_teams.html", {
        "teams": review.teams_reach(access.provider_id, access.client),
    })
