"""What readiness does when content changes: it listens to `articles.events` (connected in
`ReadinessConfig.ready()`), and articles never calls it."""

from __future__ import annotations

from django_tenants.utils import schema_context

from articles.events import Change, ContentEvent

from . import services

MADE_LIVE = (Change.PUBLISHED, Change.RESTORED, Change.SUGGESTION_ACCEPTED)


def assign_must_read(sender, *, event: ContentEvent, **kwargs) -> None:
    """A revision was made live: remember it (what later must-reads are measured from) and, for
    a must-read, assign it to its audience at once, so that the editor's readiness view and the
    agents' pages show it on the next request. A publish its editor undid withdraws the
    must-read it made: nobody is asked to acknowledge a text that is no longer live."""
    if event.undone_revision_id is not None:
        with schema_context(event.schema_name):
            services.must_read_withdraw(revision_id=event.undone_revision_id)
    if event.change not in MADE_LIVE or event.revision_id is None:
        return
    with schema_context(event.schema_name):
        services.publication_record(article_id=event.article_id, revision_id=event.revision_id,
                                    materiality=event.materiality, actor_id=event.actor_id,
                                    must_read=event.must_read)
