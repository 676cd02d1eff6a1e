"""What: collections, and the articles, guides and FAQs they hold, with their immutable
revisions. Everything here lives in the tenant schema.

Revisions follow Wagtail's shape: an append-only table of full snapshots; the article row
carries `latest_revision` (what editors work on), `live_revision` (what readers see) and
`has_unpublished_changes`. Saving a draft never touches the live revision nor the row's title,
language and tags (the live revision's, as Wagtail's `Page.title` is the live title);
publishing is one transactional flip; restoring an old revision appends a new one.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# People live in the public schema: no database constraint across schemas, and deleting a
# person never cascades into tenant content (people are deactivated, not deleted).
PERSON = {
    "to": settings.AUTH_USER_MODEL,
    "on_delete": models.DO_NOTHING,
    "db_constraint": False,
    "related_name": "+",
}


class Language(models.TextChoices):
    EN = "en", _("English")
    FR = "fr", _("French")


class Kind(models.TextChoices):
    ARTICLE = "article", _("Article")
    GUIDE = "guide", _("Guide")
    FAQ = "faq", _("FAQ")


# "New article", "Nouvelle FAQ": one phrase per kind (French nouns have genders; "New {{ kind }}"
# read "Nouveau : FAQ" and, in English, "New Article").
NEW_KIND = {Kind.ARTICLE: _("New article"), Kind.GUIDE: _("New guide"), Kind.FAQ: _("New FAQ")}

KIND_URL_PREFIX = {Kind.ARTICLE: "articles", Kind.GUIDE: "guides", Kind.FAQ: "faqs"}


class CollectionQuerySet(models.QuerySet["Collection"]):
    def active(self) -> CollectionQuerySet:
        return self.filter(archived_at__isnull=True)


class Collection(models.Model):
    """A space of content, nestable. Grants on a collection cover what it holds."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("parent collection"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    owner = models.ForeignKey(null=True, blank=True, verbose_name=_("owner"), **PERSON)
    confidential = models.BooleanField(
        _("confidential"), default=False,
        help_text=_("Invisible to provider people unless a grant names this collection directly."),
    )
    review_interval_days = models.PositiveIntegerField(_("review interval (days)"), default=180)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CollectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        ordering = ["position", "name"]
        permissions = [("contribute_collection", "Can propose changes to what the collection holds")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:collection", args=[self.slug])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def ancestors(self) -> list[Collection]:
        """From the root down to the parent (for breadcrumbs)."""
        chain, node, seen = [], self.parent, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self) -> ArticleQuerySet:
        return self.filter(live_revision__isnull=False)

    def active(self) -> ArticleQuerySet:
        return self.filter(archived_at__isnull=True, collection__archived_at__isnull=True)

    def stale(self, today: datetime.date | None = None) -> ArticleQuerySet:
        return self.filter(review_by__lt=today or timezone.localdate())


