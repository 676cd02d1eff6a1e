"""The built-in sections of the dashboard, registered in `dashboard.registry` like any other:
each turns its figures (dashboard.figures) into headline numbers, charts (dashboard.charts)
and the tables behind them (also offered as CSV)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from readiness.selectors import duration_label

from . import charts, figures, registry
from .scope import Period, Scope


def pct(value: float | None) -> str:
    return "—" if value is None else f"{number_format(round(value * 100))} %"


def duration(seconds: float | None) -> str:
    return "—" if seconds is None else duration_label(seconds)


@dataclass
class Table:
    """A table of numbers: `rows` hold (shown, raw) cells; the CSV download writes the raw."""

    key: str
    caption: str
    headers: list[str]
    rows: list[list[tuple[str, object]]] = field(default_factory=list)
    empty: str = ""

    def add(self, *cells) -> None:
        self.rows.append([cell if isinstance(cell, tuple) else (str(cell), cell) for cell in cells])


def _share_cell(value: float | None) -> tuple[str, object]:
    return pct(value), "" if value is None else round(value, 4)


def _date_cell(day: datetime.date, raw: str | None = None) -> tuple[str, object]:
    """Shown in the product's date format (`2 Oct 2026`, `2 oct. 2026`); the CSV keeps ISO."""
    return date_format(day, "SHORT_DATE_FORMAT"), raw or day.isoformat()


def _duration_cell(seconds: float | None) -> tuple[str, object]:
    return duration(seconds), "" if seconds is None else round(seconds / 3600, 2)


# --- Freshness ------------------------------------------------------------------------------


def freshness(period: Period, scope: Scope) -> dict:
    data = figures.freshness(period, scope)
    owners = Table("freshness.owners", _("Stale items by owner"), [_("Owner"), _("Stale items")],
                   empty=_("Nothing is stale: every published item was verified within its collection's interval."))
    for row in data.stale_by_owner:
        owners.add(row["owner"] or _("No owner"), row["stale"])
    items = Table("freshness.items", _("Stale items, oldest first"), [_("Item"), _("Owner"), _("Review by")],
                  empty=owners.empty)
    for row in data.stale_items:
        items.add(row["title"], row["owner"] or _("No owner"), _date_cell(row["review_by"]))
    chart = charts.bars("chart-freshness", _("Stale items by owner"),
                        [(row["owner"] or _("No owner"), row["stale"], str(row["stale"])) for row in data.stale_by_owner[:10]])
    return {"data": data, "share": pct(data.share), "tables": [owners, items], "charts": [chart] if data.stale_by_owner else [],
            "empty": None if data.total else _("No published content yet. Publish an article, a guide or a FAQ: "
                                               "its review-by date starts its freshness.")}


# --- Readiness ------------------------------------------------------------------------------


def readiness(period: Period, scope: Scope) -> dict:
    data = figures.readiness(period, scope)
    must_reads = Table("readiness.must_reads", _("Acknowledged, by must-read"),
                       [_("Must read"), _("Revision"), _("Published"), _("Asked"), _("Acknowledged"), _("Share"),
                        _("Time to %(share)s ready") % {"share": pct(figures.READY_SHARE)}])
    for m in data.must_reads:
        published = _date_cell(timezone.localdate(m.published_at), m.published_at.isoformat())
        must_reads.add(m.title, m.number, published, m.asked, m.done, _share_cell(m.share), _duration_cell(m.seconds_to_ready))
    teams = Table("readiness.teams", _("Teams furthest behind"), [_("Team"), _("Asked"), _("Acknowledged"), _("Share")])
    for team in data.teams:
        teams.add(team["label"], team["asked"], team["done"], _share_cell(team["share"]))
    team_chart = charts.bars("chart-readiness-teams", _("Share acknowledged, teams furthest behind first"),
                             [(t["label"], t["share"] or 0, pct(t["share"])) for t in data.teams[:10]], maximum=1)
    recent = list(reversed(data.must_reads[:12]))
    line = charts.line("chart-readiness-line", _("Share acknowledged, by must-read (oldest first)"),
                       [(m.published_at.strftime("%d/%m"), m.share or 0, pct(m.share)) for m in recent])
    return {"data": data, "share": pct(data.share), "median": duration(data.median_seconds_to_ready),
            "tables": [teams, must_reads], "charts": [team_chart, line] if data.must_reads else [],
            "empty": None if data.must_reads else _(
                "No must-read change in this period. When you publish a change that people must know, choose "
                "“Must read” and who must read it; their acknowledgements show here.")}


# --- Search success -------------------------------------------------------------------------


