"""Build the stored search data of articles from their live revision.

`index_articles(ids)` is the one path (the task, reconciliation, `manage.py reindex` and the
benchmark all use it): set-based SQL, batches of 500, idempotent. An article that is not
published, or is archived (itself or its collection), leaves the index. Runs in the current
tenant schema.

What is stored is bounded (PostgreSQL refuses a tsvector over 1 MB, and a huge article would
otherwise fill the tenant's vocabulary with its words): the title always, then the step titles,
questions and tags, then the text up to a budget; an article past it is indexed by its first
part. An article that still cannot be indexed is recorded (`IndexFailure`, shown to its
editors) and skipped: the others of its batch are indexed all the same.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from articles.models import Article
from articles.rendering import html_to_text

from .models import IndexFailure
from .text import as_written, clean, vocabulary

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
CONFIG = {"fr": "public.kb_fr", "en": "public.kb_en"}
SUMMARY_CHARS = 400
# Advisory-lock class for "indexing this article": two indexers of one article take turns.
LOCK_CLASS = 0x5EA2C
# Advisory-lock class for "indexing in this tenant" (key: the schema): every indexer holds it
# shared, `rebuild` exclusively, so a rebuild (one transaction) never races an indexing task.
TENANT_LOCK_CLASS = 0x5EA2D

# --- Bounds ------------------------------------------------------------------------------------
# PostgreSQL: a tsvector is at most 1 MB (1,048,575 bytes: "string is too long for tsvector");
# positions above 16,383 are stored as 16,383 and a lexeme keeps 256 positions (both silently).
# Measured on PostgreSQL 15-17: a tsvector takes at most ~3 bytes per byte of text (distinct
# short words, hyphenated compounds, one-character CJK words; ordinary prose ~0.1), so text is
# budgeted at a quarter of the limit. The title and headings are indexed twice (stemmed and
# exact), so they count double. Should a text still overflow, it is indexed again with half
# the budget (twice), then recorded as a failure.
TSVECTOR_MAX_BYTES = 1_048_575
TSVECTOR_BYTES_PER_TEXT_BYTE = 4
TEXT_BUDGET_BYTES = TSVECTOR_MAX_BYTES // TSVECTOR_BYTES_PER_TEXT_BYTE  # 262,143: title + headings x2 + body
HEADINGS_MAX_BYTES = TEXT_BUDGET_BYTES // 8  # 32 KB of step titles, questions, alternatives, tags
PART_TEXT_MAX_BYTES = TEXT_BUDGET_BYTES // 4  # 64 KB of one step or answer (also its stored snippet text)
# The distinct words one article adds to the vocabulary (typo correction, "did you mean") and to
# its `words` column: the first ones, in the order of the text. A long prose article has a few
# thousand; beyond that it is a list of codes or names that would crowd out the real words.
VOCABULARY_MAX_WORDS = 5_000
SHRINK_ATTEMPTS = 2
ERROR_MAX_CHARS = 500

UPSERT_DOCUMENTS = """
INSERT INTO search_searchdocument (article_id, indexed_revision_id, title, collection_id, kind, language,
                                   tags, confidential, summary, title_vector, vector, words, updated_at)
SELECT u.id, u.rev, u.title, u.coll, u.kind, u.lang, string_to_array(u.tags, E'\\x1f'), u.conf, u.summary,
       t.head, t.head || setweight(to_tsvector(u.cfg::regconfig, u.body), 'C'), u.words, now()
FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::bigint[], %s::text[], %s::text[], %s::text[],
            %s::boolean[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[])
     AS u(id, rev, title, coll, kind, lang, tags, conf, summary, cfg, headings, body, words)
