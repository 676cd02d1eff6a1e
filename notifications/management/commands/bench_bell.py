"""The bell's polling request, measured (issue 13: at most 3 SQL statements and 10 ms server time).

`python manage.py bench_bell [--tenant acme] [--email ravi@helios.example] [--requests 500]`
signs a person in (the demo's agent by default) and sends the bell's htmx request as the browser
does, through the whole middleware stack (Django's test client: no network, no gunicorn), and prints

    bell requests=N p50_ms=… p95_ms=… queries=… queries_max=… load1=…

`queries` counts every statement through Django's connection (`SET search_path` and the
session's included), the median per request; the first requests (session, caches) are not counted.
"""

from __future__ import annotations

import os
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse

from tenants.models import Client, User


class Command(BaseCommand):
    help = "Time the bell's polling request (server time and SQL statements)."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", default="acme", help="schema name of the tenant")
        parser.add_argument("--email", default="ravi@helios.example", help="the person polling")
        parser.add_argument("--requests", type=int, default=500)

    def handle(self, *args, **options):
        try:
            client = Client.objects.get(schema_name=options["tenant"])
            person = User.objects.get(email=options["email"])
        except (Client.DoesNotExist, User.DoesNotExist) as exc:
            raise CommandError(f"No such tenant or person ({exc}); seed the demo first (make run).") from exc
        domain = client.domains.filter(is_primary=True).first() or client.domains.first()
        host = domain.domain if domain else f"{client.schema_name}.{settings.KB_BASE_DOMAIN}"
        http = HttpClient(HTTP_HOST=host, HTTP_ACCEPT_LANGUAGE="en")
        http.force_login(person)
        with connection.cursor() as cursor:  # force_login left the connection elsewhere
            cursor.execute("SELECT 1")
        counts: list[int] = []
        timings: list[float] = []
        url = reverse("notifications:bell")

        def counted(execute, sql, params, many, context):
            counts[-1] += 1
            return execute(sql, params, many, context)

        for n in range(options["requests"] + 5):
            counts.append(0)
            with connection.execute_wrapper(counted):
                started = time.perf_counter()
                response = http.get(url, HTTP_HX_REQUEST="true")
                elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise CommandError(f"GET {host}{url} answered {response.status_code} (is {person.email} a member?)")
            if n >= 5:  # the sign-in audit, the caches filled
                timings.append(elapsed)
            else:
                counts.pop()
        ordered = sorted(timings)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        self.stdout.write(
            f"bell requests={len(timings)} p50_ms={statistics.median(timings):.2f} p95_ms={p95:.2f} "
            f"queries={statistics.median(counts):g} queries_max={max(counts)} load1={os.getloadavg()[0]:.1f}")
