"""Tenant views for collections, articles, guides and FAQs.

Each view resolves its object through permissions.selectors (no access means 404), calls one
service, and renders or redirects. One module per page family; this package re-exports every
view so that `from articles import views` and the URL conf keep working.
"""

from .collections import (
    collection_archive,
    collection_create,
    collection_detail,
    collection_edit,
    collection_move,
)
from .editing import (
    article_archive,
    article_create,
    article_edit,
    article_publish,
    article_verify,
    editor_context,
    editor_row,
    preview,
    render_editor_row,
    render_preview,
    similar,
)
from .home import archive_list, home, review_list
from .reading import article_feedback, article_read
from .revisions import compare, history, restore, revision_detail
from .undo import publish_undo

__all__ = [
    "archive_list",
    "article_archive",
    "article_create",
    "article_edit",
    "article_feedback",
    "article_publish",
    "article_read",
    "article_verify",
    "collection_archive",
    "collection_create",
    "collection_detail",
    "collection_edit",
    "collection_move",
    "compare",
    "editor_context",
    "editor_row",
    "history",
    "home",
    "preview",
    "publish_undo",
    "render_editor_row",
    "render_preview",
    "restore",
    "review_list",
    "revision_detail",
    "similar",
]
