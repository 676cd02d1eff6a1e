"""The dashboard's figures, each computed in a constant number of statements (whatever the
number of agents, teams or events): aggregates in SQL where the rows could be many, the
small remainder (medians, teams) in Python.

Every function takes a `Period` and a `Scope` and returns plain data; `dashboard.sections`
turns it into tables and charts. Freshness and knowledge risk are about the client's content
(now), the other figures about people (within the period, and only the people of the scope).
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from articles.models import Article, Collection, Revision, Suggestion, SuggestionStatus, Verification
from readiness.models import MustRead
from tenants.models import Membership, User

from . import rollup, statements
from .scope import STAFF, Period, Scope

READY_SHARE = 0.9  # "ready": this share of the audience acknowledged


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


# --- Freshness ------------------------------------------------------------------------------


@dataclass
class Freshness:
    total: int = 0
    fresh: int = 0
    verified_in_period: int = 0
    stale_by_owner: list[dict] = field(default_factory=list)  # {"owner", "owner_id", "stale"}, most first
    stale_items: list[dict] = field(default_factory=list)  # {"title", "url", "owner", "review_by"}, oldest first

    @property
    def share(self) -> float | None:
        return share(self.fresh, self.total)

    @property
    def stale(self) -> int:
        return self.total - self.fresh


def freshness(period: Period, scope: Scope, *, today: datetime.date | None = None, limit: int = 20) -> Freshness:
    """Published, listed content: the share whose review-by date has not passed (it was
    verified, or published, within its collection's interval), stale items by owner. Four
    statements."""
    today = today or timezone.localdate()
    listed = Article.objects.published().active()
    counts = listed.aggregate(total=Count("pk"), fresh=Count("pk", filter=Q(review_by__gte=today)))
    result = Freshness(total=counts["total"], fresh=counts["fresh"])
    result.verified_in_period = Verification.objects.filter(
        verified_at__gte=period.start, verified_at__lt=period.end, article__in=listed.values("pk")).count()
    stale = listed.filter(review_by__lt=today)
    by_owner = list(stale.values("owner_id").annotate(n=Count("pk")).order_by("-n", "owner_id"))
    for row in by_owner:
        result.stale_by_owner.append({"owner_id": row["owner_id"], "owner": scope.directory.name_of(row["owner_id"])
                                      if row["owner_id"] else None, "stale": row["n"]})
    for article in stale.select_related(None).order_by("review_by", "pk")[:limit]:
        result.stale_items.append({"title": article.title, "url": article.get_absolute_url(),
                                   "owner": scope.directory.name_of(article.owner_id) if article.owner_id else None,
                                   "review_by": article.review_by})
    return result


# --- Readiness ------------------------------------------------------------------------------


@dataclass
class MustReadFigure:
    pk: int
    title: str
    number: int
    published_at: datetime.datetime
    asked: int
    done: int
    seconds_to_ready: float | None  # to READY_SHARE of the audience; None: not reached

    @property
    def share(self) -> float | None:
        return share(self.done, self.asked)


@dataclass
class Readiness:
    must_reads: list[MustReadFigure] = field(default_factory=list)
    teams: list[dict] = field(default_factory=list)  # {"key", "label", "asked", "done", "share"}, furthest behind first

    @property
    def asked(self) -> int:
        return sum(m.asked for m in self.must_reads)

    @property
    def done(self) -> int:
        return sum(m.done for m in self.must_reads)

    @property
    def share(self) -> float | None:
        return share(self.done, self.asked)

    @property
    def median_seconds_to_ready(self) -> float | None:
        return median([m.seconds_to_ready for m in self.must_reads if m.seconds_to_ready is not None])


def readiness(period: Period, scope: Scope) -> Readiness:
    """The must-reads assigned within the period: of the people of the scope asked to read
    each, the share who acknowledged it (or a later revision), the time from its publication
    until READY_SHARE of them had, and the teams furthest behind (for a lead, the must-reads on
    what their teams may read: no other title is named to them). Two statements (the
    assignees and their acknowledgements in one pass: dashboard.statements)."""
    chosen = MustRead.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
    if scope.articles is not None:
        chosen = chosen.filter(article__in=scope.articles)  # a lead: what their teams may read
    must_reads = list(
        chosen.values("pk", "article__title", "revision__number", "created_at").order_by("-created_at", "-pk"))
    if not must_reads:
        return Readiness()
    by_must_read, by_team = statements.readiness_rows(chosen, scope.agent_ids, READY_SHARE)
    counted = {must_read_id: (n, done, ready_at) for must_read_id, n, done, ready_at in by_must_read}
    result = Readiness()
    for must_read in must_reads:
        n, done, ready_at = counted.get(must_read["pk"], (0, 0, None))
        if not n:
            continue
        result.must_reads.append(MustReadFigure(
            pk=must_read["pk"], title=must_read["article__title"], number=must_read["revision__number"],
            published_at=must_read["created_at"], asked=n, done=done,
            seconds_to_ready=(ready_at - must_read["created_at"]).total_seconds() if ready_at else None))
    teams: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for staff, team_id, person_id, n, done in by_team:
        key = STAFF if staff else (str(team_id) if team_id else scope.directory.team_of(person_id))
        teams[key][0] += n
        teams[key][1] += done
    for key, (n, done) in teams.items():
        result.teams.append({"key": key, "label": scope.directory.team_label(key), "asked": n, "done": done,
                             "share": share(done, n)})
    result.teams.sort(key=lambda t: (t["share"], -t["asked"], t["label"].lower()))
    return result


# --- Search success -------------------------------------------------------------------------


@dataclass
class SearchSuccess:
    lookups: int = 0
    opened: int = 0
    flagged: int = 0
    no_result: int = 0
    failed_queries: list[dict] = field(default_factory=list)  # {"query", "times", "flagged"}, most first
    teams: list[dict] = field(default_factory=list)  # {"key", "label", "lookups", "opened", "flagged", "share"}
    weeks: list[dict] = field(default_factory=list)  # {"week", "lookups", "opened", "share"}

    @property
    def share(self) -> float | None:
        return share(self.opened, self.lookups)


def search_success(period: Period, scope: Scope, *, limit: int = 10, live: bool = False) -> SearchSuccess:
    """Share of lookups ending on an opened result, failed queries (nothing found, or "I could
    not find it", and nothing opened), by team and by week. The lookup page searches as the
    agent types, so a query the same person extended within KEYSTROKE is a keystroke of a
    longer search, not a lookup (unless they opened a result from it or flagged it). Two
    statements: which days the rollup holds (dashboard.rollup), then the lookups of the others
    from the log and of those from the rollup (dashboard.statements); `live`: the log only."""
    live_ranges, rolled_ranges = ([(period.start, period.end)], []) if live else rollup.coverage(period.start, period.end)
    rows = statements.search_rows(live_ranges, rolled_ranges, scope.agent_ids, limit)
    result = SearchSuccess()
    teams: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for user_id, n, opened, flagged, no_result in rows["person"]:
        result.lookups += n
        result.opened += opened
        result.flagged += flagged
        result.no_result += no_result
        key = scope.directory.team_of(user_id)
        for i, value in enumerate((n, opened, flagged)):
            teams[key][i] += value
    for key, (n, done, flags) in teams.items():
        result.teams.append({"key": key, "label": scope.directory.team_label(key), "lookups": n, "opened": done,
                             "flagged": flags, "share": share(done, n)})
    result.teams.sort(key=lambda t: (t["share"] if t["share"] is not None else 2, t["label"].lower()))
    result.failed_queries = [{"query": query, "times": n, "flagged": flags} for query, n, flags in rows["failed"]]
    result.weeks = [{"week": week.date(), "lookups": n, "opened": opened, "share": share(opened, n)}
                    for week, n, opened in rows["week"]]
    return result


# --- Suggestions ----------------------------------------------------------------------------


@dataclass
class Suggestions:
    proposed: int = 0
    accepted: int = 0
    rejected: int = 0
    decision_seconds: list[float] = field(default_factory=list)
    teams: list[dict] = field(default_factory=list)  # {"key", "label", "proposed", "accepted", "rejected", "median"}

    @property
    def pending(self) -> int:
        return self.proposed - self.accepted - self.rejected

    @property
    def median_seconds(self) -> float | None:
        return median(self.decision_seconds)


def suggestions(period: Period, scope: Scope) -> Suggestions:
    """The suggestions proposed within the period by the people of the scope: how many were
    accepted, rejected, and the median time to a decision, by provider team. One statement."""
    rows = Suggestion.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
    if scope.agent_ids is not None:
        rows = rows.filter(contributor_id__in=scope.agent_ids)
    result = Suggestions()
    teams: dict[str, dict] = {}
    for contributor_id, status, created_at, reviewed_at in rows.values_list(
            "contributor_id", "status", "created_at", "reviewed_at"):
        key = scope.directory.team_of(contributor_id)
        team = teams.setdefault(key, {"key": key, "label": scope.directory.team_label(key), "proposed": 0,
                                      "accepted": 0, "rejected": 0, "seconds": []})
        result.proposed += 1
        team["proposed"] += 1
        if status in (SuggestionStatus.ACCEPTED, SuggestionStatus.REJECTED):
            field_name = "accepted" if status == SuggestionStatus.ACCEPTED else "rejected"
            setattr(result, field_name, getattr(result, field_name) + 1)
            team[field_name] += 1
            if reviewed_at is not None:
                seconds = max(0.0, (reviewed_at - created_at).total_seconds())
                result.decision_seconds.append(seconds)
                team["seconds"].append(seconds)
    for team in teams.values():
        team["median"] = median(team.pop("seconds"))
        result.teams.append(team)
    result.teams.sort(key=lambda t: (-t["proposed"], t["label"].lower()))
    return result


# --- Knowledge risk -------------------------------------------------------------------------


@dataclass
class KnowledgeRisk:
    collections: int = 0  # listed collections holding published content
    single: list[dict] = field(default_factory=list)  # {"name", "url", "person", "articles"}
    orphaned: list[dict] = field(default_factory=list)  # {"title", "url", "owner"}
    orphaned_total: int = 0


def knowledge_risk(period: Period, scope: Scope, *, limit: int = 20) -> KnowledgeRisk:
    """Collections whose published content was written, reviewed and verified by one person
    only (truck factor 1, over revisions' authors and contributors, suggestion reviewers and
    verifiers), and content whose owner is no longer a member of the workspace (or whose
    account was closed). Seven statements."""
    listed = Article.objects.published().active()
    people: dict[int, set[int]] = defaultdict(set)
    articles: dict[int, int] = dict(listed.values("collection_id").annotate(n=Count("pk"))
                                    .values_list("collection_id", "n"))
    revisions = Revision.objects.filter(article__in=listed.values("pk"))
    for collection_id, author_id, contributor_id in revisions.values_list(
            "article__collection_id", "author_id", "contributor_id").distinct():
        people[collection_id].update(p for p in (author_id, contributor_id) if p)
    for collection_id, person_id in Suggestion.objects.filter(article__in=listed.values("pk"), reviewed_by__isnull=False) \
            .values_list("article__collection_id", "reviewed_by_id").distinct():
        people[collection_id].add(person_id)
    for collection_id, person_id in Verification.objects.filter(article__in=listed.values("pk")) \
            .values_list("article__collection_id", "person_id").distinct():
        people[collection_id].add(person_id)
    result = KnowledgeRisk(collections=len(articles))
    found = {pk: (name, slug) for pk, name, slug in Collection.objects.filter(pk__in=list(articles))
             .values_list("pk", "name", "slug")}
    for collection_id, n in articles.items():
        if len(people[collection_id]) <= 1:
            person = next(iter(people[collection_id]), None)
            name, slug = found.get(collection_id, ("", ""))
            result.single.append({"name": name, "slug": slug,
                                  "person": scope.directory.name_of(person) if person else None, "articles": n})
    result.single.sort(key=lambda row: (-row["articles"], row["name"].lower()))
    members = Membership.objects.filter(client_id=scope.directory.client_id or 0, user__is_active=True).values("user_id")
    orphaned = listed.filter(owner_id__isnull=False).exclude(owner_id__in=members)
    result.orphaned_total = orphaned.count()
    former = {}
    rows = list(orphaned.order_by("title", "pk").values("title", "slug", "kind", "owner_id")[:limit])
    if rows:
        former = dict(User.objects.filter(pk__in={r["owner_id"] for r in rows}).values_list("pk", "full_name"))
    for row in rows:
        result.orphaned.append({"title": row["title"], "slug": row["slug"], "kind": row["kind"],
                                "owner": former.get(row["owner_id"]) or ""})
    return result