class Article(models.Model):
    """An article, a guide or a FAQ: one row, its content in revisions."""

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.ARTICLE)
    collection = models.ForeignKey(
        Collection, on_delete=models.PROTECT, related_name="articles", verbose_name=_("collection")
    )
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    # READER_FIELDS: the live revision's title, language and tags, for lists and readers (a
    # never-published article carries its latest draft's, which only editors can see). Saving a
    # draft never changes them; publishing copies them, and a trigger in the database puts them
    # back from the live revision whatever writes the row (migration 0005_leak_...). An editor
    # who wants the draft's reads `latest_revision`.
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, default=Language.EN)
    tags = ArrayField(models.CharField(max_length=60), default=list, blank=True, verbose_name=_("tags"))
    owner = models.ForeignKey(null=True, blank=True, verbose_name=_("owner"), **PERSON)
    confidential = models.BooleanField(
        _("confidential"), default=False,
        help_text=_("Invisible to provider people unless a grant names this article directly."),
    )
    review_by = models.DateField(_("review by"))
    verified_at = models.DateTimeField(_("last verified"), null=True, blank=True)
    verified_by = models.ForeignKey(null=True, blank=True, **PERSON)

    latest_revision = models.ForeignKey(
        "Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    live_revision = models.ForeignKey(
        "Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    has_unpublished_changes = models.BooleanField(default=True)
    first_published_at = models.DateTimeField(null=True, blank=True)
    last_published_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    READER_FIELDS = ("title", "language", "tags")

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["title"]
        permissions = [("contribute_article", "Can propose changes to the article")]
        indexes = [GinIndex(fields=["tags"], name="article_tags_gin")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:read", args=[self.prefix, self.slug])

    @property
    def prefix(self) -> str:
        """The URL segment of this kind: articles, guides or faqs."""
        return KIND_URL_PREFIX[Kind(self.kind)]

    def url(self, name: str) -> str:
        return reverse(f"articles:{name}", args=[self.prefix, self.slug])

    @property
    def is_published(self) -> bool:
        return self.live_revision_id is not None

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None or self.collection.is_archived

    @property
    def is_stale(self) -> bool:
        return self.review_by < timezone.localdate()


class Materiality(models.TextChoices):
    """How much a published change matters to its readers, said by whoever publishes it."""

    MINOR = "minor", _("Minor: wording or a typo; nobody is notified")
    UPDATE = "update", _("Update: followers are notified")
    MUST_READ = "must_read", _("Must read: the people you choose must acknowledge it")


class Revision(models.Model):
    """An immutable snapshot of an article: source and its sanitised HTML, rendered once.

    `steps` is a list of {"id", "title", "body"}; `faqs` a list of
    {"id", "question", "alternatives": [...], "answer"}. Ids are stable across revisions so
    that diffs pair steps and questions, and reorders are checked against the article.
    `rendered` holds the sanitised HTML: {"body": html, "steps": [html...], "faqs": [html...]}.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(null=True, blank=True, **PERSON)
    created_at = models.DateTimeField(default=timezone.now)
    summary = models.CharField(_("change summary"), max_length=300, blank=True)
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(max_length=8, choices=Language.choices)
    tags = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    body = models.TextField(_("body"), blank=True)
    steps = models.JSONField(default=list, blank=True)
    faqs = models.JSONField(default=list, blank=True)
    rendered = models.JSONField(default=dict)
    sanitiser_version = models.CharField(max_length=100)
    restored_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when this revision came from an accepted provider suggestion.
    contributor = models.ForeignKey(null=True, blank=True, **PERSON)
    # Set when this revision was written by an import: the archive's file name (`author` is who
    # imported it).
    imported_from = models.CharField(_("imported from"), max_length=200, blank=True, default="")
    # Said when the revision is published (a draft keeps the default until then).
    materiality = models.CharField(
        _("how much this change matters"), max_length=10, choices=Materiality.choices, default=Materiality.UPDATE
    )

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="one_revision_number_per_article")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} r{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("rerender", False):
            raise ValueError("Revisions are immutable: create a new one.")
        super().save(*args, **kwargs)

    def content(self) -> dict:
        """The editable content, as an export or a diff sees it."""
        return {
            "title": self.title,
            "language": self.language,
            "tags": list(self.tags),
            "body": self.body,
            "steps": self.steps,
            "faqs": self.faqs,
        }


class Feedback(models.Model):
    """'Was this helpful?' on one revision."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="feedback")
    person = models.ForeignKey(null=True, blank=True, **PERSON)
    helpful = models.BooleanField()
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return f"{'yes' if self.helpful else 'no'} on {self.revision}"


class Verification(models.Model):
    """One "mark as verified" of an article (append-only): who vouched for which live
    revision, and when. `Article.verified_at/verified_by` keep the latest; this keeps them all,
    for the knowledge-risk figures (who else than the author knows this content)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="verifications")
    revision = models.ForeignKey("Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    person = models.ForeignKey(**PERSON)
    verified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["verified_at"], name="article_verification_at")]

    def __str__(self) -> str:
        return f"{self.article_id} verified by {self.person_id}"


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Suggestion(models.Model):
    """A change proposed by a provider person with contribute access: an edit of an article
    (`article` set, `base_revision` the live revision they saw) or a new article (`article`
    empty, `collection` set). The proposed content has the shape of a Revision. An editor
    accepts it (a new published revision crediting the contributor), accepts it with changes,
    or rejects it with a reason."""

    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="suggestions",
        verbose_name=_("article"),
    )
    collection = models.ForeignKey(
        Collection, null=True, blank=True, on_delete=models.CASCADE, related_name="suggestions",
        verbose_name=_("collection"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    base_revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("suggested on revision"),
    )
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    tags = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    body = models.TextField(_("body"), blank=True)
    steps = models.JSONField(default=list, blank=True)
    faqs = models.JSONField(default=list, blank=True)
    reason = models.TextField(_("reason"), max_length=1000)
    contributor = models.ForeignKey(verbose_name=_("contributor"), **PERSON)
    status = models.CharField(
        _("status"), max_length=16, choices=SuggestionStatus.choices, default=SuggestionStatus.PENDING,
        db_index=True,
    )
    reviewed_by = models.ForeignKey(null=True, blank=True, verbose_name=_("reviewed by"), **PERSON)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), max_length=1000, blank=True)
    resulting_revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["contributor", "-created_at"], name="suggestion_contributor")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(article__isnull=False) | models.Q(collection__isnull=False),
                name="suggestion_targets_article_or_collection",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_new_article(self) -> bool:
        return self.article_id is None

    @property
    def is_pending(self) -> bool:
        return self.status == SuggestionStatus.PENDING

    def content(self) -> dict:
        """The proposed content, in the shape of `Revision.content()`."""
        return {
            "title": self.title,
            "language": self.language,
            "tags": list(self.tags),
            "body": self.body,
            "steps": self.steps,
            "faqs": self.faqs,
        }



# Images and files (articles/attachments): models of this app, kept in their own module.
from .attachments.models import Attachment, AttachmentKind, AttachmentReference  # noqa: E402, F401
