"""`python manage.py bench_dashboard`: the dashboard page, through Django (the test client, a
signed-in admin), on a tenant of 200 agents in 10 teams with a year of events.

    dashboard agents=200 events=E p50_ms=… p95_ms=… queries=Q

The bench tenant (schema `bench_dashboard`) is built on the first run and reused after
(`--rebuild` drops and builds it again)."""

from __future__ import annotations

import os
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext

from dashboard import bench, rollup
from readiness.models import Acknowledgement, MustRead
from search.models import QueryLog
from tenants import services
from tenants.models import Client, User


class Command(BaseCommand):
    help = "Measure the collaboration dashboard on a tenant of 200 agents with a year of events."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument("--period", default="90", help="30, 90 or 365 (days)")
        parser.add_argument("--rebuild", action="store_true")
        parser.add_argument("--live", action="store_true",
                            help="without the search-success rollup (as where it is missing): the log only")

    def handle(self, *args, runs: int, period: str, rebuild: bool, live: bool, **options):
        connection.set_schema_to_public()
        client = Client.objects.filter(schema_name=bench.SCHEMA).first()
        if client is not None and rebuild:
            client.delete(force_drop=True)
            client = None
        if client is None:
            client = services.client_create(schema_name=bench.SCHEMA, name="Bench Dashboard", domain=bench.host())
        connection.set_tenant(client)
        if not MustRead.objects.exists():
            started = time.perf_counter()
            bench.build(client)
            self.stderr.write(f"built the bench tenant in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        rolled = rollup.lookups_roll()  # the nightly rollup of search success, on a tenant built before it ran
        self.stderr.write(f"search-success rollup: {rolled} days rolled in {time.perf_counter() - started:.1f} s")
        if live:
            rollup.coverage = lambda start, end: ([(start, end)], [])  # type: ignore[assignment]  # every day live
        events = MustRead.objects.count() + Acknowledgement.objects.count() + QueryLog.objects.count()
        from articles.models import Suggestion, Verification

        events += Suggestion.objects.count() + Verification.objects.count()
        events += sum(count() for count in bench.EVENT_COUNTERS)  # the checks' attempts
        connection.set_schema_to_public()
        admin = User.objects.get(email=bench.ADMIN)
        agents, _admin = bench.ensure_people(client, teams=10, per_team=bench.AGENTS_PER_TEAM)[1], None
        connection.set_schema_to_public()
        http = HttpClient()
        http.force_login(admin)
        params = {"period": period}
        for _n in range(2):  # warm the per-process caches
            assert http.get("/dashboard/", params, HTTP_HOST=bench.host()).status_code == 200
        times = []
        cpu, db_cpu = time.process_time(), _backend_cpu()
        for _n in range(runs):
            started = time.perf_counter()
            response = http.get("/dashboard/", params, HTTP_HOST=bench.host())
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        cpu, db_cpu = (time.process_time() - cpu) * 1000 / runs, (_backend_cpu() - db_cpu) * 1000 / runs
        with CaptureQueriesContext(connection) as queries:
            http.get("/dashboard/", params, HTTP_HOST=bench.host())
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        self.stdout.write(f"dashboard agents={len(agents)} events={events} p50_ms={statistics.median(times):.0f} "
                          f"p95_ms={p95:.0f} queries={len(queries)}")
        # CPU time per page, which the other jobs on the machine inflate far less than wall time:
        # this process (Django) and its PostgreSQL backend (not counting parallel workers).
        self.stderr.write(f"cpu per page: django {cpu:.0f} ms + postgres backend {db_cpu:.0f} ms")


def _backend_cpu() -> float:
    """Seconds of CPU the connection's PostgreSQL backend used so far (0 if it is not local)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
