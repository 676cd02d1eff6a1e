"""The world every test shares, built once per session in real schemas, and the fixtures every
test file may use (the plain helpers are in tests/factories.py):

two client tenants (acme, lumiere), each with an admin, an editor and a viewer; the provider
"Helios" engaged by both, with a lead, an agent serving both clients and an agent serving acme
only; an outsider with an account and no membership. Tenant schemas are cloned from the
template schema once per session, never per test.

As in production, migrations run as the owner (the connecting role of DATABASE_URL) and every
test then runs as the restricted application role (tenants.db_roles), `kbportal_test_app`, or
the role named by KB_TEST_APP_ROLE (empty: run as the owner, as before).
"""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection

from tenants import services
from tenants.models import Client, ProviderOrganisation, ProviderRole, Role, User

from .factories import PASSWORD, content_tree, host, throwaway_workspace  # noqa: F401 - imported from here by test files


def _person(email: str, **extra) -> User:
    return User.objects.create_user(email, PASSWORD, full_name=email.split("@")[0].title(), **extra)


def build_world() -> dict:
    acme = services.client_create(schema_name="acme", name="Acme Parcels")
    lumiere = services.client_create(schema_name="lumiere", name="Lumière Énergie")
    ids: dict = {"acme": acme.pk, "lumiere": lumiere.pk}
    users: dict[str, int] = {}
    for client in (acme, lumiere):
        for role in (Role.ADMIN, Role.EDITOR, Role.VIEWER):
            user = _person(f"{role}@{client.schema_name}.test")
            services.membership_set(user=user, client=client, role=role)
            users[f"{client.schema_name}_{role}"] = user.pk
    helios = ProviderOrganisation.objects.create(name="Helios Contact", country="Mauritius")
    ids["helios"] = helios.pk
    for client in (acme, lumiere):
        ids[f"engagement_{client.schema_name}"] = services.engagement_start(provider=helios, client=client).pk
    lead = _person("lead@helios.test")
    services.provider_member_add(user=lead, provider=helios, role=ProviderRole.LEAD)
    both = _person("agent.both@helios.test")
    services.provider_member_add(user=both, provider=helios, role=ProviderRole.AGENT).clients.add(acme, lumiere)
    acme_only = _person("agent.acme@helios.test")
    services.provider_member_add(user=acme_only, provider=helios, role=ProviderRole.AGENT).clients.add(acme)
    outsider = _person("outsider@nowhere.test")
    users.update(lead=lead.pk, agent_both=both.pk, agent_acme=acme_only.pk, outsider=outsider.pk)
    ids["users"] = users
    return ids


APP_ROLE = os.environ.get("KB_TEST_APP_ROLE", "kbportal_test_app")


def connect_as(user: str) -> None:
    """Reconnect the default database alias as `user` (the next query opens the connection)."""
    from django.db import connections

    connections.close_all()
    connections["default"].settings_dict["USER"] = user


def owner_role() -> str:
    import dj_database_url

    return dj_database_url.parse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kbportal"))["USER"]


def owner_connection():
    """A connection of its own as the owner (autocommit), for what only the owner may do."""
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    return psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=owner_role(),
                           password=os.environ.get("KB_TEST_OWNER_PASSWORD") or None, dbname=db["NAME"],
                           autocommit=True)


@pytest.fixture(scope="session", autouse=True)
def _owner_drops_tenant_schemas():
    """Tests drop the throwaway tenants they make (`delete(force_drop=True)`); dropping a schema
    is the owner's job (the product deletes a tenant's row, never its schema), so as the
    application's role the drop goes through an owner connection."""
    if not APP_ROLE:
        yield
        return
    from psycopg import sql

    original = Client._drop_schema

    def drop(self, force_drop=False):
        if not (force_drop or self.auto_drop_schema):
            return
        with owner_connection() as conn:
            conn.execute("SET lock_timeout = '10s'")
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(self.schema_name)))

    Client._drop_schema = drop
    yield
    Client._drop_schema = original


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker):
    """The test database, its schemas and the world, for every test that asks for the
    database (with or without a per-test transaction)."""
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        call_command("kb_setup", verbosity=0, app_role=APP_ROLE)
        if APP_ROLE:
            connect_as(APP_ROLE)
        ids = build_world()
        connection.set_schema_to_public()
    yield ids
    with django_db_blocker.unblock():
        from django.db import connections

        connect_as(owner_role())
        connections.close_all()
        try:
            teardown_databases(config, verbosity=0)
        except Exception as exc:  # noqa: BLE001 - a leftover connection must not fail the run
            print(f"warning: test database not dropped: {exc!r}")


@pytest.fixture
def world(django_db_setup, db):
    """Fresh instances of the session's tenants and people for each test."""
    ids = django_db_setup
    users = {name: User.objects.get(pk=pk) for name, pk in ids["users"].items()}
    return SimpleNamespace(
        acme=Client.objects.get(pk=ids["acme"]),
        lumiere=Client.objects.get(pk=ids["lumiere"]),
        helios=ProviderOrganisation.objects.get(pk=ids["helios"]),
        engagement_acme_id=ids["engagement_acme"],
        engagement_lumiere_id=ids["engagement_lumiere"],
        password=PASSWORD,
        **users,
    )


@pytest.fixture(autouse=True)
def _back_to_public():
    yield
    connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def _fresh_access_cache():
    """The access cache lives in the process and a test's rows are rolled back: each test starts
    with it empty, as a new server process would."""
    from permissions import access_cache

    access_cache.clear()
    yield
    access_cache.clear()


@pytest.fixture
def acme(world, in_tenant):
    """The world, with the connection in Acme's schema and search's per-process caches empty
    before and after. A test file that needs content in Acme builds on it: a fixture `acme(acme)`."""
    from search import engine

    engine.clear_caches()
    in_tenant(world.acme)
    yield world
    engine.clear_caches()


@pytest.fixture
def tree(world, in_tenant):
    """Acme's collections, articles and Helios teams for the access tests (`factories.content_tree`);
    the connection is left in Acme."""
    in_tenant(world.acme)
    return content_tree(world)


@pytest.fixture
def in_tenant():
    """Switch the test's connection into a tenant: `in_tenant(world.acme)`."""

    def switch(client: Client) -> Client:
        connection.set_tenant(client)
        return client

    return switch
