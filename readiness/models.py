"""Must-read assignments, acknowledgements and reminders. Tenant schema.

A *must-read* is one published revision an editor said people must acknowledge, with its
audience (provider teams, client roles, or everyone who may read the article) and an optional
deadline. An *acknowledgement* ties a person to the exact revision they said they read and
understood; it answers every must-read of that article up to that revision, so a later *minor*
or *update* publish asks nothing again, and a later *must-read* does.

Who must read is computed through the permission layer: `Assignee` rows remember who was in the
audience (at publish, or when they joined it later) and what they were then (provider, team,
role), so that a person who lost access since is shown as such, never as late.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import PERSON, Article, Revision


class Publication(models.Model):
    """A revision made live, and when: what a must-read's change is measured from (the
    revision readers saw before it)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="+")
    materiality = models.CharField(max_length=10)
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["article", "-id"], name="readiness_publication_article")]

    def __str__(self) -> str:
        return f"{self.revision} published"


class MustReadQuerySet(models.QuerySet["MustRead"]):
    def open(self) -> MustReadQuerySet:
        """Not replaced by a newer must-read of the same article, on an article still listed."""
        return self.filter(superseded_at__isnull=True, article__archived_at__isnull=True,
                           article__collection__archived_at__isnull=True)


class MustRead(models.Model):
    """One revision that its audience must acknowledge."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="must_reads",
                                verbose_name=_("article"))
    revision = models.OneToOneField(Revision, on_delete=models.CASCADE, related_name="must_read",
                                    verbose_name=_("revision"))
    # The revision readers saw before this one (the change is measured from it); None for a
    # first publication.
    base_revision = models.ForeignKey(Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    everyone = models.BooleanField(_("everyone who may read it"), default=False)
    roles = ArrayField(models.CharField(max_length=16), default=list, blank=True, verbose_name=_("client roles"))
    # Provider teams (public schema ids) and their auth groups (what access carries).
    teams = ArrayField(models.IntegerField(), default=list, blank=True, verbose_name=_("provider teams"))
    team_groups = ArrayField(models.IntegerField(), default=list, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    assigned_by = models.ForeignKey(null=True, blank=True, verbose_name=_("assigned by"), **PERSON)
    created_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    superseded_at = models.DateTimeField(null=True, blank=True)
    # A must-read may require its knowledge check (the `checks` app): then a pass at
    # `pass_threshold` percent completes the acknowledgement, and a fail allows a retry after
    # `retry_delay_minutes` (from the event's must_read["check"]).
    requires_check = models.BooleanField(_("requires its knowledge check"), default=False)
    pass_threshold = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80, validators=[MinValueValidator(1), MaxValueValidator(100)])
    retry_delay_minutes = models.PositiveIntegerField(_("retry after (minutes)"), default=60)

    objects = MustReadQuerySet.as_manager()

    class Meta:
        verbose_name = _("must-read")
        verbose_name_plural = _("must-reads")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"must read {self.revision}"

    def is_overdue(self, today=None) -> bool:
        return self.deadline is not None and (today or timezone.localdate()) > self.deadline


class Assignee(models.Model):
    """A person a must-read was assigned to, when, and what they were then."""

    must_read = models.ForeignKey(MustRead, on_delete=models.CASCADE, related_name="assignees")
    person = models.ForeignKey(**PERSON)
    assigned_at = models.DateTimeField(default=timezone.now)
    provider_id = models.IntegerField(null=True, blank=True)  # None: client staff
    team_id = models.IntegerField(null=True, blank=True)
    role = models.CharField(max_length=16, blank=True)  # client role

    class Meta:
        constraints = [models.UniqueConstraint(fields=["must_read", "person"], name="readiness_one_assignee")]

    def __str__(self) -> str:
        return f"{self.person_id} must read {self.must_read_id}"


class Acknowledgement(models.Model):
    """"I have read and understood revision N": one person, one exact revision."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="acknowledgements")
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="acknowledgements")
    person = models.ForeignKey(**PERSON)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), default=timezone.now)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [models.UniqueConstraint(fields=["person", "revision"], name="readiness_one_ack_per_revision")]
        indexes = [models.Index(fields=["person", "article"], name="readiness_ack_person_article")]

    def __str__(self) -> str:
        return f"{self.person_id} acknowledged {self.revision}"


class ReminderReason(models.TextChoices):
    DELAY = "delay", _("not acknowledged after the reminder delay")
    DEADLINE = "deadline", _("the deadline is near")


class Reminder(models.Model):
    """A reminder sent (recorded before its mail is queued, in the same transaction): never
    twice for the same person, must-read and reason."""

    must_read = models.ForeignKey(MustRead, on_delete=models.CASCADE, related_name="reminders")
    person = models.ForeignKey(**PERSON)
    reason = models.CharField(max_length=10, choices=ReminderReason.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["must_read", "person", "reason"], name="readiness_one_reminder_per_reason")
        ]

    def __str__(self) -> str:
        return f"reminder {self.reason} to {self.person_id} for {self.must_read_id}"


class ReadinessSettings(models.Model):
    """The workspace's reminder settings, edited by its admins (one row)."""

    reminder_after_days = models.PositiveSmallIntegerField(
        _("remind after (days)"), default=2, validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Days after a must-read is assigned before the people who have not acknowledged it are reminded."),
    )
    deadline_reminder_days = models.PositiveSmallIntegerField(
        _("remind before the deadline (days)"), default=1, validators=[MinValueValidator(0), MaxValueValidator(14)],
        help_text=_("Days before the deadline when the people who have not acknowledged yet are reminded again "
                    "(0: on the day of the deadline)."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(null=True, blank=True, **PERSON)

    class Meta:
        verbose_name = _("readiness settings")
        verbose_name_plural = _("readiness settings")

    def __str__(self) -> str:
        return "readiness settings"

    @classmethod
    def current(cls) -> ReadinessSettings:
        """The workspace's settings (the defaults until an admin saves them; reading writes nothing)."""
        return cls.objects.order_by("pk").first() or cls()
