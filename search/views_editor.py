"""Search tuning for client editors (admins and editors; everyone else gets a 404): the
content-gap report (what agents searched for and did not find, what they found unhelpful),
synonyms and best bets.

Thin views: filters and forms in, one selector or service, render or redirect. Synonyms,
best bets and query logs are tenant rows (schema isolation); articles are always resolved
through the permission layer (`visible_articles`, the search engine).
"""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit import services as audit
from audit.models import Action
from audit.services import Actor
from permissions.policy import requires
from permissions.selectors import visible_articles

from . import engine, selectors, services
from .forms import BestBetForm, GapFilterForm, SynonymForm
from .models import Synonym

GAP_ROWS = 50
EXPORT_ROWS = 1000
SYNONYMS_PER_PAGE = 100
ARTICLE_OPTIONS = 30


# --- content gaps ---------------------------------------------------------------------------

def _gap_filters(request, *, warn: bool = True) -> tuple[str, str]:
    """The period and team asked for; anything else falls back (with a message, on a page) to
    this week and every team."""
    period, team = selectors.DEFAULT_PERIOD, ""
    asked_period = request.GET.get("period", "")
    asked_team = request.GET.get("team", "")
    if asked_period in selectors.PERIODS:
        period = asked_period
    elif asked_period and warn:
        messages.warning(request, _("Unknown period: showing this week."))
    if asked_team and selectors.is_team_key(asked_team):
        team = asked_team
    elif asked_team and warn:
        messages.warning(request, _("Unknown team: showing every team."))
    return period, team


@requires("edit")
@require_GET
def gaps(request):
    period, team = _gap_filters(request)
    since = selectors.period_start(period)
    client_id = request.tenant.pk
    teams = selectors.gap_teams(client_id, since=since)
    return render(request, "search/manage/gaps.html", {
        "form": GapFilterForm({"period": period, "team": team}, teams=teams),
        "period": period,
        "team": team,
        "team_name": selectors.team_label(team) if team else "",
        "since": since,
        "queries": selectors.failed_queries(client_id, since=since, team=team, limit=GAP_ROWS),
        "totals": selectors.failed_totals(client_id, since=since, team=team),
        "unhelpful": selectors.unhelpful_articles(request.workspace, since=since),
        "current": "gaps",
    })


def _cell(value) -> str:
    """Text a spreadsheet shows as text: a leading =, +, - or @ would make it a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@requires("edit")
@require_GET
def gaps_export(request):
    """The failed queries of the period as CSV, one row per query and team; audited."""
    period, team = _gap_filters(request, warn=False)
    since = selectors.period_start(period)
    queries = selectors.failed_queries(request.tenant.pk, since=since, team=team, limit=EXPORT_ROWS)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Query"), _("As typed"), _("Team"), _("Failed searches"), _("No result"),
                     _("Could not find it"), _("Last seen")])
    rows = 0
    for query in queries:
        for row in query.teams:
            writer.writerow([_cell(v) for v in (
                query.normalised, query.example, row["label"], row["times"], row["no_result"], row["flagged"],
                timezone.localtime(row["last"]).isoformat(timespec="seconds"),
            )])
            rows += 1
    audit.record(Action.EXPORT, label=_("Content gaps"), actor=Actor.from_request(request),
                 detail={"what": "content-gaps", "format": "csv", "rows": rows, "period": period, "team": team})
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"{request.tenant.schema_name}-content-gaps-{period}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- synonyms -------------------------------------------------------------------------------

def _save_synonym(request, form: SynonymForm, synonym: Synonym | None = None) -> Synonym | None:
    if not form.is_valid():
        return None
    try:
        if synonym is None:
            return services.synonym_create(term=form.cleaned_data["term"], synonyms=form.words())
        return services.synonym_update(synonym=synonym, term=form.cleaned_data["term"], synonyms=form.words())
    except ValidationError as error:
        form.add_service_errors(error)
        return None


@requires("edit")
def synonyms(request):
    """The tenant's synonym groups, and the form to add one (prefilled from `?term=`)."""
    if request.method == "POST":
        form = SynonymForm(request.POST)
        synonym = _save_synonym(request, form)
        if synonym is not None:
            messages.success(request, _("Synonyms saved: “%(group)s”. New searches use them within a minute.")
                             % {"group": synonym})
            return redirect("searchadmin:synonyms")
        status = 400
    else:
        form = SynonymForm(initial={"term": request.GET.get("term", "")[:100]})
        status = 200
    page = Paginator(Synonym.objects.order_by("term"), SYNONYMS_PER_PAGE).get_page(request.GET.get("page"))
    groups = list(page.object_list)
    reach = selectors.synonym_reach(request.workspace, groups)
    return render(request, "search/manage/synonyms.html", {
        "form": form, "page": page, "groups": [(group, reach.get(group.pk)) for group in groups],
        "current": "synonyms",
    }, status=status)


