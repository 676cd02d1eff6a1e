"""Partial matches: when no document holds every word typed ("customer says parcel not
delivered wants money back"), the documents holding most of them, the least useful words
dropped first (the strategy of Meilisearch's and Typesense's "drop tokens").

One statement, bounded whatever the tenant's size (and once a minute a count, `permitted_size`):
1. each positive term's document frequency among the permitted documents, counted up to
   DF_CAP (a LIMIT-ed index probe), and from it a weight (BM25's idf, N the permitted
   documents counted up to SIZE_CAP: on a small workspace a word most documents hold weighs
   almost nothing; on a large one every word more than DF_CAP documents hold weighs the
   same, about half what a word of one document weighs, and FILLERS are what weighs little).
   A term no permitted document holds is dropped: it cannot be covered;
2. candidates: the documents matching every remaining term, every remaining term but one and,
   for short queries, every remaining term but two (each an AND query, at most SUBSET_POOL
   documents, and as many again among the titles, step titles and questions; in the texts,
   one word alone that DF_CAP documents hold only when nothing else was found: any of them
   would do), plus at most TERM_POOL documents per term whose title, step titles or
   questions hold it; so a document holding most words is a candidate without any OR query
   over the corpus;
3. each candidate scored by coverage: the sum of the weights of the terms it holds (a term in
   the title, steps or questions counts whole, in the text only BODY_SHARE), then the usual
   rank; the hits say which terms they lack (the lookup shows them).
"""

from __future__ import annotations

import hashlib

from django.db import connection

from .. import query as parsing
from .. import starter
from . import caches, prepared
from .limits import HEADLINE, HEADLINE_ALL, STALE_FACTOR, WEIGHTS

DF_CAP = 100  # documents counted per term: a word more documents hold than that weighs little
SIZE_CAP = 5000  # permitted documents counted, the N of the idf
SUBSET_POOL = 20  # candidates per AND query of the terms but one or two
TERM_POOL = 10  # candidates per term from the titles, step titles and questions
PAIRS_UP_TO = 6  # terms: up to this many, also every subset without two of them
BODY_SHARE = 0.5  # a term found only in the text counts this much of its weight
FILLER_FACTOR = 0.15  # the weight of a word of the caller's phrasing (starter.FILLERS)
MIN_COVERAGE = 0.2  # a hit holds at least this share of the weight of the terms that occur

