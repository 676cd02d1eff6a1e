"""Suggestions: for provider people, *contribute* means *propose*.

A provider person with a contribute grant proposes an edit of an article (or a new article in a
collection), with a reason. A client editor accepts it as it is (a new published revision that
credits the contributor), accepts it with changes, or rejects it with a reason; the contributor
is told either way, by e-mail and on their "My suggestions" page.

A suggestion is made on the live revision the contributor saw (`base_revision`). When the
article has been published again since, accepting merges the contributor's changes into the
current live content (section by section, steps and questions paired by id), so that accepting
a stale suggestion never silently reverts what others changed meanwhile.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit import services as audit
from audit.models import Action
from audit.services import Actor
from outbox import services as outbox
from permissions.selectors import contributable_articles, contributable_collections
from tenants.models import SiteAddress, User
from tenants.selectors import WorkspaceAccess

from ..diff import diff_revisions, has_changes
from ..models import Article, Collection, Kind, Revision, Suggestion, SuggestionStatus
from ..selectors import proposed_content, revision_item_ids
from ..text import clean_multiline
from .articles import article_create
from .content import Content, clean_content, render_content
from .revisions import revision_create

MAX_REASON = 1000


def _clean_reason(reason: str) -> str:
    return clean_multiline(reason).strip()[:MAX_REASON]


@transaction.atomic
def suggestion_create(
    *,
    access: WorkspaceAccess,
    acting_user,
    content: Content,
    reason: str,
    article: Article | None = None,
    collection: Collection | None = None,
    kind: str | None = None,
    base_revision: Revision | None = None,
) -> Suggestion:
    """Propose a change to `article` (on the live revision the contributor saw), or a new
    article of `kind` in `collection`. Only within the person's contribute grants."""
    if article is not None:
        if not contributable_articles(access).filter(pk=article.pk).exists():
            raise PermissionDenied
        if base_revision is None or base_revision.article_id != article.pk:
            base_revision = article.live_revision
        kind, collection = article.kind, None
    else:
        if collection is None or not contributable_collections(access).filter(pk=collection.pk).exists():
            raise PermissionDenied
        if kind not in Kind.values:
            raise ValidationError(_("Choose an article, a guide or a FAQ."))
        base_revision = None
    errors: dict[str, list[str]] = {}
    try:
        # Step and question ids are those of the revision the contributor saw, so that the
        # diff pairs them; an id from anywhere else is refused.
        content = clean_content(kind, content, known_ids=revision_item_ids(base_revision))
    except ValidationError as error:
        errors = {field: list(messages) for field, messages in error.message_dict.items()}
    reason = _clean_reason(reason)
    if not reason:
        errors.setdefault("reason", []).append(
            _("Tell the editors why, for example “customers keep asking about …”.")
        )
    if errors:
        raise ValidationError(errors)
    if base_revision is not None and not has_changes(diff_revisions(base_revision.content(), content.as_dict(), kind)):
        raise ValidationError(_("Your suggestion does not change anything yet: edit the text, then send it."))
    render_content(content.as_dict())  # refuse now what could not be published later
    return Suggestion.objects.create(
        article=article,
        collection=collection,
        kind=kind,
        base_revision=base_revision,
        contributor_id=acting_user.pk,
        reason=reason,
        **content.as_dict(),
    )


def _without_unknown_ids(content: dict, known: set[str]) -> Content:
    """The content with step/question ids the article does not know dropped (new ones get
    fresh ids): ids a suggestion gave its new steps, or of steps removed meanwhile."""
    strip = [dict(item, id=item.get("id") if item.get("id") in known else None) for item in content.get("steps") or []]
    faqs = [dict(item, id=item.get("id") if item.get("id") in known else None) for item in content.get("faqs") or []]
    return Content(
        title=content.get("title") or "", language=content.get("language") or "en", tags=list(content.get("tags") or []),
        body=content.get("body") or "", steps=strip, faqs=faqs,
    )


def _lock_pending(suggestion: Suggestion) -> Suggestion:
    locked = Suggestion.objects.select_for_update(of=("self",)).select_related("article", "collection").get(
        pk=suggestion.pk
    )
    if locked.status != SuggestionStatus.PENDING:
        raise ValidationError(_("This suggestion was already reviewed."))
    return locked


