"""Writes about tenants, people and providers.

One module per subject; this package re-exports every name so that `from tenants import services`
and `from tenants.services import invitation_create` keep working.
"""

from .clients import (
    client_create,
    client_image_sources_set,
    engagement_end,
    engagement_start,
    membership_set,
    provider_member_add,
)
from .common import _audit, _require_admin, _require_lead
from .invitations import (
    invitation_accept,
    invitation_accept_new_person,
    invitation_check,
    invitation_create,
    invitation_for_token,
    invitation_link,
    invitation_revoke,
    logger,
    token_hash,
)
from .members import _other_admins, membership_remove, membership_role_change
from .teams import (
    _audit_where_team_works,
    _provider_person,
    _team_name_free,
    ensure_team_group,
    provider_member_clients_set,
    team_clients_set,
    team_create,
    team_create_by_lead,
    team_member_add,
    team_member_remove,
    team_rename,
)

__all__ = [
    "_audit",
    "_require_admin",
    "_require_lead",
    "client_create",
    "membership_set",
    "provider_member_add",
    "engagement_start",
    "engagement_end",
    "client_image_sources_set",
    "logger",
    "token_hash",
    "invitation_for_token",
    "invitation_link",
    "invitation_create",
    "invitation_revoke",
    "invitation_check",
    "invitation_accept",
    "invitation_accept_new_person",
    "_other_admins",
    "membership_role_change",
    "membership_remove",
    "ensure_team_group",
    "team_create",
    "_team_name_free",
    "team_create_by_lead",
    "team_clients_set",
    "team_rename",
    "_provider_person",
    "_audit_where_team_works",
    "team_member_add",
    "team_member_remove",
    "provider_member_clients_set",
]
