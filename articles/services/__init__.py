"""Writes on collections, articles and revisions. Views call these; nothing else writes.

One module per subject; this package re-exports every name so that `from articles import services`
and `services.article_publish(...)` keep working.
"""

# Callers used `services.slug_base` when this was one module.
from ..text import slug_base
from .articles import (
    SaveResult,
    article_archive,
    article_create,
    article_save,
    article_update_settings,
    article_verify,
    feedback_add,
)
from .collections import collection_archive, collection_create, collection_move, collection_update
from .content import Content, EditConflict, clean_content, normalise_tags, render_content, unique_slug
from .revisions import (
    PublishUndo,
    article_publish,
    publish_offer,
    publish_undo,
    revision_create,
    revision_restore,
)
from .suggestions import suggestion_accept, suggestion_create, suggestion_reject

__all__ = [
    "Content",
    "EditConflict",
    "PublishUndo",
    "SaveResult",
    "article_archive",
    "article_create",
    "article_publish",
    "article_save",
    "article_update_settings",
    "article_verify",
    "clean_content",
    "collection_archive",
    "collection_create",
    "collection_move",
    "collection_update",
    "feedback_add",
    "normalise_tags",
    "publish_offer",
    "publish_undo",
    "render_content",
    "revision_create",
    "revision_restore",
    "slug_base",
    "suggestion_accept",
    "suggestion_create",
    "suggestion_reject",
    "unique_slug",
]