@transaction.atomic
def suggestion_accept(
    *,
    suggestion: Suggestion,
    acting_user,
    content: Content | None = None,
    expected_revision_id: int | None = None,
    summary: str = "",
    actor: Actor | None = None,
    site: SiteAddress | None = None,
    publish_as: dict | None = None,
) -> Revision:
    """Accept a suggestion: a new published revision crediting the contributor (or a new
    published article). `content` is the editor's version for "accept with changes" (its
    `expected_revision_id` guards against concurrent edits); without it the suggestion is
    published as it is, merged into the current live content when the article changed since."""
    locked = _lock_pending(suggestion)
    contributor = User.objects.filter(pk=locked.contributor_id).first()
    summary = (summary or _("Suggestion: %(reason)s") % {"reason": " ".join(locked.reason.split())})[:300]
    target: Article | Collection | None
    if locked.article_id is None:
        assert locked.collection is not None  # a proposed new article names its collection
        article = article_create(
            kind=locked.kind, collection=locked.collection,
            content=_without_unknown_ids(content.as_dict() if content is not None else locked.content(), set()),
            acting_user=acting_user, publish=True, summary=summary, contributor=contributor, publish_as=publish_as,
        )
        revision = article.latest_revision
        assert revision is not None  # article_create appends the first revision
        target = locked.collection
    else:
        article = Article.objects.select_for_update().get(pk=locked.article_id)
        new_content = content.as_dict() if content is not None else proposed_content(locked, article)
        if content is None or expected_revision_id is None:
            expected_revision_id = article.latest_revision_id
        revision = revision_create(
            article=article,
            expected_revision_id=expected_revision_id,
            content=_without_unknown_ids(new_content, revision_item_ids(article.latest_revision)),
            summary=summary,
            acting_user=acting_user,
            publish=True,
            contributor=contributor,
            publish_as=publish_as,
        )
        target = article
    now = timezone.now()
    updated = Suggestion.objects.filter(pk=locked.pk, status=SuggestionStatus.PENDING).update(
        status=SuggestionStatus.ACCEPTED, reviewed_by_id=acting_user.pk, reviewed_at=now, resulting_revision=revision,
    )
    assert updated == 1  # the row is locked above
    suggestion.refresh_from_db()
    audit.record(
        Action.SUGGESTION_ACCEPTED, actor=actor or Actor.of(acting_user), obj=target, label=locked.title,
        detail={
            "suggestion": locked.pk,
            "contributor": getattr(contributor, "email", ""),
            "revision": revision.number,
            "article": revision.article_id,
            "with_changes": content is not None,
        },
    )
    _tell_contributor(suggestion, contributor, site=site, with_changes=content is not None)
    return revision


@transaction.atomic
def suggestion_reject(*, suggestion: Suggestion, acting_user, reason: str, actor: Actor | None = None,
                      site: SiteAddress | None = None) -> Suggestion:
    """Reject a suggestion with a reason the contributor reads."""
    reason = _clean_reason(reason)
    if not reason:
        raise ValidationError({"reason": [_("Tell the contributor why this suggestion is not accepted.")]})
    locked = _lock_pending(suggestion)
    Suggestion.objects.filter(pk=locked.pk, status=SuggestionStatus.PENDING).update(
        status=SuggestionStatus.REJECTED, reviewed_by_id=acting_user.pk, reviewed_at=timezone.now(),
        review_note=reason,
    )
    suggestion.refresh_from_db()
    contributor = User.objects.filter(pk=locked.contributor_id).first()
    audit.record(
        Action.SUGGESTION_REJECTED, actor=actor or Actor.of(acting_user), obj=locked.article or locked.collection,
        label=locked.title,
        detail={"suggestion": locked.pk, "contributor": getattr(contributor, "email", ""), "reason": reason},
    )
    _tell_contributor(suggestion, contributor, site=site)
    return suggestion


def _link(site: SiteAddress | None, path: str) -> str:
    return (site or SiteAddress.configured()).tenant(connection.tenant, path)  # type: ignore[attr-defined]  # django-tenants' connection


def _tell_contributor(suggestion: Suggestion, contributor: User | None, *, site: SiteAddress | None = None,
                      with_changes=False) -> None:
    """E-mail the contributor, in their language, once the review is committed. (The "My
    suggestions" page shows the same outcome from the suggestion's row.)"""
    if contributor is None or not contributor.is_active or not contributor.email:
        return
    workspace = connection.tenant.name  # type: ignore[attr-defined]  # django-tenants' connection
    link = _link(site, reverse("articles:suggestions-mine"))
    values = {"workspace": workspace, "title": suggestion.title, "name": contributor.get_short_name(),
              "reason": suggestion.reason, "note": suggestion.review_note, "link": link}
    with translation.override(contributor.language or settings.LANGUAGE_CODE):
        if suggestion.status == SuggestionStatus.ACCEPTED:
            subject = _("%(workspace)s: your suggestion “%(title)s” was accepted") % values
            outcome = (
                _("Your suggestion for “%(title)s” was accepted with some changes by the editors and is now published.")
                if with_changes else _("Your suggestion for “%(title)s” was accepted and is now published.")
            ) % values
            body = "\n\n".join([
                _("Hello %(name)s,") % values,
                outcome + " " + _("Thank you: the agents see it from now on."),
                _("Your reason: %(reason)s") % values,
                _("All your suggestions: %(link)s") % values,
            ])
        else:
            subject = _("%(workspace)s: your suggestion “%(title)s” was not accepted") % values
            body = "\n\n".join([
                _("Hello %(name)s,") % values,
                _("Your suggestion for “%(title)s” was not accepted.") % values,
                _("The editors' reason: %(note)s") % values,
                _("All your suggestions: %(link)s") % values,
            ])
    recipient = contributor.email
    outbox.queue(to=recipient, subject=subject, text=body, stream="suggestions", language=contributor.language,
                 schema_name=connection.schema_name, person_id=contributor.pk, site=site)  # type: ignore[attr-defined]  # django-tenants
