"""A form post over the limits Django enforces (DATA_UPLOAD_MAX_NUMBER_FIELDS and
DATA_UPLOAD_MAX_MEMORY_SIZE, computed in articles.limits) gets the product's page, not a bare
400: what the limits are, that nothing was saved, and that the text is still in the editor.

The limits leave twice the documented sizes to the forms, which explain themselves; this page
is for what is beyond even that. The editor checks the same limits before posting (static/js),
so with JavaScript the author never leaves the page. Placed before the CSRF middleware, which
is the first to read the post."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.shortcuts import render

from . import limits

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class FormTooLargeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type in FORM_TYPES:
            try:
                request.POST  # noqa: B018 - parse now, while the failure can still be answered
            except (TooManyFieldsSent, RequestDataTooBig):
                return render(request, "articles/form_too_large.html", {
                    "max_steps": limits.MAX_STEPS, "max_faqs": limits.MAX_FAQS,
                    "max_kb": limits.MAX_SOURCE_BYTES // 1000,
                }, status=413)
        return self.get_response(request)
