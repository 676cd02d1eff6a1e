"""The platform's cost as clients grow (issue 18): create N small tenants from the template, time a
no-op deploy and a one-column migration over all of them, time signed-in page reads spread over
all tenants against reads on two, and read one database backend's memory after it has served 100
tenants. Prints one line per measure (README, "Thousands of clients").

It runs only on a database whose name contains "bench" (`make bench-platform` creates
`kbportal_platform_bench`, runs `kb_setup` there and drops it afterwards), never the dev database.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.test import Client as HttpClient

from tenants import services
from tenants.models import Client, Role, User

PREFIX = "bp"
TEMP_MIGRATION_APP = "search"  # a tenant app: its migrations run in every tenant schema
TEMP_MIGRATION_NAME = "9999_platform_bench_tmp"


def _schema(i: int) -> str:
    return f"{PREFIX}{i:05d}"


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _load() -> str:
    return f"load1={os.getloadavg()[0]:.1f}"


def _rss_kb(pid: int) -> dict[str, int]:
    """VmRSS and RssAnon (the backend's private memory: catalogue and plan caches) in kB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "RssAnon"):
            found[key] = int(value.split()[0])
    return found


class Command(BaseCommand):
    help = "Benchmark tenant creation, migrate_schemas, page reads and backend memory at N tenants."

    def add_arguments(self, parser):
        parser.add_argument("--tenants", type=int, default=1000)
        parser.add_argument("--requests", type=int, default=400, help="page reads per measure")
        parser.add_argument("--processes", type=int, default=2, help="migrate_schemas multiprocessing workers")
        parser.add_argument("--skip-migrate", action="store_true")
        parser.add_argument("--compare-executors", action="store_true",
                            help="also time the no-op deploy with django-tenants' own multiprocessing executor")

    def handle(self, *args, **options):
        name = connection.settings_dict["NAME"]
        if "bench" not in name:
            raise CommandError(f"bench_platform runs only on a bench database (its name contains 'bench'), not {name!r}: "
                               "use `make bench-platform`.")
        n = options["tenants"]
        editor = self._create(n)
        if not options["skip_migrate"]:
            self._migrate(n, options["processes"], options["compare_executors"])
        self._requests(n, editor, options["requests"])
        self._backend_rss(min(100, n))

    # -- create ---------------------------------------------------------------------------------
    def _create(self, n: int) -> User:
        from articles import services as articles
        from articles.models import Kind

        editor, _ = User.objects.get_or_create(email="bench.editor@platform.test", defaults={"full_name": "Bench Editor"})
        editor.set_password("bench-platform-password")
        editor.save()
        existing = set(Client.objects.filter(schema_name__startswith=PREFIX).values_list("schema_name", flat=True))
        todo = [i for i in range(n) if _schema(i) not in existing]
        started = time.perf_counter()
        for done, i in enumerate(todo):
            if done and done % 25 == 0:
                self.stdout.write(f"  {done}/{len(todo)} created in {time.perf_counter() - started:.0f} s {_load()}")
                self.stdout.flush()
            client = services.client_create(schema_name=_schema(i), name=f"Bench client {i}")
            services.membership_set(user=editor, client=client, role=Role.EDITOR)
            connection.set_tenant(client)
            for c in range(2):
                collection = articles.collection_create(name=f"Procedures {c}", acting_user=editor)
                for a in range(2):
                    articles.article_create(
                        kind=Kind.ARTICLE, collection=collection, acting_user=editor, publish=True,
                        content=articles.Content(title=f"Refund rule {c}.{a}", language="en", tags=["refund"],
                                                 body=f"Client {i}: refunds over {a + 1}00 EUR need a lead's approval."),
                    )
            connection.set_schema_to_public()
            # Each client is created by its own request, whose connection lives CONN_MAX_AGE at
            # most: a backend that has itself touched hundreds of schemas runs the same DDL 3-4
            # times slower (its catalogue caches; docs/scaling.md, "Backend memory").
            connection.close()
        elapsed = time.perf_counter() - started
        made = len(todo)
        self.stdout.write(f"create tenants={made} seconds={elapsed:.1f} per_second={made / elapsed if elapsed else 0:.2f}"
                          f" (total tenants={n}, 2 collections and 4 published articles each) {_load()}")
        return editor

    # -- migrate --------------------------------------------------------------------------------
    def _run_migrate(self, executor: str, processes: int) -> float:
        env = {**os.environ, "TENANT_MULTIPROCESSING_MAX_PROCESSES": str(processes)}
        started = time.perf_counter()
        done = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
            [sys.executable, "manage.py", "migrate_schemas", "--tenant", f"--executor={executor}", "-v", "1"],
            env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, check=False,
        )
        elapsed = time.perf_counter() - started
        if done.returncode:
            raise CommandError(f"migrate_schemas --executor={executor} failed:\n{done.stderr[-3000:]}")
        return elapsed

    def _migrate(self, n: int, processes: int, compare: bool) -> None:
        from django.db.migrations.loader import MigrationLoader

        connections.close_all()
        noop = self._run_migrate("pending", processes)
        before = f" (django-tenants multiprocessing noop_seconds={self._run_migrate('multiprocessing', processes):.1f})" if compare else ""
        leaf = MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes(TEMP_MIGRATION_APP)[0][1]
        package = Path(__import__(f"{TEMP_MIGRATION_APP}.migrations", fromlist=["x"]).__file__).parent
        path = package / f"{TEMP_MIGRATION_NAME}.py"
        path.write_text(
            "from django.db import migrations\n\n\n"
            "class Migration(migrations.Migration):\n"
            f"    dependencies = [({TEMP_MIGRATION_APP!r}, {leaf!r})]\n"
            "    operations = [migrations.RunSQL(\n"
            "        'ALTER TABLE search_searchdocument ADD COLUMN platform_bench_tmp integer NULL',\n"
            "        'ALTER TABLE search_searchdocument DROP COLUMN platform_bench_tmp')]\n"
        )
        try:
            one = self._run_migrate("pending", processes)
        finally:
            path.unlink()
            # The bench database is dropped afterwards; with KEEP=1, undo the throwaway migration.
            with connection.cursor() as cursor:
                for schema in Client.objects.exclude(schema_name="public").values_list("schema_name", flat=True):
                    cursor.execute(f'ALTER TABLE "{schema}".search_searchdocument DROP COLUMN IF EXISTS platform_bench_tmp')
                    cursor.execute(f'DELETE FROM "{schema}".django_migrations WHERE name = %s', [TEMP_MIGRATION_NAME])
        self.stdout.write(f"migrate tenants={n} noop_seconds={noop:.1f} one_migration_seconds={one:.1f} "
                          f"executor=pending(lean) processes={processes}{before} {_load()}")

    # -- requests -------------------------------------------------------------------------------
    def _read(self, http: HttpClient, schemas: list[str], count: int, rng: random.Random) -> list[float]:
        timings = []
        for _ in range(count):
            schema = rng.choice(schemas)
            host = f"{schema}.{settings.KB_BASE_DOMAIN}"
            path = "/" if rng.random() < 0.5 else "/collections/procedures-0/"
            started = time.perf_counter()
            response = http.get(path, HTTP_HOST=host)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise CommandError(f"GET {host}{path} answered {response.status_code}")
        return timings

    def _requests(self, n: int, editor: User, count: int) -> None:
        schemas = [_schema(i) for i in range(n)]
        http = HttpClient()
        http.force_login(editor)
        rng = random.Random(18)
        self._read(http, schemas[:2], 20, rng)  # warm the process (templates, URL resolvers)
        # Interleaved rounds, so that the machine's load changes weigh on both alike.
        spread, two = [], []
        for _ in range(4):
            spread += self._read(http, schemas, count // 4, rng)
            two += self._read(http, schemas[:2], count // 4, rng)
        p = {name: (statistics.median(t), _percentile(t, 95)) for name, t in (("all", spread), ("two", two))}
        self.stdout.write(
            f"requests tenants={n} p50_ms={p['all'][0]:.1f} p95_ms={p['all'][1]:.1f} "
            f"two_tenants_p50_ms={p['two'][0]:.1f} two_tenants_p95_ms={p['two'][1]:.1f} "
            f"ratio_p50={p['all'][0] / p['two'][0]:.2f} ratio_p95={p['all'][1] / p['two'][1]:.2f} reads={len(spread)}+{len(two)} {_load()}"
        )

    # -- backend memory -------------------------------------------------------------------------
    def _backend_rss(self, count: int) -> None:
        from articles.models import Article, Collection

        connections.close_all()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        start = _rss_kb(pid)
        for client in Client.objects.filter(schema_name__startswith=PREFIX).order_by("schema_name")[:count]:
            connection.set_tenant(client)
            list(Collection.objects.all())
            list(Article.objects.select_related("collection").all())
        connection.set_schema_to_public()
        after = _rss_kb(pid)
        connections.close_all()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            fresh = _rss_kb(cursor.fetchone()[0])
        age = settings.DATABASES["default"].get("CONN_MAX_AGE")
        self.stdout.write(
            f"backend_rss_mb after_tenants={count} start={start['VmRSS'] / 1024:.1f} after={after['VmRSS'] / 1024:.1f} "
            f"anon_start={start['RssAnon'] / 1024:.1f} anon_after={after['RssAnon'] / 1024:.1f} "
            f"anon_per_tenant_kb={(after['RssAnon'] - start['RssAnon']) / count:.0f} "
            f"fresh_connection={fresh['VmRSS'] / 1024:.1f} bound=CONN_MAX_AGE={age}s"
        )

