"""The access review: who can see or contribute to a collection or an article and why, what
one person can reach and why, and what each team of a provider can reach in a tenant.

Reads only, for the tenant the connection is on. The rules are permissions.grants' own: the
reasons come from `grants_opening` / `explain_reach`, which are built on the same `expand` as
`provider_reach`, and a person's articles come from the access layer itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from articles.models import Article, Collection
from tenants.models import (
    Client,
    Membership,
    ProviderMembership,
    ProviderOrganisation,
    ProviderRole,
    ProviderTeam,
    Role,
    User,
)
from tenants.selectors import WorkspaceAccess, providers_engaged_by, workspace_access

from .grants import collection_tree, explain_reach, grants_opening, strongest_level
from .models import ArticlePersonGrant, ArticleTeamGrant, CollectionPersonGrant, CollectionTeamGrant, Level
from .selectors import visible_articles, visible_collections

EDIT = "edit"


def level_label(level: str) -> str:
    return _("Edit") if level == EDIT else Level(level).label


# --- Who is who in a tenant ----------------------------------------------------------------


@dataclass
class ProviderPerson:
    user: User
    provider: ProviderOrganisation
    role: str
    team_group_ids: set[int] = field(default_factory=set)

    @property
    def role_label(self) -> str:
        return f"{self.provider.name} · {ProviderRole(self.role).label}"


def provider_people(client: Client) -> dict[int, ProviderPerson]:
    """The provider people who can open `client`'s workspace, by user id: active people of a
    provider with an active engagement who serve this client (leads serve every client of
    their provider), with the auth groups of their teams; client staff are left out (they see
    as staff). This is the rule of tenants.selectors.workspace_access, in two queries for
    everyone instead of three per person; tests check that they agree."""
    staff_ids = Membership.objects.filter(client=client).values("user_id")
    memberships = (
        ProviderMembership.objects.filter(Q(role=ProviderRole.LEAD) | Q(clients=client))
        .filter(provider__in=providers_engaged_by(client), user__is_active=True)
        .exclude(user_id__in=staff_ids)
        .select_related("user", "provider")
        .order_by("user__full_name", "user__email", "pk")
    )
    people: dict[int, ProviderPerson] = {}
    for membership in memberships:
        people.setdefault(membership.user_id, ProviderPerson(membership.user, membership.provider, membership.role))
    rows = ProviderTeam.members.through.objects.filter(user_id__in=list(people)).values_list(
        "user_id", "providerteam__provider_id", "providerteam__group_id"
    )
    for user_id, provider_id, group_id in rows:
        person = people[user_id]
        if person.provider.pk == provider_id:
            person.team_group_ids.add(group_id)
    return people


def client_staff(client: Client) -> list[Membership]:
    return list(
        Membership.objects.filter(client=client, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def teams_by_group() -> dict[int, ProviderTeam]:
    return {team.group_id: team for team in ProviderTeam.objects.select_related("provider")}


# --- Reasons ------------------------------------------------------------------------------


def grantee_label(grant, teams: dict[int, ProviderTeam]) -> str:
    group_id = getattr(grant, "group_id", None)
    if group_id is None:
        return _("Personal grant")
    team = teams.get(group_id)
    return _("Team %(team)s") % {"team": f"{team.provider.name} / {team.name}" if team else "?"}


def _until(grant) -> str:
    if grant.expires_at is None:
        return ""
    return " " + _("(until %(date)s)") % {
        "date": date_format(timezone.localtime(grant.expires_at), "SHORT_DATETIME_FORMAT")}


def grant_reason(grant, where: str, teams: dict[int, ProviderTeam]) -> str:
    return _("%(grantee)s: %(level)s on %(where)s") % {
        "grantee": grantee_label(grant, teams), "level": Level(grant.level).label.lower(), "where": where,
    } + _until(grant)


def _where_collection(grant, subject_id: int, names: dict[int, str]) -> str:
    if grant.content_object_id == subject_id:
        return _("this collection")
    return _("%(name)s (a parent collection)") % {"name": names.get(grant.content_object_id, "?")}


def _where_article(grant, article: Article, names: dict[int, str]) -> str:
    if isinstance(grant, (ArticlePersonGrant, ArticleTeamGrant)):
        if article.confidential:
            return _("this article (named directly: it is confidential)")
        return _("this article")
    if grant.content_object_id == article.collection_id:
        return _("%(name)s (the collection holding it)") % {"name": names.get(grant.content_object_id, "?")}
    return _("%(name)s (a parent of its collection)") % {"name": names.get(grant.content_object_id, "?")}


def _staff_reason(role: str) -> str:
    if role == Role.VIEWER:
        return _("Client staff (%(role)s): reads everything published, confidential included") % {
            "role": Role(role).label}
    return _("Client staff (%(role)s): reads and edits everything, confidential included") % {
        "role": Role(role).label}


def _staff_level(role: str) -> str:
    return Level.READ if role == Role.VIEWER else EDIT


# --- One collection or article: who and why -------------------------------------------------


@dataclass
class Line:
    person: User
    side: str  # "client" or "provider"
    role: str
    level: str
    reasons: list[str]

    @property
    def level_label(self) -> str:
        return level_label(self.level)


@dataclass
class Review:
    target: Collection | Article
    staff: list[Line]
    providers: list[Line]
    notes: list[str]

    @property
    def lines(self) -> list[Line]:
        return self.staff + self.providers


def _chain(pk: int, tree) -> list[int]:
    """The collection, then its parents up to the root."""
    chain, seen = [], set()
    node: int | None = pk
    while node is not None and node in tree and node not in seen:
        seen.add(node)
        chain.append(node)
        node = tree[node][0]
    return chain


def _holds(grant, person: ProviderPerson) -> bool:
    group_id = getattr(grant, "group_id", None)
    return grant.user_id == person.user.pk if group_id is None else group_id in person.team_group_ids


def _active_collection_grants() -> list:
    return [
        *CollectionTeamGrant.objects.active().select_related("permission"),
        *CollectionPersonGrant.objects.active().select_related("permission", "user"),
    ]


def _blocked_notes(grants, opening, chain, tree, names, teams, *, confidential_article: bool = False) -> list[str]:
    """Grants on the collection chain that do not reach the subject, and why: a confidential
    collection between them and it (or the article itself being confidential)."""
    notes = []
    index = {pk: i for i, pk in enumerate(chain)}
    opened = {id(grant) for grant in opening}
    for grant in grants:
        i = index.get(grant.content_object_id)
        if i is None:
            continue
        where = names.get(grant.content_object_id, "?")
        if confidential_article and id(grant) in opened:
            notes.append(_("%(grant)s on %(where)s does not reach this article: it is confidential.") % {
                "grant": grantee_label(grant, teams), "where": where})
        elif id(grant) not in opened:
            barrier = next(chain[j] for j in range(i - 1, -1, -1) if tree[chain[j]][1])
            notes.append(_("%(grant)s on %(where)s does not reach this: %(barrier)s is confidential.") % {
                "grant": grantee_label(grant, teams), "where": where, "barrier": names.get(barrier, "?")})
    return notes


def _provider_lines(people: dict[int, ProviderPerson], reasons_of) -> list[Line]:
    lines = []
    for person in people.values():
        grants = reasons_of(person)
        if grants:
            lines.append(Line(person.user, "provider", person.role_label, strongest_level(g for g, _w in grants),
                              [reason for _g, reason in grants]))
    return lines


def _unreached_notes(grants, people: dict[int, ProviderPerson], teams) -> list[str]:
    notes = []
    for grant in grants:
        if not any(_holds(grant, person) for person in people.values()):
            notes.append(_("%(grant)s reaches nobody who currently works for you.") % {
                "grant": grantee_label(grant, teams) if getattr(grant, "group_id", None) else str(grant.user)})
    return notes


def collection_review(collection: Collection, client: Client) -> Review:
    tree = collection_tree()
    chain = _chain(collection.pk, tree)
    names = dict(Collection.objects.filter(pk__in=chain).values_list("pk", "name"))
    teams = teams_by_group()
    people = provider_people(client)
    grants = [grant for grant in _active_collection_grants() if grant.content_object_id in set(chain)]
    opening = grants_opening(grants, tree).get(collection.pk, [])
    reasons = [(grant, grant_reason(grant, _where_collection(grant, collection.pk, names), teams)) for grant in opening]
    staff = [Line(m.user, "client", Role(m.role).label, _staff_level(m.role), [_staff_reason(m.role)])
             for m in client_staff(client)]
    providers = _provider_lines(people, lambda person: [(g, r) for g, r in reasons if _holds(g, person)])
    notes = _blocked_notes(grants, opening, chain, tree, names, teams) + _unreached_notes(opening, people, teams)
    if collection.confidential:
        notes.insert(0, _("This collection is confidential: only a grant naming it opens it to provider people."))
    if not opening:
        notes.append(_("No grant opens this collection: provider people cannot see it."))
    return Review(collection, staff, providers, notes)


def article_review(article: Article, client: Client) -> Review:
    tree = collection_tree()
    chain = _chain(article.collection_id, tree)
    names = dict(Collection.objects.filter(pk__in=chain).values_list("pk", "name"))
    teams = teams_by_group()
    people = provider_people(client)
    published = article.is_published
    staff = [Line(m.user, "client", Role(m.role).label, _staff_level(m.role), [_staff_reason(m.role)])
             for m in client_staff(client) if published or m.role != Role.VIEWER]
    notes: list[str] = []
    if not published:
        notes.append(_("This article is not published yet: only tenant admins and editors see it; provider "
                       "people and viewers see published content only."))
        return Review(article, staff, [], notes)
    collection_grants = [grant for grant in _active_collection_grants() if grant.content_object_id in set(chain)]
    via_collection = grants_opening(collection_grants, tree).get(article.collection_id, [])
    direct = [*ArticleTeamGrant.objects.active().filter(content_object=article).select_related("permission"),
              *ArticlePersonGrant.objects.active().filter(content_object=article).select_related("permission", "user")]
    opening = direct + ([] if article.confidential else via_collection)
    reasons = [(grant, grant_reason(grant, _where_article(grant, article, names), teams)) for grant in opening]
    providers = _provider_lines(people, lambda person: [(g, r) for g, r in reasons if _holds(g, person)])
    if article.confidential:
        notes.append(_("This article is confidential: only a grant naming it opens it to provider people."))
    notes += _blocked_notes(collection_grants, via_collection, chain, tree, names, teams,
                            confidential_article=article.confidential)
    notes += _unreached_notes(opening, people, teams)
    if not opening:
        notes.append(_("No grant opens this article: provider people cannot see it."))
    return Review(article, staff, providers, notes)


# --- One person: everything they reach and why ----------------------------------------------


@dataclass
class Item:
    obj: Collection | Article
    level: str
    reasons: list[str]

    @property
    def level_label(self) -> str:
        return level_label(self.level)

    @property
    def kind(self) -> str:
        return "collection" if isinstance(self.obj, Collection) else "article"


@dataclass
class PersonReview:
    person: User
    role: str
    access: WorkspaceAccess
    collections: list[Item]
    articles: list[Item]


def person_review(person: User, client: Client) -> PersonReview | None:
    """Everything `person` reaches in `client`'s workspace, from the access layer itself, with
    the reason for each; None when the person cannot open the workspace."""
    access = workspace_access(person, client)
    if access is None:
        return None
    if access.is_client_staff:
        reason = [_staff_reason(access.role)]
        level = _staff_level(access.role)
        collections = [Item(c, level, reason) for c in visible_collections(access).order_by("name")]
        articles = [Item(a, level, reason) for a in
                    visible_articles(access, drafts=True).select_related("collection").order_by("title")]
        return PersonReview(person, Role(access.role).label, access, collections, articles)
    tree = collection_tree()
    explained = explain_reach(access, tree)
    teams = teams_by_group()
    names = dict(Collection.objects.values_list("pk", "name"))
    collections = []
    for collection in visible_collections(access).order_by("name"):
        grants = explained.collections.get(collection.pk, [])
        collections.append(Item(collection, strongest_level(grants), [
            grant_reason(g, _where_collection(g, collection.pk, names), teams) for g in grants]))
    articles = []
    for article in visible_articles(access).select_related("collection").order_by("title"):
        grants = list(explained.articles.get(article.pk, []))
        if not article.confidential:
            grants += explained.collections.get(article.collection_id, [])
        articles.append(Item(article, strongest_level(grants), [
            grant_reason(g, _where_article(g, article, names), teams) for g in grants]))
    role = f"{ProviderOrganisation.objects.get(pk=access.provider_id).name} · {ProviderRole(access.provider_role).label}"
    return PersonReview(person, role, access, collections, articles)


def reviewable_people(client: Client) -> tuple[list[Membership], list[ProviderPerson]]:
    """The people an admin may review: client staff and provider people serving the client."""
    return client_staff(client), list(provider_people(client).values())


# --- A provider's teams in a tenant (the provider lead's view) ------------------------------


@dataclass
class TeamReach:
    team: ProviderTeam
    members: list[User]
    collections: list[Item]
    articles: list[Item]


def teams_reach(provider_id: int, client: Client) -> list[TeamReach]:
    """For each team of the provider: what the client's grants open to it in this tenant, and
    nothing else (published articles only; no client staff named)."""
    serving = provider_people(client)
    teams = list(ProviderTeam.objects.filter(provider_id=provider_id).select_related("provider")
                 .prefetch_related("members").order_by("name"))
    by_group = {team.group_id: team for team in teams}
    group_ids = list(by_group)
    collection_grants = list(CollectionTeamGrant.objects.active().filter(group_id__in=group_ids)
                             .select_related("permission"))
    article_grants = list(ArticleTeamGrant.objects.active().filter(group_id__in=group_ids)
                          .select_related("permission", "content_object").order_by("content_object__title"))
    tree = collection_tree() if collection_grants else {}
    collections = Collection.objects.in_bulk([pk for pk in tree]) if tree else {}
    names = {pk: c.name for pk, c in collections.items()}
    result = []
    for team in teams:
        opened = grants_opening([g for g in collection_grants if g.group_id == team.group_id], tree)
        reached = sorted((collections[pk] for pk in opened), key=lambda c: c.name.lower())
        items = [Item(c, strongest_level(opened[c.pk]),
                      [grant_reason(g, _where_collection(g, c.pk, names), by_group) for g in opened[c.pk]])
                 for c in reached]
        direct = [Item(g.content_object, g.level, [grant_reason(g, _("this article"), by_group)])
                  for g in article_grants if g.group_id == team.group_id and g.content_object.is_published]
        members = [user for user in team.members.all() if user.pk in serving]
        result.append(TeamReach(team, sorted(members, key=str), items, direct))
    return result
