"""Build the stored search data of articles from their live revision.

`index_articles(ids)` is the one path (the task, reconciliation, `manage.py reindex` and the
benchmark all use it): set-based SQL, batches of 500, idempotent. An article that is not
published, or is archived (itself or its collection), leaves the index. Runs in the current
tenant schema.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from django.db import connection, transaction

from articles.models import Article
from articles.rendering import html_to_text

from .text import clean, vocabulary

BATCH_SIZE = 500
CONFIG = {"fr": "public.kb_fr", "en": "public.kb_en"}
SUMMARY_CHARS = 400
# Advisory-lock class for "indexing this article": two indexers of one article take turns.
LOCK_CLASS = 0x5EA2C

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
       || setweight(to_tsvector(u.cfg::regconfig, u.text), 'C')
FROM unnest(%s::bigint[], %s::int[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[])
     AS u(id, pos, anchor, title, heading, text, cfg)
"""

UPSERT_TERMS = """
INSERT INTO search_searchterm (word, ndoc)
SELECT * FROM unnest(%s::text[], %s::int[])
ON CONFLICT (word) DO UPDATE SET ndoc = search_searchterm.ndoc + EXCLUDED.ndoc
"""


def _text(html: str) -> str:
    return clean(html_to_text(html or ""))


def _document(article: Article) -> tuple[dict, list[dict]]:
    """The row and the parts of one article, from its live revision."""
    revision = article.live_revision
    rendered = revision.rendered or {}
    steps_html, faqs_html = rendered.get("steps") or [], rendered.get("faqs") or []
    title = clean(revision.title)
    headings: list[str] = []
    bodies = [_text(rendered.get("body", ""))]
    parts: list[dict] = []
    for n, step in enumerate(revision.steps or [], start=1):
        text = _text(steps_html[n - 1] if n <= len(steps_html) else "")
        headings.append(clean(step.get("title", "")))
        bodies.append(text)
        parts.append({"pos": n, "anchor": f"step-{n}", "title": step.get("title", ""), "heading": headings[-1], "text": text})
    for n, pair in enumerate(revision.faqs or [], start=1):
        text = _text(faqs_html[n - 1] if n <= len(faqs_html) else "")
        heading = clean("\n".join([pair.get("question", ""), *(pair.get("alternatives") or [])]))
        headings.append(heading)
        bodies.append(text)
        parts.append({"pos": n, "anchor": f"faq-{n}", "title": pair.get("question", ""), "heading": heading, "text": text})
    headings.extend(revision.tags or [])
    heading_text, body_text = "\n".join(headings), "\n".join(b for b in bodies if b)
    summary = bodies[0] or next((p["text"] for p in parts if p["text"]), "")
    words = vocabulary(f"{title}\n{heading_text}\n{body_text}")
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


def _index_batch(ids: list[int], *, recount: bool = False) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        ids = sorted(set(ids))
        cursor.execute("SELECT pg_advisory_xact_lock(%s, (id %% 2147483647)::int) FROM unnest(%s::bigint[]) AS id",
                       [LOCK_CLASS, ids])
        articles = (
            Article.objects.filter(pk__in=ids, live_revision__isnull=False, archived_at__isnull=True,
                                   collection__archived_at__isnull=True)
            .select_related("live_revision")
            .only("id", "kind", "collection_id", "confidential", "live_revision")
        )
        rows, parts = [], []
        for article in articles:
            row, article_parts = _document(article)
            rows.append(row)
            parts.extend({**part, "id": article.pk, "cfg": row["cfg"]} for part in article_parts)
        indexed = {row["id"] for row in rows}
        gone = [pk for pk in ids if pk not in indexed]
        cursor.execute("DELETE FROM search_searchpart WHERE article_id = ANY(%s)", [ids])
        if gone:
            cursor.execute("DELETE FROM search_searchdocument WHERE article_id = ANY(%s)", [gone])
        if not rows:
            return
        cursor.execute("SELECT article_id FROM search_searchdocument WHERE article_id = ANY(%s)", [ids])
        known = {pk for (pk,) in cursor.fetchall()}
        cursor.execute(UPSERT_DOCUMENTS, _columns(rows, (
            "id", "rev", "title", "coll", "kind", "lang", "tags", "conf", "summary", "cfg", "headings", "body", "words",
        )))
        if parts:
            cursor.execute(INSERT_PARTS, _columns(parts, ("id", "pos", "anchor", "title", "heading", "text", "cfg")))
        # New documents count toward a word's frequency; re-indexed ones only make sure it is there.
        counts: Counter[str] = Counter()
        for row in rows:
            for word in row["_vocabulary"]:
                counts[word] += recount or row["id"] not in known
        words = sorted(counts)
        cursor.execute(UPSERT_TERMS, [words, [counts[w] for w in words]])


def index_articles(
    ids: Iterable[int], *, progress: Callable[[int, int], None] | None = None, recount: bool = False
) -> int:
    """Index (or remove from the index) these articles of the current tenant. Returns how many.
    `recount` counts every document toward word frequencies (after the vocabulary was emptied)."""
    ids = list(dict.fromkeys(ids))
    for start in range(0, len(ids), BATCH_SIZE):
        _index_batch(ids[start:start + BATCH_SIZE], recount=recount)
        if progress:
            progress(min(start + BATCH_SIZE, len(ids)), len(ids))
    return len(ids)


def index_article(article_id: int) -> None:
    """Bring one article's search data in line with its live revision. Idempotent."""
    index_articles([article_id])


STALE_SQL = """
SELECT a.id FROM articles_article a
JOIN articles_collection c ON c.id = a.collection_id
LEFT JOIN search_searchdocument d ON d.article_id = a.id
WHERE a.live_revision_id IS NOT NULL AND a.archived_at IS NULL AND c.archived_at IS NULL
  AND (d.article_id IS NULL OR d.indexed_revision_id <> a.live_revision_id
       OR d.collection_id <> a.collection_id OR d.confidential <> a.confidential)
UNION
SELECT d.article_id FROM search_searchdocument d
JOIN articles_article a ON a.id = d.article_id
JOIN articles_collection c ON c.id = a.collection_id
WHERE a.live_revision_id IS NULL OR a.archived_at IS NOT NULL OR c.archived_at IS NOT NULL
ORDER BY 1
"""


def stale_article_ids() -> list[int]:
    """Articles whose stored search data is missing, older than the live revision, or should be gone."""
    with connection.cursor() as cursor:
        cursor.execute(STALE_SQL)
        return [pk for (pk,) in cursor.fetchall()]


def reconcile() -> int:
    """Re-index what a lost task left behind. Returns how many articles were touched."""
    return index_articles(stale_article_ids())


def rebuild(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Everything again, from the articles (search keeps answering meanwhile); the vocabulary
    is recounted from scratch."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_searchterm")
        cursor.execute(
            "SELECT id FROM articles_article WHERE live_revision_id IS NOT NULL"
            " UNION SELECT article_id FROM search_searchdocument ORDER BY 1"
        )
        ids = [pk for (pk,) in cursor.fetchall()]
    return index_articles(ids, progress=progress, recount=True)
