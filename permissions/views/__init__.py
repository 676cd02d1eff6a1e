"""Access pages of a tenant site: provider access (grants) on collections and articles, the
access review, the audit log (tenant admins), and a provider lead's view of what their teams
can reach here (provider leads). Everyone else gets a 404.

Each view resolves its object through permissions.selectors (no access means 404), calls one
service or selector, and renders, redirects or sends a CSV file.

One module per page family; this package re-exports every view for the URL conf.
"""

from .access_review import review_article, review_collection, review_people, review_person
from .audit_log import AUDIT_PAGE_SIZE, audit_export, audit_log
from .grants import article_grants, collection_grants, grant_change, grant_revoke, overview
from .teams import lead_teams

__all__ = [
    "AUDIT_PAGE_SIZE",
    "article_grants",
    "audit_export",
    "audit_log",
    "collection_grants",
    "grant_change",
    "grant_revoke",
    "lead_teams",
    "overview",
    "review_article",
    "review_collection",
    "review_people",
    "review_person",
]
