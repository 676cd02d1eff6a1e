"""The dashboard's bench tenant: 200 agents in 10 teams of two provider companies, and a year
of events (publishes of must-read changes, acknowledgements, lookups with their keystrokes,
opened results and failures, suggestions decided, verifications), written in bulk.

`EVENT_HOOKS` lets an app above the dashboard add its own events (the knowledge checks'
attempts): each hook is called as `hook(rng=, agents=, articles=, start=, end=)` in the bench
tenant's schema and returns how many events it wrote; `EVENT_COUNTERS` (called with no
argument) count them again when the built tenant is reused."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.utils import timezone

from articles import services as articles
from articles.models import Article, Kind, Revision, Suggestion, SuggestionStatus, Verification
from readiness.models import Acknowledgement, Assignee, MustRead
from tenants import services as tenants
from tenants.models import Client, ProviderOrganisation, ProviderRole, ProviderTeam, Role, User

from . import rollup

SCHEMA = "bench_dashboard"
ADMIN = "admin@bench-dashboard.test"
PROVIDERS = ("Bench Contact", "Bench Calls")
TEAMS_PER_PROVIDER = 5
AGENTS_PER_TEAM = 20
ARTICLES = 60
MUST_READS_PER_WEEK = 2
LOOKUPS_PER_AGENT_DAY = 1.0
EVENT_HOOKS: list[Callable[..., int]] = []
EVENT_COUNTERS: list[Callable[[], int]] = []
QUERIES = ["remboursement", "colis abimé", "changer adresse", "délai livraison", "retour produit", "facture",
           "annuler commande", "carte cadeau", "point relais", "refund", "damaged parcel", "tracking"]


def host() -> str:
    return f"{SCHEMA.replace('_', '-')}.{settings.KB_BASE_DOMAIN}"


def ensure_people(client: Client, *, teams: int, per_team: int) -> tuple[User, list[tuple[User, ProviderTeam]]]:
    """The admin and the agents (public schema), made once and reused."""
    connection.set_schema_to_public()
    admin = User.objects.filter(email=ADMIN).first() or User.objects.create_user(ADMIN, None, full_name="Bench Admin")
    tenants.membership_set(user=admin, client=client, role=Role.ADMIN)
    agents: list[tuple[User, ProviderTeam]] = []
    per_provider = max(1, teams // len(PROVIDERS))
    for p, name in enumerate(PROVIDERS):
        provider, _ = ProviderOrganisation.objects.get_or_create(name=f"{name} ({SCHEMA})")
        if not provider.engagements.filter(client=client, ended_at__isnull=True).exists():
            tenants.engagement_start(provider=provider, client=client)
        for t in range(per_provider):
            team = ProviderTeam.objects.filter(provider=provider, name=f"Team {p * per_provider + t + 1}").first() \
                or tenants.team_create(provider=provider, name=f"Team {p * per_provider + t + 1}", clients=[client])
            for a in range(per_team):
                email = f"agent{p}.{t}.{a}@bench-dashboard.test"
                user = User.objects.filter(email=email).first()
                if user is None:
                    user = User.objects.create_user(email, None, full_name=f"Agent {p}.{t}.{a}")
                    tenants.provider_member_add(user=user, provider=provider, role=ProviderRole.AGENT).clients.add(client)
                    team.members.add(user)
                agents.append((user, team))
    connection.set_tenant(client)
    return admin, agents


def build(client: Client, *, teams: int = 10, per_team: int = AGENTS_PER_TEAM, days: int = 365, seed: int = 17) -> int:
    """The people and a year of events in `client` (its schema must be empty of events); how
    many events were written."""
    rng = random.Random(seed)
    admin, agents = ensure_people(client, teams=teams, per_team=per_team)
    end = timezone.now()
    start = end - datetime.timedelta(days=days)
    collections = [articles.collection_create(name=f"Collection {n}", acting_user=admin) for n in range(10)]
    made = []
    for n in range(ARTICLES):
        article = articles.article_create(
            kind=Kind.GUIDE if n % 2 else Kind.ARTICLE, collection=collections[n % 10], acting_user=admin, publish=True,
            content=articles.Content(title=f"Procedure {n}", language="fr" if n % 3 else "en", tags=[],
                                     body=f"Procedure {n}.", steps=[{"title": "Step", "body": "Do it."}] if n % 2 else []))
        made.append(article)
    Article.objects.filter(pk__in=[a.pk for a in made[::4]]).update(review_by=timezone.localdate() - datetime.timedelta(days=5))
    events = 0
    # Must-read publishes, each to every agent; most acknowledge within days.
    weeks = days // 7
    revisions, must_reads = [], []
    numbers = {a.pk: 1 for a in made}
    for w in range(weeks * MUST_READS_PER_WEEK):
        article = made[w % len(made)]
        numbers[article.pk] += 1
        at = start + datetime.timedelta(hours=w * 7 * 24 / MUST_READS_PER_WEEK + rng.random() * 8)
        revisions.append(Revision(article=article, number=numbers[article.pk], author_id=admin.pk, created_at=at,
                                  title=article.title, language=article.language, rendered={}, sanitiser_version="bench",
                                  materiality="must_read"))
    Revision.objects.bulk_create(revisions)
    for revision in revisions:
        must_reads.append(MustRead(article_id=revision.article_id, revision=revision, everyone=True, assigned_by_id=admin.pk,
                                   created_at=revision.created_at))
    MustRead.objects.bulk_create(must_reads)
    assignees, acks = [], []
    for must_read in must_reads:
        for user, team in agents:
            assignees.append(Assignee(must_read=must_read, person_id=user.pk, assigned_at=must_read.created_at,
                                      provider_id=team.provider_id, team_id=team.pk))
            if rng.random() < 0.85:
                delay = datetime.timedelta(hours=rng.expovariate(1 / 30))
                if must_read.created_at + delay < end:
                    acks.append(Acknowledgement(article_id=must_read.article_id, revision_id=must_read.revision_id,
                                                person_id=user.pk, acknowledged_at=must_read.created_at + delay))
    Assignee.objects.bulk_create(assignees, batch_size=5000)
    Acknowledgement.objects.bulk_create(acks, batch_size=5000)
    events += len(must_reads) + len(acks)
    events += _lookups(rng, agents, made, start, end, days)
    suggestions = []
    for _n in range(len(agents) * 3):
        user, _team = rng.choice(agents)
        at = start + datetime.timedelta(seconds=rng.random() * (end - start).total_seconds())
        status = rng.choice([SuggestionStatus.ACCEPTED, SuggestionStatus.ACCEPTED, SuggestionStatus.REJECTED,
                             SuggestionStatus.PENDING])
        decided = at + datetime.timedelta(hours=rng.expovariate(1 / 40))
        article = rng.choice(made)
        suggestions.append(Suggestion(
            article=article, kind=article.kind, title=article.title, language=article.language, reason="Bench",
            contributor_id=user.pk, status=status, created_at=at,
            reviewed_by_id=admin.pk if status != SuggestionStatus.PENDING else None,
            reviewed_at=decided if status != SuggestionStatus.PENDING and decided < end else None))
    Suggestion.objects.bulk_create(suggestions)
    verifications = [Verification(article=rng.choice(made), person_id=admin.pk,
                                  verified_at=start + datetime.timedelta(days=rng.random() * days)) for _n in range(200)]
    Verification.objects.bulk_create(verifications)
    events += len(suggestions) + len(verifications)
    for hook in EVENT_HOOKS:
        events += hook(rng=rng, agents=agents, articles=made, start=start, end=end)
    rollup.lookups_roll(now=end)  # as the nightly task would have
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner's statistics, as autovacuum would gather them after a year
    return events


def _lookups(rng, agents, made, start, end, days) -> int:
    """Lookups as the lookup page logs them: each with one or two keystroke prefixes a few
    seconds before; about 70 % end on an opened result, some find nothing, some are flagged."""
    rows = []
    total = int(len(agents) * days * LOOKUPS_PER_AGENT_DAY)
    for _n in range(total):
        user, _team = rng.choice(agents)
        query = rng.choice(QUERIES) if rng.random() < 0.9 else f"inconnu {rng.randrange(50)}"
        at = start + datetime.timedelta(seconds=rng.random() * (end - start).total_seconds())
        found = not query.startswith("inconnu")
        for cut in (3, 6):
            if len(query) > cut and rng.random() < 0.5:
                rows.append((query[:cut], query[:cut], 5, user.pk, None, False, at - datetime.timedelta(seconds=cut)))
        opened = rng.choice(made).pk if found and rng.random() < 0.7 else None
        rows.append((query, query, 4 if found else 0, user.pk, opened, (not found) and rng.random() < 0.3, at))
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO search_querylog (query, normalised, corrected, results, user_id, team, opened_article_id, "
            "flagged_not_found, created_at) VALUES (%s, %s, '', %s, %s, '', %s, %s, %s)", rows)
    return total
