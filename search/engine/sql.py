"""The search statement: its SQL templates, the permission subquery, filters, and `build`."""

from __future__ import annotations

from typing import NamedTuple

from articles.models import Collection
from permissions.selectors import visible_articles
from tenants.selectors import WorkspaceAccess

from .. import query as parsing
from .caches import team_label
from .limits import (
    BODY_CANDIDATES,
    CANDIDATES,
    COUNT_CAP,
    HEADLINE,
    HEADLINE_ALL,
    MATCH_POOL,
    STALE_FACTOR,
    TITLE_POOL,
    TYPO_ALTERNATIVES,
    TYPO_ANY_EDIT,
    TYPO_EDIT_MAX,
    TYPO_LENGTH_DELTA,
    TYPO_MIN_LENGTH,
    TYPO_POOL,
    WEIGHTS,
)


def _visible_sql(access: WorkspaceAccess, params: dict) -> str:
    """The permission subquery with named parameters, compiled once per access object (an
    access and its reach never change; permissions.access_cache keeps one between requests)."""
    memo = getattr(access, "_kb_visible_sql", None)
    if memo is None:
        memo = _compile_visible(access)
        object.__setattr__(access, "_kb_visible_sql", memo)
    sql, visible_params = memo
    params.update(visible_params)
    return sql


def _compile_visible(access: WorkspaceAccess) -> tuple[str, dict]:
    sql, visible_params = visible_articles(access).order_by().values("id").query.sql_with_params()
    pieces = sql.replace("%%", "\x00").split("%s")
    if len(pieces) - 1 != len(visible_params):
        raise ValueError("Unexpected placeholders in the permission subquery.")
    out, params = pieces[0], {}
    for n, piece in enumerate(pieces[1:]):
        params[f"v{n}"] = visible_params[n]
        out += f"%(v{n})s" + piece
    return out.replace("\x00", "%%"), params


def _filters_sql(params: dict, *, kind, collection, tag, language) -> str:
    sql = []
    if kind:
        params["f_kind"] = str(kind)
        sql.append("d.kind = %(f_kind)s")
    if language:
        params["f_language"] = str(language)
        sql.append("d.language = %(f_language)s")
    if tag:
        params["f_tag"] = " ".join(str(tag).split()).lower()
        sql.append("d.tags @> ARRAY[%(f_tag)s]::varchar[]")
    if collection:
        root = collection.pk if isinstance(collection, Collection) else int(collection)
        params["f_collections"] = _collection_and_descendants(root)
        sql.append("d.collection_id = ANY(%(f_collections)s)")
    return "".join(f" AND {s}" for s in sql)


def _collection_and_descendants(root: int) -> list[int]:
    children: dict[int | None, list[int]] = {}
    for pk, parent in Collection.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = [], [root]
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.append(pk)
            todo.extend(children.get(pk, []))
    return found


class Row(NamedTuple):
    """One row of the search statement, by the names of its SELECT list (`Row.check` verifies
    them against the cursor). A row without hit (article_id NULL) still carries the total, the
    log id and the corrections."""

    article_id: int | None
    title: str
    slug: str
    kind: str
    collection_id: int
    collection_name: str
    language: str
    stale: bool
    best_bet: bool
    score: float
    title_marked: str
    part_anchor: str
    part_title_marked: str
    snippet_marked: str
    bet: int | None
    in_title: bool  # a complete match whose title holds every word
    missing: list | None  # partial matches: the terms (their index) the hit lacks
    total: int
    log_id: int | None
    corrections: list | None
    known: list | None  # nothing found: the terms a correction may apply to that are words here

    @classmethod
    def check(cls, description) -> None:
        names = tuple(column.name for column in description)
        if names != cls._fields:
            raise RuntimeError(f"The search statement returns {names}, the engine reads {cls._fields}.")



