"""The search-success rollup: which query-log rows are lookups, worked out once per UTC day
(by the nightly task, the demo and the bench) instead of on every page.

Whether a row is a lookup depends on it and on the same person's next KEYSTROKE of queries
only (dashboard.statements), and a row can change for FLAG_WITHIN after it was logged (a
result opened, "I could not find it"): a day is *final* FINAL_AFTER after it ends, and only
final days are rolled. `Lookup` holds each lookup of a rolled day (zone-free: the page counts
them by its own period, scope and time zone); `LookupDay` records the log each day was rolled
from (count and greatest id of its rows, and of the next day's first KEYSTROKE). The page
reads the rollup only for the days whose log still matches (`coverage`): today, the days not
yet rolled, and any day whose log changed since (rows written or deleted into the past) are
computed from the log, slower, never wrongly.
"""

from __future__ import annotations

import datetime

from django.db import connection, transaction
from django.utils import timezone

from search.selectors import KEYSTROKE
from search.services import FLAG_WITHIN

from .statements import LIVE_LOOKUPS, Ranges

FINAL_AFTER = FLAG_WITHIN + KEYSTROKE + datetime.timedelta(hours=1)  # the hour: clocks and late commits
CHUNK_DAYS = 31  # days classified per statement by `lookups_roll`
DAY = datetime.timedelta(days=1)
UTC = datetime.UTC

# The log's fingerprint per UTC day: its rows' count and greatest id, and those of its first
# KEYSTROKE (which the day before reads as extensions).
_FINGERPRINT = """
fp AS (
    SELECT (created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n, max(id) AS max_id,
           count(*) FILTER (WHERE created_at <= date_trunc('day', created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                                                 + %(keystroke)s::interval) AS head_n,
           max(id) FILTER (WHERE created_at <= date_trunc('day', created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                                               + %(keystroke)s::interval) AS head_max
    FROM search_querylog
    WHERE created_at >= %(first)s AND created_at <= %(stop)s
    GROUP BY 1
)"""

# The log's fingerprint per day from `first` to the head of the day after `last`, and the
# rollup's record of those days (joined in Python: the planner cannot guess how many days a
# grouping by day yields, and a join on its guess costs more to plan and JIT-compile than to run).
_DAYS = """
WITH """ + _FINGERPRINT + """
SELECT TRUE, day, n, max_id, head_n, head_max FROM fp
UNION ALL
SELECT FALSE, day, source_rows, source_max_id, next_rows, next_max_id FROM dashboard_lookupday
WHERE day >= %(first_day)s AND day <= %(last_day)s
"""

_ROLL = """
WITH """ + LIVE_LOOKUPS + """
INSERT INTO dashboard_lookup (log_id, user_id, created_at, opened, flagged, no_result, failed_query)
SELECT id, user_id, created_at, opened, flagged, no_result, failed_query FROM live
"""

_MARK = """
INSERT INTO dashboard_lookupday (day, source_rows, source_max_id, next_rows, next_max_id, rolled_at)
SELECT * , %(now)s FROM unnest(%(days)s::date[], %(rows)s::int[], %(max_ids)s::bigint[], %(next_rows)s::int[],
                               %(next_max_ids)s::bigint[])
ON CONFLICT (day) DO UPDATE SET source_rows = EXCLUDED.source_rows, source_max_id = EXCLUDED.source_max_id,
    next_rows = EXCLUDED.next_rows, next_max_id = EXCLUDED.next_max_id, rolled_at = EXCLUDED.rolled_at
"""


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=UTC)


