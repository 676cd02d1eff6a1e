"""Articles, guides and FAQs: create, save (text and settings in one transaction), verify, archive, feedback."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import events
from ..models import Article, Collection, Feedback, Revision, Verification
from ..text import clean_line
from .content import Content, clean_content, known_ids, unique_slug
from .revisions import (
    _append_revision,
    _lock_unchanged_since,
    article_publish,
)


@transaction.atomic
def article_create(
    *,
    kind: str,
    collection: Collection,
    content: Content,
    review_by: datetime.date | None = None,
    owner=None,
    summary: str = "",
    acting_user=None,
    publish: bool = False,
    slug: str | None = None,
    confidential: bool = False,
    contributor=None,
    imported_from: str = "",
    publish_as: dict | None = None,
) -> Article:
    content = clean_content(kind, content)
    article = Article.objects.create(
        kind=kind,
        collection=collection,
        slug=unique_slug(Article, slug or content.title, fallback=kind),
        title=content.title,
        language=content.language,
        tags=content.tags,
        owner_id=getattr(owner or acting_user, "pk", None),
        confidential=confidential,
        review_by=review_by or timezone.localdate() + datetime.timedelta(days=collection.review_interval_days),
    )
    revision = _append_revision(
        article=article, content=content.as_dict(), summary=summary or _("First version"), acting_user=acting_user,
        contributor=contributor, imported_from=imported_from,
    )
    if publish:
        article_publish(article=article, revision=revision, acting_user=acting_user, **(publish_as or {}))
    return article


@dataclass
class SaveResult:
    """What `article_save` did: the new revision (None when the content did not change),
    whether it published, and whether the article's settings changed."""

    revision: Revision | None
    published: bool
    settings_changed: bool

    @property
    def changed(self) -> bool:
        return self.revision is not None or self.published or self.settings_changed


def _apply_settings(article: Article, *, collection=None, review_by=None, confidential=None) -> bool:
    fields = []
    if collection is not None and collection.pk != article.collection_id:
        article.collection = collection
        fields.append("collection")
    if review_by is not None and review_by != article.review_by:
        article.review_by = review_by
        fields.append("review_by")
    if confidential is not None and confidential != article.confidential:
        article.confidential = confidential
        fields.append("confidential")
    if fields:
        article.save(update_fields=[*fields, "updated_at"])
    return bool(fields)


@transaction.atomic
def article_save(
    *,
    article: Article,
    expected_revision_id: int | None,
    content: Content,
    summary: str,
    acting_user,
    publish: bool = False,
    collection: Collection | None = None,
    review_by: datetime.date | None = None,
    confidential: bool | None = None,
    imported_from: str = "",
    publish_as: dict | None = None,
) -> SaveResult:
    """The editor's save, all or nothing: the article's settings (collection, review-by date,
    confidentiality; None leaves one as it is) and its content. A conflict or invalid content
    raises before anything is written, and the transaction rolls back whatever came before.
    Content equal to the latest revision makes no new revision (publishing then publishes the
    latest revision if it is not live yet)."""
    locked = _lock_unchanged_since(article, expected_revision_id)
    content = clean_content(locked.kind, content, known_ids=known_ids(locked))
    latest = locked.latest_revision
    revision = None
    if latest is None or content.as_dict() != latest.content():
        revision = _append_revision(
            article=locked, content=content.as_dict(), summary=summary, acting_user=acting_user,
            imported_from=imported_from,
        )
    published = False
    target = revision or latest
    if publish and target is not None and target.pk != locked.live_revision_id:
        article_publish(article=locked, revision=target, acting_user=acting_user, **(publish_as or {}))
        published = True
    settings_changed = _apply_settings(locked, collection=collection, review_by=review_by, confidential=confidential)
    article.refresh_from_db()
    return SaveResult(revision=revision, published=published, settings_changed=settings_changed)


def article_update_settings(*, article: Article, collection: Collection, review_by, owner=None, confidential=None) -> Article:
    article.collection = collection
    article.review_by = review_by
    fields = ["collection", "review_by", "updated_at"]
    if owner is not None:
        article.owner_id = owner.pk
        fields.append("owner")
    if confidential is not None:
        article.confidential = confidential
        fields.append("confidential")
    article.save(update_fields=fields)
    events.emit(article_id=article.pk, change=events.Change.SETTINGS)
    return article


def article_verify(*, article: Article, acting_user, revision: Revision | None = None) -> Article:
    """'Mark as verified': push review-by forward by the collection's interval. Only published
    content can be verified, and only as its live revision (`revision`, when the page that
    asked names one)."""
    if article.live_revision_id is None:
        raise ValidationError(_("This article is not published yet: publish it before marking it as verified."))
    if revision is not None and revision.pk != article.live_revision_id:
        raise ValidationError(_("Only the published version can be marked as verified. Open it and try again."))
    now = timezone.now()
    article.verified_at = now
    article.verified_by_id = acting_user.pk
    article.review_by = timezone.localdate() + datetime.timedelta(days=article.collection.review_interval_days)
    article.save(update_fields=["verified_at", "verified_by", "review_by", "updated_at"])
    Verification.objects.create(article=article, revision_id=article.live_revision_id, person_id=acting_user.pk,
                                verified_at=now)
    return article


def article_archive(*, article: Article, archived: bool = True, acting_user=None) -> Article:
    article.archived_at = timezone.now() if archived else None
    article.save(update_fields=["archived_at", "updated_at"])
    change = events.Change.ARCHIVED if archived else events.Change.UNARCHIVED
    events.emit(article_id=article.pk, change=change, actor=acting_user)
    return article


def feedback_add(*, revision: Revision, acting_user, helpful: bool, reason: str = "") -> Feedback:
    return Feedback.objects.create(
        revision=revision, person_id=acting_user.pk, helpful=helpful, reason=clean_line(reason, limit=500)
    )
