"""Search data: stored, never computed at query time. Everything here lives in the tenant schema.

One `SearchDocument` per published article holds its text-search vectors (built by
`search.indexing` from the live revision); one `SearchPart` per guide step or FAQ pair lets a hit
show, highlighted, the part that matched. The text-search configurations `public.kb_fr`,
`public.kb_en` (stemming, accents ignored) and `public.kb_simple` (exact forms, accents ignored)
are shared by every tenant (see the first migration).
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import PERSON, Article, Collection, Kind, Language


class SearchDocument(models.Model):
    """What search knows about one published article.

    `vector` holds everything, weighted (A: title; B: step titles, questions, their alternative
    phrasings, tags; C: step bodies, answers, body), stemmed with the article's language
    configuration, plus the exact (unaccented) forms of the A and B text. `title_vector` is the
    compact A+B part alone: small enough to stay inline in the row, so ranking thousands of
    candidates on it is cheap. `words` lists the distinct exact forms, space-delimited, to check
    that a "did you mean" word really occurs in a document the person may see.
    """

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    indexed_revision_id = models.BigIntegerField()
    title = models.CharField(max_length=200)
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    language = models.CharField(max_length=8, choices=Language.choices)
    tags = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    confidential = models.BooleanField(default=False)
    summary = models.TextField(blank=True)
    vector = SearchVectorField()
    title_vector = SearchVectorField()
    words = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            GinIndex(fields=["vector"], name="search_doc_vector_gin"),
            GinIndex(fields=["title_vector"], name="search_doc_title_vector_gin"),
            GinIndex(fields=["title"], name="search_doc_title_trgm", opclasses=["gin_trgm_ops"]),
            models.Index(fields=["collection"], name="search_doc_collection"),
        ]

    def __str__(self) -> str:
        return self.title


class SearchPart(models.Model):
    """One guide step or FAQ pair of an indexed article, addressable by its anchor."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="search_parts")
    position = models.PositiveIntegerField()
    anchor = models.CharField(max_length=20)  # step-3, faq-2: the ids the reading page uses
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True)
    vector = SearchVectorField()

    class Meta:
        ordering = ["article", "position"]
        indexes = [models.Index(fields=["article", "position"], name="search_part_article")]

    def __str__(self) -> str:
        return f"{self.article_id}#{self.anchor}"


class IndexFailure(models.Model):
    """The live revision of an article that could not be indexed, and why: shown to its
    editors on the reading page, skipped by reconciliation until a new revision is published
    (or `manage.py reindex` retries everything). Cleared when the article is indexed."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, primary_key=True, related_name="+")
    revision_id = models.BigIntegerField()
    error = models.TextField()
    failed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.article_id}@{self.revision_id}: {self.error[:60]}"


class SearchTerm(models.Model):
    """The tenant's vocabulary (exact, unaccented forms), candidates for typo correction and
    "did you mean". A candidate is only ever offered after checking that it occurs in a
    document the person may see: this table alone never reaches anyone."""

    word = models.CharField(max_length=60, unique=True)
    ndoc = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            GinIndex(fields=["word"], name="search_term_trgm", opclasses=["gin_trgm_ops"]),
            # Completions of the word being typed: word LIKE 'prefix%' ORDER BY ndoc DESC.
            models.Index(fields=["word"], name="search_term_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.word


class Synonym(models.Model):
    """Words an agent may type for one another: `résiliation` ≈ `désabonnement`, `fermeture`.
    Stored normalised (lower case, no accents); each word of the group finds the others."""

    term = models.CharField(_("term"), max_length=100, unique=True)
    synonyms = ArrayField(models.CharField(max_length=100), default=list, verbose_name=_("synonyms"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("synonym")
        verbose_name_plural = _("synonyms")
        ordering = ["term"]

    def __str__(self) -> str:
        return f"{self.term} ≈ {', '.join(self.synonyms)}"


class BestBet(models.Model):
    """An article an editor pins at the top of the results for one (normalised) query."""

    query = models.CharField(_("query"), max_length=200)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+", verbose_name=_("article"))
    position = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(null=True, blank=True, **PERSON)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("best bet")
        verbose_name_plural = _("best bets")
        ordering = ["query", "position"]
        constraints = [models.UniqueConstraint(fields=["query", "article"], name="one_best_bet_per_query_article")]

    def __str__(self) -> str:
        return f"{self.query} → {self.article_id}"


class QueryLog(models.Model):
    """Every query, for the content-gap report (zero results, "I could not find it")."""

    query = models.CharField(max_length=500)
    normalised = models.CharField(max_length=500)
    corrected = models.CharField(max_length=500, blank=True)
    results = models.PositiveIntegerField()
    user_id = models.BigIntegerField(null=True, blank=True)
    team = models.CharField(max_length=150, blank=True)
    flagged_not_found = models.BooleanField(default=False)
    # The result the person opened from this query's results (the reading page records it
    # once, from the link's `from` parameter: one statement per open, none per keystroke).
    opened_article_id = models.BigIntegerField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["created_at"], name="search_log_created"),
            models.Index(fields=["results", "created_at"], name="search_log_results"),
            models.Index(fields=["user_id", "created_at"], name="search_log_person"),
        ]

    def __str__(self) -> str:
        return self.query


class PersonalShortcut(models.Model):
    """An article one person keeps at hand on the lookup page: pinned by them, or opened lately.

    `user_id` is a plain column (people live in the public schema; no cross-schema foreign key).
    What is shown is always filtered again through the permission layer, so a shortcut to an
    article whose grant was revoked simply disappears.
    """

    class Kind(models.TextChoices):
        PINNED = "pinned", _("pinned")
        RECENT = "recent", _("recently opened")

    user_id = models.BigIntegerField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user_id", "kind", "article"], name="one_shortcut_per_person_article"),
        ]
        indexes = [models.Index(fields=["user_id", "kind", "-at"], name="search_shortcut_person")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.article_id}"
