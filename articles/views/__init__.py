"""Tenant views for collections, articles, guides and FAQs.

Each view resolves its object through permissions.selectors (no access means 404), calls one
service, and renders or redirects. One module per page family; this package re-exports every
view so that `from articles import views` and the URL conf keep working.
"""

from .access import _require_editor
from .collections import (
    COLLECTION_PAGE_SIZE,
    collection_archive,
    collection_create,
    collection_detail,
    collection_edit,
    collection_move,
)
from .editing import (
    _conflict,
    _editor_context,
    _int_or_none,
    _save_message,
    article_archive,
    article_create,
    article_edit,
    article_publish,
    article_verify,
    editor_row,
    preview,
    render_editor_row,
    render_preview,
    similar,
)
from .home import _lookup_home, home, review_list
from .reading import _reading_context, article_feedback, article_read
from .revisions import compare, history, restore, revision_detail

__all__ = [
    "_require_editor",
    "_lookup_home",
    "home",
    "review_list",
    "COLLECTION_PAGE_SIZE",
    "collection_detail",
    "collection_create",
    "collection_edit",
    "collection_archive",
    "collection_move",
    "article_read",
    "_reading_context",
    "article_feedback",
    "_editor_context",
    "article_create",
    "article_edit",
    "_save_message",
    "_conflict",
    "article_publish",
    "article_verify",
    "_int_or_none",
    "article_archive",
    "render_preview",
    "render_editor_row",
    "preview",
    "similar",
    "editor_row",
    "history",
    "revision_detail",
    "compare",
    "restore",
]
