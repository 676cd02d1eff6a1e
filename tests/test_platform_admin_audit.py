"""The platform admin (Django admin on the public site) cannot change who reaches a tenant
without the tenant's audit log knowing: engagements start and end through the audited services,
membership saves and deletions are written to the log, and the inlines are read-only."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client as HttpClient

from audit.models import Action, AuditEvent
from tenants.models import Engagement, Membership, ProviderOrganisation, Role, User


@pytest.fixture
def platform(world):
    staff = User.objects.create_superuser("platform@kb.test", world.password)
    http = HttpClient(HTTP_HOST=settings.KB_BASE_DOMAIN)
    http.force_login(staff)
    return http


def events(world, action):
    connection.set_tenant(world.acme)
    found = list(AuditEvent.objects.filter(action=action).values_list("object_label", "detail"))
    connection.set_schema_to_public()
    return found


def test_an_engagement_added_in_the_admin_is_audited_and_cannot_be_edited_silently(world, platform):
    nova = ProviderOrganisation.objects.create(name="Nova Calls")
    response = platform.post("/admin/tenants/engagement/add/", {"provider": nova.pk, "client": world.acme.pk})
    assert response.status_code == 302
    engagement = Engagement.objects.get(provider=nova, client=world.acme)
    assert {"provider": "Nova Calls"} in [detail for _, detail in events(world, Action.ENGAGEMENT_STARTED)]
    # The change form shows the dates read-only: a posted end date is ignored.
    platform.post(f"/admin/tenants/engagement/{engagement.pk}/change/", {"ended_at_0": "2020-01-01", "ended_at_1": "00:00"})
    engagement.refresh_from_db()
    assert engagement.ended_at is None
    # Ending goes through the audited action; deleting is not offered.
    platform.post("/admin/tenants/engagement/", {"action": "end_now", "_selected_action": [engagement.pk]})
    engagement.refresh_from_db()
    assert engagement.ended_at is not None
    assert {"provider": "Nova Calls"} in [detail for _, detail in events(world, Action.ENGAGEMENT_ENDED)]
    assert platform.get(f"/admin/tenants/engagement/{engagement.pk}/delete/").status_code == 403


def test_role_changes_and_removals_in_the_admin_reach_the_tenants_log(world, platform):
    membership = Membership.objects.get(user=world.acme_viewer, client=world.acme)
    response = platform.post(f"/admin/tenants/membership/{membership.pk}/change/", {"role": Role.EDITOR})
    assert response.status_code == 302
    assert (world.acme_viewer.email, {"before": "viewer", "after": "editor", "by": "platform admin"}) in events(world, Action.ROLE_CHANGED)
    response = platform.post(f"/admin/tenants/membership/{membership.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Membership.objects.filter(pk=membership.pk).exists()
    assert (world.acme_viewer.email, {"role": "editor", "by": "platform admin"}) in events(world, Action.PERSON_REMOVED)
    # The client page lists memberships and engagements without letting them be edited inline.
    page = platform.get(f"/admin/tenants/client/{world.acme.pk}/change/").content.decode()
    assert 'name="memberships-0-role"' not in page and 'name="engagements-0-ended_at_0"' not in page


def test_platform_staff_revoke_a_persons_api_token_but_never_see_or_create_one(world, platform):
    from tenants.services import token_authenticate, token_create

    token, raw = token_create(user=world.agent_acme, name="CRM sidebar")
    page = platform.get("/admin/tenants/apitoken/").content.decode()
    assert token.prefix in page and raw not in page
    assert platform.get("/admin/tenants/apitoken/add/").status_code == 403
    platform.post("/admin/tenants/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None and token_authenticate(raw) is None
