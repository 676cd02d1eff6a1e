"""The access pages of a tenant: grants given, changed and revoked by tenant admins, the access
review (who can see what, and why), the audit log, and a provider lead's view of their teams.

The review's reasons are checked against the access layer itself, so that the page explaining
access can never disagree with the access it explains.
"""

from __future__ import annotations

import csv
import datetime
import io
import random
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.utils import timezone, translation

from audit.models import Action, AuditEvent
from permissions import review, services
from permissions.grants import expand, explain_reach, grants_opening, provider_reach, strongest_level
from permissions.models import CollectionTeamGrant
from permissions.selectors import visible_articles, visible_collections
from tenants import services as tenants
from tenants.models import ProviderOrganisation, ProviderRole, User
from tenants.selectors import workspace_access

from .conftest import host
from .factories import get, http_as, post


@pytest.fixture(autouse=True)
def _english():
    cache.clear()
    with translation.override("en"):
        yield


def events(world, in_tenant, action, client=None):
    in_tenant(client or world.acme)
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def give(t, target, level="read", **who):
    return services.grant_give(target=target, level=level, acting_user=t.world.acme_admin, **who)


# --- Grants through the pages --------------------------------------------------------------


def test_an_admin_gives_changes_and_revokes_a_grant_and_each_is_audited(tree, in_tenant):
    world, c = tree.world, tree.c
    page = get(world.acme_admin, f"/access/collections/{c['refunds'].slug}/", world.acme)
    assert page.status_code == 200
    html = page.content.decode()
    assert "No grant on this collection" in html and "Team Refund desk" in html and "Agent.Both" in html

    last_day = timezone.localdate() + datetime.timedelta(days=10)
    admin = http_as(world.acme_admin)
    response = admin.post(f"/access/collections/{c['refunds'].slug}/", {
        "grantee": f"team:{tree.desk.pk}", "level": "read", "expires_on": last_day.isoformat()},
        HTTP_HOST=host(world.acme), follow=True)
    assert response.redirect_chain == [(f"/access/collections/{c['refunds'].slug}/", 302)]
    page = response.content.decode()
    assert "Access given to Helios Contact / Refund desk." in page
    assert world.acme_admin.get_full_name() in page  # granted by: the admin sees staff names
    in_tenant(world.acme)
    grant = CollectionTeamGrant.objects.get(content_object=c["refunds"], group=tree.desk.group)
    assert grant.level == "read" and timezone.localtime(grant.expires_at).date() == last_day
    assert grant.granted_by_id == world.acme_admin.pk
    assert get(world.agent_both, tree.a["market"].get_absolute_url(), world.acme).status_code == 200

    prefix = f"collection-team-{grant.pk}"
    response = post(world.acme_admin, f"/access/grants/collection-team/{grant.pk}/change/", world.acme, {
        f"{prefix}-level": "contribute", f"{prefix}-expires_on": ""})
    assert response.status_code == 302
    in_tenant(world.acme)
    grant = CollectionTeamGrant.objects.get(pk=grant.pk)
    assert grant.level == "contribute" and grant.expires_at is None

    response = post(world.acme_admin, f"/access/grants/collection-team/{grant.pk}/revoke/", world.acme, {})
    assert response.status_code == 302
    in_tenant(world.acme)
    assert not CollectionTeamGrant.objects.filter(pk=grant.pk).exists()
    assert get(world.agent_both, tree.a["market"].get_absolute_url(), world.acme).status_code == 404

    trail = [e for e in AuditEvent.objects.filter(action__startswith="grant.").order_by("id")]
    assert [e.action for e in trail] == [Action.GRANT_GIVEN, Action.GRANT_CHANGED, Action.GRANT_REVOKED]
    assert {e.actor_id for e in trail} == {world.acme_admin.pk}
    assert all(e.object_label == "Refunds" and e.ip for e in trail)
    assert trail[1].detail["before"]["level"] == "read" and trail[1].detail["after"]["level"] == "contribute"