def search(period: Period, scope: Scope) -> dict:
    data = figures.search_success(period, scope)
    failed = Table("search.failed", _("Top failed queries"), [_("Query"), _("Times"), _("“Could not find it”")],
                   empty=_("No failed lookup in this period."))
    for row in data.failed_queries:
        failed.add(row["query"], row["times"], row["flagged"])
    teams = Table("search.teams", _("Search success by team"),
                  [_("Team"), _("Lookups"), _("Ended on an opened result"), _("Share"), _("“Could not find it”")])
    for team in data.teams:
        teams.add(team["label"], team["lookups"], team["opened"], _share_cell(team["share"]), team["flagged"])
    weeks = Table("search.weeks", _("Search success by week"), [_("Week of"), _("Lookups"), _("Opened"), _("Share")])
    for week in data.weeks:
        weeks.add(_date_cell(week["week"]), week["lookups"], week["opened"],
                  _share_cell(week["share"]))
    line = charts.line("chart-search-weeks", _("Share of lookups ending on an opened result, by week"),
                       [(w["week"].strftime("%d/%m"), w["share"] or 0, pct(w["share"])) for w in data.weeks])
    bars = charts.bars("chart-search-teams", _("Share of lookups ending on an opened result, by team"),
                       [(t["label"], t["share"] or 0, pct(t["share"])) for t in data.teams[:10]], maximum=1)
    gaps = reverse("searchadmin:gaps")
    return {"data": data, "share": pct(data.share), "tables": [teams, failed, weeks], "gaps_url": gaps,
            "charts": [line, bars] if data.lookups else [],
            "empty": None if data.lookups else _(
                "No lookup in this period. Agents search from the lookup page (the home page); each search they "
                "end by opening a result counts as a success.")}


# --- Suggestions ----------------------------------------------------------------------------


def suggestions(period: Period, scope: Scope) -> dict:
    data = figures.suggestions(period, scope)
    teams = Table("suggestions.teams", _("Suggestions by provider team"),
                  [_("Team"), _("Proposed"), _("Accepted"), _("Rejected"), _("Median time to a decision")])
    for team in data.teams:
        teams.add(team["label"], team["proposed"], team["accepted"], team["rejected"], _duration_cell(team["median"]))
    chart = charts.bars("chart-suggestions", _("Suggestions of the period"), [
        (_("Accepted"), data.accepted, str(data.accepted)), (_("Rejected"), data.rejected, str(data.rejected)),
        (_("Waiting for review"), data.pending, str(data.pending))], patterns=["solid", "hatch", "dots"])
    return {"data": data, "median": duration(data.median_seconds), "tables": [teams],
            "charts": [chart] if data.proposed else [],
            "empty": None if data.proposed else _(
                "No suggestion in this period. Give a provider team “contribute” access to a collection "
                "(Access page): its agents can then propose changes for your editors to review.")}


# --- Knowledge risk -------------------------------------------------------------------------


def risk(period: Period, scope: Scope) -> dict:
    data = figures.knowledge_risk(period, scope)
    single = Table("risk.single", _("Collections known by one person only"),
                   [_("Collection"), _("Person"), _("Published items")],
                   empty=_("Every collection with published content was written, reviewed or verified by at least two people."))
    for row in data.single:
        single.add(row["name"], row["person"] or "—", row["articles"])
    orphaned = Table("risk.orphaned", _("Content whose owner has left"), [_("Item"), _("Former owner")],
                     empty=_("Every owned item's owner is still a member of the workspace."))
    for row in data.orphaned:
        orphaned.add(row["title"], row["owner"] or _("Former member"))
    return {"data": data, "tables": [single, orphaned], "charts": [],
            "empty": None if data.collections else _("No published content yet: nothing is at risk.")}


def weak_spots(period: Period, scope: Scope) -> dict:
    return {"tables": [], "charts": [], "empty": _(
        "No knowledge checks yet. When editors attach questions to the steps of a guide, the questions most "
        "often failed show here, with their steps.")}


weak_spots_placeholder = registry.Section(
    key="weak_spots", title=gettext_lazy("Weak spots"), template="dashboard/_weak_spots_empty.html",
    compute=weak_spots, order=60, placeholder=True)

BUILT_IN = [
    # key, title, template, compute, order, content (about the client's content: not for provider leads)
    ("freshness", gettext_lazy("Freshness"), "dashboard/_freshness.html", freshness, 10, True),
    ("readiness", gettext_lazy("Readiness"), "dashboard/_readiness.html", readiness, 20, False),
    ("search", gettext_lazy("Search success"), "dashboard/_search.html", search, 30, False),
    ("suggestions", gettext_lazy("Suggestions"), "dashboard/_suggestions.html", suggestions, 40, False),
    ("risk", gettext_lazy("Knowledge risk"), "dashboard/_risk.html", risk, 50, True),
]


def register_built_in() -> None:
    for key, title, template, compute, order, content in BUILT_IN:
        registry.register(key, title=title, template=template, compute=compute, order=order, for_leads=not content)