PARTIAL_SQL = """
WITH allowed AS NOT MATERIALIZED (
    {visible}
), docs AS NOT MATERIALIZED (
    SELECT d.* FROM search_searchdocument d WHERE d.article_id IN (SELECT id FROM allowed){filters}
), terms AS MATERIALIZED (
    SELECT t.n, t.tq, t.factor FROM (VALUES {values}) AS t(n, tq, factor) WHERE numnode(t.tq) > 0
), df AS MATERIALIZED (
    SELECT t.n, t.tq, t.factor, (SELECT count(*) FROM (SELECT 1 FROM docs d WHERE d.vector @@ t.tq LIMIT {df_cap}) AS x) AS df
    FROM terms t
), size AS MATERIALIZED (
    -- The permitted documents, counted up to SIZE_CAP (the N of the idf); given when this
    -- reach holds SIZE_CAP of them (`permitted_size`), and not counted then.
    SELECT coalesce(%(size)s::bigint, greatest((SELECT count(*) FROM (SELECT 1 FROM docs LIMIT {size_cap}) AS x), 1)) AS n
), present AS MATERIALIZED (
    -- BM25 idf over the (capped) counts; a floor keeps a word every document holds above 0.
    SELECT f.n, f.tq, f.df,
           f.factor * greatest(ln(1 + (s.n - least(f.df, s.n) + 0.5) / (least(f.df, s.n) + 0.5)), 0.05) AS w
    FROM df f CROSS JOIN size s WHERE f.df > 0
), subsets AS MATERIALIZED (
    -- `common`: the subset is one word that DF_CAP documents hold. Any DF_CAP of them would do
    -- and finding them in the texts costs a scan of all its postings (5 ms a word at 100,000
    -- articles): they are looked for only when no other query found a candidate (`pool`).
    SELECT (SELECT string_agg('(' || p.tq::text || ')', ' & ')::tsquery FROM present p) AS tq, false AS common
    UNION ALL
    SELECT (SELECT string_agg('(' || p.tq::text || ')', ' & ')::tsquery FROM present p WHERE p.n <> x.n),
           coalesce((SELECT count(*) = 1 AND min(p.df) >= {df_cap} FROM present p WHERE p.n <> x.n), false)
    FROM present x
    UNION ALL
    SELECT (SELECT string_agg('(' || p.tq::text || ')', ' & ')::tsquery FROM present p WHERE p.n NOT IN (x.n, y.n)),
           coalesce((SELECT count(*) = 1 AND min(p.df) >= {df_cap} FROM present p WHERE p.n NOT IN (x.n, y.n)), false)
    FROM present x JOIN present y ON x.n < y.n
    WHERE (SELECT count(*) FROM present) <= {pairs_up_to}
), found AS MATERIALIZED (
    SELECT m.article_id FROM subsets s
    CROSS JOIN LATERAL (SELECT d.article_id FROM docs d WHERE d.vector @@ s.tq LIMIT {subset_pool}) AS m
    WHERE s.tq IS NOT NULL AND NOT s.common
    UNION ALL
    -- the same subsets in the titles, step titles and questions: a title typed with one
    -- word wrong is found even where hundreds of texts hold the other words
    SELECT m.article_id FROM subsets s
    CROSS JOIN LATERAL (SELECT d.article_id FROM docs d WHERE d.title_vector @@ s.tq LIMIT {subset_pool}) AS m
    WHERE s.tq IS NOT NULL
    UNION ALL
    SELECT m.article_id FROM present p
    CROSS JOIN LATERAL (SELECT d.article_id FROM docs d WHERE d.title_vector @@ p.tq LIMIT {term_pool}) AS m
), pool AS MATERIALIZED (
    SELECT DISTINCT c.article_id FROM (
        SELECT article_id FROM found
        UNION ALL
        -- nothing else: the texts holding one common word (each word never found together)
        SELECT m.article_id FROM subsets s
        CROSS JOIN LATERAL (SELECT d.article_id FROM docs d WHERE d.vector @@ s.tq LIMIT {subset_pool}) AS m
        WHERE s.common AND NOT EXISTS (SELECT 1 FROM found)
    ) AS c
), q AS MATERIALIZED (
    SELECT (SELECT string_agg('(' || p.tq::text || ')', ' | ')::tsquery FROM present p) AS rq,
           {excluded} AS nq
), cand AS MATERIALIZED (
    -- The candidates' vectors, read (and decompressed) once: each is matched against every term.
    SELECT d.article_id, d.title_vector || ''::tsvector AS tv, d.vector || ''::tsvector AS v
    FROM pool c JOIN search_searchdocument d ON d.article_id = c.article_id
), scored AS MATERIALIZED (
    SELECT c.article_id,
           sum(p.w * CASE WHEN c.tv @@ p.tq THEN 1.0 WHEN c.v @@ p.tq THEN {body_share} ELSE 0 END)
               / (SELECT sum(w) FROM present) AS coverage,
           array_agg(p.n ORDER BY p.n) FILTER (WHERE c.v @@ p.tq) AS matched
    FROM cand c
    CROSS JOIN present p
    CROSS JOIN q
    WHERE NOT (numnode(q.nq) > 0 AND c.v @@ q.nq)
    GROUP BY c.article_id
), ranked AS MATERIALIZED (
    SELECT s.article_id, NULL::int AS bet, a.review_by < CURRENT_DATE AS stale,
           -- the terms it lacks (a stop word is no term: `terms` left it out)
           ARRAY(SELECT t.n FROM terms t WHERE t.n <> ALL(coalesce(s.matched, '{{}}')) ORDER BY t.n) AS missing,
           -- Coverage first, by tenths (Meilisearch's "words" rule before the others): a
           -- document holding every word is never below one that lacks some, however stale.
           floor(s.coverage * 10) * 100 + (s.coverage * 10 + ts_rank('{weights}', c.v, q.rq))
           * CASE WHEN a.review_by < CURRENT_DATE THEN {stale_factor} ELSE 1 END AS score
    FROM scored s
    JOIN cand c ON c.article_id = s.article_id
    CROSS JOIN q
    JOIN articles_article a ON a.id = s.article_id AND a.live_revision_id IS NOT NULL AND a.archived_at IS NULL
    WHERE s.coverage >= {min_coverage}
    ORDER BY score DESC, s.article_id
    LIMIT %(limit)s
), total AS (
    SELECT (SELECT count(*) FROM scored WHERE coverage >= {min_coverage}) AS n
)
{hits}"""


