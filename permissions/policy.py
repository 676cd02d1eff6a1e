"""Every tenant view declares who may use it, with `@requires(...)`.

The declaration is what the permission-matrix test (tests/test_permission_matrix.py) reads to
compute the expected answer of every URL for every role and object, so a new view without a
declaration fails the test instead of silently shipping without a check. The checks
themselves stay where they are (the tenant access middleware, and the `get_*_for_user`
selectors that answer 404 for missing and forbidden alike); `requires` adds the role check.

Capabilities:
- "member": anyone the workspace lets in (client staff and engaged provider people).
- "read": like member, for a page about one object the person must be able to read (the
  object selectors decide).
- "contribute": provider people (engaged, serving this client); the selectors then require a
  contribute grant on the object. Client staff never propose: editors edit directly.
- "edit": client admins and editors.
- "admin": client tenant admins.
- "lead": provider leads.
- "insight": client admins and editors, and provider leads (the collaboration dashboard, which
  narrows a lead to their own people).
- "open": no role check at all, for the few views the public site shares (sign-out, the
  language switch), where there is no workspace. On a tenant host the tenant access
  middleware still stands in front of them, except for its open paths (`/i18n/`). The matrix
  test keeps the list of open views short and explicit.

Put `@requires(...)` above `@require_POST` / `@require_GET`: the role check then runs first,
so a person without the capability gets a 404 whatever the method, never a 405 telling them
the page exists.
"""

from __future__ import annotations

import functools

from django.http import Http404

CAPABILITIES = ("member", "read", "contribute", "edit", "admin", "lead", "insight", "open")


def _allowed(access, capability: str) -> bool:
    if capability == "open":
        return True
    if access is None:
        return False
    if capability in ("member", "read"):
        return True  # the object selectors decide
    if capability == "contribute":
        return access.is_provider  # the contribute selectors decide which objects
    if capability == "edit":
        return access.can_edit
    if capability == "admin":
        return access.is_admin
    if capability == "lead":
        return access.is_provider_lead
    if capability == "insight":
        return access.can_edit or access.is_provider_lead
    raise ValueError(capability)


def requires(capability: str):
    if capability not in CAPABILITIES:
        raise ValueError(f"unknown capability {capability!r}")

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _allowed(getattr(request, "workspace", None), capability):
                raise Http404
            return view(request, *args, **kwargs)

        wrapped.kb_capability = capability  # type: ignore[attr-defined]  # read by the permission matrix
        return wrapped

    return decorate
