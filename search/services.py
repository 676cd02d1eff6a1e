"""Writes an editor (synonyms, best bets) or an agent ("I could not find it") makes.

Synonyms are applied when a query is parsed (`search.engine.caches.with_synonyms`), never stored in
the index: changing them needs no re-indexing. The engine keeps each tenant's synonym table in
a per-process cache for `engine.CACHE_SECONDS` (60 s); every write here clears this process's
cache at once (and again after commit, so that no request re-reads the old table in between),
and other server processes pick the change up within a minute. Best bets are read by the
search statement itself: they take effect on the next query.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article
from tenants.selectors import WorkspaceAccess

from . import engine
from .models import BestBet, PersonalShortcut, QueryLog, Synonym
from .text import normalise

FLAG_WITHIN = datetime.timedelta(days=1)

WORD_MAX_LENGTH: int = Synonym._meta.get_field("term").max_length or 100  # 100, for the term and each synonym
SYNONYMS_MAX = 20
QUERY_MAX_LENGTH: int = BestBet._meta.get_field("query").max_length or 200  # 200


def _synonyms_changed() -> None:
    engine.clear_caches()
    transaction.on_commit(engine.clear_caches)


def synonym_set(*, term: str, synonyms: list[str]) -> Synonym:
    """`term` ≈ each of `synonyms` (both ways), replacing the group of `term` if it has one.
    Lenient (duplicates dropped): the editor's screens use `synonym_create`/`synonym_update`,
    which explain what is wrong instead. Takes effect within a minute everywhere."""
    key = normalise(term)
    others = [w for w in dict.fromkeys(normalise(s) for s in synonyms) if w and w != key]
    if not key or not others:
        raise ValidationError(_("Give a word and at least one synonym."))
    synonym, _created = Synonym.objects.update_or_create(term=key, defaults={"synonyms": others})
    _synonyms_changed()
    return synonym


def starter_synonyms_seed() -> int:
    """Seed the starter synonyms (`search.starter`) into the current tenant, both languages,
    without touching a word that already has a group. Returns how many groups were added."""
    from . import starter

    taken = set(Synonym.objects.values_list("term", flat=True))
    for others in Synonym.objects.values_list("synonyms", flat=True):
        taken.update(others)
    added = []
    for term, synonyms in starter.groups():
        key = normalise(term)
        others = [w for w in dict.fromkeys(normalise(s) for s in synonyms) if w and w != key]
        if key in taken or not others:
            continue
        taken.add(key)
        added.append(Synonym(term=key, synonyms=others))
    Synonym.objects.bulk_create(added, ignore_conflicts=True)
    if added:
        _synonyms_changed()
    return len(added)


def _too_long(word: str) -> str:
    return _("“%(word)s…” is too long: at most %(limit)d characters.") % {
        "word": word[:30], "limit": WORD_MAX_LENGTH}


def synonym_group_clean(*, term: str, synonyms: list[str], exclude_pk: int | None = None) -> tuple[str, list[str]]:
    """The normalised term and synonyms of a group, or a ValidationError keyed by field
    ("term", "synonyms") that says what is wrong: empty, too long, no letters, given twice
    (accents and capitals do not count), the term itself among its synonyms, too many, or a
    term that already has a group (edit that one instead: two groups for one word would be
    merged silently by the engine)."""
    errors: dict[str, list[str]] = {}
    key = normalise(term)
    if not (term or "").strip():
        errors.setdefault("term", []).append(_("Give the word agents type."))
    elif not key:
        errors.setdefault("term", []).append(_("“%(word)s” has no letter or digit.") % {"word": term.strip()[:30]})
    elif len(key) > WORD_MAX_LENGTH:
        errors.setdefault("term", []).append(_too_long(key))
    elif Synonym.objects.filter(term=key).exclude(pk=exclude_pk).exists():  # type: ignore[misc]  # pk=None: none
        errors.setdefault("term", []).append(
            _("“%(word)s” already has synonyms: edit that group instead.") % {"word": key})
    others: list[str] = []
    for raw in synonyms:
        raw = (raw or "").strip()
        if not raw:
            continue
        word = normalise(raw)
        if not word:
            message = _("“%(word)s” has no letter or digit.") % {"word": raw[:30]}
        elif len(word) > WORD_MAX_LENGTH:
            message = _too_long(word)
        elif word == key:
            message = _("“%(word)s” is the word itself: it always finds itself.") % {"word": raw}
        elif word in others:
            message = _("“%(word)s” is given twice (accents and capitals do not count).") % {"word": raw}
        else:
            others.append(word)
            continue
        errors.setdefault("synonyms", []).append(message)
    if not others and "synonyms" not in errors:
        errors["synonyms"] = [_("Give at least one synonym.")]
    elif len(others) > SYNONYMS_MAX:
        errors.setdefault("synonyms", []).append(
            _("At most %(limit)d synonyms in one group.") % {"limit": SYNONYMS_MAX})
    if errors:
        raise ValidationError(errors)
    return key, others


def synonym_create(*, term: str, synonyms: list[str]) -> Synonym:
    key, others = synonym_group_clean(term=term, synonyms=synonyms)
    synonym = Synonym.objects.create(term=key, synonyms=others)
    _synonyms_changed()
    return synonym


def synonym_update(*, synonym: Synonym, term: str, synonyms: list[str]) -> Synonym:
    key, others = synonym_group_clean(term=term, synonyms=synonyms, exclude_pk=synonym.pk)
    synonym.term, synonym.synonyms = key, others
    synonym.save(update_fields=["term", "synonyms"])
    _synonyms_changed()
    return synonym


def synonym_delete(*, synonym: Synonym) -> None:
    synonym.delete()
    _synonyms_changed()


# --- best bets ------------------------------------------------------------------------------

def best_bet_add(*, query: str, article: Article, position: int = 0, acting_user=None) -> BestBet:
    """Pin `article` for `query` (normalised) at `position`, or move it there if pinned."""
    key = normalise(query)
    if not key:
        raise ValidationError(_("Give the query this article answers."))
    bet, _created = BestBet.objects.update_or_create(
        query=key, article=article,
        defaults={"position": position, "created_by_id": getattr(acting_user, "pk", None)},
    )
    return bet


def best_bet_pin(*, query: str, article: Article, acting_user=None) -> BestBet:
    """The editor's "pin this article for this query": after the articles already pinned for
    it. Pinning the same article twice is an error, not a silent move. `article` must come
    from the permission layer (the editor's visible, published articles)."""
    key = normalise(query)
    if not key:
        raise ValidationError({"query": [_("Give the query this article answers.")]})
    if len(key) > QUERY_MAX_LENGTH:
        raise ValidationError({"query": [_("This query is too long: at most %(limit)d characters.")
                                         % {"limit": QUERY_MAX_LENGTH}]})
    with transaction.atomic():
        pinned = BestBet.objects.select_for_update().filter(query=key)
        if pinned.filter(article=article).exists():
            raise ValidationError({"article": [_("This article is already pinned for “%(query)s”.") % {"query": key}]})
        last = pinned.aggregate(last=Max("position"))["last"]
        return best_bet_add(query=key, article=article, position=0 if last is None else last + 1,
                            acting_user=acting_user)


def best_bet_move(*, bet: BestBet, offset: int) -> None:
    """Move a pinned article up (offset -1) or down (+1) among the bets of its query; the
    positions are renumbered 0, 1, 2… so that ties left by older writes disappear."""
    with transaction.atomic():
        bets = list(BestBet.objects.select_for_update().filter(query=bet.query).order_by("position", "pk"))
        index = next((n for n, b in enumerate(bets) if b.pk == bet.pk), None)
        if index is None:
            return  # removed meanwhile
        target = max(0, min(len(bets) - 1, index + offset))
        bets.insert(target, bets.pop(index))
        for position, each in enumerate(bets):
            each.position = position
        BestBet.objects.bulk_update(bets, ["position"])


def best_bet_remove(*, bet: BestBet) -> None:
    bet.delete()


# --- "I could not find it" ------------------------------------------------------------------

def query_flag_not_found(*, access: WorkspaceAccess, log_id: int) -> bool:
    """The agent's "I could not find it" on one of their own queries, while it is still fresh
    (a day: the button sits under the results they are looking at)."""
    fresh = timezone.now() - FLAG_WITHIN
    return bool(QueryLog.objects.filter(pk=log_id, user_id=access.user_id, created_at__gte=fresh)
                .update(flagged_not_found=True))


def result_opened(*, access: WorkspaceAccess, article: Article, log_id: str) -> bool:
    """The lookup ended on `article`: one UPDATE, on the person's own fresh query, the first
    open only (a link copied or reloaded later records nothing)."""
    if not log_id.isdecimal() or len(log_id) > 18:
        return False
    fresh = timezone.now() - FLAG_WITHIN
    return bool(QueryLog.objects.filter(pk=int(log_id), user_id=access.user_id, created_at__gte=fresh,
                                        opened_article_id__isnull=True)
                .update(opened_article_id=article.pk, opened_at=timezone.now()))


# --- The lookup page's memory of one person: pinned and recently opened procedures -----------
# (read back by `selectors.shortcuts`, through the permission layer every time, so that a
# shortcut never outlives the access that made it)

RECENT_KEPT = 20


def _upsert(*, user_id: int, kind: str, article: Article) -> None:
    PersonalShortcut.objects.bulk_create(
        [PersonalShortcut(user_id=user_id, kind=kind, article=article, at=timezone.now())],
        update_conflicts=True, unique_fields=["user_id", "kind", "article"], update_fields=["at"],
    )


def opened(*, access: WorkspaceAccess, article: Article) -> None:
    """Remember that this person opened `article` (the reading page calls it). Two queries:
    the upsert, and trimming what is past the RECENT_KEPT most recent."""
    _upsert(user_id=access.user_id, kind=PersonalShortcut.Kind.RECENT, article=article)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""DELETE FROM {PersonalShortcut._meta.db_table} WHERE user_id = %s AND kind = %s AND id NOT IN (
                  SELECT id FROM {PersonalShortcut._meta.db_table} WHERE user_id = %s AND kind = %s
                  ORDER BY at DESC LIMIT %s)""",
            [access.user_id, PersonalShortcut.Kind.RECENT, access.user_id, PersonalShortcut.Kind.RECENT, RECENT_KEPT],
        )


def pin(*, access: WorkspaceAccess, article: Article) -> None:
    _upsert(user_id=access.user_id, kind=PersonalShortcut.Kind.PINNED, article=article)


def unpin(*, access: WorkspaceAccess, article: Article) -> None:
    PersonalShortcut.objects.filter(user_id=access.user_id, kind=PersonalShortcut.Kind.PINNED, article=article).delete()
