"""Must-read assignments, acknowledgements and readiness (issue 13).

The figures are checked against answers worked out by hand in the test, never by the code
under test; acknowledgements are tied to the exact revision (a minor or update publish asks
nothing again, a must-read does); a person who lost access is "no longer has access", never
late; a provider lead sees their own people only.
"""

from __future__ import annotations

import csv
import datetime
import io
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client as HttpClient
from django.utils import timezone, translation

from articles import services as articles
from articles.models import Kind, Materiality
from permissions import services as grants
from readiness import selectors, services
from readiness.models import Acknowledgement, Assignee, MustRead, ReadinessSettings
from tenants import services as tenants
from tenants.models import ProviderOrganisation, ProviderRole, User
from tenants.selectors import workspace_access

from .conftest import PASSWORD, host

UTC = datetime.UTC


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def _agent(email: str, provider, client, *teams, role=ProviderRole.AGENT) -> User:
    user = User.objects.create_user(email, PASSWORD, full_name=email.split("@")[0].replace(".", " ").title())
    membership = tenants.provider_member_add(user=user, provider=provider, role=role)
    if role == ProviderRole.AGENT:
        membership.clients.add(client)
    for team in teams:
        team.members.add(user)
    return user


STEPS = [
    {"title": "Check the tracking", "body": "Open the tracking page."},
    {"title": "Offer a new date", "body": "Propose the next two slots."},
    {"title": "Confirm by SMS", "body": "Send the confirmation."},
]


@pytest.fixture
def desk(world, in_tenant):
    """acme's guide "Redeliver a parcel" in Deliveries, read by Helios' Delivery desk
    (agent_both, agent_acme) and by Nova Calls' Nova desk (one agent), both engaged by acme."""
    delivery = tenants.team_create(provider=world.helios, name="Delivery desk", clients=[world.acme])
    delivery.members.add(world.agent_both, world.agent_acme)
    nova = ProviderOrganisation.objects.create(name="Nova Calls", country="Portugal")
    tenants.engagement_start(provider=nova, client=world.acme)
    nova_desk = tenants.team_create(provider=nova, name="Nova desk", clients=[world.acme])
    nova_agent = _agent("eva@nova.test", nova, world.acme, nova_desk)
    nova_lead = _agent("lead@nova.test", nova, world.acme, role=ProviderRole.LEAD)
    in_tenant(world.acme)
    deliveries = articles.collection_create(name="Deliveries", acting_user=world.acme_editor)
    guide = articles.article_create(
        kind=Kind.GUIDE, collection=deliveries, acting_user=world.acme_editor, publish=True,
        content=articles.Content(title="Redeliver a parcel", language="en", tags=["delivery"], steps=STEPS))
    for team in (delivery, nova_desk):
        grants.grant_give(target=deliveries, level="read", team=team, acting_user=world.acme_admin)
    return SimpleNamespace(world=world, acme=world.acme, editor=world.acme_editor, guide=guide, deliveries=deliveries,
                           delivery=delivery, nova=nova, nova_desk=nova_desk, nova_agent=nova_agent, nova_lead=nova_lead)


def publish(desk, django_capture_on_commit_callbacks, *, step_two: str, materiality: str, must_read=None,
            summary: str = "Changed step 2"):
    """A new revision of the guide with step 2 reworded, published as `materiality`, through
    the real seam (the content event is sent after commit)."""
    guide = desk.guide
    guide.refresh_from_db()
    steps = [dict(step) for step in guide.latest_revision.steps]
    steps[1]["body"] = step_two
    revision = articles.revision_create(
        article=guide, expected_revision_id=guide.latest_revision_id, acting_user=desk.editor, summary=summary,
        content=articles.Content(title=guide.title, language="en", tags=list(guide.tags), steps=steps))
    with django_capture_on_commit_callbacks(execute=True):
        articles.article_publish(article=guide, revision=revision, acting_user=desk.editor, materiality=materiality,
                                 must_read=must_read)
    guide.refresh_from_db()
    return revision


def access_of(person, desk):
    return workspace_access(User.objects.get(pk=person.pk), desk.acme)


def pending_titles(person, desk) -> list[tuple[str, int]]:
    return [(m.article.title, m.revision.number) for m in selectors.pending_for(access_of(person, desk))]


# --- Assigning ---------------------------------------------------------------------------------


