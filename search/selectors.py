"""Reads about searches: the content-gap report (failed queries by team, not-helpful feedback)
and the editors' lists of synonyms and best bets. Run inside the tenant."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Concat, RowNumber
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from articles.models import Article, Feedback
from permissions.selectors import visible_articles
from tenants.models import Membership, ProviderRole, Role
from tenants.selectors import WorkspaceAccess

from .models import BestBet, PersonalShortcut, QueryLog, Synonym

# The periods of the report: key → days back from now. The first one is the default.
PERIODS = {"week": 7, "month": 30}
DEFAULT_PERIOD = "week"
# Team keys: "staff" (client staff), "none" (a provider person in no team), "team:<name>".
STAFF, NO_TEAM, TEAM_PREFIX = "staff", "none", "team:"
COMMENTS_PER_ARTICLE = 5
KEYSTROKE = datetime.timedelta(seconds=20)


def content_gaps(*, since: datetime.datetime | None = None, limit: int = 50) -> list[dict]:
    """Top failed queries (no result, or flagged "could not find it"), by query and team."""
    since = since or timezone.now() - datetime.timedelta(days=7)
    return list(
        QueryLog.objects.filter(Q(results=0) | Q(flagged_not_found=True), created_at__gte=since)  # type: ignore[arg-type]  # django-stubs cannot see annotated fields
        .exclude(normalised="")
        .values("normalised", "team")
        .annotate(times=Count("id"), flagged=Count("id", filter=Q(flagged_not_found=True)), last=Max("created_at"))
        .order_by("-times", "-last")[:limit]
    )


def period_start(period: str) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=PERIODS[period])


# --- who searched: the team of a logged query -----------------------------------------------

def _labels(choices) -> list[str]:
    """Every translation of these choices' labels: the engine logs the label of the person's
    role (client staff, or a provider person in no team) in the language of the request."""
    labels: set[str] = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            labels.update(str(label) for label in choices.labels)
    return sorted(labels)


def _team_key(client_id: int) -> Case:
    """SQL for the team key of a QueryLog row. `search.engine.team_label` logs client staff
    under their role label and provider people under their team names, or their provider role
    when they are in no team; people who are client staff of this tenant count as client staff
    whatever was logged."""
    staff = Membership.objects.filter(client_id=client_id).values("user_id")
    return Case(
        When(Q(team__in=_labels(Role)) | Q(user_id__in=staff), then=Value(STAFF)),
        When(Q(team="") | Q(team__in=_labels(ProviderRole)), then=Value(NO_TEAM)),
        default=Concat(Value(TEAM_PREFIX), F("team")),
        output_field=CharField(),
    )


def team_label(key: str) -> str:
    if key == STAFF:
        return _("Client staff")
    if key == NO_TEAM:
        return _("No team")
    return key.removeprefix(TEAM_PREFIX)


def is_team_key(key: str) -> bool:
    team_max = QueryLog._meta.get_field("team").max_length or 0
    return key in (STAFF, NO_TEAM) or (key.startswith(TEAM_PREFIX) and 0 < len(key) - len(TEAM_PREFIX) <= team_max)


def _failed(client_id: int, *, since: datetime.datetime, team: str = "") -> QuerySet[QueryLog]:
    """Failed searches of the period. The lookup page searches as the agent types, so "remb"
    then "rembou" are keystrokes of one search, not searches: a query the same person extended
    within KEYSTROKE_SECONDS does not count (unless they flagged it)."""
    extended = QueryLog.objects.filter(
        user_id=OuterRef("user_id"), id__gt=OuterRef("id"), normalised__startswith=OuterRef("normalised"),
        created_at__lte=ExpressionWrapper(OuterRef("created_at") + KEYSTROKE, output_field=DateTimeField()),
    )
    logs = (
        QueryLog.objects.filter(Q(results=0) | Q(flagged_not_found=True), created_at__gte=since)
        .exclude(normalised="")
        .filter(Q(flagged_not_found=True) | Q(user_id__isnull=True) | ~Exists(extended))
        .annotate(team_key=_team_key(client_id))
    )
    return logs.filter(team_key=team) if team else logs


def gap_teams(client_id: int, *, since: datetime.datetime) -> list[tuple[str, str]]:
    """(key, label) of every team with a failed query in the period: client staff first, then
    the teams by name, then "No team"."""
    keys = set(_failed(client_id, since=since).values_list("team_key", flat=True).distinct())  # type: ignore[misc]  # django-stubs cannot see annotated fields
    order = {STAFF: 0, NO_TEAM: 2}
    return [(key, team_label(key)) for key in sorted(keys, key=lambda k: (order.get(k, 1), k.lower()))]


@dataclass
class FailedQuery:
    normalised: str
    example: str  # one of the forms typed (accents and capitals as typed)
    times: int
    no_result: int
    flagged: int
    last: datetime.datetime
    teams: list[dict]  # {"key", "label", "times", "no_result", "flagged", "last"}, most first


class LatestTyped(Aggregate):
    """The form of a query typed last (accents and capitals as typed), without an array of
    every form: `(array_agg(query ORDER BY created_at DESC))[1]`."""

    function = "array_agg"
    template = "(%(function)s(%(expressions)s ORDER BY created_at DESC, id DESC))[1]"
    output_field = CharField()


COUNTS = {
    "times": Count("id"),
    "no_result": Count("id", filter=Q(results=0)),
    "flagged": Count("id", filter=Q(flagged_not_found=True)),
    "last": Max("created_at"),
}


def failed_queries(client_id: int, *, since: datetime.datetime, team: str = "", limit: int = 50) -> list[FailedQuery]:
    """The most frequent failed queries of the period (no result, or "I could not find it"),
    grouped by normalised query, each with its counts per team. Two statements, whatever the
    number of rows."""
    logs = _failed(client_id, since=since, team=team)
    top = list(
        logs.values("normalised").annotate(example=LatestTyped("query"), **COUNTS).order_by("-times", "-last", "normalised")[:limit]  # type: ignore[misc]  # django-stubs cannot see annotated fields
    )
    by_query: dict[str, list[dict]] = {}
    rows = (
        logs.filter(normalised__in=[row["normalised"] for row in top])  # type: ignore[misc]  # django-stubs cannot see annotated fields
        .values("normalised", "team_key").annotate(**COUNTS)
    )
    for row in top:
        row["example"] = " ".join((row["example"] or row["normalised"]).split())
    for row in rows:
        key = row.pop("team_key")
        by_query.setdefault(row.pop("normalised"), []).append({"key": key, "label": team_label(key), **row})
    return [
        FailedQuery(teams=sorted(by_query.get(row["normalised"], []), key=lambda t: (-t["times"], t["label"].lower())),  # type: ignore[call-arg]  # django-stubs cannot see annotated fields
                    **row)
        for row in top
    ]


def failed_totals(client_id: int, *, since: datetime.datetime, team: str = "") -> dict:
    """How many failed searches, and how many different queries, in the period."""
    return _failed(client_id, since=since, team=team).aggregate(
        searches=Count("id"), queries=Count("normalised", distinct=True))


# --- not-helpful feedback -------------------------------------------------------------------

@dataclass
class UnhelpfulArticle:
    article: Article
    no: int
    yes: int
    last: datetime.datetime
    comments: list[Feedback]  # the latest "no" votes with a comment, newest first


def unhelpful_articles(access: WorkspaceAccess, *, since: datetime.datetime, limit: int = 20) -> list[UnhelpfulArticle]:
    """Articles (among those this person may see) with the most "not helpful" votes in the
    period, with the latest comments. Three statements, whatever the number of rows."""
    visible = visible_articles(access, drafts=True).values("pk")
    votes = list(
        Feedback.objects.filter(created_at__gte=since, revision__article__in=visible)
        .values("revision__article")
        .annotate(no=Count("id", filter=Q(helpful=False)), yes=Count("id", filter=Q(helpful=True)),
                  last=Max("created_at", filter=Q(helpful=False)))
        .filter(no__gt=0)
        .order_by("-no", "-last", "revision__article")[:limit]
    )
    ids = [row["revision__article"] for row in votes]
    articles = Article.objects.select_related("collection").in_bulk(ids)
    comments: dict[int, list[Feedback]] = {}
    latest = (
        Feedback.objects.filter(created_at__gte=since, helpful=False, revision__article_id__in=ids)
        .exclude(reason="")
        .annotate(rank=Window(RowNumber(), partition_by=F("revision__article_id"),
                              order_by=[F("created_at").desc(), F("pk").desc()]))
        .filter(rank__lte=COMMENTS_PER_ARTICLE)
        .select_related("revision").order_by("-created_at", "-pk")
    )
    for feedback in latest:
        comments.setdefault(feedback.revision.article_id, []).append(feedback)
    return [
        UnhelpfulArticle(article=articles[row["revision__article"]], no=row["no"], yes=row["yes"], last=row["last"],
                         comments=comments.get(row["revision__article"], []))
        for row in votes if row["revision__article"] in articles
    ]


# --- best bets ------------------------------------------------------------------------------

def best_bets_by_query() -> list[tuple[str, list[BestBet]]]:
    """Every best bet, grouped by query, in the order the results show them."""
    groups: dict[str, list[BestBet]] = {}
    bets = BestBet.objects.select_related("article", "article__collection").order_by("query", "position", "pk")
    for bet in bets:
        groups.setdefault(bet.query, []).append(bet)
    return list(groups.items())


# --- The lookup page's shortcuts (pinned and recently opened procedures) ----------------------

SHORTCUTS_SHOWN = 9  # one keystroke each: Alt+1 … Alt+9


def is_pinned(*, access: WorkspaceAccess, article: Article) -> bool:
    return PersonalShortcut.objects.filter(user_id=access.user_id, kind=PersonalShortcut.Kind.PINNED, article=article).exists()


def shortcuts(access: WorkspaceAccess) -> dict[str, list[Article]]:
    """{"pinned": [...], "recent": [...]}, each at most SHORTCUTS_SHOWN, readable now, published, not
    archived; an article pinned is not repeated among the recent ones. One query."""
    rows = (
        PersonalShortcut.objects.filter(user_id=access.user_id)
        .filter(article__in=visible_articles(access).active().filter(live_revision__isnull=False))
        .select_related("article", "article__collection")
        .order_by("kind", "-at")
    )
    pinned: list[Article] = []
    recent: list[Article] = []
    for row in rows:
        (pinned if row.kind == PersonalShortcut.Kind.PINNED else recent).append(row.article)
    pinned_ids = {a.pk for a in pinned}
    recent = [a for a in recent if a.pk not in pinned_ids]
    return {"pinned": pinned[:SHORTCUTS_SHOWN], "recent": recent[: max(0, SHORTCUTS_SHOWN - len(pinned[:SHORTCUTS_SHOWN]))]}


# --- Search tuning (client editors) -------------------------------------------------------------


def _editor(request_or_access) -> None:
    """Client editors and admins only (the request's workspace, or a WorkspaceAccess)."""
    access = getattr(request_or_access, "workspace", request_or_access)
    if not isinstance(access, WorkspaceAccess) or not access.can_edit:
        raise Http404


def get_synonym_for_editor(request, pk: int) -> Synonym:
    """A synonym group of this tenant, for its editors; 404 for anyone else and a missing one."""
    _editor(request)
    synonym = Synonym.objects.filter(pk=pk).first()
    if synonym is None:
        raise Http404
    return synonym


def get_best_bet_for_editor(request, pk: int) -> BestBet:
    """A best bet of this tenant, with its article, for its editors; 404 otherwise."""
    _editor(request)
    bet = BestBet.objects.select_related("article").filter(pk=pk).first()
    if bet is None:
        raise Http404
    return bet


# --- where a synonym group applies ------------------------------------------------------------

REACH_COUNTED = 50  # articles counted per group ("50+")
REACH_SHOWN = 3  # titles shown per group

REACH_SQL = """
WITH allowed AS NOT MATERIALIZED ({visible})
SELECT g.id,
       (SELECT count(*) FROM (SELECT 1 FROM search_searchdocument d
                              WHERE d.vector @@ g.q AND d.article_id IN (SELECT id FROM allowed)
                              LIMIT {counted}) AS x) AS n,
       ARRAY(SELECT p.title FROM (SELECT d.title, d.title_vector FROM search_searchdocument d
                                  WHERE d.vector @@ g.q AND d.article_id IN (SELECT id FROM allowed)
                                  LIMIT {counted}) AS p
             ORDER BY ts_rank(p.title_vector, g.q) DESC, p.title LIMIT {shown}) AS titles
FROM (SELECT u.id, public.kb_words(u.words) AS q FROM unnest(%(ids)s::bigint[], %(words)s::text[]) AS u(id, words)) AS g
"""


@dataclass(frozen=True)
class Reach:
    count: int  # articles, up to REACH_COUNTED + 1
    titles: tuple[str, ...]  # the best matching ones, at most REACH_SHOWN

    @property
    def label(self) -> str:
        return f"{REACH_COUNTED}+" if self.count > REACH_COUNTED else str(self.count)


def synonym_reach(access: WorkspaceAccess, groups) -> dict[int, Reach]:
    """For each synonym group, the published articles this person may read that a search for
    any word of the group reaches (the synonym editor shows it): one statement per page."""
    from django.core.exceptions import EmptyResultSet
    from django.db import connection

    from .engine.sql import _visible_sql

    groups = list(groups)
    if not groups:
        return {}
    params: dict = {}
    try:
        visible = _visible_sql(access, params)
    except EmptyResultSet:
        return {group.pk: Reach(0, ()) for group in groups}

    def words(group) -> str:
        return " or ".join(f'"{w}"' if " " in w else w for w in [group.term, *group.synonyms])

    params.update(ids=[g.pk for g in groups], words=[words(g) for g in groups])
    sql = REACH_SQL.format(visible=visible, counted=REACH_COUNTED + 1, shown=REACH_SHOWN)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {pk: Reach(n, tuple(titles)) for pk, n, titles in cursor.fetchall()}