CROSS JOIN LATERAL (
    SELECT setweight(to_tsvector(u.cfg::regconfig, u.title), 'A')
        || setweight(to_tsvector('public.kb_simple', u.title), 'A')
        || setweight(to_tsvector(u.cfg::regconfig, u.headings), 'B')
        || setweight(to_tsvector('public.kb_simple', u.headings), 'B') AS head
) AS t
ON CONFLICT (article_id) DO UPDATE SET
    indexed_revision_id = EXCLUDED.indexed_revision_id, title = EXCLUDED.title,
    collection_id = EXCLUDED.collection_id, kind = EXCLUDED.kind, language = EXCLUDED.language,
    tags = EXCLUDED.tags, confidential = EXCLUDED.confidential, summary = EXCLUDED.summary,
    title_vector = EXCLUDED.title_vector, vector = EXCLUDED.vector, words = EXCLUDED.words,
    updated_at = EXCLUDED.updated_at
"""

INSERT_PARTS = """
INSERT INTO search_searchpart (article_id, position, anchor, title, text, vector)
SELECT u.id, u.pos, u.anchor, u.title, u.text,
       setweight(to_tsvector(u.cfg::regconfig, u.heading), 'A')
       || setweight(to_tsvector('public.kb_simple', u.heading), 'A')
       || setweight(to_tsvector(u.cfg::regconfig, u.indexed), 'C')
