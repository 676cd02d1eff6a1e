"""Reads of notifications, always for one person in the current tenant, and always through the
permission layer: a notification about an article the person may no longer read (a grant
revoked, a team left, an engagement ended: the tenant middleware stops the last) is not shown,
not counted and not mailed, and its title never appears."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F, QuerySet
from django.http import Http404

from articles.diff import ADDED, CHANGED, MOVED, REMOVED, Section, diff_revisions
from articles.models import Article, Collection, Revision, SuggestionStatus
from permissions.grants import collection_tree, expand
from permissions.models import CollectionTeamGrant
from permissions.selectors import visible_articles, visible_collections
from tenants.models import ProviderTeam
from tenants.selectors import teams_serving

from . import hooks
from .models import Follow, Notification, ReadMark

LIST_LIMIT = 50


def visible_notifications(access) -> QuerySet[Notification]:
    return Notification.objects.filter(
        recipient_id=access.user_id, event__article__in=visible_articles(access),
    ).select_related("event__article__collection", "event__revision", "event__base_revision")


def notification_list(access, *, limit: int = LIST_LIMIT) -> list[Notification]:
    """Unread first, newest first."""
    return list(visible_notifications(access).order_by(F("read_at").asc(nulls_first=True), "-created_at")[:limit])


def get_notification_for_user(access, pk: int) -> Notification:
    notification = visible_notifications(access).filter(pk=pk).first()
    if notification is None:
        raise Http404
    return notification


@dataclass
class WhatChanged:
    """A change as one person sees it: from the revision they last read or acknowledged (or,
    when they have seen neither, the one published before), to the change's revision."""

    article: Article
    revision: Revision
    base: Revision | None
    sections: list[Section] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # "steps"/"questions" -> status -> n

    @property
    def changed_sections(self) -> list[Section]:
        return [section for section in self.sections if section.status != "unchanged"]

    @property
    def first_anchor(self) -> str:
        for section in self.changed_sections:
            if section.anchor and not section.anchor.endswith("-removed"):
                return section.anchor
        return ""


def base_for(person_id: int, article: Article, revision: Revision, default: Revision | None,
             *, read_number: int | None | bool = False) -> Revision | None:
    """The revision the person last read or acknowledged, when older than `revision`
    (`read_number`: the number of their read mark when the caller fetched it already)."""
    numbers = []
    if read_number is False:
        mark = ReadMark.objects.filter(person_id=person_id, article_id=article.pk).select_related("revision").first()
        read_number = mark.revision.number if mark is not None else None
    if read_number is not None:
        numbers.append(int(read_number))
    acknowledged = hooks.last_acknowledged(person_id, article.pk)
    if acknowledged is not None:
        numbers.append(acknowledged)
    numbers = [n for n in numbers if n < revision.number]
    if not numbers:
        return default
    best = max(numbers)
    if default is not None and default.number == best:
        return default
    return Revision.objects.filter(article_id=article.pk, number=best).first() or default


def what_changed(notification: Notification, person_id: int, *, read_number: int | None | bool = False) -> WhatChanged:
    event = notification.event
    article = event.article
    revision = event.revision or article.live_revision
    base = (base_for(person_id, article, revision, event.base_revision, read_number=read_number)
            if revision is not None else None)
    result = WhatChanged(article=article, revision=revision, base=base)  # type: ignore[arg-type]
    if revision is None or base is None or base.pk == revision.pk:
        return result
    result.sections = diff_revisions(base.content(), revision.content(), article.kind)
    for section in result.sections:
        group = "steps" if section.anchor.startswith("step-") else "questions" if section.anchor.startswith("faq-") else ""
        if group and section.status in (ADDED, REMOVED, CHANGED, MOVED):
            result.counts.setdefault(group, {}).setdefault(section.status, 0)
            result.counts[group][section.status] += 1
    return result


def read_numbers(person_ids, article_ids) -> dict[tuple[int, int], int]:
    """(person, article) -> the number of the revision they last read, for many at once."""
    return {(person, article): number for person, article, number in ReadMark.objects.filter(
        person_id__in=list(person_ids), article_id__in=list(article_ids)).values_list("person_id", "article_id", "revision__number")}


def work_waiting(access) -> dict[str, int]:
    """Counts where work waits: suggestions to review (editors), open must-reads (readiness)."""
    from articles.models import Suggestion

    counts = {}
    if access.can_edit:
        counts["suggestions"] = Suggestion.objects.filter(status=SuggestionStatus.PENDING).count()
    counts["must_reads"] = len(hooks.open_must_reads(access.user_id))
    return counts


def follows_of(access) -> dict:
    """What the person follows (and, for tenant admins and provider leads, what their teams
    follow), kept to what they may see."""
    mine = Follow.objects.filter(person_id=access.user_id)
    return {
        "collections": list(visible_collections(access).filter(pk__in=mine.values("collection_id")).order_by("name")),
        "articles": list(visible_articles(access, drafts=True).filter(pk__in=mine.values("article_id")).order_by("title")),
    }


def is_following(person_id: int, *, collection=None, article=None) -> bool:
    target = {"collection": collection} if collection is not None else {"article": article}
    return Follow.objects.filter(person_id=person_id, **target).exists()


# --- Team follows ------------------------------------------------------------------------------


def managed_teams(access) -> list[ProviderTeam] | None:
    """The teams whose follows this person manages: a tenant admin, the teams serving the
    client; a provider lead, their own provider's teams working for it; nobody else (None)."""
    if access.is_admin:
        return list(teams_serving(access.client).select_related("provider").order_by("provider__name", "name"))
    if access.is_provider_lead:
        return list(ProviderTeam.objects.filter(provider_id=access.provider_id, clients=access.client)
                    .select_related("provider").order_by("name"))
    return None


def _reached(group_ids: list[int], tree=None) -> set[int]:
    direct = set(CollectionTeamGrant.objects.active().filter(group_id__in=group_ids)
                 .values_list("content_object_id", flat=True))
    return expand(direct, tree if tree is not None else collection_tree()) if direct else set()


def team_collections(access, teams: list[ProviderTeam]) -> QuerySet[Collection]:
    """The collections the teams can be made to follow: for an admin every collection; for a
    lead only those the teams' active grants reach now."""
    if access.is_admin:
        return visible_collections(access).active().order_by("name")
    return Collection.objects.active().filter(pk__in=_reached([team.group_id for team in teams])).order_by("name")


def team_follows(access, teams: list[ProviderTeam]) -> list[tuple[Follow, ProviderTeam | None]]:
    """The follows of the teams, with their team. For a lead, only where that team's active
    grants still reach the collection (a revoked grant hides the collection's name); for an
    admin, the collections they see."""
    follows = list(Follow.objects.filter(team__in=teams, collection__in=visible_collections(access) if access.is_admin
                                         else Collection.objects.all())
                   .select_related("collection").order_by("collection__name"))
    by_pk = {team.pk: team for team in teams}
    if not access.is_admin:
        tree = collection_tree()
        reach = {team.pk: _reached([team.group_id], tree) for team in teams}
        follows = [f for f in follows if f.collection_id in reach.get(f.team_id, set())]
    return [(follow, by_pk.get(follow.team_id)) for follow in follows]
