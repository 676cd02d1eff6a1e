"""search.engine.prepared: the search statement runs as a prepared statement with a generic
plan, a statement prepared in one tenant reads only the tenant it runs in, and a prepared
statement that went stale stops the connection from preparing instead of failing again."""

from __future__ import annotations

import pytest
from django.db import ProgrammingError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from articles import services
from search import engine
from search.engine import prepared
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
    # Three runs of one statement, each with the generic plan (prepared again, it would count 1).
    assert (generic, custom) == (3, 0)


@pytest.mark.django_db
def test_queries_of_as_many_words_share_one_statement_whatever_their_lengths(two_tenants):
    # Derivations are looked for in words of DERIVE_MIN letters or more, behind a parameter,
    # not by writing a different statement: a pasted title is not a new statement to plan.
    world = two_tenants
    access = _access(world.acme_admin, world.acme)
    gates = {}
    for query in ("remboursement express", "chez acme", "rembourse huit"):
        results = engine.search(access, query, log=False)
        assert results.hits, query
        gates[query] = (results.params["t0do"], results.params["t1do"])
    statements = _search_statements()
    assert len(statements) == 1, statements
    (_name, generic, custom), = statements
    assert (generic, custom) == (3, 0)
    # Only the words of five letters or more look for their derivations.
    assert gates == {"remboursement express": (True, True), "chez acme": (False, False),
                     "rembourse huit": (True, False)}


@pytest.mark.django_db
def test_each_tenant_runs_its_own_statement_and_reads_only_its_own_tables(two_tenants):
    world = two_tenants
    acme, lumiere = _access(world.acme_admin, world.acme), _access(world.lumiere_admin, world.lumiere)
    for _ in range(2):  # back and forth on one connection
        connection.set_tenant(world.acme)
        assert [h.title for h in engine.search(acme, "remboursement express", log=False).hits] == [
            "Remboursement express chez Acme"]
        connection.set_tenant(world.lumiere)
        with CaptureQueriesContext(connection) as queries:
            hits = engine.search(lumiere, "remboursement express", log=False).hits
        assert [h.title for h in hits] == ["Remboursement express chez Lumière"]
    assert any("WITH allowed" in q["sql"] for q in queries), "the query log shows the statement"
    # One statement per tenant (the schema in its text), each kept with its generic plan
    # instead of one planned again at every switch.
    with connection.cursor() as cursor:
        cursor.execute("SELECT left(statement, 12), generic_plans FROM pg_prepared_statements "
                       "WHERE statement LIKE %s ORDER BY 1", ["%WITH allowed AS NOT MATERIALIZED%"])
        assert cursor.fetchall() == [("/* acme */ \n", 2), ("/* lumiere *", 2)]


@pytest.mark.django_db
def test_inside_a_transaction_a_statement_the_server_lost_stops_preparing_on_that_connection(two_tenants):
    world = two_tenants
    access = _access(world.acme_admin, world.acme)
    engine.search(access, "remboursement express", log=False)
    (name, _, _), = _search_statements()
    raw = connection.connection
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'DEALLOCATE "{name}"')  # behind psycopg's back
        # Inside a transaction the error cannot be retried (the transaction is aborted) ...
        with pytest.raises(ProgrammingError), transaction.atomic():
            engine.search(access, "remboursement express", log=False)
        # ... but the connection no longer prepares, so the next search answers, unprepared.
        assert raw in prepared._given_up
        connection.set_tenant(world.acme)
        hits = engine.search(access, "remboursement express", log=False).hits
        assert [h.title for h in hits] == ["Remboursement express chez Acme"]
        assert _search_statements() == []
    finally:
        prepared._given_up.discard(raw)


@pytest.mark.django_db
def test_outside_a_transaction_a_statement_the_server_lost_runs_again_unprepared(world):
    """As in a web request (autocommit): the statement is answered, unprepared, at once."""
    other = connections.create_connection("default")  # a connection of its own, autocommit
    try:
        other.set_tenant(world.acme)
        assert not other.in_atomic_block
        sql = "SELECT count(*) AS n FROM articles_collection WHERE id > %(n)s"
        rows, _ = prepared.fetch(sql, {"n": 0}, db=other)
        with other.cursor() as cursor:
            cursor.execute("SELECT name FROM pg_prepared_statements")
            (name,), = cursor.fetchall()
            cursor.execute(f'DEALLOCATE "{name}"')  # behind psycopg's back
        assert prepared.fetch(sql, {"n": 0}, db=other)[0] == rows
        assert other.connection in prepared._given_up
        with other.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            assert cursor.fetchone() == (0,)
    finally:
        other.close()


@pytest.mark.django_db
def test_a_larger_workspace_keeps_statements_planned_for_their_values(two_tenants, monkeypatch):
    from search.engine import caches

    world = two_tenants
    connection.set_tenant(world.acme)
    publish(world, services.collection_create(name="Desk", acting_user=world.acme_editor), title="Horaires", body="Du lundi au vendredi.")
    monkeypatch.setattr(caches, "PREPARE_UP_TO", 1)  # Acme's two documents are more than that
    access = _access(world.acme_admin, world.acme)
    hits = engine.search(access, "remboursement express", log=False).hits
    assert [h.title for h in hits] == ["Remboursement express chez Acme"]
    assert _search_statements() == []
