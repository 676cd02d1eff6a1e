"""search.engine.prepared: the search statement runs as a prepared statement with a generic
plan, a statement prepared in one tenant reads only the tenant it runs in, and a prepared
statement that went stale stops the connection from preparing instead of failing again."""

from __future__ import annotations

import pytest
from django.db import ProgrammingError, connection, transaction
from django.test.utils import CaptureQueriesContext

from articles import services
from search import engine
from tenants.selectors import workspace_access

from .factories import publish


def _access(user, client):
    connection.set_schema_to_public()
    access = workspace_access(user, client)
    connection.set_tenant(client)
    return access


def _search_statements() -> list[tuple[str, int, int]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, generic_plans, custom_plans FROM pg_prepared_statements "
                       "WHERE statement LIKE %s ORDER BY name", ["%WITH allowed AS NOT MATERIALIZED%"])
        return cursor.fetchall()


@pytest.fixture
def two_tenants(world, in_tenant):
    engine.clear_caches()
    in_tenant(world.acme)
    billing = services.collection_create(name="Billing", acting_user=world.acme_editor)
    publish(world, billing, title="Remboursement express chez Acme", body="Acme rembourse sous huit jours.")
    in_tenant(world.lumiere)
    contrats = services.collection_create(name="Contrats", acting_user=world.lumiere_editor)
    publish(world, contrats, title="Remboursement express chez Lumière", editor=world.lumiere_editor,
            body="Lumière rembourse sous trois jours.")
    yield world
    engine.clear_caches()


@pytest.mark.django_db
def test_the_search_statement_is_prepared_once_and_reused_with_a_generic_plan(two_tenants):
    world = two_tenants
    access = _access(world.acme_admin, world.acme)
    for _ in range(3):
        results = engine.search(access, "remboursement express", log=False)
        assert [hit.title for hit in results.hits] == ["Remboursement express chez Acme"]
    statements = _search_statements()
    assert len(statements) == 1, statements
    _name, generic, custom = statements[0]
    assert (generic, custom) == (3, 0)


@pytest.mark.django_db
def test_a_statement_prepared_in_one_tenant_reads_only_the_tenant_it_runs_in(two_tenants):
    world = two_tenants
    acme, lumiere = _access(world.acme_admin, world.acme), _access(world.lumiere_admin, world.lumiere)
    connection.set_tenant(world.acme)
    assert [h.title for h in engine.search(acme, "remboursement express", log=False).hits] == [
        "Remboursement express chez Acme"]
    connection.set_tenant(world.lumiere)
    with CaptureQueriesContext(connection) as queries:
        hits = engine.search(lumiere, "remboursement express", log=False).hits
    # The same text, so the same prepared statement (no second one): planned again for
    # Lumière's search path, it reads Lumière's tables only.
    assert len(_search_statements()) == 1
    assert [h.title for h in hits] == ["Remboursement express chez Lumière"]
    assert any("WITH allowed" in q["sql"] for q in queries), "the query log shows the statement"
    connection.set_tenant(world.acme)
    assert [h.title for h in engine.search(acme, "remboursement express", log=False).hits] == [
        "Remboursement express chez Acme"]


@pytest.mark.django_db
def test_a_statement_the_server_lost_stops_preparing_on_that_connection(two_tenants):
    world = two_tenants
    access = _access(world.acme_admin, world.acme)
    engine.search(access, "remboursement express", log=False)
    (name, _, _), = _search_statements()
    raw = connection.connection
    threshold = raw.prepare_threshold
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'DEALLOCATE "{name}"')  # behind psycopg's back
        # Inside a transaction the error cannot be retried (the transaction is aborted) ...
        with pytest.raises(ProgrammingError), transaction.atomic():
            engine.search(access, "remboursement express", log=False)
        # ... but the connection no longer prepares, so the next search answers, unprepared.
        assert raw.prepare_threshold is None
        connection.set_tenant(world.acme)
        hits = engine.search(access, "remboursement express", log=False).hits
        assert [h.title for h in hits] == ["Remboursement express chez Acme"]
        assert _search_statements() == []
    finally:
        raw.prepare_threshold = threshold


@pytest.mark.django_db
def test_a_larger_workspace_keeps_statements_planned_for_their_values(two_tenants, monkeypatch):
    from search.engine import caches

    world = two_tenants
    monkeypatch.setattr(caches, "PREPARE_UP_TO", 0)  # Acme's one document is "more than that"
    access = _access(world.acme_admin, world.acme)
    hits = engine.search(access, "remboursement express", log=False).hits
    assert [h.title for h in hits] == ["Remboursement express chez Acme"]
    assert _search_statements() == []
