from __future__ import annotations

from django.conf import settings

from .models import public_url
from .selectors import workspaces_for_user


def workspace(request) -> dict:
    """What the header needs on every page: the current workspace and the switcher."""
    access = getattr(request, "workspace", None)

    def switcher():
        if not request.user.is_authenticated:
            return []
        return [(client, client.url(request)) for client in workspaces_for_user(request.user)]

    return {
        "workspace": access,
        "workspace_switcher": switcher,
        "public_home_url": public_url(request, "/"),
        "sign_in_url": public_url(request, settings.LOGIN_URL),
    }