def _day_of(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(UTC).date()


def _days(first: datetime.date, last: datetime.date) -> list[tuple]:
    """(day, (log rows, max id, next day's head rows, its max id), (the rollup's record of
    them) or None) for each day from `first` to `last`: one statement."""
    params = {"first": _start_of(first), "stop": _start_of(last + DAY) + KEYSTROKE, "first_day": first,
              "last_day": last, "keystroke": f"{KEYSTROKE.total_seconds()} seconds"}
    log: dict[datetime.date, tuple] = {}
    records: dict[datetime.date, tuple] = {}
    with connection.cursor() as cursor:
        cursor.execute(_DAYS, params)
        for from_log, day, *figures in cursor.fetchall():
            (log if from_log else records)[day] = tuple(figures)
    days = []
    day = first
    while day <= last:
        n, max_id, _head_n, _head_max = log.get(day, (0, None, 0, None))
        _n, _max_id, head_n, head_max = log.get(day + DAY, (0, None, 0, None))
        days.append((day, (n, max_id, head_n, head_max), records.get(day)))
        day += DAY
    return days


def coverage(start: datetime.datetime, end: datetime.datetime) -> tuple[Ranges, Ranges]:
    """The period [start, end) cut into (live ranges, rolled ranges): the rolled ones are the
    days whose lookups the rollup holds for the log as it is now. One statement."""
    live: Ranges = []
    rolled: Ranges = []
    if end <= start:
        return [(start, end)], []
    for day, log, record in _days(_day_of(start), _day_of(end - datetime.timedelta(microseconds=1))):
        piece = (max(start, _start_of(day)), min(end, _start_of(day + DAY)))
        ranges = rolled if record == log else live
        if ranges and ranges[-1][1] == piece[0]:
            ranges[-1] = (ranges[-1][0], piece[1])
        else:
            ranges.append(piece)
    return live, rolled


def last_final_day(now: datetime.datetime) -> datetime.date:
    """The last UTC day whose query-log rows can no longer change (nor be extended)."""
    return _day_of(now - FINAL_AFTER) - DAY


def lookups_roll(*, now: datetime.datetime | None = None, since: datetime.date | None = None) -> int:
    """Roll every final day (from `since`, else from the log's first) that the rollup lacks or
    whose log changed since it was rolled; how many days were (re)rolled. Idempotent, and safe
    to run twice at once (they take turns)."""
    last = last_final_day(now or timezone.now())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('dashboard.lookups_roll:' || current_schema()))")
        if since is None:
            cursor.execute("SELECT least((SELECT min(created_at) FROM search_querylog),"
                           " (SELECT min(day) FROM dashboard_lookupday)::timestamp AT TIME ZONE 'UTC')")
            first_at = cursor.fetchone()[0]
            if first_at is None:
                return 0
            since = _day_of(first_at)
        if since > last:
            return 0
        # The fingerprints first, then the lookups: a row written meanwhile makes the record
        # disagree with the log, and the page computes that day live.
        stale = [(day, log) for day, log, record in _days(since, last) if record != log]
        for n in range(0, len(stale), CHUNK_DAYS):
            _roll(cursor, stale[n:n + CHUNK_DAYS])
        if len(stale) > CHUNK_DAYS:  # many rows at once (a first roll): the planner's statistics now
            cursor.execute("ANALYZE dashboard_lookup, dashboard_lookupday")
    return len(stale)


def _roll(cursor, days: list[tuple]) -> None:
    """Classify again the lookups of `days` (ascending), and record the log they came from."""
    ranges: Ranges = []
    for day, _log in days:
        if ranges and ranges[-1][1] == _start_of(day):
            ranges[-1] = (ranges[-1][0], _start_of(day + DAY))
        else:
            ranges.append((_start_of(day), _start_of(day + DAY)))
    starts, stops = [a for a, _b in ranges], [b for _a, b in ranges]
    cursor.execute("DELETE FROM dashboard_lookup l USING unnest(%s::timestamptz[], %s::timestamptz[]) AS r(start, stop)"
                   " WHERE l.created_at >= r.start AND l.created_at < r.stop", [starts, stops])
    cursor.execute(_ROLL.format(agents=""), {"live_starts": starts, "live_stops": stops,
                                             "keystroke": f"{KEYSTROKE.total_seconds()} seconds"})
    cursor.execute(_MARK, {"now": timezone.now(), "days": [day for day, _log in days],
                           "rows": [log[0] for _day, log in days], "max_ids": [log[1] for _day, log in days],
                           "next_rows": [log[2] for _day, log in days], "next_max_ids": [log[3] for _day, log in days]})
