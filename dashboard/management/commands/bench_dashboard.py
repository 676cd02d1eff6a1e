"""`python manage.py bench_dashboard`: the dashboard page, through Django (the test client, a
signed-in admin), on a tenant of 200 agents in 10 teams with a year of events.

    dashboard agents=200 events=E p50_ms=… p95_ms=… queries=Q

The bench tenant (schema `bench_dashboard`) is built on the first run and reused after
(`--rebuild` drops and builds it again)."""

from __future__ import annotations

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

    def handle(self, *args, runs: int, period: str, rebuild: bool, **options):
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
        for _n in range(runs):
            started = time.perf_counter()
            response = http.get("/dashboard/", params, HTTP_HOST=bench.host())
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            http.get("/dashboard/", params, HTTP_HOST=bench.host())
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        self.stdout.write(f"dashboard agents={len(agents)} events={events} p50_ms={statistics.median(times):.0f} "
                          f"p95_ms={p95:.0f} queries={len(queries)}")
