"""Demo must-reads for `make run`, so that readiness shows something true on first run: changes
pending for Helios' agents (ravi@helios.example, anais@helios.example), one of them overdue, and
some acknowledgements. Run after the content and the grants (the audience is computed through
the permission layer, as for a real publish)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from articles import services as articles
from articles.models import Article, Materiality
from notifications.demo import close_changes
from notifications.models import ChangeEvent
from tenants.models import Client, Membership, ProviderTeam, Role, User
from tenants.selectors import workspace_access

from . import services
from .models import Assignee, MustRead, Publication


@dataclass(frozen=True)
class DemoMustRead:
    schema: str
    slug: str
    change: str  # appended to step 2 of a guide, or to an article's body
    summary: str
    teams: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    everyone: bool = False
    assigned_days_ago: float = 1
    deadline_in_days: int | None = None
    acknowledged: tuple[tuple[str, float], ...] = ()  # (e-mail, hours after the assignment)


MUST_READS = [
    DemoMustRead("acme", "handle-a-delivery-delay-call",
                 "Since 1 December: offer a redelivery slot within 48 hours, never later.",
                 "Redelivery within 48 hours", teams=("Acme front line",), assigned_days_ago=1, deadline_in_days=5,
                 acknowledged=(("anais@helios.example", 2.5),)),
    DemoMustRead("acme", "refund-a-parcel-that-never-arrived",
                 "Refunds above 150 EUR now need the tracking investigation number in the note.",
                 "Investigation number for refunds above 150 EUR", teams=("Acme front line",), roles=(Role.VIEWER,),
                 assigned_days_ago=9, deadline_in_days=-3,
                 acknowledged=(("viewer@acme.example", 5), ("anais@helios.example", 150))),
    DemoMustRead("acme", "identity-and-data-protection-rules-for-agents",
                 "Never read a full card number back to the caller, not even to confirm it.",
                 "Card numbers are never read back", everyone=True, assigned_days_ago=2, deadline_in_days=10,
                 acknowledged=(("ravi@helios.example", 3), ("admin@acme.example", 20), ("viewer@acme.example", 26))),
    DemoMustRead("lumiere", "traiter-un-rejet-de-prelevement",
                 "Depuis le 1er décembre : proposez d’abord un nouveau prélèvement sous 10 jours, sans frais.",
                 "Nouveau prélèvement sans frais", teams=("Lumière facturation",), assigned_days_ago=0.5,
                 deadline_in_days=7),
]


def _changed(article: Article, change: str) -> articles.Content:
    latest = article.latest_revision
    steps = [dict(step) for step in latest.steps]
    body = latest.body
    if steps:
        index = min(1, len(steps) - 1)
        steps[index]["body"] = f"{steps[index]['body'].rstrip()}\n\n**{change}**"
    else:
        body = f"{body.rstrip()}\n\n**{change}**"
    return articles.Content(title=latest.title, language=latest.language, tags=list(latest.tags), body=body,
                            steps=steps, faqs=[dict(faq) for faq in latest.faqs])


def seed_one(client: Client, spec: DemoMustRead) -> MustRead | None:
    article = Article.objects.filter(slug=spec.slug).select_related("latest_revision").first()
    if article is None or MustRead.objects.filter(article=article).exists():
        return None
    editor = User.objects.filter(pk__in=Membership.objects.filter(client=client, role=Role.EDITOR)
                                 .values("user_id")).order_by("pk").first()
    teams = list(ProviderTeam.objects.filter(name__in=spec.teams).values_list("pk", flat=True))
    now = timezone.now()
    assigned_at = now - datetime.timedelta(days=spec.assigned_days_ago)
    deadline = (timezone.localdate() + datetime.timedelta(days=spec.deadline_in_days)
                if spec.deadline_in_days is not None else None)
    revision = articles.revision_create(article=article, expected_revision_id=article.latest_revision_id,
                                        content=_changed(article, spec.change), summary=spec.summary,
                                        acting_user=editor)
    # Its own change, not a save merged into the content seed's publishes of the same article.
    close_changes()
    # Published as an editor would: the content event (after commit) assigns the must-read.
    articles.article_publish(article=article, revision=revision, acting_user=editor, materiality=Materiality.MUST_READ,
                             must_read={"everyone": spec.everyone, "roles": list(spec.roles), "teams": teams,
                                        "deadline": deadline.isoformat() if deadline else None})
    must_read = MustRead.objects.filter(revision=revision).first()
    if must_read is None:  # no subscriber heard it (should not happen): assign it directly
        must_read = services.publication_record(
            article_id=article.pk, revision_id=revision.pk, materiality=Materiality.MUST_READ, actor_id=editor.pk,
            must_read={"everyone": spec.everyone, "roles": list(spec.roles), "teams": teams,
                       "deadline": deadline.isoformat() if deadline else None}, client=client)
    # As if it had been published `assigned_days_ago` ago.
    MustRead.objects.filter(pk=must_read.pk).update(created_at=assigned_at)
    Assignee.objects.filter(must_read=must_read).update(assigned_at=assigned_at)
    Publication.objects.filter(revision=revision).update(published_at=assigned_at)
    ChangeEvent.objects.filter(revision=revision).update(created_at=assigned_at, updated_at=assigned_at)
    article.refresh_from_db()
    for email, hours in spec.acknowledged:
        person = User.objects.filter(email=email).first()
        access = workspace_access(person, client) if person else None
        if access is not None:
            services.acknowledge(access=access, article=article, revision_id=article.live_revision_id,
                                 now=assigned_at + datetime.timedelta(hours=hours))
    return must_read


def seed_must_reads(stdout=None) -> None:
    for spec in MUST_READS:
        client = Client.objects.filter(schema_name=spec.schema).first()
        if client is None:
            continue
        connection.set_tenant(client)
        try:
            must_read = seed_one(client, spec)
            line = f"  must read ({spec.schema}): {spec.slug} r{must_read.revision.number}" if must_read else ""
        finally:
            connection.set_schema_to_public()
        if line and stdout is not None:
            stdout.write(line)