def test_an_admin_grants_an_article_to_one_person(tree, in_tenant):
    world, secret = tree.world, tree.a["secret"]
    url = f"/access/articles/{secret.slug}/"
    assert "confidential" in get(world.acme_admin, url, world.acme).content.decode()
    response = post(world.acme_admin, url, world.acme, {"grantee": f"person:{world.agent_acme.pk}", "level": "read"})
    # Confidential: the page names what it opens and asks once more; nothing is given yet.
    assert response.status_code == 200 and "This opens confidential content" in response.content.decode()
    assert "Secret margin" in response.content.decode()
    assert get(world.agent_acme, secret.get_absolute_url(), world.acme).status_code == 404
    response = post(world.acme_admin, url, world.acme, {"grantee": f"person:{world.agent_acme.pk}", "level": "read",
                                                         "confirm_confidential": "yes"})
    assert response.status_code == 302
    assert get(world.agent_acme, secret.get_absolute_url(), world.acme).status_code == 200
    assert get(world.agent_both, secret.get_absolute_url(), world.acme).status_code == 404


def test_an_expiry_date_in_the_past_is_refused_with_a_clear_error(tree, in_tenant):
    world, c = tree.world, tree.c
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = post(world.acme_admin, f"/access/collections/{c['refunds'].slug}/", world.acme, {
        "grantee": f"team:{tree.desk.pk}", "level": "read", "expires_on": yesterday})
    assert response.status_code == 400
    assert "This date is in the past" in response.content.decode()
    in_tenant(world.acme)
    assert not CollectionTeamGrant.objects.exists()

    grant = give(tree, c["refunds"], team=tree.desk)
    prefix = f"collection-team-{grant.pk}"
    response = post(world.acme_admin, f"/access/grants/collection-team/{grant.pk}/change/", world.acme, {
        f"{prefix}-level": "contribute", f"{prefix}-expires_on": yesterday})
    assert response.status_code == 400
    assert "This date is in the past" in response.content.decode()
    in_tenant(world.acme)
    assert CollectionTeamGrant.objects.get(pk=grant.pk).expires_at is None


def test_a_grantee_outside_the_choices_is_refused(tree, in_tenant):
    world, c = tree.world, tree.c
    for grantee in (f"person:{world.outsider.pk}", f"person:{world.acme_editor.pk}", "team:999999", ""):
        response = post(world.acme_admin, f"/access/collections/{c['refunds'].slug}/", world.acme,
                        {"grantee": grantee, "level": "read"})
        assert response.status_code == 400, grantee
    in_tenant(world.acme)
    assert not CollectionTeamGrant.objects.exists()


def test_access_pages_are_404_for_everyone_but_tenant_admins(tree, in_tenant):
    world, c, a = tree.world, tree.c, tree.a
    grant = give(tree, c["refunds"], team=tree.desk)
    gets = [
        "/access/", f"/access/collections/{c['refunds'].slug}/", f"/access/articles/{a['refund'].slug}/",
        f"/access/review/collections/{c['refunds'].slug}/", f"/access/review/articles/{a['refund'].slug}/",
        f"/access/review/collections/{c['refunds'].slug}/?format=csv", "/access/review/people/",
        f"/access/review/people/{world.agent_both.pk}/", f"/access/review/people/{world.agent_both.pk}/?format=csv",
        "/access/audit/", "/access/audit/export/",
    ]
    posts = [
        f"/access/collections/{c['refunds'].slug}/", f"/access/grants/collection-team/{grant.pk}/change/",
        f"/access/grants/collection-team/{grant.pk}/revoke/",
    ]
    for user in (world.acme_editor, world.acme_viewer, world.agent_both, world.lead, world.lumiere_admin):
        for path in gets:
            assert get(user, path, world.acme).status_code == 404, (user, path)
        for path in posts:
            assert post(user, path, world.acme, {"grantee": f"team:{tree.desk.pk}", "level": "contribute"}).status_code == 404
    in_tenant(world.acme)
    assert CollectionTeamGrant.objects.get(pk=grant.pk).level == "read"
    # An admin gets a 404 for what does not exist, and for people who are not of this tenant.
    for path in ("/access/collections/nope/", "/access/grants/collection-team/999999/revoke/",
                 f"/access/review/people/{world.outsider.pk}/", f"/access/review/people/{world.lumiere_editor.pk}/"):
        response = post(world.acme_admin, path, world.acme, {}) if "revoke" in path else get(world.acme_admin, path, world.acme)
        assert response.status_code == 404, path
    # The lead page is for provider leads only.
    assert get(world.acme_admin, "/access/teams/", world.acme).status_code == 404
    assert get(world.agent_both, "/access/teams/", world.acme).status_code == 404


def test_the_access_link_shows_for_admins_only(tree):
    world, c, a = tree.world, tree.c, tree.a
    for path in (c["refunds"].get_absolute_url(), a["refund"].get_absolute_url()):
        assert "/access/" in get(world.acme_admin, path, world.acme).content.decode()
        assert "/access/" not in get(world.acme_editor, path, world.acme).content.decode()


