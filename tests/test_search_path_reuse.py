"""tenants.postgresql_backend: no `SET search_path` when the connection already has the tenant's
path, and one again whenever the server's path may have changed (a rolled-back transaction or
savepoint; a new connection starts with none known)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext


def _sets(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith("SET search_path")]


def _server_path() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW search_path")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_the_same_tenant_again_issues_no_set(world):
    connection.set_tenant(world.acme)
    assert "acme" in _server_path()
    with CaptureQueriesContext(connection) as queries:
        connection.set_schema_to_public()  # what the tenant middleware does on every request
        connection.set_tenant(world.acme)
        assert "acme" in _server_path()
    assert _sets(queries) == []
    with CaptureQueriesContext(connection) as queries:
        connection.set_tenant(world.lumiere)
        assert "lumiere" in _server_path()
    assert len(_sets(queries)) == 1


@pytest.mark.django_db
def test_a_rolled_back_savepoint_makes_the_next_query_set_the_path_again(world):
    connection.set_tenant(world.acme)
    assert "acme" in _server_path()
    with pytest.raises(RuntimeError), transaction.atomic():
        connection.set_tenant(world.lumiere)
        assert "lumiere" in _server_path()
        raise RuntimeError("undo")
    # The server is back on acme's path; asking for lumiere must set it again.
    connection.set_tenant(world.lumiere)
    assert "lumiere" in _server_path()
    connection.set_tenant(world.acme)
    assert "acme" in _server_path()
