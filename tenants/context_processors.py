from __future__ import annotations

from django.conf import settings

from .models import public_url
from .selectors import providers_led_by, workspaces_for_user


def workspace(request) -> dict:
    """What the header needs on every page: the current workspace and the switcher."""
    access = getattr(request, "workspace", None)

    def switcher():
        if not request.user.is_authenticated:
            return []
        return [(client, client.url(request)) for client in workspaces_for_user(request.user)]

    def leads_a_provider() -> bool:
        """Provider leads reach their teams from the top bar, on every site (asked only then)."""
        if getattr(access, "is_provider_lead", False):
            return True
        return request.user.is_authenticated and access is None and providers_led_by(request.user).exists()

    return {
        "workspace": access,
        "user_leads_a_provider": leads_a_provider,
        "workspace_switcher": switcher,
        "public_home_url": public_url(request, "/"),
        "sign_in_url": public_url(request, settings.LOGIN_URL),
    }
