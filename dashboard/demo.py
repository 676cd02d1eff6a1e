"""A quarter of history for the demo tenants, so that the dashboard shows something true on
first run: lookups of the provider's agents (most ending on an opened result, some failing,
a few flagged "could not find it"), suggestions decided, and verifications. Must-reads and
their acknowledgements over time come from `readiness.demo`."""

from __future__ import annotations

import datetime
import random

from django.db import connection
from django.utils import timezone

from articles.models import Article, Suggestion, SuggestionStatus, Verification
from tenants.models import Client, Membership, Role

from . import rollup
from .bench import QUERIES
from .scope import Directory

DAYS = 90


def seed_one(client: Client, rng: random.Random) -> int:
    directory = Directory.of(client)
    agents = [p.user_id for p in directory.people.values() if p.provider_id is not None]
    editors = list(Membership.objects.filter(client=client, role__in=[Role.ADMIN, Role.EDITOR]).values_list("user_id", flat=True))
    connection.set_tenant(client)
    published = list(Article.objects.published().active().order_by("pk"))
    if not agents or not published or not editors:
        return 0
    now = timezone.now()
    rows = []
    for _n in range(len(agents) * 60):
        at = now - datetime.timedelta(days=rng.random() * DAYS)
        found = rng.random() < 0.85
        query = rng.choice(QUERIES) if found else rng.choice(["bon de retour perdu", "lost voucher", "prime fidélité"])
        opened = rng.choice(published).pk if found and rng.random() < 0.75 else None
        rows.append((query, query, 3 if found else 0, rng.choice(agents), opened, (not found) and rng.random() < 0.4, at))
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO search_querylog (query, normalised, corrected, results, user_id, team, opened_article_id, "
            "flagged_not_found, created_at) VALUES (%s, %s, '', %s, %s, '', %s, %s, %s)", rows)
    suggestions = []
    for n in range(12):
        article = rng.choice(published)
        at = now - datetime.timedelta(days=rng.random() * DAYS)
        status = [SuggestionStatus.ACCEPTED, SuggestionStatus.REJECTED, SuggestionStatus.PENDING][n % 3]
        decided = status != SuggestionStatus.PENDING
        suggestions.append(Suggestion(
            article=article, kind=article.kind, title=article.title, language=article.language, body="",
            reason="Demo", contributor_id=rng.choice(agents), status=status, created_at=at,
            reviewed_by_id=rng.choice(editors) if decided else None,
            reviewed_at=min(now, at + datetime.timedelta(hours=rng.randint(2, 72))) if decided else None))
    Suggestion.objects.bulk_create(suggestions)
    Verification.objects.bulk_create([
        Verification(article=article, revision_id=article.live_revision_id, person_id=rng.choice(editors),
                     verified_at=now - datetime.timedelta(days=rng.random() * DAYS))
        for article in published[::2]])
    rollup.lookups_roll(now=now)  # the quarter's final days, as the nightly task would have
    return len(rows) + len(suggestions)


def seed_history(stdout=None) -> None:
    rng = random.Random(17)
    for client in Client.objects.exclude(schema_name="public").order_by("pk"):
        connection.set_schema_to_public()
        try:
            written = seed_one(client, rng)
        finally:
            connection.set_schema_to_public()
        if stdout is not None and written:
            stdout.write(f"  dashboard history ({client.schema_name}): {written} events over {DAYS} days")
