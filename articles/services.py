"""Writes on collections, articles and revisions. Views call these; nothing else writes."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from . import events, rendering
from .attachments import services as attachments
from .limits import MAX_FAQS, MAX_STEPS
from .models import Article, Collection, Feedback, Kind, Materiality, Revision
from .text import clean_line, clean_multiline, clean_tag, normalise_newlines, slug_base


class EditConflict(Exception):
    """Someone saved a newer revision since the editor opened the article."""

    def __init__(self, current: Revision):
        super().__init__(f"article {current.article_id} is at revision {current.number}")
        self.current = current


@dataclass
class Content:
    """What an author edits: validated and normalised by `clean_content`."""

    title: str
    language: str
    tags: list[str]
    body: str = ""
    steps: list[dict] | None = None
    faqs: list[dict] | None = None

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "language": self.language,
            "tags": self.tags,
            "body": self.body,
            "steps": self.steps or [],
            "faqs": self.faqs or [],
        }


def _new_id() -> str:
    return uuid.uuid4().hex[:10]


def normalise_tags(tags) -> list[str]:
    if isinstance(tags, str):
        tags = tags.split(",")
    seen: list[str] = []
    for tag in tags:
        tag = clean_tag(tag)[:60]
        if tag and tag not in seen:
            seen.append(tag)
    return seen[:30]


def clean_content(kind: str, content: Content, *, known_ids: set[str] | None = None) -> Content:
    """Validate and normalise content. Raises ValidationError with translated messages keyed
    by field. `known_ids` are the step/question ids of the article's latest revision: an id
    not among them (another article's step, say) is refused."""
    errors: dict[str, list[str]] = {}
    content.title = clean_line(content.title)
    if not content.title:
        errors.setdefault("title", []).append(_("Give it a title."))
    elif len(content.title) > 200:
        errors.setdefault("title", []).append(_("Keep the title under 200 characters."))
    content.tags = normalise_tags(content.tags)
    content.body = clean_multiline(content.body)
    total = len((content.body or "").encode())
    steps = [dict(step) for step in (content.steps or [])]
    faqs = [dict(pair) for pair in (content.faqs or [])]
    for item in steps + faqs:
        for key in ("title", "body", "question", "answer"):
            total += len(str(item.get(key, "")).encode())
    if total > rendering.MAX_SOURCE_BYTES:
        errors.setdefault("body", []).append(
            _("This content is %(size)s KB; the limit is %(limit)s KB. Split it into several articles.")
            % {"size": total // 1000, "limit": rendering.MAX_SOURCE_BYTES // 1000}
        )
    known = known_ids or set()
    if kind == Kind.GUIDE:
        steps = [s for s in steps if (s.get("title") or "").strip() or (s.get("body") or "").strip()]
        if not steps:
            errors.setdefault("steps", []).append(_("A guide needs at least one step."))
        if len(steps) > MAX_STEPS:
            errors.setdefault("steps", []).append(_("A guide has at most %(n)s steps.") % {"n": MAX_STEPS})
        for position, step in enumerate(steps, start=1):
            step["title"] = clean_line(step.get("title"), limit=200)
            step["body"] = clean_multiline(step.get("body"))
            if not step["title"]:
                errors.setdefault("steps", []).append(_("Step %(n)s needs a short title.") % {"n": position})
            if step.get("id") and step["id"] not in known:
                errors.setdefault("steps", []).append(
                    _("Step %(n)s does not belong to this guide. Reload the page and try again.") % {"n": position}
                )
            step["id"] = step.get("id") or _new_id()
        content.steps = [{"id": s["id"], "title": s["title"], "body": s["body"]} for s in steps]
    else:
        content.steps = []
    if kind == Kind.FAQ:
        faqs = [p for p in faqs if (p.get("question") or "").strip() or (p.get("answer") or "").strip()]
        if not faqs:
            errors.setdefault("faqs", []).append(_("A FAQ needs at least one question and answer."))
        if len(faqs) > MAX_FAQS:
            errors.setdefault("faqs", []).append(_("A FAQ has at most %(n)s questions.") % {"n": MAX_FAQS})
        for position, pair in enumerate(faqs, start=1):
            pair["question"] = clean_line(pair.get("question"), limit=300)
            pair["answer"] = clean_multiline(pair.get("answer"))
            alternatives = pair.get("alternatives") or []
            if isinstance(alternatives, str):
                alternatives = normalise_newlines(alternatives).split("\n")
            alternatives = [clean_line(a, limit=300) for a in alternatives]
            pair["alternatives"] = [a for a in alternatives if a][:20]
            if not pair["question"] or not pair["answer"].strip():
                errors.setdefault("faqs", []).append(
                    _("Question %(n)s needs both a question and an answer.") % {"n": position}
                )
            if pair.get("id") and pair["id"] not in known:
                errors.setdefault("faqs", []).append(
                    _("Question %(n)s does not belong to this FAQ. Reload the page and try again.") % {"n": position}
                )
            pair["id"] = pair.get("id") or _new_id()
        content.faqs = [
            {"id": p["id"], "question": p["question"], "alternatives": p["alternatives"], "answer": p["answer"]}
            for p in faqs
        ]
    else:
        content.faqs = []
    if kind == Kind.ARTICLE and not (content.body or "").strip() and "body" not in errors:
        errors.setdefault("body", []).append(_("Write the article's text."))
    if errors:
        raise ValidationError(errors)
    return content


def render_content(content: dict) -> dict:
    """Sanitised HTML for a revision, rendered once at save time. Hostile or pathological
    Markdown that cannot be rendered within the deadline is refused with a clear message."""
    try:
        return {
            "body": rendering.render_markdown(content.get("body") or ""),
            "steps": [rendering.render_markdown(step["body"]) for step in content.get("steps") or []],
            "faqs": [rendering.render_markdown(pair["answer"]) for pair in content.get("faqs") or []],
        }
    except rendering.RenderError as error:
        raise ValidationError({"body": [_(
            "This text could not be formatted (it is too long or too convoluted, for example thousands of "
            "unclosed brackets). Simplify it or split it, then save again. Nothing was saved."
        )]}) from error


def _known_ids(article: Article | None) -> set[str]:
    if article is None or article.latest_revision is None:
        return set()
    revision = article.latest_revision
    return {s["id"] for s in revision.steps} | {p["id"] for p in revision.faqs}


def unique_slug(model, text: str, *, fallback: str = "item", exclude_pk=None) -> str:
    """A slug for `text` (transliterated: "📦 Retours" gives `package-retours`), unique among
    `model`'s rows; `fallback` (the kind, "collection") when nothing readable is left."""
    base = slug_base(text, fallback=fallback)
    slug, n = base, 2
    while model.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


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
        article_publish(article=article, revision=revision, acting_user=acting_user)
    return article


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
) -> Revision:
    """Save a new revision, refusing to overwrite a revision the author has not seen."""
    locked = _lock_unchanged_since(article, expected_revision_id)
    content = clean_content(locked.kind, content, known_ids=_known_ids(locked))
    revision = _append_revision(
        article=locked, content=content.as_dict(), summary=summary, acting_user=acting_user, contributor=contributor
    )
    if publish:
        article_publish(article=locked, revision=revision, acting_user=acting_user)
    article.refresh_from_db()
    return revision


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
) -> SaveResult:
    """The editor's save, all or nothing: the article's settings (collection, review-by date,
    confidentiality; None leaves one as it is) and its content. A conflict or invalid content
    raises before anything is written, and the transaction rolls back whatever came before.
    Content equal to the latest revision makes no new revision (publishing then publishes the
    latest revision if it is not live yet)."""
    locked = _lock_unchanged_since(article, expected_revision_id)
    content = clean_content(locked.kind, content, known_ids=_known_ids(locked))
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
        article_publish(article=locked, revision=target, acting_user=acting_user)
        published = True
    settings_changed = _apply_settings(locked, collection=collection, review_by=review_by, confidential=confidential)
    article.refresh_from_db()
    return SaveResult(revision=revision, published=published, settings_changed=settings_changed)


