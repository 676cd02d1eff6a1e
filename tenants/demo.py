"""Demo data for `make run`: a provider engaged by two client tenants, and one login per role.

Demo accounts are flagged `is_demo` and can only sign in while the KB_DEMO_ACCOUNTS setting is
on (tenants.auth.AccountBackend; production forces it off), so these printed passwords are never
valid in production.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from . import services
from .models import Client, ProviderOrganisation, ProviderRole, Role, User

DEMO_PASSWORD = "demo-kbportal-2026"  # noqa: S105 - only valid with KB_DEMO_ACCOUNTS (AccountBackend)


@dataclass(frozen=True)
class DemoLogin:
    email: str
    name: str
    what: str


PLATFORM_ADMIN = DemoLogin("platform@kb.example", "Paula Platform", "platform admin (public site, /admin/)")
CLIENT_PEOPLE = {
    "acme": [
        DemoLogin("admin@acme.example", "Alice Admin", "acme tenant admin"),
        DemoLogin("editor@acme.example", "Eddie Editor", "acme editor"),
        DemoLogin("viewer@acme.example", "Vera Viewer", "acme viewer"),
    ],
    "lumiere": [
        DemoLogin("admin@lumiere.example", "Louise Admin", "lumiere tenant admin"),
        DemoLogin("editor@lumiere.example", "Étienne Éditeur", "lumiere editor"),
    ],
}
ROLES = {"admin": Role.ADMIN, "editor": Role.EDITOR, "viewer": Role.VIEWER}
PROVIDER_LEAD = DemoLogin("lead@helios.example", "Leela Lead", "Helios Contact provider lead (both clients)")
AGENT_BOTH = DemoLogin("ravi@helios.example", "Ravi Agent", "Helios agent serving acme and lumiere")
AGENT_ACME = DemoLogin("anais@helios.example", "Anaïs Agent", "Helios agent serving acme only")
CLIENTS = {"acme": "Acme Parcels", "lumiere": "Lumière Énergie"}


def _person(login: DemoLogin, **extra) -> User:
    user = User.objects.filter(email=login.email).first()
    if user is None:
        user = User.objects.create_user(login.email, DEMO_PASSWORD, full_name=login.name, is_demo=True, **extra)
    return user


def all_logins() -> list[DemoLogin]:
    people = [PLATFORM_ADMIN]
    for logins in CLIENT_PEOPLE.values():
        people.extend(logins)
    return people + [PROVIDER_LEAD, AGENT_BOTH, AGENT_ACME]


def seed_people() -> dict[str, Client]:
    """Tenants, people, the provider and its engagements. Idempotent."""
    clients = {}
    for schema, name in CLIENTS.items():
        clients[schema] = Client.objects.filter(schema_name=schema).first() or services.client_create(
            schema_name=schema, name=name
        )
    with transaction.atomic():
        _person(PLATFORM_ADMIN, is_staff=True, is_superuser=True)
        for schema, logins in CLIENT_PEOPLE.items():
            for login in logins:
                role = ROLES[login.email.split("@")[0]]
                services.membership_set(user=_person(login), client=clients[schema], role=role)
        helios, _ = ProviderOrganisation.objects.get_or_create(
            name="Helios Contact", defaults={"country": "Mauritius"}
        )
        for client in clients.values():
            services.engagement_start(provider=helios, client=client)
        services.provider_member_add(user=_person(PROVIDER_LEAD), provider=helios, role=ProviderRole.LEAD)
        both = services.provider_member_add(user=_person(AGENT_BOTH), provider=helios, role=ProviderRole.AGENT)
        both.clients.add(*clients.values())
        acme_only = services.provider_member_add(user=_person(AGENT_ACME), provider=helios, role=ProviderRole.AGENT)
        acme_only.clients.add(clients["acme"])
    return clients