# The hits of a ranked set: needs the CTEs `ranked` (article_id, bet, stale, score[, in_title, missing]),
# `q` (rq: what to highlight) and `total` (n).
HITS_SQL = """SELECT h.*, (SELECT n FROM total) AS total, {log_id} AS log_id, {corrections_out} AS corrections,
       {known_out} AS known
FROM (SELECT 1) AS one
LEFT JOIN LATERAL (
    SELECT r.article_id, d.title, a.slug, d.kind, d.collection_id, col.name AS collection_name,
           d.language, r.stale, r.bet IS NOT NULL AS best_bet, r.score,
           ts_headline(cfg.c, d.title, q.rq, %(headline_all)s) AS title_marked,
           coalesce(p.anchor, '') AS part_anchor,
           CASE WHEN p.anchor IS NULL THEN '' ELSE ts_headline(cfg.c, p.title, q.rq, %(headline_all)s) END
               AS part_title_marked,
           ts_headline(cfg.c, coalesce(p.text, d.summary), q.rq, %(headline)s) AS snippet_marked,
           r.bet, {in_title} AS in_title, {missing} AS missing
    FROM ranked r
    JOIN search_searchdocument d ON d.article_id = r.article_id
    JOIN articles_article a ON a.id = r.article_id
    JOIN articles_collection col ON col.id = d.collection_id
    CROSS JOIN q
    CROSS JOIN LATERAL (SELECT CASE d.language WHEN 'fr' THEN 'public.kb_fr'::regconfig
                                               ELSE 'public.kb_en'::regconfig END AS c) AS cfg
    LEFT JOIN LATERAL (
        SELECT p.anchor, p.title, p.text FROM search_searchpart p
        WHERE p.article_id = r.article_id AND p.vector @@ q.rq
        ORDER BY ts_rank('{weights}', p.vector, q.rq) DESC, p.position LIMIT 1
    ) AS p ON true
) AS h ON true
ORDER BY h.bet NULLS LAST, h.score DESC, h.article_id
"""

SEARCH_SQL = """
WITH allowed AS NOT MATERIALIZED (
    {visible}
), {corrections}tq AS MATERIALIZED (
    SELECT {columns}
), q AS MATERIALIZED (
    SELECT {match} AS q, ({any}){exact} AS rq FROM tq
), title_pool AS MATERIALIZED (
    -- Permitted documents whose compact vector matches: a bounded pool, no ranking yet.
    SELECT d.article_id, d.title_vector FROM search_searchdocument d, q
    WHERE d.title_vector @@ q.q{excluded} AND d.article_id IN (SELECT id FROM allowed){filters}
    LIMIT {title_pool}
), title_hits AS MATERIALIZED (
    SELECT t.article_id, ts_rank('{weights}', t.title_vector, q.rq) AS r FROM title_pool t, q
    ORDER BY r DESC LIMIT {candidates}
), matches AS MATERIALIZED (
    -- Every permitted match, title or body, bounded: the count and the body-only candidates.
    -- Not when more titles match than the count shows (COUNT_CAP) and the page holds (the
    -- limit): a body-only match has no title rank (4 × it), so the page is titles (the bench
    -- mix's 600 queries gave the same pages at every size; a stale title matched through its
    -- headings alone can rank below a text matching most completions of the word typed, which
    -- was one of 50 arbitrary body candidates before), and the texts' postings are not read
    -- (41,000 of them for `part` at 100,000 articles: 16 of the statement's 29 ms).
    SELECT d.article_id FROM search_searchdocument d, q
    WHERE d.vector @@ q.q AND d.article_id IN (SELECT id FROM allowed){filters}
      AND (SELECT count(*) FROM title_pool) <= greatest({count_cap}, %(limit)s)
    LIMIT {match_pool}
), bets AS MATERIALIZED (
    SELECT b.article_id, min(b.position) AS position
    FROM search_bestbet b JOIN search_searchdocument d ON d.article_id = b.article_id
    WHERE b.query = %(normalised)s AND d.article_id IN (SELECT id FROM allowed){filters}
    GROUP BY b.article_id
), candidates AS (
    SELECT article_id, max(r) AS r, bool_or(t) AS in_title FROM (
        SELECT article_id, r, true AS t FROM title_hits
        UNION ALL (SELECT m.article_id, 0::real, false FROM matches m
                   WHERE NOT EXISTS (SELECT 1 FROM title_pool t WHERE t.article_id = m.article_id)
                   LIMIT {body_candidates})
        UNION ALL SELECT article_id, 0::real, false FROM bets
    ) AS c GROUP BY article_id
), ranked AS MATERIALIZED (
    SELECT c.article_id, b.position AS bet,
           -- the title itself (weight A: not a step title or question) holds every word
           CASE WHEN c.in_title THEN ts_filter(d.title_vector, '{{a}}') @@ q.q ELSE false END AS in_title,
           a.review_by < CURRENT_DATE AS stale,
           (4 * c.r + ts_rank('{weights}', d.vector, q.rq))
           * CASE WHEN a.review_by < CURRENT_DATE THEN {stale_factor} ELSE 1 END AS score
    FROM candidates c
    JOIN search_searchdocument d ON d.article_id = c.article_id
    JOIN articles_article a ON a.id = c.article_id AND a.live_revision_id IS NOT NULL AND a.archived_at IS NULL
    LEFT JOIN bets b ON b.article_id = c.article_id
    CROSS JOIN q
    ORDER BY b.position NULLS LAST, score DESC, c.article_id
    LIMIT %(limit)s
), total AS (
    SELECT greatest((SELECT count(*) FROM matches), (SELECT count(*) FROM title_pool),
                    (SELECT count(*) FROM ranked)) AS n
){log}
{hits}"""