def test_a_must_read_for_a_team_is_pinned_for_its_agents_only(desk, django_capture_on_commit_callbacks):
    publish(desk, django_capture_on_commit_callbacks, step_two="Propose three slots.", materiality=Materiality.MUST_READ,
            must_read={"everyone": False, "roles": [], "teams": [desk.delivery.pk], "deadline": "2030-01-31"})
    must_read = MustRead.objects.get()
    assert (must_read.revision.number, must_read.deadline) == (2, datetime.date(2030, 1, 31))
    assert must_read.base_revision.number == 1
    world = desk.world
    assert set(Assignee.objects.values_list("person_id", flat=True)) == {world.agent_both.pk, world.agent_acme.pk}
    assert pending_titles(world.agent_both, desk) == [("Redeliver a parcel", 2)]
    assert pending_titles(world.agent_acme, desk) == [("Redeliver a parcel", 2)]
    for outside in (desk.nova_agent, world.acme_viewer, world.acme_editor, world.acme_admin):
        assert pending_titles(outside, desk) == []
    assert selectors.pending_count(access_of(world.agent_both, desk)) == 1

    # Pinned on the agent's home (the lookup page) until acknowledged.
    http = HttpClient()
    http.force_login(world.agent_both)
    page = http.get("/", HTTP_HOST=host(desk.acme)).content.decode()
    assert "data-must-read-pins" in page and "/must-read/guides/" in page
    http.force_login(desk.nova_agent)
    assert "data-must-read-pins" not in http.get("/", HTTP_HOST=host(desk.acme)).content.decode()


def test_everyone_and_client_roles(desk, django_capture_on_commit_callbacks):
    world = desk.world
    publish(desk, django_capture_on_commit_callbacks, step_two="Propose three slots.", materiality=Materiality.MUST_READ,
            must_read={"everyone": False, "roles": ["viewer"], "teams": [], "deadline": None})
    assert pending_titles(world.acme_viewer, desk) == [("Redeliver a parcel", 2)]
    assert pending_titles(world.agent_both, desk) == []
    publish(desk, django_capture_on_commit_callbacks, step_two="Propose four slots.", materiality=Materiality.MUST_READ,
            must_read={"everyone": True, "roles": [], "teams": [], "deadline": None})
    # Everyone who may read it, but not the editor who published it; the older must-read is replaced.
    for person in (world.acme_viewer, world.acme_admin, world.agent_both, world.agent_acme, desk.nova_agent):
        assert pending_titles(person, desk) == [("Redeliver a parcel", 3)], person
    assert pending_titles(world.acme_editor, desk) == []
    assert MustRead.objects.filter(superseded_at__isnull=True).get().revision.number == 3
    # An agent of a provider with no grant here is not asked (they may not read it).
    assert pending_titles(world.lead, desk) == []


def test_a_team_that_does_not_work_for_the_client_is_not_an_audience(desk, django_capture_on_commit_callbacks):
    elsewhere = tenants.team_create(provider=desk.world.helios, name="Lumière only", clients=[desk.world.lumiere])
    elsewhere.members.add(desk.world.agent_both)
    connection.set_tenant(desk.acme)
    publish(desk, django_capture_on_commit_callbacks, step_two="Propose three slots.", materiality=Materiality.MUST_READ,
            must_read={"teams": [elsewhere.pk]})
    must_read = MustRead.objects.get()
    assert must_read.everyone and must_read.teams == []  # nothing valid chosen: everyone who may read it


# --- Acknowledging -----------------------------------------------------------------------------


