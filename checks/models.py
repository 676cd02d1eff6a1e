"""Knowledge checks: questions on an article, guide or FAQ, anchored to what they test, and
every attempt at them. Tenant schema.

A question is *anchored* to stable keys of the content (`anchors.py`): `step:<id>` and
`faq:<id>` use the ids a revision keeps for its steps and FAQ entries across revisions;
`section:<slug>` names an article section by its heading. `anchored_revision` is the revision
whose anchored content the question was written (or last reviewed) against: when a newer live
revision changes that content, the question is flagged *to review* (`flagged_revision` is the
new one), and when it removes it, the question is retired.

Every attempt is stored against the revision it was taken on, with each answer given.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import PERSON, Article, Collection, Revision


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")
    SCENARIO = "scenario", _("Scenario (choices point at steps)")


class QuestionStatus(models.TextChoices):
    ACTIVE = "active", _("Current")
    TO_REVIEW = "to_review", _("To review")
    RETIRED = "retired", _("Retired")


class QuestionQuerySet(models.QuerySet["Question"]):
    def current(self) -> QuestionQuerySet:
        return self.filter(status=QuestionStatus.ACTIVE)


class Question(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="questions",
                                verbose_name=_("article"))
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices, default=QuestionKind.SINGLE)
    text = models.TextField(_("question"), max_length=1000)
    explanation = models.TextField(_("explanation"), max_length=2000,
                                   help_text=_("Shown after an attempt: why the right answer is right."))
    anchors = ArrayField(models.CharField(max_length=80), default=list, verbose_name=_("tests"))
    status = models.CharField(_("status"), max_length=16, choices=QuestionStatus.choices,
                              default=QuestionStatus.ACTIVE, db_index=True)
    anchored_revision = models.ForeignKey(Revision, null=True, on_delete=models.SET_NULL, related_name="+")
    flagged_revision = models.ForeignKey(Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    flagged_anchors = ArrayField(models.CharField(max_length=80), default=list, blank=True)
    flagged_at = models.DateTimeField(null=True, blank=True)
    author = models.ForeignKey(null=True, blank=True, **PERSON)
    created_at = models.DateTimeField(default=timezone.now)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["article_id", "pk"]
        indexes = [models.Index(fields=["article", "status"], name="checks_question_article")]

    def __str__(self) -> str:
        return self.text[:60]

    def right_choice_ids(self) -> set[int]:
        return {choice.pk for choice in self.choices.all() if choice.correct}


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("choice"), max_length=500)
    correct = models.BooleanField(_("right answer"), default=False)
    # A scenario's choice may point at the guide step it stands for (a stable step id).
    step_id = models.CharField(max_length=40, blank=True, default="")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class AttemptKind(models.TextChoices):
    CHECK = "check", _("Knowledge check")
    PRACTICE = "practice", _("Practice")


class Attempt(models.Model):
    """One submission: a check of one revision (for a must-read or not), or a practice set."""

    kind = models.CharField(max_length=10, choices=AttemptKind.choices, default=AttemptKind.CHECK)
    person = models.ForeignKey(**PERSON)
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(Revision, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    collection = models.ForeignKey(Collection, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    must_read_id = models.IntegerField(null=True, blank=True, db_index=True)
    right = models.PositiveSmallIntegerField(default=0)
    total = models.PositiveSmallIntegerField(default=0)
    threshold = models.PositiveSmallIntegerField(default=80)
    passed = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["person", "article", "-submitted_at"], name="checks_attempt_person"),
            models.Index(fields=["submitted_at"], name="checks_attempt_time"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.right}/{self.total}"

    @property
    def percent(self) -> int:
        return round(100 * self.right / self.total) if self.total else 0


class Answer(models.Model):
    """What the person chose for one question, and whether it was right (scoring.py)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    revision = models.ForeignKey(Revision, null=True, on_delete=models.SET_NULL, related_name="+")
    chosen = ArrayField(models.IntegerField(), default=list, blank=True)
    correct = models.BooleanField(default=False)
    # What the question tested when it was answered (a later flag re-asks who covered them).
    anchors = ArrayField(models.CharField(max_length=80), default=list, blank=True)

    class Meta:
        indexes = [models.Index(fields=["question", "correct"], name="checks_answer_question")]

    def __str__(self) -> str:
        return f"{self.question_id}: {'right' if self.correct else 'wrong'}"


class ReAsk(models.Model):
    """A question to answer again: its anchored step changed since this person passed it. Asked
    once the editor has reviewed the question (it is current again); answered by a later attempt."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="re_asks")
    person = models.ForeignKey(**PERSON)
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "person", "revision"], name="checks_one_re_ask")]

    def __str__(self) -> str:
        return f"ask {self.person_id} again {self.question_id}"


class PracticeAssignment(models.Model):
    """A provider lead's practice set on a collection for one of their teams, due by a date."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("collection"))
    team_id = models.IntegerField()
    team_group_id = models.IntegerField()
    size = models.PositiveSmallIntegerField(_("questions"), default=10)
    due = models.DateField(_("due by"))
    assigned_by = models.ForeignKey(null=True, blank=True, **PERSON)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return f"practice {self.collection_id} for team {self.team_id}"