FROM unnest(%s::bigint[], %s::int[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[])
     AS u(id, pos, anchor, title, heading, text, indexed, cfg)
"""

UPSERT_TERMS = """
INSERT INTO search_searchterm (word, ndoc)
SELECT * FROM unnest(%s::text[], %s::int[])
ON CONFLICT (word) DO UPDATE SET ndoc = search_searchterm.ndoc + EXCLUDED.ndoc
"""


def _text(html: str) -> str:
    """The text of rendered HTML as written (snippets show it); `clean()` it to index it."""
    return as_written(html_to_text(html or ""))


def _truncate(text: str, limit: int) -> str:
    """At most `limit` bytes of UTF-8, cut at a space where there is one nearby."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    cut = data[:limit].decode("utf-8", "ignore")
    space = max(cut.rfind(" "), cut.rfind("\n"))
    return cut[:space] if space > len(cut) - 200 else cut


def _bounded_headings(headings: list[str], titles: list[str], alternatives: list[str], limit: int) -> str:
    """The headings text, or, when it is over `limit`, the step titles and questions (with the
    tags) first and the alternative phrasings after, cut at `limit`."""
    text = "\n".join(headings)
    if len(text.encode("utf-8")) <= limit:
        return text
    return _truncate("\n".join([*titles, *alternatives]), limit)


def _document(article: Article, *, scale: float = 1.0) -> tuple[dict, list[dict]]:
    """The row and the parts of one article, from its live revision, within the bounds above
    (times `scale`)."""
    budget = int(TEXT_BUDGET_BYTES * scale)
    headings_max, part_max = int(HEADINGS_MAX_BYTES * scale), int(PART_TEXT_MAX_BYTES * scale)
    revision = article.live_revision
    rendered = revision.rendered or {}
    steps_html, faqs_html = rendered.get("steps") or [], rendered.get("faqs") or []
    title = clean(revision.title)
    headings: list[str] = []
    titles: list[str] = []
    alternatives: list[str] = []
    bodies = [_text(rendered.get("body", ""))]
    parts: list[dict] = []
    for n, step in enumerate(revision.steps or [], start=1):
        text = _text(steps_html[n - 1] if n <= len(steps_html) else "")
        headings.append(clean(step.get("title", "")))
        titles.append(headings[-1])
        bodies.append(text)
        shown = _truncate(text, part_max)
        parts.append({"pos": n, "anchor": f"step-{n}", "title": step.get("title", ""), "heading": headings[-1],
                      "text": shown, "indexed": clean(shown)})
    for n, pair in enumerate(revision.faqs or [], start=1):
        text = _text(faqs_html[n - 1] if n <= len(faqs_html) else "")
        heading = clean("\n".join([pair.get("question", ""), *(pair.get("alternatives") or [])]))
        headings.append(heading)
        titles.append(clean(pair.get("question", "")))
        alternatives.extend(clean(a) for a in pair.get("alternatives") or [])
        bodies.append(text)
        shown = _truncate(text, part_max)
        parts.append({"pos": n, "anchor": f"faq-{n}", "title": pair.get("question", ""),
                      "heading": _truncate(heading, part_max), "text": shown, "indexed": clean(shown)})
    headings.extend(revision.tags or [])
    titles.extend(revision.tags or [])
    heading_text = _bounded_headings(headings, titles, alternatives, headings_max)
    title_bytes = len(title.encode("utf-8"))
    body_budget = max(0, budget - 2 * (title_bytes + len(heading_text.encode("utf-8"))))
    body_text = clean(_truncate("\n".join(b for b in bodies if b), body_budget))
    summary = bodies[0] or next((p["text"] for p in parts if p["text"]), "")
    words = vocabulary(f"{title}\n{heading_text}\n{body_text}", limit=VOCABULARY_MAX_WORDS)
    row = {
        "id": article.pk,
        "rev": revision.pk,
        "title": revision.title,
        "coll": article.collection_id,
        "kind": article.kind,
        "lang": revision.language,
        "tags": "\x1f".join(revision.tags or []),
        "conf": article.confidential,
        "summary": summary[:SUMMARY_CHARS],
        "cfg": CONFIG.get(revision.language, CONFIG["en"]),
        "headings": heading_text,
        "body": body_text,
        "words": f" {' '.join(sorted(words))} ",
        "_vocabulary": words,
    }
    return row, parts


def _columns(rows: list[dict], names: Iterable[str]) -> list[list]:
    return [[row[name] for row in rows] for name in names]


@dataclass
class Failure:
    """An article of a batch that could not be indexed."""

    article_id: int
    revision_id: int
    error: str


def _error_text(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:ERROR_MAX_CHARS]


def _write(cursor, rows: list[dict], parts: list[dict]) -> None:
    """Replace the stored documents and parts of `rows`' articles."""
    cursor.execute("DELETE FROM search_searchpart WHERE article_id = ANY(%s)", [[row["id"] for row in rows]])
    cursor.execute(UPSERT_DOCUMENTS, _columns(rows, (
        "id", "rev", "title", "coll", "kind", "lang", "tags", "conf", "summary", "cfg", "headings", "body", "words",
    )))
    if parts:
        cursor.execute(INSERT_PARTS, _columns(parts, ("id", "pos", "anchor", "title", "heading", "text", "indexed", "cfg")))


def _with_ids(row: dict, article_parts: list[dict]) -> list[dict]:
    return [{**part, "id": row["id"], "cfg": row["cfg"]} for part in article_parts]


def _write_one(cursor, article: Article, row: dict, article_parts: list[dict]) -> Failure | None:
    """One article in its own savepoint, shrinking its text budget when PostgreSQL still refuses
    it; a Failure when it cannot be written at all (its previous document, if any, stays)."""
    scale = 1.0
    for attempt in range(SHRINK_ATTEMPTS + 1):
        try:
            if attempt:
                row, article_parts = _document(article, scale=scale)
            with transaction.atomic():
                _write(cursor, [row], _with_ids(row, article_parts))
            return None
        except DatabaseError as error:
            last: BaseException = error
        except Exception as error:  # noqa: BLE001 - one bad article must not stop the others
            return Failure(article.pk, article.live_revision_id, _error_text(error))
        scale /= 2
    return Failure(article.pk, article.live_revision_id, _error_text(last))


def _index_batch(ids: list[int], *, recount: bool = False, lock: bool = True) -> list[Failure]:
    with transaction.atomic(), connection.cursor() as cursor:
        ids = sorted(set(ids))
        if lock:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, hashtext(current_schema()))", [TENANT_LOCK_CLASS])
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, (id %% 2147483647)::int) FROM unnest(%s::bigint[]) AS id",
                [LOCK_CLASS, ids])
        articles = {
            article.pk: article for article in
            Article.objects.filter(pk__in=ids, live_revision__isnull=False, archived_at__isnull=True,
                                   collection__archived_at__isnull=True)
            .select_related("live_revision")
            .only("id", "kind", "collection_id", "confidential", "live_revision")
        }
        rows: list[tuple[Article, dict, list[dict]]] = []
        failures: list[Failure] = []
        for article in articles.values():
            try:
                row, article_parts = _document(article)
            except Exception as error:  # noqa: BLE001 - a revision that cannot be read is recorded
                failures.append(Failure(article.pk, article.live_revision_id, _error_text(error)))
                continue
            rows.append((article, row, article_parts))
        gone = [pk for pk in ids if pk not in articles]
        if gone:
            cursor.execute("DELETE FROM search_searchpart WHERE article_id = ANY(%s)", [gone])
            cursor.execute("DELETE FROM search_searchdocument WHERE article_id = ANY(%s)", [gone])
        cursor.execute("SELECT article_id FROM search_searchdocument WHERE article_id = ANY(%s)", [ids])
        known = {pk for (pk,) in cursor.fetchall()}
        written: list[dict] = []
        if rows:
            try:
                with transaction.atomic():
                    _write(cursor, [row for _a, row, _p in rows],
                           [part for _a, row, p in rows for part in _with_ids(row, p)])
                written = [row for _a, row, _p in rows]
            except DatabaseError:
                # One article's text is more than PostgreSQL takes: each on its own, to find it.
                for article, row, article_parts in rows:
                    failure = _write_one(cursor, article, row, article_parts)
                    if failure:
                        failures.append(failure)
                    else:
                        written.append(row)
        failed = {failure.article_id for failure in failures}
        cursor.execute("DELETE FROM search_indexfailure WHERE article_id = ANY(%s)",
                       [[pk for pk in ids if pk not in failed]])
        if failures:
            now = timezone.now()
            IndexFailure.objects.bulk_create(
                [IndexFailure(article_id=f.article_id, revision_id=f.revision_id, error=f.error, failed_at=now)
                 for f in failures],
                update_conflicts=True, unique_fields=["article"], update_fields=["revision_id", "error", "failed_at"],
            )
            for failure in failures:
                logger.warning("search: article %s (revision %s) could not be indexed: %s",
                               failure.article_id, failure.revision_id, failure.error)
        # New documents count toward a word's frequency; re-indexed ones only make sure it is there.
        counts: Counter[str] = Counter()
        for row in written:
            for word in row["_vocabulary"]:
                counts[word] += recount or row["id"] not in known
        if recount and failed:
            # The vocabulary is being recounted: a failed article's previous document, which
            # stays, still counts with its words.
            cursor.execute("SELECT words FROM search_searchdocument WHERE article_id = ANY(%s)", [sorted(failed)])
            for (stored,) in cursor.fetchall():
                for word in (stored or "").split():
                    counts[word] += 1
        words = sorted(counts)
        if words:
            cursor.execute(UPSERT_TERMS, [words, [counts[w] for w in words]])
        return failures