def test_an_acknowledgement_is_tied_to_the_revision(desk, django_capture_on_commit_callbacks):
    world = desk.world
    audience = {"teams": [desk.delivery.pk]}
    r2 = publish(desk, django_capture_on_commit_callbacks, step_two="Propose three slots.",
                 materiality=Materiality.MUST_READ, must_read=audience)
    agent = access_of(world.agent_both, desk)
    ack = services.acknowledge(access=agent, article=desk.guide, revision_id=r2.pk)
    assert (ack.revision_id, ack.person_id) == (r2.pk, world.agent_both.pk)
    assert pending_titles(world.agent_both, desk) == []
    assert pending_titles(world.agent_acme, desk) == [("Redeliver a parcel", 2)]

    # A minor publish and an update ask nothing again.
    publish(desk, django_capture_on_commit_callbacks, step_two="Propose three free slots.", materiality=Materiality.MINOR)
    publish(desk, django_capture_on_commit_callbacks, step_two="Propose three free slots today.",
            materiality=Materiality.UPDATE)
    assert pending_titles(world.agent_both, desk) == []
    assert MustRead.objects.count() == 1

    # A newer must-read asks again; the diff runs from what they acknowledged (revision 2).
    publish(desk, django_capture_on_commit_callbacks, step_two="Call the customer back.",
            materiality=Materiality.MUST_READ, must_read=audience)
    assert pending_titles(world.agent_both, desk) == [("Redeliver a parcel", 5)]
    state = selectors.ack_state(access_of(world.agent_both, desk), desk.guide)
    assert state.asked and (state.last.revision.number, state.base.number, state.live.number) == (2, 2, 5)
    # Someone who never acknowledged sees the change since the revision before the must-read.
    other = selectors.ack_state(access_of(world.agent_acme, desk), desk.guide)
    assert other.last is None and other.base.number == 4
    # The earlier must-read counts as done for who acknowledged a later revision.
    services.acknowledge(access=access_of(world.agent_acme, desk), article=desk.guide,
                         revision_id=desk.guide.live_revision_id)
    first = MustRead.objects.get(revision=r2)
    assert {row.person.pk: row.status for row in selectors.readiness(first, desk.acme).rows} == {
        world.agent_both.pk: selectors.DONE, world.agent_acme.pk: selectors.DONE}


def test_acknowledging_a_revision_that_is_no_longer_live_is_refused(desk, django_capture_on_commit_callbacks):
    r2 = publish(desk, django_capture_on_commit_callbacks, step_two="Propose three slots.",
                 materiality=Materiality.MUST_READ, must_read={"teams": [desk.delivery.pk]})
    publish(desk, django_capture_on_commit_callbacks, step_two="Propose three free slots.", materiality=Materiality.MINOR)
    with pytest.raises(services.RevisionChanged):
        services.acknowledge(access=access_of(desk.world.agent_both, desk), article=desk.guide, revision_id=r2.pk)
    assert not Acknowledgement.objects.exists()


def test_the_acknowledgement_page_shows_the_diff_and_acknowledges_with_csrf(desk, django_capture_on_commit_callbacks):
    world = desk.world
    publish(desk, django_capture_on_commit_callbacks, step_two="Propose three slots.",
            materiality=Materiality.MUST_READ, must_read={"teams": [desk.delivery.pk]})
    url = f"/must-read/guides/{desk.guide.slug}/"
    http = HttpClient(enforce_csrf_checks=True)
    http.force_login(world.agent_both)
    page = http.get(url, HTTP_HOST=host(desk.acme))
    html = page.content.decode()
    assert page.status_code == 200
    assert "I have read and understood revision 2" in html
    assert "What changed since revision 1:" in html
    assert "Propose <del>the next two</del><ins>three</ins> slots." in html  # step 2, word by word
    # Without the CSRF token: refused, nothing recorded.
    refused = http.post(url, {"revision": desk.guide.live_revision_id}, HTTP_HOST=host(desk.acme))
    assert refused.status_code == 403 and not Acknowledgement.objects.exists()
    token = http.cookies[settings.CSRF_COOKIE_NAME].value
    done = http.post(url, {"revision": desk.guide.live_revision_id, "csrfmiddlewaretoken": token},
                     HTTP_HOST=host(desk.acme))
    assert done.status_code == 302 and done["Location"] == "/must-read/"
    assert Acknowledgement.objects.get().revision_id == desk.guide.live_revision_id
    after = http.get(url, HTTP_HOST=host(desk.acme)).content.decode()
    assert "You acknowledged revision 2" in after and "I have read and understood" not in after
    # A bad revision value is the form again, never a 500.
    bad = http.post(url, {"revision": "x", "csrfmiddlewaretoken": token}, HTTP_HOST=host(desk.acme))
    assert bad.status_code == 302  # nothing is asked any more: back to the page
    # Someone who may not read the guide gets a 404, like for the guide itself.
    http.force_login(world.lead)
    assert http.get(url, HTTP_HOST=host(desk.acme)).status_code == 404


# --- Lost access -------------------------------------------------------------------------------


