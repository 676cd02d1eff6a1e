"""The search statements run as prepared statements with a generic plan.

On a small workspace most of a search statement's time in PostgreSQL was spent *planning* it
(a statement of 5–20 KB with a dozen CTEs: 3–8 ms to plan and 1–4 ms to run at 50 articles;
the correction statement 17 ms to plan and 9 to run; 7–14 ms to plan at 100,000). The
statement's text depends only on the shape of the query (how many words, which one is being
typed, the filters, the person's collections) and its values are parameters: so each
connection prepares a shape once per tenant (psycopg's protocol-level prepared statements, the
schema in the text, at most `PREPARED_MAX` per connection, the least recently used
deallocated) and PostgreSQL reuses a generic plan (`plan_cache_mode`, set per connection by
`tenants.postgresql_backend`).

A generic plan cannot know how many documents a word matches; the statements reach documents
through their GIN indexes and bounded pools (LIMITs) whatever the plan. An earlier measure saw
generic plans choose badly from 10,000 articles on (the typo class's p95 from 52 to 197 ms),
and the engine prepared only on workspaces of up to 3,000 documents. Measured again in turn on
2026-12-02, before and after the changes of that day, generic plans were faster at every size
(10,000 articles: p95 34 against 57 ms, typo class 46 against 76; 100,000: 54 against 64 and
60 against 90; the README's figures), and the 197 ms did not come back: they run everywhere.
`KB_SEARCH_PREPARE_UP_TO=N` limits them to workspaces of up to N search documents
(`caches.prepare_here`, a bounded count cached per process); 0 turns them off.

Tenancy: a prepared statement names its tables through the search path. PostgreSQL re-plans a
cached statement whenever the search path differs from the one it was planned under (plancache's
search-path check), so even a statement run in another tenant than the one it was prepared in
would read that other tenant's tables only; each tenant has its own statement besides
(`tests/test_search_prepared.py` alternates tenants on one connection).

Only these statements are prepared: Django's own cursors (psycopg's `ClientCursor`) never are.
Statements still go through Django's cursor wrapper, so execute wrappers and the query log
(`CaptureQueriesContext`, the benchmarks' statement counts) see them. If a prepared statement
fails in a way a fresh one would not (a migration changed the type of a column it returns:
"cached plan must not change result type"; the server lost it), the connection stops preparing
and, outside a transaction (a web request), the statement runs again unprepared; inside one the
error propagates (the transaction is aborted) and the connection's next statements are unprepared.
"""

from __future__ import annotations

import re
import weakref

import psycopg
from django.db import NotSupportedError, ProgrammingError, connection
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper

# What a prepared statement can meet that the same SQL sent afresh would not: its result type
# changed under it (a migration), or the server lost it.
STALE = (psycopg.errors.FeatureNotSupported, psycopg.errors.InvalidSqlStatementName)
PREPARED_MAX = 48  # prepared statements a connection keeps, the least recently used deallocated
_BY_COUNT_NEVER = 2**31
_SCHEMA = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_given_up: weakref.WeakSet = weakref.WeakSet()  # connections that met a stale statement


class _PreparingCursor(psycopg.Cursor):
    """Server-side binding, every statement prepared (Django's wrapper calls execute(sql, params))."""

    def execute(self, query, params=None, *, prepare=None, binary=None):  # type: ignore[override]
        return super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)


class _LoggedCursor(CursorDebugWrapper):
    """Django's debug wrapper (the query log), logging the statement as written: it cannot
    read a prepared statement's SQL back from the cursor as it does for its own."""

    def execute(self, sql, params=None):
        with self.debug_sql(sql, params):
            return CursorWrapper.execute(self, sql, params)


def fetch(sql: str, params: dict, *, prepare: bool = True, db=None) -> tuple[list[tuple], tuple]:
    """(rows, description) of `sql` in the current tenant, prepared unless `prepare=False`, on
    the default connection or `db` (a Django connection)."""
    db = db or connection
    with db.cursor():  # connects and sets the tenant's search path
        pass
    raw = db.connection
    schema = db.schema_name
    if not prepare or raw in _given_up or not _SCHEMA.match(schema):
        return _fetch_unprepared(db, sql, params)
    # One statement per tenant and shape: PostgreSQL keeps one plan per prepared statement and
    # makes it again whenever the search path changed, so a statement shared by the tenants a
    # connection serves in turn would be planned again at each switch.
    sql = f"/* {schema} */ {sql}"
    wrapper = _LoggedCursor if db.queries_logged else CursorWrapper
    # psycopg consults (and records queries for) its prepared statements only while the
    # threshold is set: only during these statements, so Django's own are never counted.
    raw.prepare_threshold, raw.prepared_max = _BY_COUNT_NEVER, PREPARED_MAX
    try:
        with wrapper(_PreparingCursor(raw), db) as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall(), cursor.description
    except (NotSupportedError, ProgrammingError) as error:
        # Django's wrapper re-raises psycopg's errors as django.db's: the psycopg one is the cause.
        if not isinstance(error.__cause__, STALE):
            raise
        _given_up.add(raw)  # this connection runs its statements unprepared from now on
        if db.in_atomic_block:  # aborted: nothing more can run in this transaction
            raise
        return _fetch_unprepared(db, sql, params)
    finally:
        raw.prepare_threshold = None


def _fetch_unprepared(db, sql: str, params: dict) -> tuple[list[tuple], tuple]:
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall(), cursor.description


PARAM = re.compile(r"%\((\w+)\)s")  # a named parameter of our statements


def explain_generic(sql: str, params: dict) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of `sql` the way `fetch` runs it: a
    prepared statement's generic plan (PREPARE, EXPLAIN EXECUTE; PostgreSQL 15 has no
    EXPLAIN (GENERIC_PLAN)). For the benchmark's --explain."""
    names: list[str] = []

    def positional(match: re.Match) -> str:
        if match.group(1) not in names:
            names.append(match.group(1))
        return f"${names.index(match.group(1)) + 1}"

    body = PARAM.sub(positional, sql).replace("%%", "%")
    with connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_generic_plan")
        cursor.execute(f"PREPARE kb_explain AS {body}")  # no parameters: sent as written
        try:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) EXECUTE kb_explain("
                           + ", ".join(["%s"] * len(names)) + ")", [params[name] for name in names])
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("DEALLOCATE kb_explain")
            cursor.execute("RESET plan_cache_mode")
