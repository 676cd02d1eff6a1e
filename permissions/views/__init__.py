"""Access pages of a tenant site: provider access (grants) on collections and articles, the
access review, the audit log (tenant admins), and a provider lead's view of what their teams
can reach here (provider leads). Everyone else gets a 404.

Each view resolves its object through permissions.selectors (no access means 404), calls one
service or selector, and renders, redirects or sends a CSV file.

One module per page family; this package re-exports every view for the URL conf.
"""

from .access_review import (
    _get_reviewable_person,
    _review_page,
    review_article,
    review_collection,
    review_people,
    review_person,
)
from .audit_log import AUDIT_PAGE_SIZE, _audit_page, _detail_text, audit_export, audit_log
from .common import GRANT_KINDS, _access_url, _cell, _csv_response, _kind_of, _review_url
from .grants import (
    _add_errors,
    _all_grants,
    _get_grant,
    _give,
    _grant_form,
    _grant_rows,
    _target_page,
    article_grants,
    collection_grants,
    grant_change,
    grant_revoke,
    overview,
)
from .teams import lead_teams

__all__ = [
    "GRANT_KINDS",
    "_kind_of",
    "_access_url",
    "_review_url",
    "_cell",
    "_csv_response",
    "_grant_rows",
    "_all_grants",
    "overview",
    "_grant_form",
    "_target_page",
    "_give",
    "_add_errors",
    "collection_grants",
    "article_grants",
    "_get_grant",
    "grant_change",
    "grant_revoke",
    "_review_page",
    "review_collection",
    "review_article",
    "review_people",
    "_get_reviewable_person",
    "review_person",
    "AUDIT_PAGE_SIZE",
    "_detail_text",
    "audit_log",
    "_audit_page",
    "audit_export",
    "lead_teams",
]
