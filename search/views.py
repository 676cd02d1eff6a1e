"""The lookup page: what a provider agent has open while a customer is on the line.

One page, `search:lookup`; an htmx request for `#lookup-results` gets only the results, so the
page refreshes as the agent types (debounced in the browser, a newer keystroke cancelling the
request in flight). Hits come from `search.engine.search`, which filters by the permission
layer before anything is counted, ranked, highlighted or suggested.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.cache import cache
from django.db import connection
from django.db.models import F, Func
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles.models import Collection, Kind, Language
from permissions.grants import provider_reach
from permissions.policy import requires
from permissions.selectors import get_article_for_user, visible_articles, visible_collections

from . import engine, selectors, services
from .models import SearchDocument

MAX_QUERY, MAX_TAG = engine.MAX_QUERY, engine.MAX_TAG
TAGS_SHOWN = 100
TAGS_CACHE_SECONDS = 60
RESULTS_TARGET = "lookup-results"


@dataclass
class Filters:
    kind: str = ""
    collection: Collection | None = None
    tag: str = ""
    language: str = ""

    @property
    def active(self) -> bool:
        return bool(self.kind or self.collection or self.tag or self.language)

    def as_params(self) -> dict[str, str]:
        params = {"kind": self.kind, "collection": self.collection.slug if self.collection else "",
                  "tag": self.tag, "language": self.language}
        return {k: v for k, v in params.items() if v}


def _read_query(request) -> tuple[str, list[str]]:
    """The query as typed (trimmed, bounded) and what was wrong with it, for the person."""
    problems = []
    query = " ".join(request.GET.get("q", "").replace("\x00", " ").split())
    if len(query) > MAX_QUERY:
        query = query[:MAX_QUERY]
        problems.append(_("Your search was shortened to its first %(n)d characters.") % {"n": MAX_QUERY})
    return query, problems


def _read_filters(request, collections: Callable[[], list[Collection]]) -> tuple[Filters, list[str]]:
    """Filters from the query string. An unknown value is dropped with a word, never an error
    page: the agent is on a call."""
    filters, problems = Filters(), []
    kind = request.GET.get("kind", "")
    if kind in Kind.values:
        filters.kind = kind
    elif kind:
        problems.append(_("Unknown kind “%(kind)s”: showing every kind.") % {"kind": kind[:40]})
    language = request.GET.get("language", "")
    if language in Language.values:
        filters.language = language
    elif language:
        problems.append(_("Unknown language: showing every language."))
    slug = request.GET.get("collection", "")
    if slug:
        filters.collection = next((c for c in collections() if c.slug == slug), None)
        if filters.collection is None:  # missing or not for this person: the same answer
            problems.append(_("That collection is not available: showing every collection."))
    tag = " ".join(request.GET.get("tag", "").replace("\x00", " ").split())
    if len(tag) > MAX_TAG:
        problems.append(_("A tag has at most %(n)d characters: the tag filter was ignored.") % {"n": MAX_TAG})
    else:
        filters.tag = tag
    return filters, problems


def _collection_choices(access) -> list[Collection]:
    """Collections the person may read, in tree order, with their depth (for the filter)."""
    collections = list(visible_collections(access).active().order_by("position", "name"))
    by_parent: dict[int | None, list[Collection]] = {}
    ids = {c.pk for c in collections}
    for c in collections:
        by_parent.setdefault(c.parent_id if c.parent_id in ids else None, []).append(c)
    ordered: list[Collection] = []

    def walk(parent, depth):
        for c in by_parent.get(parent, []):
            c.depth, c.indent = depth, "· " * depth
            ordered.append(c)
            walk(c.pk, depth + 1)

    walk(None, 0)
    return ordered


def _tag_choices(access) -> list[str]:
    """Tags of the published articles this person may read (never another's). Reading them
    costs a scan of every readable document (300 ms at 100k), so they are cached a minute,
    keyed by what the person may read: a revoked or expired grant changes the key at once."""
    if access.is_provider:
        reach = provider_reach(access)
        what = hashlib.sha256(repr((
            sorted(reach.read_collections), sorted(reach.read_articles),
        )).encode()).hexdigest()
    else:
        what = access.role
    key = f"lookup-tags:{connection.schema_name}:{what}"
    tags = cache.get(key)
    if tags is None:
        readable = visible_articles(access).active().values("pk")
        tags = sorted(
            SearchDocument.objects.filter(article__in=readable)
            .annotate(tag=Func(F("tags"), function="unnest"))
            .values_list("tag", flat=True).distinct().order_by("tag")[:TAGS_SHOWN],
            key=str.casefold,
        )
        cache.set(key, tags, TAGS_CACHE_SECONDS)
    return tags


def _hit_rows(results) -> list[dict]:
    """The hits as the results template shows them: dicts, their labels translated once per
    kind and language. A template finds a dict's keys at once, where each attribute of an
    object costs it a failed lookup first: 20 hits render in about half the time."""
    if not results:
        return []
    kinds = {kind.value: str(kind.label) for kind in Kind}
    parts: dict[str, tuple[str, str]] = {}  # language → ("Step %(n)s", "Q") in that language
    rows = []
    for hit in results.hits:
        part_label = ""
        if hit.part_title_marked:
            language = hit.language or translation.get_language()
            if language not in parts:
                with translation.override(language):
                    parts[language] = (_("Step %(n)s"), _("Q"))
            step, question = parts[language]
            anchor = hit.part_anchor
            part_label = step % {"n": anchor[5:]} if anchor.startswith("step-") else question
        rows.append({
            "link": hit.url_from(results.log_id), "title_html": hit.title_html, "kind": hit.kind,
            "kind_label": kinds.get(hit.kind, kinds[Kind.ARTICLE]), "collection_name": hit.collection_name,
            "language": hit.language, "best_bet": hit.best_bet, "stale": hit.stale, "missing": hit.missing,
            "part_label": part_label, "part_title_html": hit.part_title_html, "snippet_html": hit.snippet_html,
        })
    return rows


def _results_context(request, query: str, filters: Filters) -> dict:
    results = None
    if query:
        results = engine.search(
            request.workspace, query, kind=filters.kind or None, collection=filters.collection,
            tag=filters.tag or None, language=filters.language or None, limit=20,
            correct=request.GET.get("as_typed") != "1",
        )
    suggestions = [
        (s, reverse("search:lookup") + "?" + urlencode({"q": s, **filters.as_params()}))
        for s in (results.suggestions if results else [])
    ]
    unfiltered = reverse("search:lookup") + "?" + urlencode({"q": query}) if filters.active else ""
    as_typed = reverse("search:lookup") + "?" + urlencode({"q": query, **filters.as_params(), "as_typed": "1"})
    return {"query": query, "results": results, "hits": _hit_rows(results), "filters": filters, "suggestions": suggestions,
            "unfiltered_url": unfiltered, "as_typed_url": as_typed}


def _no_store(response: HttpResponse) -> HttpResponse:
    # The same URL answers a whole page or only the results: never let a cache mix them up.
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    patch_cache_control(response, private=True, no_store=True)
    return response


@requires("member")
def lookup(request):
    access = request.workspace
    query, problems = _read_query(request)
    collections = functools.cache(lambda: _collection_choices(access))  # a keystroke needs none
    filters, filter_problems = _read_filters(request, collections)
    problems += filter_problems
    context = _results_context(request, query, filters)
    context["problems"] = problems
    if request.htmx and request.htmx.target == RESULTS_TARGET:
        if not query:
            context["shortcuts"] = selectors.shortcuts(access)
        response = render(request, "search/_results.html", context)
        # The address bar follows the search, without the empty filters the form sends.
        params = {"q": query, **filters.as_params()} if query else filters.as_params()
        response["HX-Replace-Url"] = reverse("search:lookup") + ("?" + urlencode(params) if params else "")
        return _no_store(response)
    context.update({
        "shortcuts": selectors.shortcuts(access),
        "collections": collections(),
        "top_collections": [c for c in collections() if c.depth == 0],
        "tags": _tag_choices(access),
        "kinds": Kind.choices,
        "languages": Language.choices,
    })
    return _no_store(render(request, "search/lookup.html", context))


@requires("member")
@require_POST
def not_found(request):
    """The agent's one-click "I could not find it" on their own last query."""
    raw = request.POST.get("log", "")
    log_id = int(raw) if re.fullmatch(r"[0-9]{1,18}", raw) else 0
    flagged = log_id > 0 and services.query_flag_not_found(access=request.workspace, log_id=log_id)
    text = (_("Thank you: the editors will see this search in their content-gap report.") if flagged
            else _("This search could not be flagged (it is not one of yours, or too old). Try searching again."))
    if request.htmx:
        # 200 either way: htmx swaps only successful answers, and the person must read why.
        return render(request, "search/_flagged.html", {"text": text, "flagged": flagged})
    (messages.success if flagged else messages.error)(request, text)
    query = request.POST.get("q", "")[:MAX_QUERY]
    return redirect(reverse("search:lookup") + ("?" + urlencode({"q": query}) if query else ""))


@requires("read")
@require_POST
def pin(request, prefix, slug):
    """Pin or unpin a published article for this person's lookup page."""
    access = request.workspace
    article = get_article_for_user(request, prefix, slug)
    if request.POST.get("pinned") == "0":
        services.unpin(access=access, article=article)
        pinned, text = False, _("Unpinned.")
    else:
        services.pin(access=access, article=article)
        pinned, text = True, _("Pinned: it is one keystroke away on the lookup page.")
    if request.htmx:
        return render(request, "search/_pin.html", {"article": article, "pinned": pinned, "text": text})
    messages.success(request, text)
    return redirect(reverse("search:lookup") if request.POST.get("back") == "lookup" else article.url("read"))
