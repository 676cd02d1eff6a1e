"""The search-success rollup (dashboard.rollup): the page's figures from the rollup are the
figures worked out by hand on the dashboard's fixture (tests/test_dashboard.py) and those of
the live computation, for every scope, period and time zone; rolling again changes nothing;
today's events and rows written into a rolled day since show at once (those days are computed
live again); rollup rows that nothing vouches for are never read."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone

from dashboard import figures, rollup
from dashboard.models import Lookup, LookupDay
from dashboard.scope import Period
from dashboard.tasks import roll_lookups_task
from search.models import QueryLog

from . import test_dashboard
from .test_dashboard import DAY, HOUR, _log, _scope

board = test_dashboard.board  # the dashboard's fixture, whose figures were worked out by hand

SECOND = datetime.timedelta(seconds=1)
LATER = datetime.timedelta(days=3)  # a roll "three days later": today and the fixture's days are final


def _figures(data) -> tuple:
    return ((data.lookups, data.opened, data.flagged, data.no_result), data.failed_queries,
            [(t["label"], t["lookups"], t["opened"], t["flagged"]) for t in data.teams],
            [(w["week"], w["lookups"], w["opened"]) for w in data.weeks])


def _both(period, scope) -> tuple:
    """The figures from the rollup where it vouches for the days, and from the log only."""
    rolled, live = figures.search_success(period, scope), figures.search_success(period, scope, live=True)
    assert _figures(rolled) == _figures(live)
    return _figures(rolled)


def _scopes(board):
    return {"everyone": _scope(board), "delivery": _scope(board, team=str(board.delivery.pk)),
            "nova lead": _scope(board, board.nova_lead)}


def test_the_rollup_gives_the_figures_worked_out_by_hand_and_the_live_ones(board):
    assert rollup.lookups_roll(now=timezone.now() + LATER) > 0
    period = Period.last(30)
    assert rollup.coverage(period.start, period.end)[0] == []  # read from the rollup only
    # Six lookups in all (the five of the period, and "ancien" fifty days ago); the keystrokes
    # "remb" and "rembou" are none.
    assert sorted(Lookup.objects.values_list("failed_query", flat=True)) == [
        "", "", "", "ancien", "colis casse", "colis casse"]
    counts, failed, teams, _weeks = _both(period, _scope(board))
    assert counts == (5, 2, 1, 2) and failed == [{"query": "colis casse", "times": 2, "flagged": 1}]
    assert teams == [("Helios Contact / Delivery desk", 3, 1, 1), ("Nova Calls / Nova desk", 2, 1, 0)]
    assert _both(period, _scopes(board)["delivery"])[0] == (3, 1, 1, 1)
    assert _both(period, _scopes(board)["nova lead"])[0] == (2, 1, 0, 1)  # eva only
    assert _both(Period.last(90), _scope(board))[0] == (6, 2, 1, 3)  # "ancien" too
    today = timezone.localdate()
    assert _both(Period.between(today - 60 * DAY, today - 40 * DAY), _scope(board))[0] == (1, 0, 0, 1)
    # Weeks in a zone 13 h 45 ahead of UTC: the rollup's days are UTC days, its lookups keep their time.
    with timezone.override("Pacific/Chatham"):
        for scope in _scopes(board).values():
            _both(Period.last(90), scope)


def test_rolling_again_changes_nothing(board):
    later = timezone.now() + LATER
    days = rollup.lookups_roll(now=later)
    lookups = sorted(Lookup.objects.values_list("log_id", "user_id", "created_at", "opened", "flagged", "no_result",
                                                "failed_query"))
    records = sorted(LookupDay.objects.values_list("day", "source_rows", "source_max_id", "next_rows", "next_max_id"))
    shown = _figures(figures.search_success(Period.last(90), _scope(board)))
    assert rollup.lookups_roll(now=later) == 0  # nothing changed since
    LookupDay.objects.all().delete()  # forgotten: every day is rolled again, to the same rows
    assert rollup.lookups_roll(now=later) == days
    assert sorted(Lookup.objects.values_list("log_id", "user_id", "created_at", "opened", "flagged", "no_result",
                                             "failed_query")) == lookups
    assert sorted(LookupDay.objects.values_list("day", "source_rows", "source_max_id", "next_rows",
                                                "next_max_id")) == records
    assert _figures(figures.search_success(Period.last(90), _scope(board))) == shown


def test_only_final_days_are_rolled_and_today_is_computed_live(board):
    now = timezone.now()
    rollup.lookups_roll(now=now)
    period = Period.last(30)
    live, rolled = rollup.coverage(period.start, period.end)
    final = rollup.last_final_day(now)
    assert final <= (now - DAY).date() and LookupDay.objects.latest("day").day == final
    assert live[-1][1] == period.end and live[-1][0] == datetime.datetime.combine(
        final + DAY, datetime.time.min, tzinfo=datetime.UTC)
    assert rolled and rolled[0][0] == period.start
    _log(board.eva, "facture", now - HOUR, results=0)  # a lookup of today
    assert _both(period, _scope(board))[0] == (6, 2, 1, 3)


def test_rows_written_into_a_rolled_day_since_are_counted_at_once(board):
    rollup.lookups_roll(now=timezone.now() + LATER)
    period = Period.last(30)
    before = rollup.coverage(period.start, period.end)[0]
    assert before == []
    # A lookup written into a rolled day (at noon three days ago), then rows deleted.
    day = (timezone.now() - 3 * DAY).astimezone(datetime.UTC).date()
    _log(board.world.agent_acme, "facture", datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC),
         results=0)
    assert _both(period, _scope(board))[:2] == ((6, 2, 1, 3), [
        {"query": "colis casse", "times": 2, "flagged": 1}, {"query": "facture", "times": 1, "flagged": 0}])
    assert [(a.date(), b - a) for a, b in rollup.coverage(period.start, period.end)[0]] == [(day, DAY)]
    QueryLog.objects.filter(normalised__in=["facture", "adresse"]).delete()
    assert _both(period, _scope(board))[0] == (4, 2, 1, 2)
    assert rollup.lookups_roll(now=timezone.now() + LATER) in (1, 2, 3)  # those days again, then from the rollup
    assert rollup.coverage(period.start, period.end)[0] == []
    assert _both(period, _scope(board))[0] == (4, 2, 1, 2)


def test_a_query_extended_just_after_midnight_is_a_keystroke_once_the_next_day_changes(board):
    """The last queries of a day are extended by the next day's first KEYSTROKE: a row written
    there since makes the day before computed live again."""
    midnight = datetime.datetime.combine((timezone.now() - 7 * DAY).astimezone(datetime.UTC).date(),
                                         datetime.time.min, tzinfo=datetime.UTC)
    _log(board.eva, "fact", midnight - 5 * SECOND, results=0)
    rollup.lookups_roll(now=timezone.now() + LATER)
    period = Period.last(30)
    assert {"query": "fact", "times": 1, "flagged": 0} in _both(period, _scope(board))[1]
    _log(board.eva, "facture", midnight + 5 * SECOND)  # "fact" was a keystroke of it
    counts, failed, _teams, _weeks = _both(period, _scope(board))
    assert counts == (6, 2, 1, 2) and failed == [{"query": "colis casse", "times": 2, "flagged": 1}]
    day_before = (midnight - DAY).date()
    assert [a.date() for a, _b in rollup.coverage(period.start, period.end)[0]] == [day_before]


def test_rollup_rows_nothing_vouches_for_are_never_read(board):
    rollup.lookups_roll(now=timezone.now() + LATER)
    Lookup.objects.update(opened=True, flagged=True)  # what a stale or broken rollup could hold
    LookupDay.objects.all().delete()
    assert _both(Period.last(30), _scope(board))[0] == (5, 2, 1, 2)
    Lookup.objects.all().delete()  # a rollup that is missing: the same, from the log
    assert _both(Period.last(30), _scope(board))[0] == (5, 2, 1, 2)


def test_the_nightly_task_rolls_in_the_tenant_it_names_and_beat_schedules_it(board):
    assert settings.CELERY_BEAT_SCHEDULE["dashboard-roll-lookups"]["task"] == "dashboard.roll_lookups_everywhere"
    connection.set_schema_to_public()
    rolled = roll_lookups_task.apply(args=["acme"]).get()
    assert connection.schema_name == "public"
    connection.set_tenant(board.world.acme)
    assert rolled == LookupDay.objects.count() > 0
    assert rollup.lookups_roll() == 0


def test_the_demo_fills_the_rollup_with_its_quarter_of_lookups(world):
    from articles.demo import seed_content
    from dashboard.demo import seed_history
    from dashboard.scope import Directory, Scope
    from permissions.demo import seed_grants
    from tenants import demo

    demo.seed_people()
    seed_content()
    seed_grants()
    seed_history()
    connection.set_tenant(world.acme)
    period = Period.last(90)
    live, rolled = rollup.coverage(period.start, period.end)
    # Live: the days not final yet, and days before the demo's first lookup (nothing to read).
    assert rolled and live[-1] == (datetime.datetime.combine(rollup.last_final_day(timezone.now()) + DAY,
                                                             datetime.time.min, tzinfo=datetime.UTC), period.end)
    assert not any(QueryLog.objects.filter(created_at__gte=a, created_at__lt=b).exists() for a, b in live[:-1])
    data = figures.search_success(period, Scope(directory=Directory.of(world.acme)))
    assert data.lookups > 100 and data.opened and data.failed_queries
    assert _figures(data) == _figures(figures.search_success(period, Scope(directory=Directory.of(world.acme)),
                                                             live=True))
