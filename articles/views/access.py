"""The object checks that views in this package share."""

from __future__ import annotations

from django.http import Http404

from permissions.selectors import can_edit


def _require_editor(request) -> None:
    if not can_edit(request):
        raise Http404