def index_articles(
    ids: Iterable[int], *, progress: Callable[[int, int], None] | None = None, recount: bool = False,
    failures: list[Failure] | None = None, lock: bool = True,
) -> int:
    """Index (or remove from the index) these articles of the current tenant. Returns how many.
    `recount` counts every document toward word frequencies (after the vocabulary was emptied).
    An article that cannot be indexed is recorded (`IndexFailure`) and appended to `failures`;
    the others are indexed all the same."""
    ids = list(dict.fromkeys(ids))
    for start in range(0, len(ids), BATCH_SIZE):
        batch_failures = _index_batch(ids[start:start + BATCH_SIZE], recount=recount, lock=lock)
        if failures is not None:
            failures.extend(batch_failures)
        if progress:
            progress(min(start + BATCH_SIZE, len(ids)), len(ids))
    return len(ids)


def index_article(article_id: int) -> None:
    """Bring one article's search data in line with its live revision. Idempotent."""
    index_articles([article_id])


# Stale: missing, older than the live revision, or to be removed; an article whose live
# revision already failed is left out (it is retried when a new revision is published, or by
# `rebuild`), so it cannot hold its tenant's reconciliation back.
STALE_SQL = """
SELECT a.id FROM articles_article a
JOIN articles_collection c ON c.id = a.collection_id
LEFT JOIN search_searchdocument d ON d.article_id = a.id
WHERE a.live_revision_id IS NOT NULL AND a.archived_at IS NULL AND c.archived_at IS NULL
  AND (d.article_id IS NULL OR d.indexed_revision_id <> a.live_revision_id
       OR d.collection_id <> a.collection_id OR d.confidential <> a.confidential)
  AND NOT EXISTS (SELECT 1 FROM search_indexfailure f
                  WHERE f.article_id = a.id AND f.revision_id = a.live_revision_id)
UNION
SELECT d.article_id FROM search_searchdocument d
JOIN articles_article a ON a.id = d.article_id
JOIN articles_collection c ON c.id = a.collection_id
WHERE a.live_revision_id IS NULL OR a.archived_at IS NOT NULL OR c.archived_at IS NOT NULL
ORDER BY 1
"""