# --- Why: the grants behind the reach --------------------------------------------------------


def _random_tree(rng: random.Random, size: int) -> dict[int, tuple[int | None, bool]]:
    tree: dict[int, tuple[int | None, bool]] = {}
    for pk in range(1, size + 1):
        parent = rng.choice([None, *range(1, pk)]) if pk > 1 else None
        tree[pk] = (parent, rng.random() < 0.3)
    return tree


def test_grants_opening_agrees_with_expand_on_random_trees():
    rng = random.Random(4)
    for _round in range(300):
        tree = _random_tree(rng, rng.randint(1, 25))
        grants = [SimpleNamespace(content_object_id=rng.choice(list(tree)), level=rng.choice(["read", "contribute"]))
                  for _n in range(rng.randint(0, 6))]
        opened = grants_opening(grants, tree)
        assert set(opened) == expand({g.content_object_id for g in grants}, tree)
        contribute = {pk for pk, rows in opened.items() if strongest_level(rows) == "contribute"}
        assert contribute == expand({g.content_object_id for g in grants if g.level == "contribute"}, tree)


def test_explain_reach_agrees_with_provider_reach(tree):
    world, c, a = tree.world, tree.c, tree.a
    give(tree, c["refunds"], team=tree.desk)
    give(tree, c["under"], "contribute", team=tree.desk)
    give(tree, c["costs"], person=world.agent_acme)
    give(tree, c["market"], "contribute", team=tree.escalation)
    give(tree, a["secret"], "contribute", team=tree.escalation)
    give(tree, a["other"], person=world.agent_both)
    for user in (world.agent_both, world.agent_acme, world.lead, world.acme_editor):
        access = workspace_access(user, world.acme)
        reach, explained = provider_reach(access), explain_reach(access)
        assert set(explained.collections) == reach.read_collections
        assert {pk for pk, g in explained.collections.items() if strongest_level(g) == "contribute"} == \
            reach.contribute_collections
        assert set(explained.articles) == reach.read_articles
        assert {pk for pk, g in explained.articles.items() if strongest_level(g) == "contribute"} == \
            reach.contribute_articles


def test_provider_people_agree_with_workspace_access(tree, world):
    other = ProviderOrganisation.objects.create(name="Nova Calls")
    nova_agent = User.objects.create_user("nova@nova.test", "x", full_name="Nova Agent")
    tenants.provider_member_add(user=nova_agent, provider=other, role=ProviderRole.AGENT).clients.add(world.acme)
    people = review.provider_people(world.acme)
    for user in User.objects.all():
        access = workspace_access(user, world.acme)
        expected = access is not None and access.is_provider
        assert (user.pk in people) == expected, user
        if expected:
            assert people[user.pk].team_group_ids == set(access.team_group_ids)
    assert nova_agent.pk not in people  # Nova Calls is not engaged by acme


def test_the_review_agrees_with_the_access_layer(tree):
    world, c, a = tree.world, tree.c, tree.a
    give(tree, c["refunds"], team=tree.desk)
    give(tree, c["costs"], person=world.agent_acme)
    give(tree, a["secret"], team=tree.escalation)
    give(tree, c["other"], "contribute", person=world.agent_both,
         expires_at=timezone.now() + datetime.timedelta(days=1))
    expired = give(tree, c["market"], team=tree.escalation)
    type(expired).objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    providers = [world.agent_both, world.agent_acme, world.lead]
    accesses = {user.pk: workspace_access(user, world.acme) for user in providers}
    for collection in c.values():
        result = review.collection_review(collection, world.acme)
        shown = {line.person.pk for line in result.providers}
        assert shown == {pk for pk, access in accesses.items()
                         if visible_collections(access).filter(pk=collection.pk).exists()}, collection
        assert all(line.reasons for line in result.providers)
    for article in a.values():
        result = review.article_review(article, world.acme)
        shown = {line.person.pk for line in result.providers}
        assert shown == {pk for pk, access in accesses.items()
                         if visible_articles(access).filter(pk=article.pk).exists()}, article


def _line(result, user):
    return next(line for line in result.lines if line.person.pk == user.pk)