SIZE_SQL = """
WITH allowed AS NOT MATERIALIZED (
    {visible}
)
SELECT greatest(count(*), 1) FROM (
    SELECT 1 FROM search_searchdocument d WHERE d.article_id IN (SELECT id FROM allowed){filters} LIMIT {size_cap}
) AS x"""


def permitted_size(visible: str, filters_sql: str, params: dict) -> int | None:
    """SIZE_CAP when this person may see that many documents among those the filters keep,
    else None (the statement counts them). The N of the idf: with N capped at DF_CAP as the
    counts are, every word more than DF_CAP documents hold weighed the floor on a large
    workspace, and one rare word outweighed all the others together. Counting SIZE_CAP
    documents costs 12 of the 45 ms of a partial statement at 100,000 articles: whether the
    cap is reached is checked once a minute per tenant, reach and filters (a workspace that
    large stays that large). Below it N is counted afresh, in the statement, each time.
    `visible` and `filters_sql` as `build` has them, with `params`."""
    sql = SIZE_SQL.format(visible=visible, filters=filters_sql, size_cap=SIZE_CAP)
    params = {name: params[name] for name in set(prepared.PARAM.findall(sql))}  # those it names

    def load() -> int:
        rows, _ = prepared.fetch(sql, params, prepare=caches.prepare_here())
        return int(rows[0][0])

    # The reach and the filters, hashed: a provider's reach alone is a few KB of SQL and ids.
    digest = hashlib.sha256((sql + repr(sorted(params.items()))).encode()).hexdigest()
    size = caches.cached(("size", connection.schema_name, digest), load)
    return size if size >= SIZE_CAP else None


def build(access, terms: list[parsing.Term], *, filters: dict, limit: int) -> tuple[str, dict] | None:
    """The partial-match statement for `terms` (synonyms and corrections already in their
    alternatives), or None when there are fewer than two positive terms (nothing to drop)."""
    from .sql import HITS_SQL, _filters_sql, _visible_sql

    params: dict = {}
    positive, negated = parsing.positive_terms_sql(terms, params)
    if len(positive) < 2:
        return None
    visible = _visible_sql(access, params)
    filters_sql = _filters_sql(params, **filters)
    params.update(limit=limit, headline=HEADLINE, headline_all=HEADLINE_ALL, size=permitted_size(visible, filters_sql, params))
    values = ", ".join(
        f"({n}, {sql}, {FILLER_FACTOR if terms[n].text in starter.FILLERS else 1.0}::float8)" for n, sql in positive)
    excluded = " || ".join(negated) if negated else "''::tsquery"
    sql = PARTIAL_SQL.format(
        visible=visible, filters=filters_sql, values=values, excluded=excluded, df_cap=DF_CAP,
        size_cap=SIZE_CAP, pairs_up_to=PAIRS_UP_TO, subset_pool=SUBSET_POOL, term_pool=TERM_POOL, body_share=BODY_SHARE,
        weights=WEIGHTS, stale_factor=STALE_FACTOR, min_coverage=MIN_COVERAGE,
        hits=HITS_SQL.format(log_id="NULL::bigint", corrections_out="NULL::json", known_out="NULL::int[]", in_title="false",
                             weights=WEIGHTS,
                             missing="r.missing"),
    )
    return sql, params
