"""The search engine: `search(access, query, ...)`.

Shape of one search, in one SQL statement:
1. the person's permitted articles, `permissions.selectors.visible_articles(access)`, as a
   subquery every other step is filtered by (counts, best bets, suggestions included);
2. candidates, bounded: documents whose compact `title_vector` (title, step titles, questions,
   tags) matches, ranked on that small inline vector, at most CANDIDATES; plus at most
   CANDIDATES body-only matches, unranked. A common word matching half the corpus therefore
   never ranks half the corpus;
3. the full ranking on those candidates only (full vector, exact forms over stems, stale
   content lowered), best bets first;
4. per hit, the best matching guide step or FAQ answer and its highlight, computed on that
   small text only; a bounded count ("50+"); the query logged for the content-gap report.
A query without hit is retried once, in one more statement, with typo corrections (words of the
tenant vocabulary one edit away or close by trigrams) kept only when they occur in a document
the person may see; if that finds nothing either, the corrected query is offered as "did you
mean".
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import KIND_URL_PREFIX, Collection, Kind
from permissions.selectors import visible_articles
from tenants.selectors import WorkspaceAccess

from . import query as parsing
from .text import MARK_START, MARK_STOP, normalise

TITLE_POOL = 250  # permitted title matches considered (unordered bound)
CANDIDATES = 100  # best title matches that reach the full ranking
BODY_CANDIDATES = 50  # body-only matches that reach it (unranked before)
MATCH_POOL = 200  # permitted matches counted (bounded count) and drawn from for body-only hits
COUNT_CAP = 50
TYPO_MIN_LENGTH = 4  # as typed: a five-letter word missing a letter has four
TYPO_ALTERNATIVES = 3
TYPO_POOL = 5  # candidates checked against permitted documents, per word
TYPO_EDIT_MAX = 8  # one-edit candidates for words up to this length (trigrams miss them)
WEIGHTS = "{0.05, 0.2, 0.5, 1.0}"  # D, C, B, A
STALE_FACTOR = 0.7
HEADLINE = (
    f'StartSel="{MARK_START}", StopSel="{MARK_STOP}", MaxWords=28, MinWords=10, ShortWord=2, '
    'MaxFragments=2, FragmentDelimiter=" … "'
)
HEADLINE_ALL = f'StartSel="{MARK_START}", StopSel="{MARK_STOP}", HighlightAll=true'
CACHE_SECONDS = 60
# What a caller (the lookup page, the API) accepts as input.
MAX_QUERY = 200
MAX_TAG = 60  # articles.Article.tags items


@dataclass(frozen=True)
class Hit:
    article_id: int
    title: str
    slug: str
    kind: str
    collection_id: int
    collection_name: str
    language: str
    stale: bool
    best_bet: bool
    score: float
    title_marked: str  # with highlight markers; use title_html
    part_anchor: str  # "step-3", "faq-2", or "" when the match is not in one part
    part_title_marked: str
    snippet_marked: str

    @property
    def url(self) -> str:
        """The reading page, at the matching step or question."""
        url = reverse("articles:read", args=[KIND_URL_PREFIX[Kind(self.kind)], self.slug])
        return f"{url}#{self.part_anchor}" if self.part_anchor else url

    @property
    def title_html(self) -> SafeString:
        return _marked_html(self.title_marked)

    @property
    def part_title_html(self) -> SafeString:
        return _marked_html(self.part_title_marked)

    @property
    def snippet_html(self) -> SafeString:
        return _marked_html(self.snippet_marked)

    @property
    def snippet(self) -> str:
        return _unmarked(self.snippet_marked)


@dataclass
class SearchResults:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0  # capped at COUNT_CAP + 1: see total_label
    corrected_query: str = ""  # set when typos were corrected to find these hits
    suggestions: list[str] = field(default_factory=list)  # "did you mean", when nothing was found
    log_id: int | None = None
    sql: str = ""  # the final statement and its parameters (benchmarks, EXPLAIN)
    params: dict = field(default_factory=dict)

    @property
    def total_label(self) -> str:
        return f"{COUNT_CAP}+" if self.total > COUNT_CAP else str(self.total)

    @property
    def total_is_capped(self) -> bool:
        return self.total > COUNT_CAP


def _marked_html(text: str) -> SafeString:
    return mark_safe(  # noqa: S308 - escaped first, then only our markers become <mark>
        escape(text or "").replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")
    )


def _unmarked(text: str) -> str:
    return (text or "").replace(MARK_START, "").replace(MARK_STOP, "")


# --- per-tenant caches (synonyms, team labels): small, read on every query ------------------

_cache: dict[tuple, tuple[float, object]] = {}


def _cached(key: tuple, load):
    now = time.monotonic()
    hit = _cache.get(key)
    if hit is not None and now - hit[0] < CACHE_SECONDS:
        return hit[1]
    value = load()
    _cache[key] = (now, value)
    return value


def clear_caches() -> None:
    _cache.clear()


def synonyms() -> dict[str, tuple[str, ...]]:
    """word → the other words of its group(s), for the current tenant."""

    def load():
        from .models import Synonym

        groups: dict[str, set[str]] = {}
        for term, others in Synonym.objects.values_list("term", "synonyms"):
            group = {normalise(w) for w in [term, *others] if normalise(w)}
            for word in group:
                groups.setdefault(word, set()).update(group - {word})
        return {word: tuple(sorted(others)) for word, others in groups.items()}

    return _cached(("synonyms", connection.schema_name), load)


def team_label(access: WorkspaceAccess) -> str:
    if not access.is_provider:
        return str(access.label)

    def load():
        from permissions.models import ArticleTeamGrant, CollectionTeamGrant
        from tenants.models import ProviderTeam

        # Only the teams that work in this tenant (they hold a grant here): a team named after
        # another client of the provider must not show in this client's reports.
        here = {
            group_id
            for model in (CollectionTeamGrant, ArticleTeamGrant)
            for group_id in model.objects.filter(group_id__in=access.team_group_ids).values_list("group_id", flat=True)
        }
        names = ProviderTeam.objects.filter(group_id__in=here).values_list("name", flat=True)
        return ", ".join(sorted(names))[:150] or str(access.label)

    return _cached(("team", connection.schema_name, access.provider_id, access.team_group_ids), load)


def _with_synonyms(terms: list[parsing.Term]) -> list[parsing.Term]:
    table = synonyms()
    if not table:
        return terms
    out = []
    for term in terms:
        found = table.get(term.text, ())
        out.append(replace(term, alternatives=term.alternatives + found) if found else term)
    return out


# --- SQL ---------------------------------------------------------------------------------

def _visible_sql(access: WorkspaceAccess, params: dict) -> str:
    sql, visible_params = visible_articles(access).order_by().values("id").query.sql_with_params()
    pieces = sql.replace("%%", "\x00").split("%s")
    if len(pieces) - 1 != len(visible_params):
        raise ValueError("Unexpected placeholders in the permission subquery.")
    out = pieces[0]
    for n, piece in enumerate(pieces[1:]):
        params[f"v{n}"] = visible_params[n]
        out += f"%(v{n})s" + piece
    return out.replace("\x00", "%%")


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


SEARCH_SQL = """
WITH allowed AS NOT MATERIALIZED (
    {visible}
), {corrections}q AS MATERIALIZED (
    SELECT {match} AS q, ({any}){exact} AS rq
), title_pool AS MATERIALIZED (
    -- Permitted documents whose compact vector matches: a bounded pool, no ranking yet.
    SELECT d.article_id, d.title_vector FROM search_searchdocument d, q
    WHERE d.title_vector @@ q.q AND d.article_id IN (SELECT id FROM allowed){filters}
    LIMIT {title_pool}
), title_hits AS MATERIALIZED (
    SELECT t.article_id, ts_rank('{weights}', t.title_vector, q.rq) AS r FROM title_pool t, q
    ORDER BY r DESC LIMIT {candidates}
), matches AS MATERIALIZED (
    -- Every permitted match, title or body, bounded: the count and the body-only candidates.
    SELECT d.article_id FROM search_searchdocument d, q
    WHERE d.vector @@ q.q AND d.article_id IN (SELECT id FROM allowed){filters}
    LIMIT {match_pool}
), bets AS MATERIALIZED (
    SELECT b.article_id, min(b.position) AS position
    FROM search_bestbet b JOIN search_searchdocument d ON d.article_id = b.article_id
    WHERE b.query = %(normalised)s AND d.article_id IN (SELECT id FROM allowed){filters}
    GROUP BY b.article_id
), candidates AS (
    SELECT article_id, max(r) AS r FROM (
        SELECT * FROM title_hits
        UNION ALL (SELECT m.article_id, 0::real FROM matches m
                   WHERE NOT EXISTS (SELECT 1 FROM title_pool t WHERE t.article_id = m.article_id)
                   LIMIT {body_candidates})
        UNION ALL SELECT article_id, 0::real FROM bets
    ) AS c GROUP BY article_id
), ranked AS MATERIALIZED (
    SELECT c.article_id, b.position AS bet, a.review_by < CURRENT_DATE AS stale,
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
    SELECT greatest((SELECT count(*) FROM matches), (SELECT count(*) FROM ranked)) AS n
){log}
SELECT h.*, (SELECT n FROM total), {log_id}, {corrections_out}
FROM (SELECT 1) AS one
LEFT JOIN LATERAL (
    SELECT r.article_id, d.title, a.slug, d.kind, d.collection_id, col.name, d.language, r.stale,
           r.bet IS NOT NULL AS best_bet, r.score,
           ts_headline(cfg.c, d.title, q.rq, %(headline_all)s),
           coalesce(p.anchor, ''),
           CASE WHEN p.anchor IS NULL THEN '' ELSE ts_headline(cfg.c, p.title, q.rq, %(headline_all)s) END,
           ts_headline(cfg.c, coalesce(p.text, d.summary), q.rq, %(headline)s),
           r.bet
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

LOG_SQL = """, log AS (
    INSERT INTO search_querylog (query, normalised, corrected, results, user_id, team, flagged_not_found, created_at)
    SELECT %(query)s, %(normalised)s, '', (SELECT n FROM total), %(user_id)s, %(team)s, false, now()
    RETURNING id
)"""

# Typo corrections, as CTEs of the retry statement: for each word typed (term n), the words of
# the tenant vocabulary one edit away or close by trigram similarity, kept only if they occur
# (exactly) in a document this person may see, best 3 per word; none for a word that occurs
# as typed.
CORRECTIONS_SQL = """typed AS (
    SELECT * FROM unnest(%(typo_words)s::text[], %(typo_terms)s::int[]) AS w(word, n)
    WHERE numnode(public.kb_words(w.word)) > 0  -- a stop word is never a typo
      -- nor a word that occurs as typed in a document this person may see (checked first: one
      -- index probe instead of looking for and verifying its neighbours)
      AND NOT EXISTS (
          SELECT 1 FROM search_searchdocument d
          WHERE string_to_array(btrim(d.words), ' ') @> ARRAY[w.word]  -- search_doc_words_gin
            AND d.article_id IN (SELECT id FROM allowed)
      )
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
            (SELECT t.word, similarity(t.word, w.word), t.ndoc FROM search_searchterm t
             WHERE t.word %% w.word ORDER BY 2 DESC, 3 DESC LIMIT {typo_pool})
        ) AS u GROUP BY word ORDER BY max(s) DESC, max(ndoc) DESC LIMIT {typo_pool}
    ) AS c
), verified AS MATERIALIZED (
    SELECT c.*, row_number() OVER (PARTITION BY c.n ORDER BY c.s DESC, c.ndoc DESC) AS rank,
           bool_or(c.word = c.typed) OVER (PARTITION BY c.n) AS as_typed
    FROM spellings c
    WHERE EXISTS (
        SELECT 1 FROM search_searchdocument d
        WHERE string_to_array(btrim(d.words), ' ') @> ARRAY[c.word::text]  -- search_doc_words_gin
          AND d.article_id IN (SELECT id FROM allowed)
    )
), corrections AS MATERIALIZED (
    SELECT n, word, rank FROM verified WHERE NOT as_typed AND rank <= {typo_alternatives}
), """

CORRECTIONS_OUT = "(SELECT json_agg(json_build_array(n, word) ORDER BY n, rank) FROM corrections)"


def _build(access, terms, *, normalised, raw_query, filters, limit, log: bool, correct: bool = False) -> tuple[str, dict]:
    params: dict = {}
    corrected = tuple(parsing.typo_candidates(terms, TYPO_MIN_LENGTH)) if correct else ()
    match, any_ = parsing.tsquery_sql(terms, params, corrected=corrected)
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
                      for e in sorted(parsing.edits(terms[n].text))]
        params.update(
            typo_words=words, typo_terms=list(corrected),
            edit_words=[e for e, _ in edit_pairs], edit_terms=[n for _, n in edit_pairs],
        )
        corrections_sql = CORRECTIONS_SQL.format(typo_pool=TYPO_POOL, typo_alternatives=TYPO_ALTERNATIVES)
        corrections_out = CORRECTIONS_OUT
    if log:
        params.update(query=raw_query[:500], user_id=access.user_id, team=team_label(access))
    sql = SEARCH_SQL.format(
        match=match, any=any_, exact=exact_sql, visible=visible, filters=filters_sql, weights=WEIGHTS,
        candidates=CANDIDATES, body_candidates=BODY_CANDIDATES, title_pool=TITLE_POOL, match_pool=MATCH_POOL, stale_factor=STALE_FACTOR,
        log=LOG_SQL if log else "", log_id="(SELECT id FROM log)" if log else "NULL::bigint",
        corrections=corrections_sql, corrections_out=corrections_out,
    )
    return sql, params


