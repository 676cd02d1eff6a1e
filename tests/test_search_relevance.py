"""The agent relevance set (search/relevance/agent_queries.yaml) on freshly seeded demo
content, as each workspace's admin, with the starter synonyms: a regression floor. Run
`manage.py search_relevance` for the misses."""

from __future__ import annotations

import pytest
from django.db import connection

from articles import demo
from search import engine, indexing, relevance
from search.models import SearchDocument
from search.services import starter_synonyms_seed
from tenants.selectors import workspace_access

# What the set reached when it was written (0.957 success@3, 0.89 MRR over 279 queries): a
# change that loses more than a few queries fails here.
SUCCESS_AT_3_FLOOR = 0.94
MRR_FLOOR = 0.87


@pytest.fixture
def demo_workspaces(world):
    engine.clear_caches()
    clients = {"acme": world.acme, "lumiere": world.lumiere}
    for schema, client in clients.items():
        demo.seed_tenant(client, demo.CONTENT[schema])
        connection.set_tenant(client)
        from articles.models import Article

        indexing.index_articles(list(Article.objects.values_list("pk", flat=True)))
        assert starter_synonyms_seed() > 0
        connection.set_schema_to_public()
    accesses = {"acme": workspace_access(world.acme_admin, world.acme),
                "lumiere": workspace_access(world.lumiere_admin, world.lumiere)}
    yield clients, accesses
    engine.clear_caches()


def test_the_agent_set_stays_above_its_floor(demo_workspaces):
    clients, accesses = demo_workspaces
    for client in clients.values():
        connection.set_tenant(client)
        assert SearchDocument.objects.count() >= 30  # the demo content, indexed
    connection.set_schema_to_public()
    report = relevance.evaluate(accesses, clients)
    assert report.queries >= 150
    misses = "\n".join(f"[{s}] {q!r} -> {e} at {r or '-'}" for s, q, e, r in report.misses)
    assert report.success_at_3 >= SUCCESS_AT_3_FLOOR, f"{report.line()}\n{misses}"
    assert report.mrr >= MRR_FLOOR, f"{report.line()}\n{misses}"


def test_every_expected_article_of_the_set_exists_in_the_demo():
    """A typo in an expected slug would count as a miss forever: every slug names a demo item."""
    slugs = {schema: {item["slug"] for item in demo.CONTENT[schema].ITEMS} for schema in demo.CONTENT}
    for schema, entries in relevance.load().items():
        unknown = [expected for _query, expected, _anchor in entries if expected not in slugs[schema]]
        assert not unknown, (schema, unknown)
