"""`manage.py search_relevance`: the "agent" relevance set (search/relevance/agent_queries.yaml)
on the demo workspaces (acme, lumiere), as their admin. Prints one line and the misses."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from search import engine, relevance


class Command(BaseCommand):
    help = "Run the agent relevance set on the demo workspaces."

    def add_arguments(self, parser):
        parser.add_argument("--misses", type=int, default=40, help="misses to print")

    def handle(self, *args, **options):
        clients, accesses = {}, {}
        for schema in relevance.load():
            clients[schema], accesses[schema] = relevance.demo_access(schema)
        engine.clear_caches()
        report = relevance.evaluate(accesses, clients)
        self.stdout.write(report.line())
        for schema, query, expected, rank in report.misses[: options["misses"]]:
            self.stdout.write(f"  miss [{schema}] {query!r} → {expected} at {rank or '-'}")