def test_a_person_who_lost_access_is_shown_as_such_not_as_late(desk, django_capture_on_commit_callbacks):
    world = desk.world
    publish(desk, django_capture_on_commit_callbacks, step_two="Propose three slots.",
            materiality=Materiality.MUST_READ, must_read={"teams": [desk.delivery.pk], "deadline": "2020-01-01"})
    # agent_acme leaves the team (the only way they could read the guide).
    desk.delivery.members.remove(world.agent_acme)
    connection.set_tenant(desk.acme)
    assert pending_titles(world.agent_acme, desk) == []
    result = selectors.readiness(MustRead.objects.get(), desk.acme)
    statuses = {row.person.pk: row.status for row in result.rows}
    assert statuses == {world.agent_both.pk: selectors.OVERDUE, world.agent_acme.pk: selectors.NO_ACCESS}
    assert (result.figures.assigned, result.figures.overdue, result.figures.no_access) == (1, 1, 1)
    http = HttpClient()
    http.force_login(world.acme_editor)
    page = http.get(f"/readiness/{result.must_read.pk}/", HTTP_HOST=host(desk.acme)).content.decode()
    row = page.split("agent.acme@helios.test")[1].split("</tr>")[0]
    assert "no longer has access" in row and "overdue" not in row


# --- The figures, against answers worked out by hand ---------------------------------------------


T0 = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def figures_world(desk, django_capture_on_commit_callbacks):
    """Must-read revision 2, assigned at T0 (20 Nov 09:00 UTC), deadline 25 Nov, to the Delivery
    desk (Helios) and the Nova desk (Nova Calls), seen on 27 Nov:

    | person      | company | ack at            | hours | by deadline |
    | agent_both  | Helios  | 20 Nov 11:00      |   2   | yes         |
    | agent_acme  | Helios  | 21 Nov 15:00      |  30   | yes         |
    | carla       | Helios  | 26 Nov 10:00      | 145   | no          |
    | dan         | Helios  | —                 |       | overdue     |
    | eva         | Nova    | 20 Nov 13:00      |   4   | yes         |
    | fred        | Nova    | left the team: no longer has access    |
    """
    world = desk.world
    carla = _agent("carla@helios.test", world.helios, world.acme, desk.delivery)
    dan = _agent("dan@helios.test", world.helios, world.acme, desk.delivery)
    fred = _agent("fred@nova.test", desk.nova, world.acme, desk.nova_desk)
    connection.set_tenant(desk.acme)
    publish(desk, django_capture_on_commit_callbacks, step_two="Propose three slots.", materiality=Materiality.MUST_READ,
            must_read={"teams": [desk.delivery.pk, desk.nova_desk.pk], "deadline": "2026-11-25"})
    must_read = MustRead.objects.get()
    MustRead.objects.filter(pk=must_read.pk).update(created_at=T0)
    Assignee.objects.filter(must_read=must_read).update(assigned_at=T0)
    live = desk.guide.live_revision_id
    for person, at in ((world.agent_both, T0 + datetime.timedelta(hours=2)),
                       (world.agent_acme, T0 + datetime.timedelta(hours=30)),
                       (carla, T0 + datetime.timedelta(hours=145)),
                       (desk.nova_agent, T0 + datetime.timedelta(hours=4))):
        services.acknowledge(access=access_of(person, desk), article=desk.guide, revision_id=live, now=at)
    desk.nova_desk.members.remove(fred)
    connection.set_tenant(desk.acme)
    return SimpleNamespace(desk=desk, must_read=MustRead.objects.get(), carla=carla, dan=dan, fred=fred)


def _hours(figures) -> float:
    return figures.median_seconds / 3600


def test_the_readiness_figures(figures_world):
    fw = figures_world
    result = selectors.readiness(fw.must_read, fw.desk.acme, today=datetime.date(2026, 11, 27))
    total = result.figures
    assert (total.assigned, total.done, total.pending, total.overdue, total.no_access) == (5, 4, 0, 1, 1)
    assert total.share_done == pytest.approx(4 / 5)
    assert _hours(total) == pytest.approx(17)  # median of 2, 4, 30, 145
    assert total.share_by_deadline == pytest.approx(3 / 5)

    assert [company.label for company in result.companies] == ["Helios Contact", "Nova Calls"]
    helios, nova = result.companies
    assert (helios.figures.assigned, helios.figures.done, helios.figures.overdue) == (4, 3, 1)
    assert helios.figures.share_done == pytest.approx(3 / 4)
    assert _hours(helios.figures) == pytest.approx(30)  # median of 2, 30, 145
    assert helios.figures.share_by_deadline == pytest.approx(2 / 4)
    assert [team.label for team in helios.teams] == ["Delivery desk"]
    assert [row.person.email for row in helios.teams[0].rows] == [
        "agent.acme@helios.test", "agent.both@helios.test", "carla@helios.test", "dan@helios.test"]
    assert (nova.figures.assigned, nova.figures.done, nova.figures.no_access) == (1, 1, 1)
    assert nova.figures.share_done == 1 and _hours(nova.figures) == pytest.approx(4)
    assert nova.figures.share_by_deadline == 1
    statuses = {row.person.email: row.status for row in result.rows}
    assert statuses == {"agent.both@helios.test": "done", "agent.acme@helios.test": "done",
                        "carla@helios.test": "done", "dan@helios.test": "overdue", "eva@nova.test": "done",
                        "fred@nova.test": "no_access"}
    # Before the deadline, dan is only "not yet".
    early = selectors.readiness(fw.must_read, fw.desk.acme, today=datetime.date(2026, 11, 24))
    assert {row.person.email: row.status for row in early.rows}["dan@helios.test"] == "pending"


