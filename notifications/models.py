"""Change propagation, tenant schema: who follows what, one row per change worth telling
(several saves of one author within the debounce window are one), one notification per
recipient and change, and the revision each person last read of each article.

People and provider teams live in the public schema: no database constraint across schemas
(as `articles.models.PERSON`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Collection, Revision

PERSON = {
    "to": settings.AUTH_USER_MODEL,
    "on_delete": models.DO_NOTHING,
    "db_constraint": False,
    "related_name": "+",
}


class Follow(models.Model):
    """A person (or a provider team, for all its members present and future) follows a
    collection, with everything it nests, or one article."""

    person = models.ForeignKey(null=True, blank=True, verbose_name=_("person"), **PERSON)
    team = models.ForeignKey(
        "tenants.ProviderTeam", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="+", verbose_name=_("team"),
    )
    collection = models.ForeignKey(
        Collection, null=True, blank=True, on_delete=models.CASCADE, related_name="follows",
        verbose_name=_("collection"),
    )
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="follows", verbose_name=_("article"),
    )
    created_by = models.ForeignKey(null=True, blank=True, **PERSON)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, team__isnull=True) | Q(person__isnull=True, team__isnull=False),
                name="follow_by_person_or_team",
            ),
            models.CheckConstraint(
                condition=Q(collection__isnull=False, article__isnull=True)
                | Q(collection__isnull=True, article__isnull=False),
                name="follow_collection_or_article",
            ),
            # Teams follow collections only (what a team works on is a collection).
            models.CheckConstraint(condition=Q(team__isnull=True) | Q(collection__isnull=False), name="team_follows_collection"),
            models.UniqueConstraint(fields=["person", "collection"], condition=Q(person__isnull=False, collection__isnull=False),
                                    name="one_follow_per_person_collection"),
            models.UniqueConstraint(fields=["person", "article"], condition=Q(person__isnull=False, article__isnull=False),
                                    name="one_follow_per_person_article"),
            models.UniqueConstraint(fields=["team", "collection"], condition=Q(team__isnull=False),
                                    name="one_follow_per_team_collection"),
        ]
        indexes = [models.Index(fields=["article"], name="follow_article"),
                   models.Index(fields=["collection"], name="follow_collection")]

    def __str__(self) -> str:
        who = f"person {self.person_id}" if self.person_id else f"team {self.team_id}"
        what = f"collection {self.collection_id}" if self.collection_id else f"article {self.article_id}"
        return f"{who} follows {what}"


class Publication(models.Model):
    """Each time a revision went live (every materiality, minor included), as heard on the
    content-event seam: the revision readers saw before a change is the one published before it
    (drafts in between were never shown to readers, so a reader's diff never includes them)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="+")
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["revision"], name="one_publication_per_revision")]
        indexes = [models.Index(fields=["article", "-published_at"], name="publication_article")]

    def __str__(self) -> str:
        return f"r{self.revision_id} live"


class ChangeEvent(models.Model):
    """A change worth telling followers about: one content event, or several saves of one
    author on one article within the debounce window (`revision` is then the latest of
    them, `base_revision` what readers saw before the first)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(Revision, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    base_revision = models.ForeignKey(Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    change = models.CharField(max_length=32)
    materiality = models.CharField(max_length=10)
    must_read = models.JSONField(null=True, blank=True)
    actor = models.ForeignKey(null=True, blank=True, **PERSON)
    # The `articles.events.ContentEvent` (as a dict) of the latest content event merged in:
    # what the providers of extra recipients (`notifications.recipients`) are handed.
    content_event = models.JSONField(default=dict)
    saves = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # The fan-out's progress: planned (batches sent) and every batch delivered; a sweep sends
    # again what is not done (a lost task, a broker that was away).
    planned_at = models.DateTimeField(null=True, blank=True)
    batches = models.PositiveIntegerField(default=0)
    fanned_out_at = models.DateTimeField(null=True, blank=True)
    # Immediate e-mails go out once the debounce window has closed.
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        indexes = [
            models.Index(fields=["article", "actor", "-updated_at"], name="change_debounce"),
            models.Index(fields=["fanned_out_at"], name="change_pending", condition=Q(fanned_out_at__isnull=True)),
            models.Index(fields=["mailed_at"], name="change_unmailed", condition=Q(mailed_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.change} of article {self.article_id} (r{self.revision_id})"


class FanoutBatch(models.Model):
    """One batch of a change's fan-out, marked when delivered (a sweep re-sends the others)."""

    event = models.ForeignKey(ChangeEvent, on_delete=models.CASCADE, related_name="fanout_batches")
    number = models.PositiveIntegerField()
    recipients = models.JSONField(default=list)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "number"], name="one_fanout_batch_number")]

    def __str__(self) -> str:
        return f"batch {self.number} of {self.event_id}"


class Notification(models.Model):
    """One person told of one change. The unique (recipient, event) makes a duplicated or
    retried batch harmless."""

    recipient = models.ForeignKey(**PERSON)
    event = models.ForeignKey(ChangeEvent, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["recipient", "event"], name="one_notification_per_recipient_event")]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient"),
            models.Index(fields=["recipient"], name="notification_unread", condition=Q(read_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.event_id}"


class ReadMark(models.Model):
    """The last published revision of an article a person opened (the `article_opened` seam):
    their next notification shows the diff since it."""

    person = models.ForeignKey(**PERSON)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("read mark")
        constraints = [models.UniqueConstraint(fields=["person", "article"], name="one_read_mark_per_person_article")]

    def __str__(self) -> str:
        return f"{self.person_id} read r{self.revision_id}"
