"""Writes an editor (synonyms, best bets) or an agent ("I could not find it") makes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from articles.models import Article
from tenants.selectors import WorkspaceAccess

from . import engine
from .models import BestBet, QueryLog, Synonym
from .text import normalise


def synonym_set(*, term: str, synonyms: list[str]) -> Synonym:
    """`term` ≈ each of `synonyms` (both ways). Takes effect within a minute everywhere."""
    key = normalise(term)
    others = [w for w in dict.fromkeys(normalise(s) for s in synonyms) if w and w != key]
    if not key or not others:
        raise ValidationError(_("Give a word and at least one synonym."))
    synonym, _created = Synonym.objects.update_or_create(term=key, defaults={"synonyms": others})
    engine.clear_caches()
    return synonym


def best_bet_add(*, query: str, article: Article, position: int = 0, acting_user=None) -> BestBet:
    key = normalise(query)
    if not key:
        raise ValidationError(_("Give the query this article answers."))
    bet, _created = BestBet.objects.update_or_create(
        query=key, article=article,
        defaults={"position": position, "created_by_id": getattr(acting_user, "pk", None)},
    )
    return bet


def query_flag_not_found(*, access: WorkspaceAccess, log_id: int) -> bool:
    """The agent's "I could not find it" on one of their own queries."""
    return bool(QueryLog.objects.filter(pk=log_id, user_id=access.user_id).update(flagged_not_found=True))