def test_the_readiness_page_and_its_csv(figures_world):
    fw = figures_world
    http = HttpClient()
    http.force_login(fw.desk.world.acme_editor)
    page = http.get(f"/readiness/{fw.must_read.pk}/", HTTP_HOST=host(fw.desk.acme))
    html = page.content.decode()
    assert page.status_code == 200
    assert "4 of 5" in html and "80 %" in html and "17 h 00 min" in html and "60 %" in html
    assert html.index("Helios Contact") < html.index("Nova Calls")
    exported = http.get(f"/readiness/{fw.must_read.pk}/?format=csv", HTTP_HOST=host(fw.desk.acme))
    assert exported["Content-Type"] == "text/csv; charset=utf-8"
    assert exported.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel shows accents
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Company", "Team", "Person", "E-mail address", "Status"]
    by_email = {row[3]: row for row in rows[1:]}
    assert by_email["carla@helios.test"][4] == "acknowledged" and by_email["carla@helios.test"][8] == "145.0"
    assert by_email["dan@helios.test"][4] == "overdue"
    assert by_email["fred@nova.test"][4] == "no longer has access"
    overview = http.get("/readiness/", HTTP_HOST=host(fw.desk.acme)).content.decode()
    assert "Redeliver a parcel" in overview and "4 of 5" in overview


def test_a_provider_lead_sees_their_own_agents_only(figures_world):
    fw = figures_world
    world = fw.desk.world
    helios = selectors.readiness(fw.must_read, fw.desk.acme, provider_id=world.helios.pk,
                                 today=datetime.date(2026, 11, 27))
    assert {row.person.email for row in helios.rows} == {
        "agent.both@helios.test", "agent.acme@helios.test", "carla@helios.test", "dan@helios.test"}
    assert (helios.figures.assigned, helios.figures.done) == (4, 3)
    nova = selectors.readiness(fw.must_read, fw.desk.acme, provider_id=fw.desk.nova.pk)
    assert {row.person.email for row in nova.rows} == {"eva@nova.test", "fred@nova.test"}

    http = HttpClient()
    url = f"/readiness/my-people/{fw.must_read.pk}/"
    for lead, mine, theirs in ((world.lead, "dan@helios.test", "eva@nova.test"),
                               (fw.desk.nova_lead, "eva@nova.test", "dan@helios.test")):
        http.force_login(lead)
        for page in (http.get(url, HTTP_HOST=host(fw.desk.acme)), http.get(url + "?format=csv", HTTP_HOST=host(fw.desk.acme))):
            body = page.content.decode("utf-8-sig")
            assert page.status_code == 200 and mine in body and theirs not in body, lead
            # No client staff either (the audience is teams, but the lead's view never lists staff).
            assert world.acme_editor.email not in body and world.acme_admin.email not in body
        assert http.get(f"/readiness/{fw.must_read.pk}/", HTTP_HOST=host(fw.desk.acme)).status_code == 404
        assert "Redeliver a parcel" in http.get("/readiness/my-people/", HTTP_HOST=host(fw.desk.acme)).content.decode()


def test_a_lead_whose_people_are_not_asked_does_not_see_the_must_read(desk, django_capture_on_commit_callbacks):
    publish(desk, django_capture_on_commit_callbacks, step_two="Propose three slots.",
            materiality=Materiality.MUST_READ, must_read={"teams": [desk.delivery.pk]})
    must_read = MustRead.objects.get()
    http = HttpClient()
    http.force_login(desk.nova_lead)
    assert http.get(f"/readiness/my-people/{must_read.pk}/", HTTP_HOST=host(desk.acme)).status_code == 404
    assert "Redeliver a parcel" not in http.get("/readiness/my-people/", HTTP_HOST=host(desk.acme)).content.decode()


