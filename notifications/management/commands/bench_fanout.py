"""Benchmark the fan-out of a must-read change on a real worker (notifications/bench.py).

    python manage.py bench_fanout --recipients 10000 [--kill-worker] [--concurrency 1]
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import connection

from notifications import bench
from notifications.models import FanoutBatch


class Command(BaseCommand):
    help = "Fan a must-read change out to N followers on a real Celery worker; count duplicates, missing, leaked."

    def add_arguments(self, parser):
        parser.add_argument("--recipients", type=int, default=10_000)
        parser.add_argument("--kill-worker", action="store_true", help="SIGKILL the worker in the middle, start another")
        parser.add_argument("--concurrency", type=int, default=1, help="pool processes of the one worker")
        parser.add_argument("--timeout", type=float, default=600)
        parser.add_argument("--skip-digest", action="store_true")

    def echo(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def handle(self, *args, **options):
        from celery import current_app as app

        queue = bench.default_queue()
        app.conf.task_default_queue = queue
        app.conf.task_routes = {"notifications.*": {"queue": queue}, "outbox.*": {"queue": queue},
                                "search.*": {"queue": queue}}
        world = bench.ensure_world(options["recipients"], out=self.echo)
        bench.reset(world)
        client, expected = world["client"], world["expected"]
        self.echo(f"bench: {len(world['agents'])} followers in {len(world['teams'])} teams, "
                  f"{len(world['agents']) - len(expected)} lose their grant at the last moment")
        worker = bench.Worker(queue, options["concurrency"])
        worker.start()
        try:
            started = time.monotonic()
            record = bench.publish_must_read(world)
            killed = False
            deadline = started + options["timeout"]
            while time.monotonic() < deadline:
                record.refresh_from_db()
                if record.fanned_out_at is not None:
                    break
                if options["kill_worker"] and not killed:
                    done = FanoutBatch.objects.filter(event=record, delivered_at__isnull=False).count()
                    total = record.batches
                    if total and done >= max(1, total // 2):
                        worker.kill()
                        killed = True
                        self.echo(f"worker SIGKILLed after {done} of {total} batches "
                                  f"({time.monotonic() - started:.2f} s); a new one starts; the batches it held "
                                  f"come back after the visibility timeout ({bench.visibility_timeout()} s)")
                        worker.start()
                time.sleep(0.02)
            seconds = time.monotonic() - started
            connection.set_tenant(client)
            result = bench.counts(record, expected, client)
            n = result["recipients"]
            self.echo(f"fanout recipients={n} seconds={seconds:.2f} per_second={n / seconds:.0f} "
                      f"duplicates={result['duplicates']} missing={result['missing']} leaked={result['leaked']}")
            if not options["skip_digest"]:
                self.digest(client, expected, started, options["timeout"])
        finally:
            worker.stop()
            bench.purge(queue)

    def digest(self, client, expected, started, timeout) -> None:
        from notifications.tasks import plan_digests_task

        since = bench.now()
        t0 = time.monotonic()
        plan_digests_task.delay(client.schema_name, "daily")
        rows = 0
        while time.monotonic() - t0 < timeout:
            rows = bench.digest_rows(client, expected, since)
            if rows >= len(expected):
                break
            time.sleep(0.2)
        now = time.monotonic()
        self.echo(f"digest emails={rows} of {len(expected)} in_outbox_after={now - t0:.2f} s "
                  f"(since the publish: {now - started:.2f} s)")