def _run(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _hits(rows: list[tuple]) -> list[Hit]:
    return [Hit(*row[:14]) for row in rows]


def search(
    access: WorkspaceAccess,
    query: str,
    *,
    kind: str | None = None,
    collection: Collection | int | None = None,
    tag: str | None = None,
    language: str | None = None,
    limit: int = 20,
    log: bool = True,
    correct: bool = True,
) -> SearchResults:
    """What this person may read that matches `query`, best first. Run inside the tenant.
    `correct=False` searches for exactly what was typed (no typo correction)."""
    query = query.replace("\x00", "")  # PostgreSQL text cannot hold NUL (the query log)
    results = SearchResults(query=query)
    terms = _with_synonyms(parsing.parse(query))
    normalised = normalise(query)[:500]
    if not parsing.has_positive(terms):
        return results
    filters = {"kind": kind, "collection": collection, "tag": tag, "language": language}
    limit = max(1, min(int(limit), 100))
    try:
        sql, params = _build(access, terms, normalised=normalised, raw_query=query, filters=filters, limit=limit, log=log)
    except EmptyResultSet:  # the person may read nothing at all (a provider lead, no grant yet)
        return results
    rows = _run(sql, params)
    results.sql, results.params = sql, params
    results.log_id = rows[0][16]
    if rows[0][0] is not None:
        results.hits, results.total = _hits(rows), rows[0][15]
        return results
    if not correct or not parsing.typo_candidates(terms, TYPO_MIN_LENGTH):
        return results
    # Nothing: once more, with typo corrections (one statement: corrections, then the search).
    sql, params = _build(access, terms, normalised=normalised, raw_query=query, filters=filters,
                         limit=limit, log=False, correct=True)
    rows = _run(sql, params)
    corrections: dict[int, list[str]] = {}
    for n, word in rows[0][17] or []:
        corrections.setdefault(n, []).append(word)
    if not corrections:
        return results
    corrected = " ".join(
        f'"{t.text}"' if t.phrase else f"-{t.text}" if t.negated else corrections.get(n, [t.text])[0]
        for n, t in enumerate(terms)
    )
    if rows[0][0] is None:
        results.suggestions = [corrected]
        return results
    results.hits, results.total, results.corrected_query = _hits(rows), rows[0][15], corrected
    results.sql, results.params = sql, params
    if results.log_id is not None:
        from .models import QueryLog

        QueryLog.objects.filter(pk=results.log_id).update(corrected=corrected[:500], results=results.total)
    return results


def explain(results: SearchResults) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of the statement that produced `results` (benchmarks)."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + results.sql, results.params)
        return "\n".join(row[0] for row in cursor.fetchall())