LOG_SQL = """, log AS (
    INSERT INTO search_querylog (query, normalised, corrected, results, user_id, team, flagged_not_found, created_at)
    SELECT %(query)s, %(normalised)s, '', (SELECT n FROM total), %(user_id)s, %(team)s, false, now()
    RETURNING id
)"""

# Typo corrections, as CTEs of the retry statement: for each word typed (term n) that is no
# word of this workspace (the first statement said which are: KNOWN_SQL), the words of the
# tenant vocabulary one edit away or close by trigram similarity, kept only if they occur
# (exactly) in a document this person may see, best 3 per word.
CORRECTIONS_SQL = """typed AS (
    SELECT * FROM unnest(%(typo_words)s::text[], %(typo_terms)s::int[]) AS w(word, n)
    WHERE numnode(public.kb_words(w.word)) > 0  -- a stop word is never a typo
), edits AS (
    SELECT * FROM unnest(%(edit_words)s::text[], %(edit_terms)s::int[]) AS e(word, n)
), edit_hits AS MATERIALIZED (
    -- Every one-edit spelling of every typed word (hundreds) against the vocabulary, in one
    -- join the planner can hash on a small workspace. Inside the per-word LATERAL below it
    -- probed pg_trgm's GIN index for equality once per spelling, at ~2.5 ms a probe.
    SELECT e.n, t.word, t.ndoc FROM edits e JOIN search_searchterm t ON t.word = e.word
), spellings AS MATERIALIZED (
    SELECT w.n, w.word AS typed, c.word, c.s, c.ndoc
    FROM typed w
    CROSS JOIN LATERAL (
        SELECT word, max(s) AS s, max(ndoc) AS ndoc FROM (
            SELECT h.word, CASE WHEN h.word = w.word THEN 3 ELSE 2 END AS s, h.ndoc
            FROM edit_hits h WHERE h.n = w.n
            UNION ALL
            -- Near spellings by trigrams, for long words only (a short word gets one edit, as
            -- in Meilisearch and Typesense), at most two edits away (fuzzystrmatch's
            -- levenshtein, on these few rows): `chargeback` is not a misspelt `charge`.
            (SELECT t.word, similarity(t.word, w.word), t.ndoc FROM search_searchterm t
             WHERE length(w.word) > {typo_edit_max} AND t.word %% w.word
               AND abs(length(t.word) - length(w.word)) <= {typo_length_delta}
               AND public.levenshtein(t.word, w.word) <= {typo_length_delta}
             ORDER BY 2 DESC, 3 DESC LIMIT {typo_pool})
        ) AS u GROUP BY word ORDER BY max(s) DESC, max(ndoc) DESC LIMIT {typo_pool}
    ) AS c
), verified AS MATERIALIZED (
    SELECT c.*,
           -- the spelling that finds something with the other words typed comes first, in a
           -- title, step title or question before in a text (`casues enfants` is `causes`)
           {fits} AS fits
    FROM spellings c
    WHERE EXISTS (
        -- in a document this person may see, among those the active filters keep
        SELECT 1 FROM search_searchdocument d
        WHERE string_to_array(btrim(d.words), ' ') @> ARRAY[c.word::text]  -- search_doc_words_gin
          AND d.article_id IN (SELECT id FROM allowed){filters}
    )
), ordered AS MATERIALIZED (
    -- then the closest, then one keeping the first letter (rarely the mistyped one), then the commonest
    SELECT v.*, row_number() OVER (PARTITION BY v.n ORDER BY v.fits DESC, v.s DESC,
                                   left(v.word, 1) = left(v.typed, 1) DESC, v.ndoc DESC) AS rank,
           bool_or(v.word = v.typed) OVER (PARTITION BY v.n) AS as_typed
    FROM verified v
), corrections AS MATERIALIZED (
    SELECT n, word, rank FROM ordered WHERE NOT as_typed AND rank <= {typo_alternatives}
), """

FITS_SQL = """CASE WHEN EXISTS (
        SELECT 1 FROM search_searchdocument d
        WHERE d.title_vector @@ (public.kb_words(c.word) && ({others}))
          AND d.article_id IN (SELECT id FROM allowed){filters}) THEN 2
    WHEN EXISTS (
        SELECT 1 FROM search_searchdocument d
        WHERE d.vector @@ (public.kb_words(c.word) && ({others}))
          AND d.article_id IN (SELECT id FROM allowed){filters}) THEN 1 ELSE 0 END"""

