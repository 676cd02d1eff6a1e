"""Provider access through grants: inheritance, confidential, expiry, teams and persons."""

from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client as HttpClient
from django.utils import timezone

from articles import services as articles
from articles.models import Kind
from audit.models import Action, AuditEvent
from permissions import access_cache, services
from permissions.selectors import contributable_articles, visible_articles, visible_collections
from tenants.selectors import workspace_access

from .conftest import host


def titles(queryset):
    return set(queryset.values_list("title", flat=True))


def access_for(world, user):
    return workspace_access(user, world.acme)


def test_without_grant_a_provider_sees_nothing(tree):
    world = tree.world
    access = access_for(world, world.agent_both)
    assert titles(visible_articles(access)) == set()
    assert not visible_collections(access).exists()


def test_team_grant_covers_nested_content_but_not_confidential_or_drafts(tree):
    world, c, team = tree.world, tree.c, tree.desk
    services.grant_give(target=c["refunds"], level="read", team=team, acting_user=world.acme_admin)
    access = access_for(world, world.agent_both)
    assert titles(visible_articles(access)) == {"Refund", "Market refund"}
    assert set(visible_collections(access).values_list("name", flat=True)) == {"Refunds", "Marketplace"}
    # The other agent of the same provider is not in the team.
    assert titles(visible_articles(access_for(world, world.agent_acme))) == set()


def test_only_a_direct_grant_opens_confidential_content(tree):
    world, c, a, team = tree.world, tree.c, tree.a, tree.desk
    services.grant_give(target=c["refunds"], level="read", team=team, acting_user=world.acme_admin)
    services.grant_give(target=c["costs"], level="read", person=world.agent_both, acting_user=world.acme_admin)
    services.grant_give(target=a["secret"], level="read", team=team, acting_user=world.acme_admin)
    access = access_for(world, world.agent_both)
    assert titles(visible_articles(access)) == {"Refund", "Market refund", "Cost per contact", "Under cost", "Secret margin"}


def test_expired_grants_stop_working_on_the_next_request(tree):
    world, c, team = tree.world, tree.c, tree.desk
    grant = services.grant_give(target=c["other"], level="read", team=team, acting_user=world.acme_admin,
                                expires_at=timezone.now() + datetime.timedelta(hours=1))
    assert titles(visible_articles(access_for(world, world.agent_both))) == {"Other thing"}
    type(grant).objects.filter(pk=grant.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert titles(visible_articles(access_for(world, world.agent_both))) == set()
    assert services.grants_expire_sweep() == 1
    assert AuditEvent.objects.filter(action=Action.GRANT_EXPIRED).count() == 1


def test_contribute_implies_read_and_is_separate_from_read(tree):
    world, c, a, team = tree.world, tree.c, tree.a, tree.desk
    services.grant_give(target=c["refunds"], level="read", team=team, acting_user=world.acme_admin)
    services.grant_give(target=a["other"], level="contribute", person=world.agent_both, acting_user=world.acme_admin)
    access = access_for(world, world.agent_both)
    assert "Other thing" in titles(visible_articles(access))
    assert titles(contributable_articles(access)) == {"Other thing"}


def test_grant_changes_are_audited(tree):
    world, c, team = tree.world, tree.c, tree.desk
    grant = services.grant_give(target=c["refunds"], level="read", team=team, acting_user=world.acme_admin)
    services.grant_give(target=c["refunds"], level="contribute", team=team, acting_user=world.acme_admin)
    services.grant_revoke(grant=type(grant).objects.get(pk=grant.pk), acting_user=world.acme_admin)
    grant_events = AuditEvent.objects.filter(action__startswith="grant.")  # acme's log also holds its engagement
    assert list(grant_events.order_by("id").values_list("action", flat=True)) == [
        Action.GRANT_GIVEN, Action.GRANT_CHANGED, Action.GRANT_REVOKED]


def test_audit_log_refuses_update_and_delete_in_the_database(tree):
    event = AuditEvent.objects.create(action=Action.EXPORT, actor_label="x")
    for statement in ("UPDATE permissions_auditevent SET actor_label = 'forged'",
                      "DELETE FROM permissions_auditevent", "TRUNCATE permissions_auditevent"):
        with pytest.raises(DatabaseError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement)
    assert AuditEvent.objects.get(pk=event.pk).actor_label == "x"
    with pytest.raises(ValueError):
        event.delete()


def test_provider_pages_follow_grants_and_revocation(tree):
    world, c, a, team = tree.world, tree.c, tree.a, tree.desk
    http = HttpClient()
    http.force_login(world.agent_both)
    url = a["refund"].get_absolute_url()
    assert http.get(url, HTTP_HOST=host(world.acme)).status_code == 404
    grant = services.grant_give(target=c["refunds"], level="read", team=team, acting_user=world.acme_admin)
    assert http.get(url, HTTP_HOST=host(world.acme)).status_code == 200
    assert http.get(a["cost"].get_absolute_url(), HTTP_HOST=host(world.acme)).status_code == 404
    assert http.get(a["draft"].get_absolute_url(), HTTP_HOST=host(world.acme)).status_code == 404
    services.grant_revoke(grant=grant, acting_user=world.acme_admin)
    assert http.get(url, HTTP_HOST=host(world.acme)).status_code == 404


def test_listing_a_big_collection_for_a_provider_takes_bounded_queries(tree, settings):
    """The query count of a provider's collection page does not grow with the number of
    articles or grants (no guardian lookup per row)."""
    settings.KB_ACCESS_CACHE = True  # the counts below are those with the access cache
    from django.test.utils import CaptureQueriesContext

    world, c, team = tree.world, tree.c, tree.desk
    services.grant_give(target=c["market"], level="read", team=team, acting_user=world.acme_admin)
    http = HttpClient()
    http.force_login(world.agent_both)

    def count(*, cold: bool):
        if cold:  # the person's access and reach computed again (permissions.access_cache)
            access_cache.clear()
        with CaptureQueriesContext(connection) as context:
            response = http.get(c["market"].get_absolute_url(), HTTP_HOST=host(world.acme))
        assert response.status_code == 200
        return len([q for q in context.captured_queries if q["sql"].startswith("SELECT")]), response

    http.get(c["market"].get_absolute_url(), HTTP_HOST=host(world.acme))  # the sign-in audit settled
    small_cold, _ = count(cold=True)
    small, _ = count(cold=False)
    for n in range(50):
        extra = articles.collection_create(name=f"Extra {n}", acting_user=world.acme_editor)
        services.grant_give(target=extra, level="read", team=team, acting_user=world.acme_admin)
    for n in range(60):
        articles.article_create(kind=Kind.ARTICLE, collection=c["market"], acting_user=world.acme_editor, publish=True,
                                content=articles.Content(title=f"Item {n}", language="en", tags=[], body="x"))
    large_cold, _ = count(cold=True)
    large, response = count(cold=False)
    assert "Item 59" in response.content.decode()
    assert large == small <= 18  # the pager counts the rows once
    assert large_cold == small_cold <= 21  # + the access generations, when the access would expire, 2FA required?
