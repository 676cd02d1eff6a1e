"""The "agent" relevance set (agent_queries.yaml): how agents and callers phrase things, on the
demo content. `evaluate(access_by_schema)` runs it and returns success@3, MRR and the misses."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection

SET_PATH = Path(__file__).with_name("agent_queries.yaml")


@dataclass
class Report:
    queries: int = 0
    at3: int = 0
    reciprocal: float = 0.0
    steps: int = 0  # expected part given, and the expected article's hit points at it
    with_step: int = 0
    misses: list[tuple[str, str, str, int | None]] = field(default_factory=list)

    @property
    def success_at_3(self) -> float:
        return self.at3 / self.queries if self.queries else 0.0

    @property
    def mrr(self) -> float:
        return self.reciprocal / self.queries if self.queries else 0.0

    def line(self) -> str:
        return (f"relevance set=agent queries={self.queries} success_at_3={self.success_at_3:.3f} "
                f"mrr={self.mrr:.3f} step_at_hit={self.steps}/{self.with_step}")


def load() -> dict[str, list[tuple[str, str, str]]]:
    import yaml

    data = yaml.safe_load(SET_PATH.read_text(encoding="utf-8"))
    return {schema: [tuple(entry) for entry in entries] for schema, entries in data.items()}


def evaluate(access_by_schema: dict, clients: dict) -> Report:
    """Run the set: `access_by_schema[schema]` searches in `clients[schema]`."""
    from articles.models import Article
    from search import engine

    report = Report()
    for schema, entries in load().items():
        if schema not in access_by_schema:
            continue
        connection.set_tenant(clients[schema])
        slugs = dict(Article.objects.values_list("pk", "slug"))
        for query, expected, anchor in entries:
            results = engine.search(access_by_schema[schema], query, log=False)
            found = [slugs.get(hit.article_id) for hit in results.hits]
            report.queries += 1
            if expected in found:
                rank = found.index(expected) + 1
                report.at3 += rank <= 3
                report.reciprocal += 1 / rank
                if anchor:
                    report.with_step += 1
                    report.steps += results.hits[rank - 1].part_anchor == anchor
                if rank > 3:
                    report.misses.append((schema, query, expected, rank))
            else:
                report.with_step += bool(anchor)
                report.misses.append((schema, query, expected, None))
        connection.set_schema_to_public()
    return report


def demo_access(schema: str):
    """The workspace admin of a demo tenant (reads every article: the strictest competition)."""
    from tenants.models import Client, Membership, Role
    from tenants.selectors import workspace_access

    connection.set_schema_to_public()
    client = Client.objects.get(schema_name=schema)
    admin = Membership.objects.filter(client=client, role=Role.ADMIN).select_related("user").first()
    return client, workspace_access(admin.user, client)
