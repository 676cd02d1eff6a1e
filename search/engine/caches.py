"""Per-tenant caches read on every query (synonyms, team labels), and synonyms applied to terms."""

from __future__ import annotations

import time
from dataclasses import replace

from django.db import connection

from tenants.selectors import WorkspaceAccess

from .. import query as parsing
from ..text import normalise
from .limits import CACHE_SECONDS, PREPARE_UP_TO

_cache: dict[tuple, tuple[float, object]] = {}
CACHE_MAX = 4096  # entries per process: a key can hold what a person typed (a tag filter)


def cached(key: tuple, load):
    """`load()`, kept CACHE_SECONDS under `key` (which names the tenant) in this process;
    at most CACHE_MAX entries, the expired and then the oldest dropped first."""
    now = time.monotonic()
    hit = _cache.get(key)
    if hit is not None and now - hit[0] < CACHE_SECONDS:
        return hit[1]
    value = load()
    if len(_cache) >= CACHE_MAX:
        _evict(now)
    _cache[key] = (now, value)
    return value


def _evict(now: float) -> None:
    for key, (at, _) in list(_cache.items()):  # a copy: other threads may add meanwhile
        if now - at >= CACHE_SECONDS:
            _cache.pop(key, None)
    while len(_cache) >= CACHE_MAX:
        _cache.pop(next(iter(_cache)), None)  # the oldest inserted


def clear_caches() -> None:
    _cache.clear()


def synonyms() -> dict[str, tuple[str, ...]]:
    """word → the other words of its group(s), for the current tenant."""

    def load():
        from ..models import Synonym

        groups: dict[str, set[str]] = {}
        for term, others in Synonym.objects.values_list("term", "synonyms"):
            group = {normalise(w) for w in [term, *others] if normalise(w)}
            for word in group:
                groups.setdefault(word, set()).update(group - {word})
        return {word: tuple(sorted(others)) for word, others in groups.items()}

    return cached(("synonyms", connection.schema_name), load)


def prepare_here() -> bool:
    """Whether the current tenant's search statements run prepared: always unless
    PREPARE_UP_TO is set, then if it has at most that many search documents (a bounded count)."""

    if PREPARE_UP_TO is None:
        return True
    if PREPARE_UP_TO <= 0:
        return False

    def load():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM (SELECT 1 FROM search_searchdocument LIMIT %s) AS d",
                           [PREPARE_UP_TO + 1])
            return cursor.fetchone()[0] <= PREPARE_UP_TO

    return cached(("small", connection.schema_name), load)


def team_label(access: WorkspaceAccess) -> str:
    if not access.is_provider:
        return str(access.label)

    def load():
        from permissions.models import ArticleTeamGrant, CollectionTeamGrant
        from tenants.models import ProviderTeam

        # Only the teams that work in this tenant (they hold a grant here): a team named after
        # another client of the provider must not show in this client's reports.
        here = {
            group_id
            for model in (CollectionTeamGrant, ArticleTeamGrant)
            for group_id in model.objects.filter(group_id__in=access.team_group_ids).values_list("group_id", flat=True)
        }
        names = ProviderTeam.objects.filter(group_id__in=here).values_list("name", flat=True)
        return ", ".join(sorted(names))[:150] or str(access.label)

    return cached(("team", connection.schema_name, access.provider_id, access.team_group_ids), load)


SYNONYM_WORDS_MAX = 4  # words of a synonym matched across several terms ("money back")


def with_synonyms(terms: list[parsing.Term]) -> list[parsing.Term]:
    """The terms with their synonyms as alternatives. Words typed side by side that make a
    synonym of several words ("money back", "team leader") become one phrase term with the
    synonyms of that phrase."""
    table = synonyms()
    if not table:
        return terms
    out: list[parsing.Term] = []
    n = 0
    while n < len(terms):
        merged = None
        for size in range(min(SYNONYM_WORDS_MAX, len(terms) - n), 1, -1):
            run = terms[n:n + size]
            if any(t.phrase or t.negated or len(t.words) != 1 for t in run) or any(
                    t.or_before or t.prefix for t in run[1:-1]) or run[0].prefix or any(
                    t.or_before for t in run[1:]):
                continue
            key = " ".join(t.text for t in run)
            if key in table:
                merged = parsing.Term(words=tuple(t.text for t in run), phrase=True,
                                      or_before=run[0].or_before, alternatives=table[key])
                n += size
                break
        if merged is not None:
            out.append(merged)
            continue
        term = terms[n]
        found = table.get(term.text, ())
        out.append(replace(term, alternatives=term.alternatives + found) if found else term)
        n += 1
    return out
