"""Demo teams and grants: Helios Contact's teams reach different parts of acme and lumiere;
the confidential collections ("internal costs") are granted to nobody."""

from __future__ import annotations

from django.db import connection

from articles.models import Article, Collection
from tenants import services as tenants
from tenants.demo import AGENT_ACME, AGENT_BOTH, PROVIDER_LEAD
from tenants.models import Client, Membership, ProviderOrganisation, ProviderTeam, Role, User

from . import services

# team name -> (members, tenant, [(kind, slug, level)])
TEAMS = {
    "Acme front line": ([AGENT_BOTH, AGENT_ACME], "acme", [
        ("collection", "refunds", "read"),
        ("collection", "delivery", "read"),
        ("collection", "customer-account", "read"),
        ("article", "handle-a-delivery-delay-call", "contribute"),
    ]),
    "Acme escalation": ([AGENT_BOTH], "acme", [
        ("collection", "complaints-escalation", "contribute"),
    ]),
    "Lumière facturation": ([AGENT_BOTH], "lumiere", [
        ("collection", "facturation", "read"),
        ("collection", "relation-client", "read"),
        ("collection", "resiliation", "contribute"),
    ]),
}


def seed_grants(stdout=None) -> None:
    helios = ProviderOrganisation.objects.get(name="Helios Contact")
    for name, (members, schema, grants) in TEAMS.items():
        client = Client.objects.get(schema_name=schema)
        team = ProviderTeam.objects.filter(provider=helios, name=name).first() or tenants.team_create(
            provider=helios, name=name, clients=[client]
        )
        team.members.add(*User.objects.filter(email__in=[m.email for m in members + [PROVIDER_LEAD]]))
        admin = User.objects.get(pk=Membership.objects.filter(client=client, role=Role.ADMIN).values("user_id")[:1])
        connection.set_tenant(client)
        try:
            for kind, slug, level in grants:
                model = Collection if kind == "collection" else Article
                target = model.objects.filter(slug=slug).first()
                if target is not None:
                    services.grant_give(target=target, level=level, team=team, acting_user=admin)
        finally:
            connection.set_schema_to_public()
        if stdout is not None:
            stdout.write(f"  team {name!r} ({schema}): {len(grants)} grants")
