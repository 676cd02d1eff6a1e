"""`search(access, query, ...)`: run the statement, read its rows, retry once with corrections."""

from __future__ import annotations

from dataclasses import fields, replace

from django.core.exceptions import EmptyResultSet
from django.db import connection

from articles.models import Collection
from tenants.selectors import WorkspaceAccess

from .. import query as parsing
from ..text import normalise
from . import partial, prepared
from .caches import prepare_here, synonyms, with_synonyms
from .limits import TYPO_MIN_LENGTH
from .results import Hit, SearchResults
from .sql import Row
from .sql import build as _build

PARTIAL_BELOW = 3  # complete matches: with fewer, for a sentence, the partial ones rank with them
PARTIAL_SENTENCE = 3  # positive terms (stop words included) that make a sentence

HIT_FIELDS = tuple(f.name for f in fields(Hit) if f.name != "missing")


def _run(sql: str, params: dict) -> list[Row]:
    rows, description = prepared.fetch(sql, params, prepare=prepare_here())
    Row.check(description)
    return [Row(*row) for row in rows]


def _hits(rows: list[Row], terms: list[parsing.Term] | None = None) -> list[Hit]:
    """The hits of `rows`; for a partial match (`terms` given), each with the words it lacks."""
    hits = []
    for row in rows:
        hit = Hit(**{name: getattr(row, name) for name in HIT_FIELDS})
        if terms is not None:
            hit = replace(hit, missing=tuple(terms[n].text for n in row.missing or ()))
        hits.append(hit)
    return hits


def _partial(access, terms, results: SearchResults, *, filters: dict, limit: int,
             corrections: dict[int, list[str]] | None = None) -> SearchResults:
    """No document holds every word: the ones holding most of them (see `partial`), with the
    typo corrections found (the best one per word) searched beside the words typed."""
    if corrections:
        table = synonyms()
        terms = [replace(t, alternatives=t.alternatives + (corrections[n][0],) + table.get(corrections[n][0], ()))
                 if n in corrections else t for n, t in enumerate(terms)]
    built = partial.build(access, terms, filters=filters, limit=limit)
    if built is None:
        return results
    sql, params = built
    rows = _run(sql, params)
    if rows[0].article_id is None:
        return results
    results.hits, results.total, results.partial = _hits(rows, terms), rows[0].total, True
    results.sql, results.params = sql, params
    return results


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
    terms = with_synonyms(parsing.parse(query))
    normalised = normalise(query)[:500]
    if not parsing.has_positive(terms):
        return results
    filters = {"kind": kind, "collection": collection, "tag": tag, "language": language}
    limit = max(1, min(int(limit), 100))
    try:
        sql, params = _build(access, terms, normalised=normalised, raw_query=query, filters=filters, limit=limit,
                             log=log, check_known=correct)
    except EmptyResultSet:  # the person may read nothing at all (a provider lead, no grant yet)
        return results
    rows = _run(sql, params)
    results.sql, results.params = sql, params
    results.log_id = rows[0].log_id
    if rows[0].article_id is not None:
        results.hits, results.total = _hits(rows), rows[0].total
        if len(results.hits) < PARTIAL_BELOW and len(results.hits) < limit and sum(
                not t.negated for t in terms) >= PARTIAL_SENTENCE and not any(row.in_title for row in rows):
            # A sentence whose every word occurs in one long text, by chance, and hardly
            # anywhere else: rank it with the documents holding most of the words (the
            # complete matches are among them, and come first when they cover as much). Not
            # when a title holds every word (a title pasted or typed whole): that match is
            # meant. A question or step title that does still gets them ("je veux parler à un
            # responsable" is an FAQ's question; the escalation guide lacks only "veux").
            found = SearchResults(query=query)
            _partial(access, terms, found, filters=filters, limit=limit)
            if len(found.hits) > len(results.hits):
                found.log_id = results.log_id
                found.total = max(found.total, results.total)
                found.partial = all(hit.missing for hit in found.hits)
                return found
        return results
    # Nothing. A word of this workspace is never corrected (`dispute` is not a misspelt
    # `dispatch`): only the others are looked for, and when every word is one, no retry.
    known = set(rows[0].known or ())
    unknown = tuple(n for n in parsing.typo_candidates(terms, TYPO_MIN_LENGTH) if n not in known)
    if not correct or not unknown:
        return _partial(access, terms, results, filters=filters, limit=limit)
    # Once more, with typo corrections (one statement: corrections, then the search).
    sql, params = _build(access, terms, normalised=normalised, raw_query=query, filters=filters,
                         limit=limit, log=False, corrected=unknown)
    rows = _run(sql, params)
    corrections: dict[int, list[str]] = {}
    for n, word in rows[0].corrections or []:
        corrections.setdefault(n, []).append(word)
    if not corrections:
        return _partial(access, terms, results, filters=filters, limit=limit)
    corrected = " ".join(
        f'"{t.text}"' if t.phrase else f"-{t.text}" if t.negated else corrections.get(n, [t.text])[0]
        for n, t in enumerate(terms)
    )
    if rows[0].article_id is None:
        # Not even corrected: what holds most of the words (corrections included), and the
        # corrected query offered as "did you mean".
        results.suggestions = [corrected]
        return _partial(access, terms, results, filters=filters, limit=limit, corrections=corrections)
    results.hits, results.total, results.corrected_query = _hits(rows), rows[0].total, corrected
    results.sql, results.params = sql, params
    if results.log_id is not None:
        from ..models import QueryLog

        QueryLog.objects.filter(pk=results.log_id).update(corrected=corrected[:500], results=results.total)
    return results


def explain(results: SearchResults) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of the statement that produced `results` (benchmarks)."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + results.sql, results.params)
        return "\n".join(row[0] for row in cursor.fetchall())