@requires("edit")
def synonym_edit(request, pk):
    synonym = selectors.get_synonym_for_editor(request, pk)
    if request.method == "POST":
        form = SynonymForm(request.POST)
        if _save_synonym(request, form, synonym) is not None:
            messages.success(request, _("Synonyms saved: “%(group)s”. New searches use them within a minute.")
                             % {"group": synonym})
            return redirect("searchadmin:synonyms")
        status = 400
    else:
        form = SynonymForm(initial={"term": synonym.term, "synonyms": ", ".join(synonym.synonyms)})
        status = 200
    return render(request, "search/manage/synonym_edit.html", {
        "form": form, "synonym": synonym, "current": "synonyms",
    }, status=status)


@requires("edit")
@require_POST
def synonym_delete(request, pk):
    synonym = selectors.get_synonym_for_editor(request, pk)
    label = str(synonym)
    services.synonym_delete(synonym=synonym)
    messages.success(request, _("Synonyms deleted: “%(group)s”.") % {"group": label})
    return redirect("searchadmin:synonyms")


# --- best bets ------------------------------------------------------------------------------

def _pinnable(access):
    """What an editor may pin: the published, active articles the permission layer shows them."""
    return visible_articles(access).active()


def _article_options(access, text: str, selected=None) -> list[tuple[int, str]]:
    """A bounded list for the article select: the engine's matches for `text` (accents, typos,
    the word being typed), or the latest published articles; the selected one always in it."""
    text = " ".join(text.split())[:200]
    if text:
        hits = engine.search(access, text, limit=ARTICLE_OPTIONS, log=False).hits
        options = [(hit.article_id, f"{hit.title} — {hit.collection_name}") for hit in hits]
    else:
        latest = _pinnable(access).select_related("collection").order_by("-last_published_at", "-pk")[:ARTICLE_OPTIONS]
        options = [(a.pk, f"{a.title} — {a.collection.name}") for a in latest]
    if selected is not None and selected.pk not in {pk for pk, _label in options}:
        options.insert(0, (selected.pk, f"{selected.title} — {selected.collection.name}"))
    return options


@requires("edit")
def best_bets(request):
    """Best bets by query, and the form to pin one (prefilled from `?query=`; `?find=` filters
    the article list without JavaScript, the typeahead does it as one types)."""
    access = request.workspace
    articles = _pinnable(access).select_related("collection")
    if request.method == "POST":
        form = BestBetForm(request.POST, articles=articles, options=[])
        if form.is_valid():
            try:
                bet = services.best_bet_pin(query=form.cleaned_data["query"], article=form.cleaned_data["article"],
                                            acting_user=request.user)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("“%(title)s” now comes first for “%(query)s”.")
                                 % {"title": bet.article.title, "query": bet.query})
                return redirect("searchadmin:best-bets")
        # The list again: matches for the query, and the article chosen (if it may be pinned).
        find = request.POST.get("query", "")
        form.fields["article"].widget.choices = [
            ("", _("— choose an article —")), *_article_options(access, find, form.cleaned_data.get("article"))]
        status = 400
    else:
        query = request.GET.get("query", "")[:200]
        find = request.GET.get("find", "") or query
        form = BestBetForm(initial={"query": query}, articles=articles, options=_article_options(access, find))
        status = 200
    return render(request, "search/manage/best_bets.html", {
        "form": form, "find": find, "groups": selectors.best_bets_by_query(), "current": "best-bets",
    }, status=status)


@requires("edit")
@require_GET
def article_options(request):
    """The typeahead of the pin form: `<option>`s for the article select."""
    return render(request, "search/manage/_article_options.html", {
        "options": _article_options(request.workspace, request.GET.get("find", "")),
    })


@requires("edit")
@require_POST
def best_bet_move(request, pk):
    bet = selectors.get_best_bet_for_editor(request, pk)
    services.best_bet_move(bet=bet, offset=-1 if request.POST.get("direction") == "up" else 1)
    return redirect("searchadmin:best-bets")


@requires("edit")
@require_POST
def best_bet_delete(request, pk):
    bet = selectors.get_best_bet_for_editor(request, pk)
    services.best_bet_remove(bet=bet)
    messages.success(request, _("“%(title)s” is no longer pinned for “%(query)s”.")
                     % {"title": bet.article.title, "query": bet.query})
    return redirect("searchadmin:best-bets")
