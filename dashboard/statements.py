"""The two figures whose rows are many (lookups, must-read assignees), each as one PostgreSQL
statement that reads its table once: window functions and grouping sets do what a Python pass
over the rows (or a correlated subquery per row) did before. `dashboard.figures` turns the few
rows they return into figures.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import F
from django.utils import timezone

from search.selectors import KEYSTROKE

# A query is a keystroke of a longer search when the same person typed, within KEYSTROKE
# after it, a later query (a greater id) that starts with it: the frame of each row holds the
# same person's queries of the next KEYSTROKE (one pass, sorted by person and time, which the
# index search_log_person serves), and the row is a lookup unless one of them extends it (or
# it was opened or flagged, or nobody is known). Rows up to KEYSTROKE past a range's end are
# read only as extensions of its last queries. Whether a row is a lookup depends on it and the
# next KEYSTROKE only, so the ranges may be any (disjoint, a day apart at least): the live
# ranges of a page, or the days the rollup (dashboard.rollup) classifies.
LIVE_LOOKUPS = """
framed AS (
    SELECT q.id, q.user_id, q.normalised, q.results, q.opened_article_id, q.flagged_not_found, q.created_at,
           r.stop, array_agg(q.id) OVER later AS later_ids, array_agg(q.normalised) OVER later AS later_texts
    FROM unnest(%(live_starts)s::timestamptz[], %(live_stops)s::timestamptz[]) AS r(start, stop)
    JOIN search_querylog q ON q.created_at >= r.start AND q.created_at <= r.stop + %(keystroke)s::interval
    WHERE q.normalised <> '' {agents}
    WINDOW later AS (PARTITION BY q.user_id ORDER BY q.created_at
                     RANGE BETWEEN CURRENT ROW AND %(keystroke)s::interval FOLLOWING)
), live AS (
    SELECT id, user_id, created_at, opened_article_id IS NOT NULL AS opened, flagged_not_found AS flagged,
           results = 0 AS no_result,
           CASE WHEN opened_article_id IS NULL AND (results = 0 OR flagged_not_found) THEN normalised ELSE '' END
               AS failed_query
    FROM framed
    WHERE created_at < stop AND (
        opened_article_id IS NOT NULL OR flagged_not_found OR user_id IS NULL
        OR cardinality(later_ids) = 1  -- alone in its frame: nothing could extend it
        OR NOT EXISTS (SELECT 1 FROM unnest(later_ids, later_texts) AS later(id, text)
                       WHERE later.id > framed.id AND starts_with(later.text, framed.normalised)))
)"""

# The page's lookups: the live ones, and the rollup's of the days it vouches for (the rolled
# ranges), counted by person, by failed query and by week.
_SEARCH = """
WITH """ + LIVE_LOOKUPS + """, lookups AS (
    SELECT user_id, failed_query, no_result, opened, flagged, created_at FROM live
    UNION ALL
    SELECT l.user_id, l.failed_query, l.no_result, l.opened, l.flagged, l.created_at
    FROM unnest(%(rolled_starts)s::timestamptz[], %(rolled_stops)s::timestamptz[]) AS r(start, stop)
    JOIN dashboard_lookup l ON l.created_at >= r.start AND l.created_at < r.stop
    WHERE TRUE {rolled_agents}
)
SELECT 'person', user_id, NULL::text, NULL::timestamp, count(*), count(*) FILTER (WHERE opened), count(*) FILTER (WHERE flagged),
       count(*) FILTER (WHERE no_result)
FROM lookups GROUP BY user_id
UNION ALL
(SELECT 'failed', NULL, failed_query, NULL, count(*), 0, count(*) FILTER (WHERE flagged), 0
 FROM lookups WHERE failed_query <> ''
 GROUP BY failed_query ORDER BY count(*) DESC, failed_query LIMIT %(limit)s)
UNION ALL
(SELECT 'week', NULL, NULL, date_trunc('week', created_at AT TIME ZONE %(zone)s), count(*),
        count(*) FILTER (WHERE opened), 0, 0
 FROM lookups GROUP BY 4 ORDER BY 4)