# Which words typed (the typo candidates) are words of this workspace: a stop word, or a word
# that finds something by itself among the documents this person may see. Only when there is
# no hit to show (a CASE runs its subquery only when it gets there; matches that cannot be
# shown, archived ones, count as none, as the engine counts them): a search whose every word is a
# word here needs no correction statement, and goes straight to the partial matches. Matched
# on the stemmed vector (its GIN index, or on a small workspace a scan that costs a tenth of
# splitting every document's `words`).
KNOWN_SQL = """CASE WHEN NOT EXISTS (SELECT 1 FROM ranked) THEN ARRAY(
    SELECT w.n FROM unnest(%(known_words)s::text[], %(known_terms)s::int[]) AS w(word, n)
    CROSS JOIN LATERAL (SELECT public.kb_words(w.word) AS tq) AS k
    WHERE numnode(k.tq) = 0 OR EXISTS (
        SELECT 1 FROM search_searchdocument d
        WHERE d.vector @@ k.tq AND d.article_id IN (SELECT id FROM allowed))
    ORDER BY w.n) END"""

CORRECTIONS_OUT = "(SELECT json_agg(json_build_array(n, word) ORDER BY n, rank) FROM corrections)"


def build(access, terms, *, normalised, raw_query, filters, limit, log: bool, check_known: bool = False,
          corrected: tuple[int, ...] = ()) -> tuple[str, dict]:
    """The search statement. `check_known`: when nothing is found, say which typo candidates are
    words of this workspace (`Row.known`); `corrected`: the terms to look for corrections of
    (the retry statement)."""
    params: dict = {}
    match, any_, columns = parsing.tsquery_sql(terms, params, corrected=corrected)
    exact = parsing.exact_words(terms)
    exact_sql = ""
    if exact:
        params["exact"] = " | ".join(f"'{w}'" for w in exact)
        exact_sql = " || to_tsquery('public.kb_simple', %(exact)s)"
    visible = _visible_sql(access, params)
    filters_sql = _filters_sql(params, **filters)
    params.update(normalised=normalised, limit=limit, headline=HEADLINE, headline_all=HEADLINE_ALL)
    corrections_sql, corrections_out = "", "NULL::json"
    if corrected:
        words = [terms[n].text for n in corrected]
        edit_pairs = [(e, n) for n in corrected if len(terms[n].text) <= TYPO_EDIT_MAX
                      for e in sorted(parsing.edits(terms[n].text, insertions_only=len(terms[n].text) < TYPO_ANY_EDIT))]
        params.update(
            typo_words=words, typo_terms=list(corrected),
            edit_words=[e for e, _ in edit_pairs], edit_terms=[n for _, n in edit_pairs],
        )
        # The other words typed, as typed: those that need no correction (not in `typed`).
        others = [
            f"(CASE WHEN c.n = {n} OR {n} IN (SELECT n FROM typed) THEN ''::tsquery "
            f"ELSE {parsing.term_sql(t, params, f't{n}')} END)"
            for n, t in enumerate(terms) if not t.negated and not t.or_before
        ]
        fits = FITS_SQL.format(others=" && ".join(others), filters=filters_sql) if len(others) > 1 else "1"
        corrections_sql = CORRECTIONS_SQL.format(
            typo_pool=TYPO_POOL, typo_alternatives=TYPO_ALTERNATIVES, typo_edit_max=TYPO_EDIT_MAX,
            typo_length_delta=TYPO_LENGTH_DELTA, filters=filters_sql, fits=fits,
        )
        corrections_out = CORRECTIONS_OUT
    known_out = "NULL::int[]"
    candidates = parsing.typo_candidates(terms, TYPO_MIN_LENGTH) if check_known and not corrected else []
    if candidates:
        params.update(known_words=[terms[n].text for n in candidates], known_terms=candidates)
        known_out = KNOWN_SQL
    if log:
        params.update(query=raw_query[:500], user_id=access.user_id, team=team_label(access))
    sql = SEARCH_SQL.format(
        match=match, any=any_, columns=columns, exact=exact_sql, visible=visible, filters=filters_sql, weights=WEIGHTS,
        candidates=CANDIDATES, body_candidates=BODY_CANDIDATES, title_pool=TITLE_POOL, match_pool=MATCH_POOL, count_cap=COUNT_CAP, stale_factor=STALE_FACTOR,
        # A word excluded may be in the text only: the title's match is checked against the whole.
        excluded=" AND d.vector @@ q.q" if any(t.negated for t in terms) else "",
        log=LOG_SQL if log else "", log_id="(SELECT id FROM log)" if log else "NULL::bigint",
        corrections=corrections_sql, corrections_out=corrections_out,
        hits=HITS_SQL.format(log_id="(SELECT id FROM log)" if log else "NULL::bigint", weights=WEIGHTS,
                             corrections_out=corrections_out, known_out=known_out, in_title="r.in_title",
                             missing="NULL::int[]"),
    )
    return sql, params
