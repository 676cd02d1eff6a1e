"""The collaboration dashboard in the browser: an editor opens it and sees the readiness of a
must-read, its chart and table, and downloads a CSV; a provider lead opens it and sees their
own agents' figures only; on a phone (390 px) the page never scrolls sideways."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from articles import services as articles
from articles.models import Kind
from permissions import services as grants
from readiness.models import Acknowledgement, Assignee, MustRead
from tenants import services as tenants
from tenants.models import ProviderOrganisation, ProviderRole, User

from ..conftest import PASSWORD, throwaway_workspace
from .conftest import drop_throwaway_tenant, sign_in

pytestmark = pytest.mark.browser

SCHEMA = "dashvega"
EDITOR = ("editor@dashvega.test", "Dana Editor")
AGENT = ("agent@dashvega.test", "Ari Agent")
LEAD = ("lead@dashvega-helios.test", "Lea Lead")


@pytest.fixture
def dashvega(committed):
    workspace = throwaway_workspace(schema=SCHEMA, name="Dash Vega", editor=EDITOR, agent=AGENT, team="Dash desk")
    connection.set_schema_to_public()
    workspace.team.clients.add(workspace.client)
    helios = ProviderOrganisation.objects.get(name="Helios Contact")
    lead = User.objects.create_user(LEAD[0], PASSWORD, full_name=LEAD[1])
    tenants.provider_member_add(user=lead, provider=helios, role=ProviderRole.LEAD)
    connection.set_tenant(workspace.client)
    collection = articles.collection_create(name="Deliveries", acting_user=workspace.editor)
    guide = articles.article_create(
        kind=Kind.GUIDE, collection=collection, acting_user=workspace.editor, publish=True,
        content=articles.Content(title="Redeliver a missed parcel", language="en", tags=[],
                                 steps=[{"title": "Check the tracking", "body": "Open the tracking page."}]))
    grants.grant_give(target=collection, level="read", team=workspace.team, acting_user=workspace.editor)
    at = timezone.now() - datetime.timedelta(days=2)
    must_read = MustRead.objects.create(article=guide, revision=guide.live_revision, created_at=at)
    Assignee.objects.create(must_read=must_read, person_id=workspace.agent.pk, assigned_at=at, provider_id=helios.pk,
                            team_id=workspace.team.pk)
    Acknowledgement.objects.create(article=guide, revision=guide.live_revision, person_id=workspace.agent.pk,
                                   acknowledged_at=at + datetime.timedelta(hours=3))
    connection.set_schema_to_public()
    yield workspace
    drop_throwaway_tenant(workspace.client, teams=[workspace.team], emails=[EDITOR[0], AGENT[0], LEAD[0]])


def test_the_dashboard_for_an_editor_and_a_lead(page, browser, site, dashvega):
    sign_in(page, site, EDITOR[0])
    page.goto(site(SCHEMA, "/dashboard/"))
    expect(page.get_by_role("heading", name="Collaboration dashboard")).to_be_visible()
    expect(page.locator('[data-figure="readiness-share"]')).to_have_text("100 %")
    expect(page.locator("#section-readiness svg").first).to_be_visible()
    expect(page.locator("#section-weak_spots")).to_contain_text("No knowledge checks yet")
    with page.expect_download() as download:
        page.locator("#section-readiness").get_by_role("link", name="Download CSV").first.click()
    assert download.value.suggested_filename.endswith(".csv")
    page.get_by_label("Period").select_option("30")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".dashboard-scope")).to_contain_text("Last 30 days")

    phone = browser.new_context(viewport={"width": 390, "height": 844})
    lead_page = phone.new_page()
    sign_in(lead_page, site, LEAD[0])
    lead_page.goto(site(SCHEMA, "/dashboard/"))
    expect(lead_page.locator('[data-figure="readiness-share"]')).to_have_text("100 %")
    expect(lead_page.locator("#section-freshness")).to_have_count(0)
    assert lead_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.close()
