"""The lookup page's keystroke as the browser sends it, served by gunicorn as in production.

    python manage.py bench_keystroke [--sizes 50,1000,10000,100000] [--keystrokes 300] [--access-cache off]

A signed-in provider agent of each bench tenant types the bench's query mix (typos included)
into the lookup box: each query is one htmx request for `#lookup-results`, on a kept-alive
connection, through every middleware and the session. One line per size:
    keystroke articles=N p50_ms=… p95_ms=… queries=… queries_max=…
`queries` is the median number of SQL statements a keystroke ran (counted by the server),
`queries_max` the most (a corrected typo runs its retry and the log's update).
`server_cpu_ms`: the CPU gunicorn and its PostgreSQL backends spent per keystroke (what a
keystroke costs the machine, whatever else loads it); `load1`: the load average at the end.
`--access-cache off` serves without permissions.access_cache (the figure before it).
"""

from __future__ import annotations

import os
import random
import statistics

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from search import bench, bench_served

from .bench_search import parse_sizes


class Command(BaseCommand):
    help = "Measure the lookup keystroke (htmx partial, signed-in agent) against gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default=",".join(str(n) for n in bench.SIZES))
        parser.add_argument("--articles", type=int, help="one size only")
        parser.add_argument("--keystrokes", type=int, default=300)
        parser.add_argument("--warm", type=int, default=30, help="keystrokes sent first, not measured")
        parser.add_argument("--workers", type=int, default=3, help="gunicorn processes (WEB_WORKERS)")
        parser.add_argument("--threads", type=int, default=4, help="threads per process (WEB_THREADS)")
        parser.add_argument("--access-cache", choices=["on", "off"], default="on")

    def handle(self, *args, **options):
        sizes = [options["articles"]] if options["articles"] else parse_sizes(options["sizes"])
        prepared = []
        for size in sizes:
            client, access, host = bench_served.prepare_tenant(size)
            rng = random.Random(bench.SEED + 7)
            mix = [q for _, q in bench.query_mix(access, rng, options["keystrokes"] + options["warm"])]
            cookie = bench_served.signed_in_cookie(bench_served.bench_agents(client, 1)[0])
            articles = bench.Article.objects.published().count()
            prepared.append((articles, host, cookie, mix))
        connection.set_schema_to_public()
        connection.close()  # the server's connections, not ours, from here on
        server = bench_served.start_gunicorn(
            database_url=bench_served.serve_database_url(), workers=options["workers"],
            threads=options["threads"], access_cache=options["access_cache"] == "on",
        )
        try:
            for articles, host, cookie, mix in prepared:
                self.measure(server, articles, host, cookie, mix, options["warm"])
        finally:
            server.stop()

    def measure(self, server, articles: int, host: str, cookie: str, mix: list[str], warm: int) -> None:
        port, database_url = server.port, bench_served.serve_database_url()
        bench_served.keystrokes(port, host, cookie, mix[:warm])
        cpu_before = bench_served.server_cpu(server, database_url)
        done = bench_served.keystrokes(port, host, cookie, mix[warm:])
        cpu = bench_served.cpu_spent(cpu_before, bench_served.server_cpu(server, database_url))
        failed = [k for k in done if k.status != 200]
        if failed:
            raise CommandError(f"{len(failed)} keystrokes answered {sorted({k.status for k in failed})}")
        if not any(k.hits for k in done):
            raise CommandError("no keystroke found anything: is the agent granted anything?")
        ms = [k.ms for k in done]
        statements = [k.statements for k in done]
        self.stdout.write(
            f"keystroke articles={articles} p50_ms={statistics.median(ms):.1f} p95_ms={bench.percentile(ms, 95):.1f} "
            f"queries={statistics.median(statements):.0f} queries_max={max(statements)} keystrokes={len(done)} "
            f"server_cpu_ms={cpu / len(done) * 1000:.1f} load1={os.getloadavg()[0]:.1f}"
        )
        self.stdout.flush()
