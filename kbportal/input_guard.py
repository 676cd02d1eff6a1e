"""Refuse NUL characters in the address and in form and query values, once for every page.

PostgreSQL cannot hold a NUL in text: one reaching a query (a `?collection=` prefill looked up
by slug, a `<str:token>` path parameter) raises DataError, a 500. No person types a NUL, so
instead of cleaning every parameter of every view, a request carrying one anywhere in its path
or its GET or POST names and values is answered with the product's 400 page before any view
runs. (Django's form fields refuse NULs too, but views also read parameters directly.)

The JSON API (`/api/`) is left to validate its own parameters: it answers each with the error
code the README documents (`unknown_collection`...), in JSON.
"""

from __future__ import annotations

from django.core.exceptions import SuspiciousOperation

NUL = "\x00"


class NulCharacter(SuspiciousOperation):
    """A NUL character in the request: answered by handler400 (kbportal/errors.py)."""


def _carries_nul(query_dict) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in query_dict.lists())


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            if NUL in request.path or _carries_nul(request.GET):
                raise NulCharacter("NUL character in the address")
            if request.method == "POST" and _carries_nul(request.POST):
                raise NulCharacter("NUL character in a form field")
        return self.get_response(request)
