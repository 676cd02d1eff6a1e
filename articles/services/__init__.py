"""Writes on collections, articles and revisions. Views call these; nothing else writes.

One module per subject; this package re-exports every name so that `from articles import services`
and `services.article_publish(...)` keep working.
"""

# Callers used `services.slug_base` when this was one module.
from ..text import slug_base
from .articles import (
    SaveResult,
    _apply_settings,
    article_archive,
    article_create,
    article_save,
    article_update_settings,
    article_verify,
    feedback_add,
)
from .collections import collection_archive, collection_create, collection_move, collection_update
from .content import (
    Content,
    EditConflict,
    _known_ids,
    _new_id,
    clean_content,
    normalise_tags,
    render_content,
    unique_slug,
)
from .revisions import (
    _append_revision,
    _lock_unchanged_since,
    _take_reader_fields,
    article_publish,
    revision_create,
    revision_restore,
)

__all__ = [
    "slug_base",
    "EditConflict",
    "Content",
    "_new_id",
    "normalise_tags",
    "clean_content",
    "render_content",
    "_known_ids",
    "unique_slug",
    "_append_revision",
    "_take_reader_fields",
    "_lock_unchanged_since",
    "revision_create",
    "article_publish",
    "revision_restore",
    "article_create",
    "SaveResult",
    "_apply_settings",
    "article_save",
    "article_update_settings",
    "article_verify",
    "article_archive",
    "feedback_add",
    "collection_create",
    "collection_update",
    "collection_move",
    "collection_archive",
]
