"""Collections: create, edit, move, archive."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Collection
from ..text import clean_line, clean_multiline
from .content import unique_slug


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
