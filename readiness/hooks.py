"""What readiness tells notifications (registered in `ReadinessConfig.ready()`): who must read
a must-read change (extra recipients of its notification), the revision a person last
acknowledged (a notification's diff starts there), and a person's open must-reads (the digest
puts them on top, the bell counts them)."""

from __future__ import annotations

from django_tenants.utils import schema_context

from articles.events import ContentEvent
from articles.models import Article, Materiality
from tenants.models import User
from tenants.selectors import workspace_access

from . import selectors, services
from .audience import Audience
from .models import Acknowledgement, MustRead


def must_read_recipients(event: ContentEvent) -> list[int]:
    """The audience of a must-read publish: who was assigned, or, when notifications hears the
    event before readiness assigned it, the same people computed from the event."""
    if event.materiality != Materiality.MUST_READ or event.revision_id is None:
        return []
    with schema_context(event.schema_name):
        must_read = MustRead.objects.filter(revision_id=event.revision_id).first()
        if must_read is not None:
            return list(must_read.assignees.values_list("person_id", flat=True))
        article = Article.objects.filter(pk=event.article_id).first()
        if article is None:
            return []
        client = services.current_client()
        return list(services.audience_members(article, client, Audience.parse(event.must_read, client), event.actor_id))


def last_acknowledged(person_id: int, article_id: int) -> int | None:
    """The number of the latest revision of the article the person acknowledged (current tenant)."""
    ack = (Acknowledgement.objects.filter(person_id=person_id, article_id=article_id)
           .select_related("revision").order_by("-revision__number").first())
    return ack.revision.number if ack is not None else None


def acknowledged_among(article_id: int, number: int, person_ids: list[int]) -> set[int]:
    """Those of `person_ids` who acknowledged revision `number` of the article or a later one."""
    return set(Acknowledgement.objects.filter(article_id=article_id, revision__number__gte=number,
                                              person_id__in=list(person_ids)).values_list("person_id", flat=True))


def open_must_reads(person_id: int) -> list[dict]:
    """The person's must-reads waiting in the current tenant, through the permission layer."""
    user = User.objects.filter(pk=person_id, is_active=True).first()
    if user is None:
        return []
    access = workspace_access(user, services.current_client())
    if access is None:
        return []
    return [{"article_id": m.article_id, "revision_id": m.revision_id, "deadline": m.deadline}
            for m in selectors.pending_for(access)]