def stale_article_ids() -> list[int]:
    """Articles whose stored search data is missing, older than the live revision, or should be
    gone (less those whose live revision could not be indexed: see `failed_articles`)."""
    with connection.cursor() as cursor:
        cursor.execute(STALE_SQL)
        return [pk for (pk,) in cursor.fetchall()]


def failed_articles() -> list[IndexFailure]:
    """The articles whose live revision could not be indexed, for reports."""
    return list(IndexFailure.objects.filter(article__live_revision_id=models.F("revision_id")).order_by("article_id"))


def failure_for(article: Article) -> IndexFailure | None:
    """Why this article's live revision is not (fully) in the search index, if it could not be
    indexed; None otherwise. For its editors' reading page."""
    if article.live_revision_id is None:
        return None
    return IndexFailure.objects.filter(article_id=article.pk, revision_id=article.live_revision_id).first()


def reconcile(ids: Iterable[int] | None = None) -> int:
    """Re-index what a lost task left behind (or only `ids`, a share of `stale_article_ids()`).
    Returns how many articles were touched; the ones that could not be indexed are recorded,
    logged and skipped from then on."""
    failures: list[Failure] = []
    count = index_articles(stale_article_ids() if ids is None else ids, failures=failures)
    skipped = len(failed_articles())
    if skipped:
        logger.warning("search reconciliation in %s: %d article(s) cannot be indexed (%d new): %s",
                       connection.schema_name, skipped, len(failures),
                       ", ".join(str(f.article_id) for f in failures) or "none new")
    return count


def rebuild(*, progress: Callable[[int, int], None] | None = None, failures: list[Failure] | None = None) -> int:
    """Everything again, from the articles, in ONE transaction: the vocabulary is emptied and
    recounted, every document rewritten, and nothing of it is visible until it is all done. A
    crash midway (an error, Ctrl-C, a killed process) leaves the old index and vocabulary as they
    were; search keeps answering from them meanwhile. Indexing tasks of this tenant wait for it
    (they hold the tenant lock shared). Articles that cannot be indexed are recorded, as always."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, hashtext(current_schema()))", [TENANT_LOCK_CLASS])
        cursor.execute("DELETE FROM search_searchterm")
        cursor.execute(
            "SELECT id FROM articles_article WHERE live_revision_id IS NOT NULL"
            " UNION SELECT article_id FROM search_searchdocument ORDER BY 1"
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        # The tenant lock keeps every other indexer out: no per-article locks (100k of them
        # would not fit PostgreSQL's lock table in one transaction).
        return index_articles(ids, progress=progress, recount=True, lock=False, failures=failures)
