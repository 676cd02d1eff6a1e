"""Benchmark search on reusable bench tenants of every size: indexing, latency, relevance.

    python manage.py bench_search [--sizes 50,1000,10000,100000] [--queries 600] [--explain]
    python manage.py bench_search --articles 100000      # one size

One `search` line per size, the typo class measured apart (`typo_p95_ms`):
    search articles=N queries=Q p50_ms=… p95_ms=… p99_ms=… typo_p95_ms=… sql_p95_ms=… ratio=…
`ratio` is p95 of the whole `engine.search` call over p95 of its final SQL statement run bare:
what the engine costs beyond the database (building the statement, the permission layer,
reading the rows, a typo's first statement that found nothing).
"""

from __future__ import annotations

import multiprocessing
import random
import statistics
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections

from search import bench, engine
from search.engine import prepared
from search.engine.caches import prepare_here
from search.tasks import index_articles_task


def _index_chunk(job: tuple[str, list[int]]) -> int:
    schema, ids = job
    return index_articles_task(schema, ids)


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise CommandError(f"--sizes: comma-separated numbers of articles, not {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise CommandError("--sizes: at least one size, each of at least 1 article")
    return sizes


class Command(BaseCommand):
    help = "Build (once) a bench tenant per size, index it, and measure search latency and relevance."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default=",".join(str(n) for n in bench.SIZES),
                            help="tenant sizes in articles, smallest first (default: %(default)s)")
        parser.add_argument("--articles", type=int, help="one size only (same as --sizes N)")
        parser.add_argument("--queries", type=int, default=600)
        parser.add_argument("--relevance", type=int, default=200)
        parser.add_argument("--workers", type=int, default=2, help="indexing processes (one per core)")
        parser.add_argument("--skip-index", action="store_true", help="reuse the existing index as it is")
        parser.add_argument("--reindex", action="store_true", help="rebuild the index even when it is complete")
        parser.add_argument("--build-only", action="store_true", help="build and index the tenants, measure nothing")
        parser.add_argument("--explain", action="store_true",
                            help="print EXPLAIN ANALYZE of a broad, a rare and a misspelt query")

    def echo(self, text: str = "", end: str = "\n") -> None:
        self.stdout.write(text, ending=end)
        self.stdout.flush()

    def handle(self, *args, **options):
        sizes = [options["articles"]] if options["articles"] else parse_sizes(options["sizes"])
        for size in sizes:
            self.bench_size(size, options)

    def bench_size(self, size: int, options) -> None:
        schema = bench.schema_for(size)
        connection.set_schema_to_public()
        client = bench.ensure_tenant(schema)
        connection.set_tenant(client)
        added = bench.build_corpus(size, out=lambda text, end="\n": self.echo(text, end))
        if added:
            self.echo(f"corpus {schema}: {added} articles added")
        pairs = bench.ensure_synonyms()
        access = bench.bench_access(client)
        articles = bench.Article.objects.published().count()
        if options["reindex"] or (not options["skip_index"] and not bench.index_complete()):
            self.index(schema, articles, options["workers"])
        connection.set_tenant(client)
        if options["build_only"]:
            return
        engine.clear_caches()
        self.latency(access, articles, options["queries"], options["explain"])
        self.relevance(access, options["relevance"], pairs)
        connection.set_tenant(client)  # the agent set looks for the demo workspaces from public
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_querylog")

    def index(self, schema: str, articles: int, workers: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE search_searchpart, search_searchdocument, search_searchterm")
            cursor.execute("SELECT id FROM articles_article WHERE live_revision_id IS NOT NULL ORDER BY id")
            ids = [pk for (pk,) in cursor.fetchall()]
        chunks = [(schema, ids[i:i + 2000]) for i in range(0, len(ids), 2000)]
        connections.close_all()
        started = time.perf_counter()
        done = 0
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for count in pool.imap_unordered(_index_chunk, chunks):
                done += count
                rate = done / (time.perf_counter() - started)
                self.echo(f"\rindexing {done}/{len(ids)} ({rate:.0f} articles/s)", end="")
        connection.set_tenant(bench.ensure_tenant(schema))
        with connection.cursor() as cursor:
            # Autovacuum would do this; the merged GIN pending lists and fresh statistics are
            # part of a usable index, so they are part of the measured time.
            cursor.execute("VACUUM ANALYZE search_searchdocument, search_searchpart, search_searchterm")
        seconds = time.perf_counter() - started
        self.echo("")
        self.echo(f"index articles={len(ids)} seconds={seconds:.1f} per_second={len(ids) / seconds:.0f}")

    def latency(self, access, articles: int, count: int, explain: bool) -> None:
        rng = random.Random(bench.SEED)
        mix = bench.query_mix(access, rng, count)
        for _, q in mix[:60]:  # warm the caches the way a running server has them
            engine.search(access, q)
        full, bare, typos = [], [], []
        for kind, q in mix:
            results, ms = bench.timed(engine.search, access, q)
            full.append(ms)
            if kind == "typo":
                typos.append(ms)
            if results.sql:  # run as the engine runs it: prepared where it prepares (search.engine.prepared)
                started = time.perf_counter()
                prepared.fetch(results.sql, results.params, prepare=prepare_here())
                bare.append((time.perf_counter() - started) * 1000)
        p95, sql_p95 = bench.percentile(full, 95), bench.percentile(bare, 95)
        self.echo(
            f"search articles={articles} queries={len(mix)} p50_ms={statistics.median(full):.1f} "
            f"p95_ms={p95:.1f} p99_ms={bench.percentile(full, 99):.1f} "
            f"typo_p95_ms={bench.percentile(typos, 95):.1f} sql_p95_ms={sql_p95:.1f} "
            f"ratio={p95 / sql_p95:.2f}"
        )
        timed = list(zip(full, mix, strict=True))
        slowest = sorted(timed, key=lambda row: row[0], reverse=True)[:8]
        self.echo("slowest: " + "; ".join(f"{kind}:{q!r} {ms:.1f}ms" for ms, (kind, q) in slowest))
        slow_typos = sorted((row for row in timed if row[1][0] == "typo"), key=lambda row: row[0], reverse=True)[:5]
        self.echo("slowest typos: " + "; ".join(f"{q!r} {ms:.1f}ms" for ms, (_, q) in slow_typos))
        if explain:
            self.explain(access, [q for kind, q in mix if kind == "typo"])

    def explain(self, access, typos: list[str]) -> None:
        with connection.cursor() as cursor:
            # broad: the most frequent word that is not a stop word; rare: the least frequent.
            cursor.execute("SELECT word FROM search_searchterm WHERE numnode(public.kb_words(word)) > 0 "
                           "ORDER BY ndoc DESC LIMIT 1")
            broad = cursor.fetchone()[0] + " "
            cursor.execute("SELECT word FROM search_searchterm WHERE ndoc > 1 AND length(word) > 5 "
                           "AND numnode(public.kb_words(word)) > 0 ORDER BY ndoc, word LIMIT 1")
            rare = cursor.fetchone()[0] + " "
        # misspelt: the first typo of the mix that the engine corrects (its correction statement)
        corrected = next((q for q in typos if engine.search(access, q, log=False).corrected_query), None)
        # partial: no document holds the made-up word, so the partial-match statement runs.
        partial = f"{broad.strip()} {rare.strip()} zqxwvy "
        for label, q in (("broad", broad), ("rare", rare), ("typo", corrected), ("partial", partial)):
            if q is None:
                continue
            results = engine.search(access, q, log=False)
            generic = prepare_here()  # the plan the engine runs: generic where it prepares
            self.echo(f"\nEXPLAIN {label} query {q!r} (total {results.total_label}, "
                      f"corrected {results.corrected_query!r}, "
                      f"{'generic plan, prepared' if generic else 'planned for its values'}):")
            self.echo(prepared.explain_generic(results.sql, results.params) if generic else engine.explain(results))

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
        if not n:
            self.echo("relevance queries=0")
            return
        self.echo(f"relevance set=perturbed queries={n} success_at_3={at3 / n:.3f} mrr={reciprocal / n:.3f}")
        if misses:
            self.echo("misses: " + "; ".join(f"{how}:{q!r}→{rank}" for how, q, rank in misses[:12]))
        self.agent_relevance()

    def agent_relevance(self) -> None:
        """The agent set (search/relevance) beside it, when this database has the demo workspaces."""
        from search import relevance
        from tenants.models import Client

        bench_tenant = connection.tenant  # type: ignore[attr-defined]  # django-tenants' connection
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
        connection.set_tenant(bench_tenant)
        sys.stdout.flush()
