"""How a person likes to read comparisons: inline or side by side, remembered in a cookie
(set by the switch's GET form without JavaScript, by static/js/diff.js with it)."""

from __future__ import annotations

COOKIE = "kb_diff_view"
VIEWS = ("inline", "side")
ONE_YEAR = 365 * 24 * 3600


def diff_view(request) -> str:
    value = request.GET.get("view") or request.COOKIES.get(COOKIE)
    return value if value in VIEWS else "inline"


def remember(request, response):
    """Keep the choice the switch just sent (a GET with `view`), for the next comparison."""
    value = request.GET.get("view")
    if value in VIEWS:
        response.set_cookie(COOKIE, value, max_age=ONE_YEAR, samesite="Lax", secure=request.is_secure())
    return response


def context(request) -> dict:
    """Context processor: `diff_view` on every page, for templates/articles/_sections.html."""
    return {"diff_view": diff_view(request)} if request is not None else {}