# --- Settings ----------------------------------------------------------------------------------


def test_a_tenant_admin_sets_the_reminder_delay(desk):
    world = desk.world
    http = HttpClient()
    http.force_login(world.acme_editor)
    assert http.get("/readiness/settings/", HTTP_HOST=host(desk.acme)).status_code == 404
    http.force_login(world.acme_admin)
    assert http.get("/readiness/settings/", HTTP_HOST=host(desk.acme)).status_code == 200
    bad = http.post("/readiness/settings/", {"reminder_after_days": "0", "deadline_reminder_days": "1"},
                    HTTP_HOST=host(desk.acme))
    assert bad.status_code == 400
    done = http.post("/readiness/settings/", {"reminder_after_days": "5", "deadline_reminder_days": "2"},
                     HTTP_HOST=host(desk.acme))
    assert done.status_code == 302
    config = ReadinessSettings.current()
    assert (config.reminder_after_days, config.deadline_reminder_days) == (5, 2)
    assert ReadinessSettings.objects.count() == 1
    from audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="settings.changed", object_label="must-read reminders").count() == 1


# --- Reminders ---------------------------------------------------------------------------------


def _reminders():
    from outbox.models import Message

    return Message.objects.filter(stream="readiness.must-read").order_by("pk")


@pytest.fixture
def reminding(desk, django_capture_on_commit_callbacks):
    """A must-read for the Delivery desk assigned on 20 Nov 09:00, deadline 30 Nov; reminders
    after 2 days, and again 1 day before the deadline (the defaults)."""
    publish(desk, django_capture_on_commit_callbacks, step_two="Propose three slots.", materiality=Materiality.MUST_READ,
            must_read={"teams": [desk.delivery.pk], "deadline": "2026-11-30"})
    must_read = MustRead.objects.get()
    MustRead.objects.filter(pk=must_read.pk).update(created_at=T0)
    Assignee.objects.filter(must_read=must_read).update(assigned_at=T0)
    return desk


def _sweep(at: datetime.datetime) -> int:
    return services.reminders_send(now=at)


def test_reminders_go_after_the_delay_once_then_before_the_deadline_once(reminding):
    world = reminding.world
    day = datetime.timedelta(days=1)
    assert _sweep(T0 + day) == 0  # within the delay: nobody
    assert not _reminders().exists()
    assert _sweep(T0 + 2 * day) == 2  # the delay has passed: both agents of the desk
    assert sorted(_reminders().values_list("to", flat=True)) == ["agent.acme@helios.test", "agent.both@helios.test"]
    assert _sweep(T0 + 2 * day + datetime.timedelta(hours=1)) == 0  # never twice for the same reason
    # agent_both acknowledges; agent_acme does not.
    services.acknowledge(access=access_of(world.agent_both, reminding), article=reminding.guide,
                         revision_id=reminding.guide.live_revision_id, now=T0 + 3 * day)
    assert _sweep(T0 + 8 * day) == 0  # 28 Nov: the deadline (30 Nov) is not near yet
    assert _sweep(datetime.datetime(2026, 11, 29, 9, tzinfo=UTC)) == 1  # the day before the deadline
    last = _reminders().last()
    assert last.to == "agent.acme@helios.test" and "by 2026-11-30" in last.subject
    assert _sweep(datetime.datetime(2026, 11, 30, 9, tzinfo=UTC)) == 0  # once only
    assert _sweep(datetime.datetime(2026, 12, 1, 9, tzinfo=UTC)) == 0  # and never after the deadline
    assert _reminders().count() == 3


def test_a_reminder_is_work_mail_linking_to_the_settings_and_cannot_be_unsubscribed(reminding):
    User.objects.filter(pk=reminding.world.agent_acme.pk).update(language="fr")
    _sweep(T0 + datetime.timedelta(days=2))
    english = _reminders().get(to="agent.both@helios.test")
    french = _reminders().get(to="agent.acme@helios.test")
    assert "List-Unsubscribe" not in english.headers and "List-Id" in english.headers
    assert f"/must-read/guides/{reminding.guide.slug}/" in english.text
    assert "/settings/email/" in english.text  # the person's e-mail settings
    assert english.subject == "Reminder: read and acknowledge “Redeliver a parcel”"
    assert french.language == "fr" and french.subject.startswith("Rappel")


def test_no_reminder_to_who_lost_access_or_left_the_audience(reminding):
    reminding.delivery.members.remove(reminding.world.agent_acme)
    connection.set_tenant(reminding.acme)
    assert _sweep(T0 + datetime.timedelta(days=2)) == 1
    assert list(_reminders().values_list("to", flat=True)) == ["agent.both@helios.test"]


