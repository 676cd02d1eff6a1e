"""The fingerprint the permission matrix takes around every URL name (tests/db_state.py)
sees every kind of change it is there to catch, so "no GET changed anything" can fail."""

from __future__ import annotations

from django.db import connection

from articles import services as articles
from articles.models import Article, Kind
from permissions import services as grants
from permissions.models import CollectionTeamGrant
from tenants import services as tenants
from tenants.models import Client, Membership, User

from .db_state import changes, fingerprint


def test_the_fingerprint_is_stable_and_sees_each_kind_of_change(world, in_tenant):
    before = fingerprint(world.acme)
    assert fingerprint(world.acme) == before
    assert set(before) >= {"articles.Article", "tenants.ProviderTeam.members", "tenants.ProviderMembership.clients"}

    def changed_by(change) -> list[str]:
        start = fingerprint(world.acme)
        change()
        connection.set_schema_to_public()
        return changes(start, fingerprint(world.acme))

    in_tenant(world.acme)
    collection = articles.collection_create(name="Fingerprinted", acting_user=world.acme_editor)
    article = articles.article_create(kind=Kind.ARTICLE, collection=collection, acting_user=world.acme_editor,
                                      content=articles.Content(title="Fp", language="en", tags=[], body="x"),
                                      publish=True)
    team = tenants.team_create(provider=world.helios, name="Fingerprint team")
    connection.set_schema_to_public()

    def grant():
        in_tenant(world.acme)
        grants.grant_give(target=collection, level="read", team=team, acting_user=world.acme_admin)

    def revoke():
        in_tenant(world.acme)
        CollectionTeamGrant.objects.filter(group=team.group).delete()

    def retitle():
        # (the live title itself is kept by a trigger: an article's confidentiality changes here)
        in_tenant(world.acme)
        Article.objects.filter(pk=article.pk).update(confidential=not article.confidential)

    assert "permissions.CollectionTeamGrant" in changed_by(grant)
    assert "permissions.CollectionTeamGrant" in changed_by(revoke)
    assert changed_by(retitle) == ["articles.Article"]
    assert changed_by(lambda: Membership.objects.filter(client=world.acme, user=world.acme_viewer)
                      .update(role="editor")) == ["tenants.Membership"]
    assert changed_by(lambda: Client.objects.filter(pk=world.acme.pk)
                      .update(image_sources="https://img.example.com")) == ["tenants.Client"]
    assert changed_by(lambda: team.members.add(world.agent_acme)) == ["tenants.ProviderTeam.members"]
    assert changed_by(lambda: User.objects.filter(pk=world.outsider.pk).update(is_active=False)) == ["tenants.User"]
    assert changed_by(lambda: User.objects.filter(pk=world.outsider.pk).update(last_login="2026-01-01T00:00Z")) == []
