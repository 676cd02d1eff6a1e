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
# it was opened or flagged, or nobody is known). Rows up to KEYSTROKE past the period's end
# are read only as extensions of the period's last queries.
_SEARCH = """
WITH framed AS (
    SELECT id, user_id, normalised, results, opened_article_id, flagged_not_found, created_at,
           array_agg(id) OVER later AS later_ids, array_agg(normalised) OVER later AS later_texts
    FROM search_querylog
    WHERE created_at >= %(start)s AND created_at <= %(until)s AND normalised <> '' {agents}
    WINDOW later AS (PARTITION BY user_id ORDER BY created_at
                     RANGE BETWEEN CURRENT ROW AND %(keystroke)s::interval FOLLOWING)
), lookups AS (
    SELECT user_id, normalised, results, opened_article_id IS NOT NULL AS opened, flagged_not_found AS flagged,
           created_at
    FROM framed
    WHERE created_at < %(end)s AND (
        opened_article_id IS NOT NULL OR flagged_not_found OR user_id IS NULL
        OR cardinality(later_ids) = 1  -- alone in its frame: nothing could extend it
        OR NOT EXISTS (SELECT 1 FROM unnest(later_ids, later_texts) AS later(id, text)
                       WHERE later.id > framed.id AND starts_with(later.text, framed.normalised)))
)
SELECT 'person', user_id, NULL::text, NULL::timestamp, count(*), count(*) FILTER (WHERE opened), count(*) FILTER (WHERE flagged),
       count(*) FILTER (WHERE results = 0)
FROM lookups GROUP BY user_id
UNION ALL
(SELECT 'failed', NULL, normalised, NULL, count(*), 0, count(*) FILTER (WHERE flagged), 0
 FROM lookups WHERE NOT opened AND (results = 0 OR flagged)
 GROUP BY normalised ORDER BY count(*) DESC, normalised LIMIT %(limit)s)
UNION ALL
(SELECT 'week', NULL, NULL, date_trunc('week', created_at AT TIME ZONE %(zone)s), count(*),
        count(*) FILTER (WHERE opened), 0, 0
 FROM lookups GROUP BY 4 ORDER BY 4)
"""


def search_rows(start: datetime.datetime, end: datetime.datetime, agent_ids: frozenset[int] | None,
                limit: int) -> dict[str, list[tuple]]:
    """{"person": [(user_id, lookups, opened, flagged, no_result)], "failed": [(query, times,
    flagged)] most first, "week": [(week start, lookups, opened)] oldest first}: one statement."""
    params = {"start": start, "end": end, "until": end + KEYSTROKE, "keystroke": f"{KEYSTROKE.total_seconds()} seconds",
              "limit": limit, "zone": timezone.get_current_timezone_name(), "agents": sorted(agent_ids or ())}
    sql = _SEARCH.format(agents="AND user_id = ANY(%(agents)s::bigint[])" if agent_ids is not None else "")
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