"""

Ranges = list[tuple[datetime.datetime, datetime.datetime]]


def search_rows(live_ranges: Ranges, rolled_ranges: Ranges, agent_ids: frozenset[int] | None,
                limit: int) -> dict[str, list[tuple]]:
    """{"person": [(user_id, lookups, opened, flagged, no_result)], "failed": [(query, times,
    flagged)] most first, "week": [(week start, lookups, opened)] oldest first}, over the
    lookups of the query log in `live_ranges` and those of the rollup in `rolled_ranges`
    ([start, stop) each, disjoint): one statement."""
    params = {"live_starts": [a for a, _b in live_ranges], "live_stops": [b for _a, b in live_ranges],
              "rolled_starts": [a for a, _b in rolled_ranges], "rolled_stops": [b for _a, b in rolled_ranges],
              "keystroke": f"{KEYSTROKE.total_seconds()} seconds", "limit": limit,
              "zone": timezone.get_current_timezone_name(), "agents": sorted(agent_ids or ())}
    scoped = agent_ids is not None
    sql = _SEARCH.format(agents="AND q.user_id = ANY(%(agents)s::bigint[])" if scoped else "",
                         rolled_agents="AND l.user_id = ANY(%(agents)s::bigint[])" if scoped else "")
    rows: dict[str, list[tuple]] = {"person": [], "failed": [], "week": []}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, user_id, query, week, n, opened, flagged, no_result in cursor.fetchall():
            if kind == "person":
                rows[kind].append((user_id, n, opened, flagged, no_result))
            elif kind == "failed":
                rows[kind].append((query, n, flagged))
            else:
                rows[kind].append((week, n, opened))
    return rows


# Each assignee of the chosen must-reads, with when they first acknowledged its revision or a
# later one (acknowledgements older than the first chosen must-read do not count), grouped
# once by must-read and once by team (people in no team for this client by person, the
# dashboard places them); the time to `ready` of the audience is the ceil(ready x asked)-th
# acknowledgement, in float8 arithmetic like Python's.
_READINESS = """
WITH chosen AS ({chosen}),
asked AS (
    SELECT a.must_read_id, a.person_id, a.provider_id, a.team_id, min(k.acknowledged_at) AS done_at
    FROM readiness_assignee a
    JOIN chosen m ON m.id = a.must_read_id
    LEFT JOIN (readiness_acknowledgement k JOIN articles_revision r ON r.id = k.revision_id)
        ON k.article_id = m.article_id AND k.person_id = a.person_id AND r.number >= m.number
        AND k.acknowledged_at >= (SELECT min(created_at) FROM chosen)
    WHERE TRUE {agents}
    GROUP BY a.id, a.must_read_id, a.person_id, a.provider_id, a.team_id
)
SELECT GROUPING(must_read_id) = 0, must_read_id, provider_id IS NULL, team_id,
       CASE WHEN provider_id IS NOT NULL AND team_id IS NULL THEN person_id END,
       count(*), count(done_at),
       (array_agg(done_at ORDER BY done_at) FILTER (WHERE done_at IS NOT NULL))[
           ceil(%s::float8 * count(*))::int]
FROM asked
GROUP BY GROUPING SETS ((must_read_id),
                        (provider_id IS NULL, team_id, CASE WHEN provider_id IS NOT NULL AND team_id IS NULL
                                                            THEN person_id END))
"""


def readiness_rows(chosen, agent_ids: frozenset[int] | None, ready: float) -> tuple[list[tuple], list[tuple]]:
    """([(must_read_id, asked, done, when `ready` of them had)], [(staff, team_id, person_id
    or None, asked, done)]) for the must-reads of the queryset `chosen`: one statement."""
    chosen_sql, chosen_params = chosen.values("id", "article_id", "created_at", number=F("revision__number")) \
        .order_by().query.sql_with_params()
    sql = _READINESS.format(chosen=chosen_sql, agents="AND a.person_id = ANY(%s::bigint[])" if agent_ids is not None else "")
    params = [*chosen_params, *([sorted(agent_ids)] if agent_ids is not None else []), ready]
    must_reads, teams = [], []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for by_must_read, must_read_id, staff, team_id, person_id, asked, done, ready_at in cursor.fetchall():
            if by_must_read:
                must_reads.append((must_read_id, asked, done, ready_at))
            else:
                teams.append((staff, team_id, person_id, asked, done))
    return must_reads, teams
