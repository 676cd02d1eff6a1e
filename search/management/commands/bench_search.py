"""Benchmark search on a reusable bench tenant: indexing speed, latency, relevance.

    python manage.py bench_search --articles 100000 [--queries 600] [--explain]
"""

from __future__ import annotations

import multiprocessing
import random
import statistics
import sys
import time

from django.core.management.base import BaseCommand
from django.db import connection, connections

from search import bench, engine
from search.tasks import index_articles_task


def _index_chunk(ids: list[int]) -> int:
    return index_articles_task(bench.SCHEMA, ids)


class Command(BaseCommand):
    help = "Build (once) the bench tenant, index it, and measure search latency and relevance."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=100_000)
        parser.add_argument("--queries", type=int, default=600)
        parser.add_argument("--relevance", type=int, default=200)
        parser.add_argument("--workers", type=int, default=2, help="indexing processes (one per core)")
        parser.add_argument("--skip-index", action="store_true", help="reuse the existing index")
        parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of a broad and a rare query")

    def echo(self, text: str = "", end: str = "\n") -> None:
        self.stdout.write(text, ending=end)
        self.stdout.flush()

    def handle(self, *args, **options):
        client = bench.ensure_tenant()
        connection.set_tenant(client)
        added = bench.build_corpus(options["articles"], out=lambda text, end="\n": self.echo(text, end))
        if added:
            self.echo(f"corpus: {added} articles added")
        pairs = bench.ensure_synonyms()
        access = bench.bench_access(client)
        articles = bench.Article.objects.published().count()
        if not options["skip_index"]:
            self.index(articles, options["workers"])
        connection.set_tenant(client)
        engine.clear_caches()
        self.latency(access, articles, options["queries"], options["explain"])
        self.relevance(access, options["relevance"], pairs)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_querylog")

    def index(self, articles: int, workers: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE search_searchpart, search_searchdocument, search_searchterm")
            cursor.execute("SELECT id FROM articles_article WHERE live_revision_id IS NOT NULL ORDER BY id")
            ids = [pk for (pk,) in cursor.fetchall()]
        chunks = [ids[i:i + 2000] for i in range(0, len(ids), 2000)]
        connections.close_all()
        started = time.perf_counter()
        done = 0
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for count in pool.imap_unordered(_index_chunk, chunks):
                done += count
                rate = done / (time.perf_counter() - started)
                self.echo(f"\rindexing {done}/{len(ids)} ({rate:.0f} articles/s)", end="")
        connection.set_tenant(bench.ensure_tenant())
        with connection.cursor() as cursor:
            # Autovacuum would do this; the merged GIN pending lists and fresh statistics are
            # part of a usable index, so they are part of the measured time.
            cursor.execute("VACUUM ANALYZE search_searchdocument, search_searchpart, search_searchterm")
        seconds = time.perf_counter() - started
        self.echo("")
        self.echo(f"index articles={len(ids)} seconds={seconds:.1f} per_second={len(ids) / seconds:.0f}")

    def latency(self, access, articles: int, count: int, explain: bool) -> None:
        rng = random.Random(bench.SEED)
        queries = bench.query_mix(access, rng, count)
        for q in queries[:60]:  # warm the caches the way a running server has them
            engine.search(access, q)
        full, bare = [], []
        for q in queries:
            results, ms = bench.timed(engine.search, access, q)
            full.append(ms)
            results_sql = (results.sql, results.params)
            if results_sql[0]:
                with connection.cursor() as cursor:
                    started = time.perf_counter()
                    cursor.execute(*results_sql)
                    cursor.fetchall()
                    bare.append((time.perf_counter() - started) * 1000)
        p95, sql_p95 = bench.percentile(full, 95), bench.percentile(bare, 95)
        self.echo(
            f"search articles={articles} queries={len(queries)} p50_ms={statistics.median(full):.1f} "
            f"p95_ms={p95:.1f} p99_ms={bench.percentile(full, 99):.1f} sql_p95_ms={sql_p95:.1f} "
            f"ratio={p95 / sql_p95:.2f}"
        )
        slowest = sorted(zip(full, queries, strict=True), reverse=True)[:8]
        self.echo("slowest: " + "; ".join(f"{q!r} {ms:.1f}ms" for ms, q in slowest), end="\n")
        if explain:
            with connection.cursor() as cursor:
                # broad: the most frequent word that is not a stop word; rare: the least frequent.
                cursor.execute("SELECT word FROM search_searchterm WHERE numnode(public.kb_words(word)) > 0 "
                               "ORDER BY ndoc DESC LIMIT 1")
                broad = cursor.fetchone()[0] + " "
                cursor.execute("SELECT word FROM search_searchterm WHERE ndoc > 1 AND length(word) > 5 "
                               "AND numnode(public.kb_words(word)) > 0 ORDER BY ndoc, word LIMIT 1")
                rare = cursor.fetchone()[0] + " "
            # partial: no document holds the made-up word, so the partial-match statement runs.
            partial = f"{broad.strip()} {rare.strip()} zqxwvy "
            for label, q in (("broad", broad), ("rare", rare), ("partial", partial)):
                results = engine.search(access, q)
                self.echo(f"\nEXPLAIN {label} query {q!r} (total {results.total_label}):")
                self.echo(engine.explain(results))

    def relevance(self, access, count: int, pairs) -> None:
        rng = random.Random(bench.SEED + 1)
        labelled = bench.labelled_set(access, rng, count, pairs)
        at3, reciprocal, misses = 0, 0.0, []
        for query, expected, how in labelled:
            results = engine.search(access, query, log=False)
            ids = [hit.article_id for hit in results.hits]
            if expected in ids:
                rank = ids.index(expected) + 1
                at3 += rank <= 3
                reciprocal += 1 / rank
                if rank > 3:
                    misses.append((how, query, rank))
            else:
                misses.append((how, query, None))
        n = len(labelled)
        self.echo(f"relevance set=perturbed queries={n} success_at_3={at3 / n:.3f} mrr={reciprocal / n:.3f}")
        if misses:
            self.echo("misses: " + "; ".join(f"{how}:{q!r}→{rank}" for how, q, rank in misses[:12]))
        self.agent_relevance()

    def agent_relevance(self) -> None:
        """The agent set (search/relevance) beside it, when this database has the demo workspaces."""
        from search import relevance
        from tenants.models import Client

        connection.set_schema_to_public()
        schemas = list(relevance.load())
        if Client.objects.filter(schema_name__in=schemas).count() < len(schemas):
            self.echo("relevance set=agent skipped: no demo workspaces here (make run seeds them)")
            return
        clients, accesses = {}, {}
        for schema in schemas:
            clients[schema], accesses[schema] = relevance.demo_access(schema)
        engine.clear_caches()
        self.echo(relevance.evaluate(accesses, clients).line())
        connection.set_tenant(bench.ensure_tenant())
        sys.stdout.flush()