def test_the_sweep_assigns_who_joined_the_team_since(reminding):
    newcomer = _agent("nina@helios.test", reminding.world.helios, reminding.acme, reminding.delivery)
    connection.set_tenant(reminding.acme)
    at = T0 + datetime.timedelta(days=2)
    assert pending_titles(newcomer, reminding) == [("Redeliver a parcel", 2)]  # asked at once
    assert _sweep(at) == 2  # the two agents assigned at publish; nina was assigned just now
    assert Assignee.objects.get(person_id=newcomer.pk).assigned_at == at
    assert _sweep(at + datetime.timedelta(days=2)) == 1
    assert _reminders().last().to == "nina@helios.test"


def test_the_tenant_task_sweeps_the_tenant_it_names_and_refuses_public(reminding):
    from readiness import tasks
    from tenants.tasking import TenantRequired

    now = timezone.now()
    MustRead.objects.update(deadline=timezone.localdate() + datetime.timedelta(days=10))
    Assignee.objects.update(assigned_at=now - datetime.timedelta(days=3))
    assert tasks.send_reminders_task.apply(args=["acme"]).get() == 2
    assert tasks.send_reminders_task.apply(args=["acme"]).get() == 0  # run twice: nothing twice
    with pytest.raises(TenantRequired):
        tasks.send_reminders_task.apply(args=["public"]).get()


# --- What notifications learns from readiness -------------------------------------------------------


def test_notifications_hears_the_audience_the_acknowledgements_and_the_open_must_reads(
        desk, django_capture_on_commit_callbacks):
    from articles.events import Change, ContentEvent
    from notifications import hooks as notification_hooks
    from notifications import recipients

    world = desk.world
    audience = {"teams": [desk.delivery.pk], "deadline": "2030-01-31"}
    event = ContentEvent(schema_name="acme", article_id=desk.guide.pk, change=Change.PUBLISHED,
                         actor_id=desk.editor.pk, revision_id=desk.guide.live_revision_id,
                         materiality=Materiality.MUST_READ, must_read=audience)
    # Before readiness assigned it (notifications may hear the event first): from the event.
    assert recipients.extra_recipients(event) == {world.agent_both.pk, world.agent_acme.pk}
    r2 = publish(desk, django_capture_on_commit_callbacks, step_two="Propose three slots.",
                 materiality=Materiality.MUST_READ, must_read=audience)
    later = ContentEvent(**{**event.as_dict(), "revision_id": r2.pk})
    assert recipients.extra_recipients(later) == {world.agent_both.pk, world.agent_acme.pk}
    assert notification_hooks.open_must_reads(world.agent_both.pk) == [
        {"article_id": desk.guide.pk, "revision_id": r2.pk, "deadline": datetime.date(2030, 1, 31)}]
    assert notification_hooks.last_acknowledged(world.agent_both.pk, desk.guide.pk) is None
    services.acknowledge(access=access_of(world.agent_both, desk), article=desk.guide, revision_id=r2.pk)
    assert notification_hooks.last_acknowledged(world.agent_both.pk, desk.guide.pk) == 2
    assert notification_hooks.open_must_reads(world.agent_both.pk) == []
    # A minor publish is nobody's must-read.
    minor = ContentEvent(**{**event.as_dict(), "materiality": Materiality.MINOR, "must_read": None})
    assert recipients.extra_recipients(minor) == set()


def test_the_pinned_must_reads_cost_one_statement_once_the_reach_is_known(desk, django_capture_on_commit_callbacks):
    """The agent's lookup page computes their reach anyway; the pinned block then adds one query
    (two past five pending, for the count), however many must-reads there are."""
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    from permissions.grants import provider_reach
    from readiness.templatetags.readiness import pinned_must_reads

    for n in range(3):
        publish(desk, django_capture_on_commit_callbacks, step_two=f"Propose {n + 3} slots.",
                materiality=Materiality.MUST_READ, must_read={"teams": [desk.delivery.pk]})
    access = access_of(desk.world.agent_both, desk)
    provider_reach(access)
    request = SimpleNamespace(workspace=access)
    with CaptureQueriesContext(db) as queries:
        shown = pinned_must_reads({"request": request})
    assert [m.revision.number for m in shown["pending"]] == [4]  # the newest must-read replaced the older ones
    assert len(queries) == 1, [q["sql"] for q in queries]