@transaction.atomic
def article_publish(*, article: Article, revision: Revision, acting_user,
                    materiality: str = Materiality.UPDATE, must_read: dict | None = None) -> Article:
    """Make `revision` what readers see. One transactional flip; subscribers to the content
    event (search indexing, notifications) hear of it after commit, with how much it matters
    (`materiality`) and, for a must-read, who must read it (`must_read`, see `events.ContentEvent`)."""
    if revision.article_id != article.pk:
        raise ValidationError(_("That revision belongs to another article."))
    materiality = Materiality(materiality)
    if revision.materiality != materiality:
        revision.materiality = materiality
        revision.save(update_fields=["materiality"])
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


def collection_create(
    *, name: str, acting_user=None, parent: Collection | None = None, description: str = "",
    confidential: bool = False, review_interval_days: int = 180, slug: str | None = None,
) -> Collection:
    name = clean_line(name, limit=200)
    if not name:
        raise ValidationError({"name": [_("Give the collection a name.")]})
    if parent is not None and len(parent.ancestors()) >= 4:
        raise ValidationError({"parent": [_("Collections nest at most five levels deep.")]})
    position = (Collection.objects.filter(parent=parent).aggregate(p=Max("position"))["p"] or 0) + 1
    return Collection.objects.create(
        name=name,
        slug=unique_slug(Collection, slug or name, fallback="collection"),
        parent=parent,
        description=clean_multiline(description),
        owner_id=getattr(acting_user, "pk", None),
        confidential=confidential,
        review_interval_days=review_interval_days,
        position=position,
    )


def collection_update(*, collection: Collection, name: str, parent: Collection | None, description: str,
                      confidential: bool, review_interval_days: int) -> Collection:
    node = parent
    while node is not None:
        if node.pk == collection.pk:
            raise ValidationError({"parent": [_("A collection cannot sit inside itself.")]})
        node = node.parent
    collection.name = clean_line(name, limit=200) or collection.name
    collection.parent = parent
    collection.description = clean_multiline(description)
    collection.confidential = confidential
    collection.review_interval_days = review_interval_days
    collection.save()
    return collection


@transaction.atomic
def collection_move(*, collection: Collection, offset: int) -> None:
    """Move a collection up (-1) or down (+1) among its siblings."""
    siblings = list(Collection.objects.select_for_update().filter(parent=collection.parent).order_by("position", "name"))
    index = next(i for i, c in enumerate(siblings) if c.pk == collection.pk)
    target = max(0, min(len(siblings) - 1, index + offset))
    siblings.insert(target, siblings.pop(index))
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            Collection.objects.filter(pk=sibling.pk).update(position=position)


def collection_archive(*, collection: Collection, archived: bool = True) -> Collection:
    collection.archived_at = timezone.now() if archived else None
    collection.save(update_fields=["archived_at"])
    return collection
