"""`search(access, query, ...)`: run the statement, read its rows, retry once with corrections."""

from __future__ import annotations

from dataclasses import fields

from django.core.exceptions import EmptyResultSet
from django.db import connection

from articles.models import Collection
from tenants.selectors import WorkspaceAccess

from .. import query as parsing
from ..text import normalise
from .caches import with_synonyms
from .limits import TYPO_MIN_LENGTH
from .results import Hit, SearchResults
from .sql import Row
from .sql import build as _build

HIT_FIELDS = tuple(f.name for f in fields(Hit))


def _run(sql: str, params: dict) -> list[Row]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        Row.check(cursor.description)
        return [Row(*row) for row in cursor.fetchall()]


def _hits(rows: list[Row]) -> list[Hit]:
    return [Hit(**{name: getattr(row, name) for name in HIT_FIELDS}) for row in rows]


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
        sql, params = _build(access, terms, normalised=normalised, raw_query=query, filters=filters, limit=limit, log=log)
    except EmptyResultSet:  # the person may read nothing at all (a provider lead, no grant yet)
        return results
    rows = _run(sql, params)
    results.sql, results.params = sql, params
    results.log_id = rows[0].log_id
    if rows[0].article_id is not None:
        results.hits, results.total = _hits(rows), rows[0].total
        return results
    if not correct or not parsing.typo_candidates(terms, TYPO_MIN_LENGTH):
        return results
    # Nothing: once more, with typo corrections (one statement: corrections, then the search).
    sql, params = _build(access, terms, normalised=normalised, raw_query=query, filters=filters,
                         limit=limit, log=False, correct=True)
    rows = _run(sql, params)
    corrections: dict[int, list[str]] = {}
    for n, word in rows[0].corrections or []:
        corrections.setdefault(n, []).append(word)
    if not corrections:
        return results
    corrected = " ".join(
        f'"{t.text}"' if t.phrase else f"-{t.text}" if t.negated else corrections.get(n, [t.text])[0]
        for n, t in enumerate(terms)
    )
    if rows[0].article_id is None:
        results.suggestions = [corrected]
        return results
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
