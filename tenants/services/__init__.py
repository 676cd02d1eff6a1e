"""Writes about tenants, people and providers.

One module per subject; this package re-exports every name so that `from tenants import services`
and `from tenants.services import invitation_create` keep working.
"""

from .clients import (
    client_create,
    client_image_sources_set,
    client_require_two_factor_set,
    engagement_end,
    engagement_start,
    membership_set,
    provider_member_add,
)
from .common import audit_in_tenant, require_admin, require_lead
from .invitations import (
    invitation_accept,
    invitation_accept_new_person,
    invitation_check,
    invitation_create,
    invitation_link,
    invitation_revoke,
    logger,
)
from .members import membership_remove, membership_role_change
from .teams import (
    ensure_team_group,
    provider_member_clients_set,
    team_clients_set,
    team_create,
    team_create_by_lead,
    team_member_add,
    team_member_remove,
    team_rename,
)
from .tokens import token_authenticate, token_create, token_resolve, token_revoke

__all__ = [
    "audit_in_tenant",
    "client_create",
    "client_image_sources_set",
    "client_require_two_factor_set",
    "engagement_end",
    "engagement_start",
    "ensure_team_group",
    "invitation_accept",
    "invitation_accept_new_person",
    "invitation_check",
    "invitation_create",
    "invitation_link",
    "invitation_revoke",
    "logger",
    "membership_remove",
    "membership_role_change",
    "membership_set",
    "provider_member_add",
    "provider_member_clients_set",
    "require_admin",
    "require_lead",
    "team_clients_set",
    "team_create",
    "team_create_by_lead",
    "team_member_add",
    "team_member_remove",
    "team_rename",
    "token_authenticate",
    "token_create",
    "token_resolve",
    "token_revoke",
]
