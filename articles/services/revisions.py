"""Revisions: append one, publish one, restore one, undo a publish."""

from __future__ import annotations

import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import events, rendering
from ..attachments import services as attachments
from ..models import Article, Materiality, Revision
from ..text import clean_line
from .content import Content, EditConflict, clean_content, known_ids, render_content


def _append_revision(
    *, article: Article, content: dict, summary: str, acting_user, restored_from=None, contributor=None,
    imported_from: str = "",
) -> Revision:
    number = (article.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    revision = Revision.objects.create(
        article=article,
        number=number,
        author_id=getattr(acting_user, "pk", None),
        summary=clean_line(summary, limit=300),
        title=content["title"],
        language=content["language"],
        tags=content["tags"],
        body=content["body"],
        steps=content["steps"],
        faqs=content["faqs"],
        rendered=render_content(content),
        sanitiser_version=rendering.SANITISER_VERSION,
        restored_from=restored_from,
        contributor_id=getattr(contributor, "pk", None),
        imported_from=clean_line(imported_from, limit=200),
    )
    attachments.references_record(revision)  # the images and files its Markdown names
    article.latest_revision = revision
    article.has_unpublished_changes = True
    fields = ["latest_revision", "has_unpublished_changes", "updated_at"]
    if article.live_revision_id is None:
        # Never published: no reader can see the row, and editors' lists show the working
        # title. Once published, the row shows the live revision only (see `article_publish`).
        fields += _take_reader_fields(article, revision)
    article.save(update_fields=fields)
    return revision


def _take_reader_fields(article: Article, revision: Revision) -> list[str]:
    """Put `revision`'s title, language and tags on the row (what lists and readers show)."""
    for name in Article.READER_FIELDS:
        setattr(article, name, getattr(revision, name))
    return list(Article.READER_FIELDS)


def _lock_unchanged_since(article: Article, expected_revision_id: int | None) -> Article:
    """Lock the article for a save, refusing one made from a revision that is not the latest."""
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if locked.latest_revision_id != expected_revision_id:
        assert locked.latest_revision is not None  # an article is created with its first revision
        raise EditConflict(locked.latest_revision)
    return locked


@transaction.atomic
def revision_create(
    *,
    article: Article,
    expected_revision_id: int | None,
    content: Content,
    summary: str,
    acting_user,
    publish: bool = False,
    contributor=None,
    publish_as: dict | None = None,
) -> Revision:
    """Save a new revision, refusing to overwrite a revision the author has not seen."""
    locked = _lock_unchanged_since(article, expected_revision_id)
    content = clean_content(locked.kind, content, known_ids=known_ids(locked))
    revision = _append_revision(
        article=locked, content=content.as_dict(), summary=summary, acting_user=acting_user, contributor=contributor
    )
    if publish:
        article_publish(article=locked, revision=revision, acting_user=acting_user, **(publish_as or {}))
    article.refresh_from_db()
    return revision


@transaction.atomic
def article_publish(*, article: Article, revision: Revision, acting_user,
                    materiality: str = Materiality.UPDATE, must_read: dict | None = None,
                    undone_revision_id: int | None = None) -> Article:
    """Make `revision` what readers see. One transactional flip; subscribers to the content
    event (search indexing, notifications) hear of it after commit, with how much it matters
    (`materiality`) and, for a must-read, who must read it (`must_read`, see `events.ContentEvent`)."""
    if revision.article_id != article.pk:
        raise ValidationError(_("That revision belongs to another article."))
    materiality = Materiality(materiality)
    if revision.materiality != materiality:
        # Revisions are immutable (Revision.save refuses); materiality is said at publish time.
        Revision.objects.filter(pk=revision.pk).update(materiality=materiality)
        revision.materiality = materiality
    now = timezone.now()
    article.live_revision = revision
    article.has_unpublished_changes = revision.pk != article.latest_revision_id
    article.first_published_at = article.first_published_at or now
    article.last_published_at = now
    article.save(update_fields=[
        "live_revision", "has_unpublished_changes", "first_published_at", "last_published_at", "updated_at",
        *_take_reader_fields(article, revision),
    ])
    if revision.restored_from_id:
        change = events.Change.RESTORED
    elif revision.contributor_id:
        change = events.Change.SUGGESTION_ACCEPTED
    else:
        change = events.Change.PUBLISHED
    events.emit(
        article_id=article.pk, change=change, actor=acting_user, revision_id=revision.pk,
        materiality=materiality, must_read=must_read if materiality == Materiality.MUST_READ else None,
        undone_revision_id=undone_revision_id,
    )
    return article


@transaction.atomic
def revision_restore(*, article: Article, revision: Revision, acting_user) -> Revision:
    """Restore an old revision as a new one: history is never rewritten."""
    if revision.article_id != article.pk:
        raise ValidationError(_("That revision belongs to another article."))
    locked = Article.objects.select_for_update().get(pk=article.pk)
    return _append_revision(
        article=locked,
        content=revision.content(),
        summary=_("Restored revision %(n)s") % {"n": revision.number},
        acting_user=acting_user,
        restored_from=revision,
    )


# --- Undoing a publish --------------------------------------------------------------------------

# How long the editor who published may take it back (the editor's "Revision N is live. Undo").
UNDO_WINDOW = datetime.timedelta(minutes=10)


@dataclasses.dataclass(frozen=True)
class PublishUndo:
    """What a publish from the editor leaves to undo it: which revision it made live, the one
    live before (None for a first publish), who published and when. Kept in the publisher's
    session (`as_dict`/`of`), checked against the article again when used."""

    article_id: int
    revision_id: int
    previous_id: int | None
    published_by_id: int
    published_at: datetime.datetime

    def as_dict(self) -> dict:
        return {**dataclasses.asdict(self), "published_at": self.published_at.isoformat()}

    @classmethod
    def of(cls, data) -> PublishUndo | None:
        try:
            return cls(article_id=int(data["article_id"]), revision_id=int(data["revision_id"]),
                       previous_id=None if data["previous_id"] is None else int(data["previous_id"]),
                       published_by_id=int(data["published_by_id"]),
                       published_at=datetime.datetime.fromisoformat(data["published_at"]))
        except (KeyError, TypeError, ValueError):
            return None

    def is_open(self, article: Article, person, now: datetime.datetime | None = None) -> bool:
        """Still undoable by `person`: theirs, within the window, and nothing newer published."""
        now = now or timezone.now()
        return (
            self.article_id == article.pk and self.published_by_id == getattr(person, "pk", None)
            and article.live_revision_id == self.revision_id
            and article.last_published_at is not None and article.last_published_at <= self.published_at
            and now - self.published_at <= UNDO_WINDOW
        )


def publish_offer(*, article: Article, previous_id: int | None, acting_user) -> PublishUndo | None:
    """The undo of the publish that just made `article` live (None when nothing was published)."""
    if article.live_revision_id is None or article.last_published_at is None or article.live_revision_id == previous_id:
        return None
    return PublishUndo(article_id=article.pk, revision_id=article.live_revision_id, previous_id=previous_id,
                       published_by_id=acting_user.pk, published_at=article.last_published_at)


@transaction.atomic
def publish_undo(*, article: Article, undo: PublishUndo, acting_user,
                 now: datetime.datetime | None = None) -> Revision | None:
    """Take a publish back: the revision live before is restored as a new revision and
    published (the restore path: history is never rewritten, and subscribers hear a restore
    that names the revision undone, so readiness withdraws its must-read); a first publish
    returns the article to a draft. Returns the revision now live (None: a draft again).
    Refused for someone else's publish, after `UNDO_WINDOW`, and once a newer one was published."""
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if not undo.is_open(locked, acting_user, now):
        raise ValidationError(_("This publish can no longer be undone: it is too late, someone published since, "
                                "or it was not yours. Restore an older revision from the history instead."))
    undone = locked.live_revision
    assert undone is not None  # is_open checked it is the live one
    if undo.previous_id is None:
        latest = locked.latest_revision
        assert latest is not None
        locked.live_revision = None
        locked.has_unpublished_changes = True
        locked.first_published_at = None
        locked.last_published_at = None
        locked.save(update_fields=[
            "live_revision", "has_unpublished_changes", "first_published_at", "last_published_at", "updated_at",
            *_take_reader_fields(locked, latest),
        ])
        events.emit(article_id=locked.pk, change=events.Change.UNPUBLISHED, actor=acting_user,
                    revision_id=undone.pk, undone_revision_id=undone.pk)
        article.refresh_from_db()
        return None
    previous = locked.revisions.filter(pk=undo.previous_id).first()
    if previous is None:
        raise ValidationError(_("That revision belongs to another article."))
    restored = revision_restore(article=locked, revision=previous, acting_user=acting_user)
    locked.refresh_from_db()
    # Followers told of the publish are told it was taken back, unless it told no one.
    materiality = Materiality.MINOR if undone.materiality == Materiality.MINOR else Materiality.UPDATE
    article_publish(article=locked, revision=restored, acting_user=acting_user, materiality=materiality,
                    undone_revision_id=undone.pk)
    article.refresh_from_db()
    return restored
