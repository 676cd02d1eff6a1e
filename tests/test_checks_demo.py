"""The demo holds knowledge checks and a quarter of attempts (issue 17's "done means")."""

from __future__ import annotations

import datetime

from django.db import connection
from django.utils import timezone

from articles.demo import seed_content
from checks import figures
from checks.demo import seed_checks
from checks.models import Attempt, Question
from permissions.demo import seed_grants
from readiness.demo import seed_must_reads
from tenants import demo


def test_the_demo_seeds_checks_with_passes_and_fails_over_a_quarter(world):
    demo.seed_people()
    seed_content()
    seed_grants()
    seed_must_reads()
    seed_checks()
    connection.set_tenant(world.acme)
    assert Question.objects.count() == 2
    attempts = list(Attempt.objects.all())
    assert {a.passed for a in attempts} == {True, False}
    now = timezone.now()
    assert min(a.submitted_at for a in attempts) < now - datetime.timedelta(days=75)
    assert max(a.submitted_at for a in attempts) > now - datetime.timedelta(days=10)
    spots = figures.weak_spots(now - datetime.timedelta(days=92), now, None)
    assert spots and spots[0]["steps"][0].startswith("Step 2")
    seed_checks()  # idempotent
    connection.set_tenant(world.acme)
    assert Question.objects.count() == 2