def test_the_review_explains_a_team_grant_on_an_ancestor(tree):
    world, c = tree.world, tree.c
    give(tree, c["refunds"], team=tree.desk)
    result = review.collection_review(c["market"], world.acme)
    line = _line(result, world.agent_both)
    assert line.level == "read"
    assert line.reasons == ["Team Helios Contact / Refund desk: read on Refunds (a parent collection)"]
    assert _line(result, world.acme_viewer).reasons == [
        "Client staff (Viewer): reads everything published, confidential included"]
    assert _line(result, world.acme_editor).level == "edit"
    article = review.article_review(tree.a["market"], world.acme)
    assert _line(article, world.agent_both).reasons == [
        "Team Helios Contact / Refund desk: read on Refunds (a parent of its collection)"]


def test_the_review_explains_a_direct_grant_on_confidential_content_and_notes_blocks(tree):
    world, c, a = tree.world, tree.c, tree.a
    give(tree, c["refunds"], team=tree.desk)
    give(tree, c["costs"], "contribute", person=world.agent_acme)
    give(tree, a["secret"], team=tree.escalation)

    costs = review.collection_review(c["costs"], world.acme)
    assert [line.person.pk for line in costs.providers] == [world.agent_acme.pk]
    assert _line(costs, world.agent_acme).reasons == ["Personal grant: contribute on this collection"]
    assert _line(costs, world.agent_acme).level == "contribute"
    assert "Team Helios Contact / Refund desk on Refunds does not reach this: Costs is confidential." in costs.notes

    under = review.collection_review(c["under"], world.acme)
    assert _line(under, world.agent_acme).reasons == ["Personal grant: contribute on Costs (a parent collection)"]
    assert "Team Helios Contact / Refund desk on Refunds does not reach this: Costs is confidential." in under.notes

    secret = review.article_review(a["secret"], world.acme)
    assert [line.person.pk for line in secret.providers] == [world.agent_acme.pk]
    assert _line(secret, world.agent_acme).reasons == [
        "Team Helios Contact / Escalation: read on this article (named directly: it is confidential)"]
    assert "Team Helios Contact / Refund desk on Refunds does not reach this article: it is confidential." in secret.notes

    draft = review.article_review(a["draft"], world.acme)
    assert draft.providers == [] and world.acme_viewer.pk not in {line.person.pk for line in draft.lines}
    assert any("not published" in note for note in draft.notes)


