"""Many agents at once: concurrent signed-in agents typing lookups against gunicorn.

    python manage.py bench_load [--articles 100000] [--agents 20] [--seconds 30]

Starts gunicorn as `scripts/run.sh` does (3 processes x 4 threads), signs in `--agents`
provider agents of the bench tenant, and drives them with wrk (Debian's, installed by
`scripts/ensure-system-packages.sh --bench`) and `scripts/load_agents.lua`: one wrk thread and
one kept-alive connection per agent, each typing the bench's query mix as htmx requests of the
lookup box. wrk is C and epoll: the client costs little of the machine's two cores (the older
`scripts/load_agents.py`, one Python thread per agent, is kept for a server started by
`make run`). Prints wrk's line:
    load agents=20 seconds=30 rps=… p50_ms=… p95_ms=… errors=… statements=…
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from search import bench, bench_served


class Command(BaseCommand):
    help = "Drive concurrent signed-in agents on the lookup page with wrk against gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=100_000)
        parser.add_argument("--agents", type=int, default=20)
        parser.add_argument("--seconds", type=int, default=30)
        parser.add_argument("--queries", type=int, default=600)
        parser.add_argument("--workers", type=int, default=3, help="gunicorn processes (WEB_WORKERS)")
        parser.add_argument("--threads", type=int, default=4, help="threads per process (WEB_THREADS)")
        parser.add_argument("--access-cache", choices=["on", "off"], default="on")

    def handle(self, *args, **options):
        wrk = shutil.which("wrk")
        if wrk is None:
            raise CommandError("wrk is missing: scripts/ensure-system-packages.sh --bench installs it")
        client, access, host = bench_served.prepare_tenant(options["articles"])
        rng = random.Random(bench.SEED + 11)
        mix = [q for _, q in bench.query_mix(access, rng, options["queries"])]
        cookies = [bench_served.signed_in_cookie(agent) for agent in bench_served.bench_agents(client, options["agents"])]
        connection.set_schema_to_public()
        connection.close()
        with tempfile.TemporaryDirectory(prefix="kb-load-") as tmp:
            data = Path(tmp) / "agents.txt"
            data.write_text("\n".join([f"host {host}", *(f"cookie {c}" for c in cookies),
                                       *(f"path {bench_served.lookup_path(q)}" for q in mix)]) + "\n")
            server = bench_served.start_gunicorn(
                database_url=bench_served.serve_database_url(), workers=options["workers"],
                threads=options["threads"], access_cache=options["access_cache"] == "on",
            )
            try:
                # Each agent once first: signed in, and finding things (not a page of redirects).
                for cookie in cookies:
                    first = bench_served.keystrokes(server.port, host, cookie, mix[:3])
                    if any(k.status != 200 for k in first) or not any(k.hits for k in first):
                        raise CommandError(f"an agent's first lookups answered {[k.status for k in first]}")
                script = Path(bench_served.ROOT) / "scripts" / "load_agents.lua"
                cpu_before = bench_served.server_cpu(server, bench_served.serve_database_url())
                result = subprocess.run(  # noqa: S603 - wrk with our own script
                    [wrk, f"-t{len(cookies)}", f"-c{len(cookies)}", f"-d{options['seconds']}s", "--timeout", "10s",
                     "-s", str(script), f"http://127.0.0.1:{server.port}/"],
                    env={**os.environ, "KB_LOAD_DATA": str(data)}, capture_output=True, text=True, check=False,
                )
                cpu = bench_served.cpu_spent(cpu_before, bench_served.server_cpu(server, bench_served.serve_database_url()))
            finally:
                server.stop()
        lines = [line for line in result.stdout.splitlines() if line.startswith("load ")]
        if result.returncode != 0 or not lines:
            raise CommandError(f"wrk failed ({result.returncode}): {result.stderr or result.stdout}")
        articles = options["articles"]
        rps = float(lines[-1].split("rps=", 1)[1].split()[0])
        requests = rps * options["seconds"]
        cpu_ms = cpu / requests * 1000 if requests else 0.0
        # server_cpu_ms: gunicorn's and its PostgreSQL backends' CPU per lookup (load-independent)
        self.stdout.write(f"{lines[-1]} articles={articles} server_cpu_ms={cpu_ms:.1f} load1={os.getloadavg()[0]:.1f}")
