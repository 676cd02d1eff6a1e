"""Undo a publish: the editor's publish leaves "Revision N is live. Undo" on the page it lands on
(issue 14, no one-click accidents); the undo itself goes through `services.publish_undo`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from permissions.policy import requires
from permissions.selectors import get_rw_article_for_user

from .. import services
from ..models import Article

SESSION_KEY = "publish_undo"


def remember(request, article: Article, previous_id: int | None) -> None:
    """After a publish from the editor: keep what undoes it in the publisher's session (the
    last publish only)."""
    undo = services.publish_offer(article=article, previous_id=previous_id, acting_user=request.user)
    if undo is not None:
        request.session[SESSION_KEY] = undo.as_dict()


def _undo_of(request) -> services.PublishUndo | None:
    return services.PublishUndo.of(request.session.get(SESSION_KEY) or {})


def offer(request, article: Article) -> dict | None:
    """What the reading page shows to the person who just published `article`, while it can
    still be undone: the number of the revision live."""
    undo = _undo_of(request)
    if undo is None or not undo.is_open(article, request.user):
        return None
    live = article.live_revision
    return {"number": live.number} if live is not None else None


@requires("edit")
@require_POST
def publish_undo(request, prefix, slug):
    article = get_rw_article_for_user(request, prefix, slug)
    undo = _undo_of(request)
    try:
        if undo is None or undo.article_id != article.pk:
            raise ValidationError(_("There is no publish of this article to undo."))
        live = services.publish_undo(article=article, undo=undo, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(article.url("read") + ("" if article.is_published else "?draft=1"))
    request.session.pop(SESSION_KEY, None)
    if live is None:
        messages.success(request, _("Publish undone: the article is a draft again, readers no longer see it."))
        return redirect(article.url("read") + "?draft=1")
    messages.success(request, _("Publish undone: readers see the previous text again (as revision %(n)s).")
                     % {"n": live.number})
    return redirect(article.url("read"))