def test_the_review_page_and_its_csv(tree, in_tenant):
    world, c = tree.world, tree.c
    give(tree, c["refunds"], team=tree.desk)
    page = get(world.acme_admin, f"/access/review/collections/{c['market'].slug}/", world.acme).content.decode()
    assert "Team Helios Contact / Refund desk: read on Refunds (a parent collection)" in page
    response = get(world.acme_admin, f"/access/review/collections/{c['market'].slug}/", world.acme, format="csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    today = timezone.localdate().isoformat()
    assert f'filename="acme-access-{c["market"].slug}-{today}.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Name", "E-mail address", "Side", "Role", "Level", "Why"]
    by_email = {row[1]: row for row in rows[1:]}
    assert by_email["agent.both@helios.test"][2:] == [
        "Provider", "Helios Contact · Provider agent", "Read",
        "Team Helios Contact / Refund desk: read on Refunds (a parent collection)"]
    assert by_email["editor@acme.test"][2:5] == ["Client staff", "Editor", "Edit"]
    assert "agent.acme@helios.test" not in by_email and "lead@helios.test" not in by_email
    [export] = events(world, in_tenant, Action.EXPORT)
    assert export.object_label == "Marketplace" and export.detail["what"] == "access review"
    assert export.actor_id == world.acme_admin.pk


def test_the_person_review_lists_everything_they_reach_with_reasons(tree, in_tenant):
    world, c, a = tree.world, tree.c, tree.a
    give(tree, c["refunds"], team=tree.desk)
    give(tree, a["other"], "contribute", person=world.agent_both)
    url = f"/access/review/people/{world.agent_both.pk}/"
    page = get(world.acme_admin, url, world.acme).content.decode()
    assert "Market refund" in page and "Cost per contact" not in page and "Draft refund" not in page
    rows = list(csv.reader(io.StringIO(get(world.acme_admin, url, world.acme, format="csv").content.decode())))
    assert rows[0] == ["Kind", "Name", "Slug", "Level", "Why"]
    assert {tuple(row[:2]) for row in rows[1:]} == {
        ("Collection", "Refunds"), ("Collection", "Marketplace"),
        ("Article", "Refund"), ("Article", "Market refund"), ("Article", "Other thing")}
    other = next(row for row in rows if row[1] == "Other thing")
    assert other[3:] == ["Contribute", "Personal grant: contribute on this article"]
    refund = next(row for row in rows if row[1] == "Refund")
    assert refund[4] == "Team Helios Contact / Refund desk: read on Refunds (the collection holding it)"
    assert events(world, in_tenant, Action.EXPORT)[-1].detail["rows"] == 5

    staff = get(world.acme_admin, f"/access/review/people/{world.acme_viewer.pk}/", world.acme).content.decode()
    assert "Cost per contact" in staff and "Draft refund" not in staff
    assert "reads everything published" in staff


# --- The audit log -----------------------------------------------------------------------


def test_the_audit_log_filters_paginates_and_exports(tree, in_tenant):
    world = tree.world
    in_tenant(world.acme)
    old = timezone.now() - datetime.timedelta(days=40)
    for n in range(60):
        AuditEvent.objects.create(action=Action.EXPORT, actor_label="bulk@acme.test", object_label=f"Item {n}",
                                  at=timezone.now() - datetime.timedelta(minutes=n + 1))
    AuditEvent.objects.create(action=Action.ROLE_CHANGED, actor_label="old@acme.test", object_label="Old", at=old)
    give(tree, tree.c["refunds"], team=tree.desk)

    admin = http_as(world.acme_admin)
    response = admin.get("/access/audit/", HTTP_HOST=host(world.acme))
    page = response.context["page"]
    newest = list(page.object_list)
    assert len(page.object_list) == 50 and page.paginator.count >= 62
    # Newest first: this very visit's sign-in, then the grant.
    assert [e.action for e in newest[:2]] == [Action.SIGN_IN, Action.GRANT_GIVEN]
    second = list(admin.get("/access/audit/", {"page": 2}, HTTP_HOST=host(world.acme)).context["page"].object_list)
    assert second[0].at <= newest[-1].at and not {e.pk for e in second} & {e.pk for e in newest}

    def shown(**filters):
        return list(get(world.acme_admin, "/access/audit/", world.acme, **filters).context["page"].object_list)

    assert {e.action for e in shown(action=Action.ROLE_CHANGED)} == {Action.ROLE_CHANGED}
    assert [e.object_label for e in shown(person="OLD@acme")] == ["Old"]
    day = timezone.localtime(old).date()
    assert [e.object_label for e in shown(start=day.isoformat(), end=day.isoformat())] == ["Old"]
    assert all(e.at.date() > day for e in shown(start=(day + datetime.timedelta(days=1)).isoformat()))
    bad = get(world.acme_admin, "/access/audit/", world.acme, start="2026-02-02", end="2026-01-01")
    assert bad.status_code == 400 and "The end date is before the start date." in bad.content.decode()
    assert "No event matches this filter." in get(world.acme_admin, "/access/audit/", world.acme,
                                                     person="nobody-at-all").content.decode()

    response = get(world.acme_admin, "/access/audit/export/", world.acme, person="bulk@")
    assert response["Content-Disposition"].endswith(f'-{timezone.localdate().isoformat()}.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["When", "Who", "Action code", "Action"]
    assert len(rows) == 61 and {row[1] for row in rows[1:]} == {"bulk@acme.test"}
    assert rows[1][6] == "Item 0"  # newest first
    export = events(world, in_tenant, Action.EXPORT)[-1]
    assert export.object_label == "audit log" and export.detail["rows"] == 60
    assert export.actor_label == world.acme_admin.email


def test_a_csv_cell_never_starts_a_formula(tree, in_tenant):
    world = tree.world
    in_tenant(world.acme)
    AuditEvent.objects.create(action=Action.EXPORT, actor_label="x@acme.test", object_label="=HYPERLINK(\"http://x\")")
    rows = list(csv.reader(io.StringIO(get(world.acme_admin, "/access/audit/export/", world.acme,
                                           person="x@acme").content.decode())))
    assert rows[1][6] == "'=HYPERLINK(\"http://x\")"


def test_reads_of_confidential_articles_are_recorded(tree, in_tenant):
    world, a = tree.world, tree.a
    give(tree, a["secret"], person=world.agent_acme)
    assert get(world.agent_acme, a["secret"].get_absolute_url(), world.acme).status_code == 200
    assert get(world.acme_viewer, a["cost"].get_absolute_url(), world.acme).status_code == 200  # confidential collection
    assert get(world.acme_viewer, a["under"].get_absolute_url(), world.acme).status_code == 200  # ... its ancestor
    assert get(world.acme_viewer, a["refund"].get_absolute_url(), world.acme).status_code == 200  # not confidential
    assert get(world.agent_both, a["secret"].get_absolute_url(), world.acme).status_code == 404  # not a read
    reads = events(world, in_tenant, Action.CONFIDENTIAL_READ)
    assert [(e.actor_id, e.object_label) for e in reads] == [
        (world.agent_acme.pk, "Secret margin"), (world.acme_viewer.pk, "Cost per contact"),
        (world.acme_viewer.pk, "Under cost")]


def test_sign_in_is_recorded_once_per_session_per_tenant(tree, in_tenant):
    world = tree.world
    http = http_as(world.agent_both)
    give(tree, tree.c["refunds"], team=tree.desk)
    for path in ("/", "/", tree.a["refund"].get_absolute_url()):
        assert http.get(path, HTTP_HOST=host(world.acme)).status_code == 200
    assert http.get("/", HTTP_HOST=host(world.lumiere)).status_code == 200
    assert http.get("/", HTTP_HOST=host(world.acme)).status_code == 200
    acme = [e for e in events(world, in_tenant, Action.SIGN_IN) if e.actor_id == world.agent_both.pk]
    lumiere = [e for e in events(world, in_tenant, Action.SIGN_IN, world.lumiere) if e.actor_id == world.agent_both.pk]
    assert len(acme) == 1 and len(lumiere) == 1
    assert acme[0].detail == {"role": "agent"}
    # A new session (signing in again) is a new sign-in.
    assert http_as(world.agent_both).get("/", HTTP_HOST=host(world.acme)).status_code == 200
    assert len([e for e in events(world, in_tenant, Action.SIGN_IN) if e.actor_id == world.agent_both.pk]) == 2


def test_exports_and_imports_are_recorded(tree, in_tenant):
    world, c = tree.world, tree.c
    http = http_as(world.acme_editor)
    response = http.get(f"/collections/{c['refunds'].slug}/export/", HTTP_HOST=host(world.acme))
    assert response.status_code == 200
    archive = b"".join(response.streaming_content) if response.streaming else response.content
    assert http.get("/export/", HTTP_HOST=host(world.acme)).status_code == 200
    upload = io.BytesIO(archive)
    upload.name = "refunds.zip"
    assert http.post("/import/", {"archive": upload, "publish": "on"}, HTTP_HOST=host(world.acme)).status_code == 200
    exports = events(world, in_tenant, Action.EXPORT)
    assert [(e.object_label, e.detail["what"]) for e in exports] == [
        ("Refunds", "collection"), ("Whole knowledge base", "knowledge base")]
    [imported] = events(world, in_tenant, Action.IMPORT)
    assert imported.actor_id == world.acme_editor.pk and imported.detail["file"] == "refunds.zip"
    assert imported.detail["updated"] >= 1


# --- A provider lead's teams ---------------------------------------------------------------


def test_a_lead_sees_only_their_teams_and_only_what_the_client_granted(tree, in_tenant):
    world, c, a = tree.world, tree.c, tree.a
    world.acme_admin.full_name = "Eve Margins"
    world.acme_admin.save(update_fields=["full_name"])
    nova = ProviderOrganisation.objects.create(name="Nova Calls")
    tenants.engagement_start(provider=nova, client=world.acme)
    nova_team = tenants.team_create(provider=nova, name="Nova night shift")
    in_tenant(world.acme)
    give(tree, c["refunds"], team=tree.desk, expires_at=timezone.now() + datetime.timedelta(days=3))
    give(tree, a["secret"], "contribute", team=tree.desk)
    give(tree, c["other"], team=nova_team)
    give(tree, c["costs"], person=world.agent_both)  # a personal grant, not a team's

    response = get(world.lead, "/access/teams/", world.acme)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Refund desk" in page and "Escalation" in page
    assert "Nova" not in page and "Other" not in page
    assert "Costs" not in page and "Cost per contact" not in page and "Under costs" not in page
    assert "Marketplace" in page and "Secret margin" in page
    assert "Eve Margins" not in page and world.acme_admin.email not in page and "Acme Parcels editor" not in page
    assert "Acme Parcels has granted nothing to this team." in page
    teams = response.context["teams"]
    assert [t.team.name for t in teams] == ["Escalation", "Refund desk"]
    assert [i.obj.name for i in teams[1].collections] == ["Marketplace", "Refunds"]
    assert [i.obj.title for i in teams[1].articles] == ["Secret margin"]
    assert teams[1].articles[0].level == "contribute"