def test_a_must_read_whose_assignment_was_lost_is_assigned_by_the_sweep(desk, django_capture_on_commit_callbacks,
                                                                        monkeypatch, caplog):
    """The readiness subscriber fails after the publish committed (logged, the publish goes
    on): the next sweep assigns it, to the audience the editor chose (recorded with the change)."""
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "publication_record", broken)
    publish(desk, django_capture_on_commit_callbacks, step_two="Propose three slots.",
            materiality=Materiality.MUST_READ, must_read={"teams": [desk.delivery.pk], "deadline": "2030-01-31"})
    monkeypatch.undo()
    assert not MustRead.objects.exists()
    assert "failed" in caplog.text
    services.reminders_send()
    must_read = MustRead.objects.get()
    assert (must_read.revision.number, must_read.teams, must_read.deadline) == (
        2, [desk.delivery.pk], datetime.date(2030, 1, 31))
    assert set(Assignee.objects.values_list("person_id", flat=True)) == {
        desk.world.agent_both.pk, desk.world.agent_acme.pk}
    assert services.must_reads_reconcile() == 0  # once


# --- Acknowledging reads the must-read's notifications -------------------------------------------


def _deliver_change_of(revision):
    from notifications import services as notifications
    from notifications.models import ChangeEvent

    record = ChangeEvent.objects.get(revision=revision)
    for batch_id in notifications.plan_fanout(record.pk):
        notifications.deliver_batch(batch_id)
    return record


def _unread(person, desk) -> tuple[int, int]:
    """(unread notifications, the public counter) of the person in acme."""
    from notifications.counters.models import UnreadCount
    from notifications.models import Notification

    counter = UnreadCount.objects.filter(person_id=person.pk, client=desk.acme).values_list("unread", flat=True).first()
    return Notification.objects.filter(recipient_id=person.pk, read_at__isnull=True).count(), counter or 0


def test_acknowledging_marks_the_must_reads_notifications_read_and_the_bell_drops(
        desk, django_capture_on_commit_callbacks):
    world = desk.world
    r2 = publish(desk, django_capture_on_commit_callbacks, step_two="Propose three slots.",
                 materiality=Materiality.MUST_READ, must_read={"teams": [desk.delivery.pk]})
    _deliver_change_of(r2)
    assert _unread(world.agent_both, desk) == (1, 1) and _unread(world.agent_acme, desk) == (1, 1)
    services.acknowledge(access=access_of(world.agent_both, desk), article=desk.guide, revision_id=r2.pk)
    assert _unread(world.agent_both, desk) == (0, 0)
    assert _unread(world.agent_acme, desk) == (1, 1)  # who has not acknowledged is still told


def test_a_must_read_acknowledged_before_its_notification_is_delivered_arrives_read(
        desk, django_capture_on_commit_callbacks):
    world = desk.world
    r2 = publish(desk, django_capture_on_commit_callbacks, step_two="Propose three slots.",
                 materiality=Materiality.MUST_READ, must_read={"teams": [desk.delivery.pk]})
    from notifications.models import Notification

    Notification.objects.all().delete()  # as if the fan-out had not run yet (a worker may have been quick)
    services.acknowledge(access=access_of(world.agent_both, desk), article=desk.guide, revision_id=r2.pk)
    _deliver_change_of(r2)
    assert _unread(world.agent_both, desk) == (0, 0)
    assert Notification.objects.filter(recipient_id=world.agent_both.pk, read_at__isnull=False).count() == 1
    assert _unread(world.agent_acme, desk)[0] == 1


def test_the_acknowledgement_page_shows_the_must_reads_revision_after_a_later_minor_publish(
        desk, django_capture_on_commit_callbacks):
    world = desk.world
    publish(desk, django_capture_on_commit_callbacks, step_two="Propose three slots.",
            materiality=Materiality.MUST_READ, must_read={"teams": [desk.delivery.pk]}, summary="Three slots now")
    publish(desk, django_capture_on_commit_callbacks, step_two="Propose three slots!", materiality=Materiality.MINOR,
            summary="typo")
    http = HttpClient()
    http.force_login(world.agent_both)
    html = http.get(f"/must-read/guides/{desk.guide.slug}/", HTTP_HOST=host(desk.acme)).content.decode()
    assert "must read: revision 2 · Three slots now" in html
    assert "You acknowledge the live revision, 3, which includes it." in html
    assert "revision 3 · typo" not in html
    assert "I have read and understood revision 3" in html
