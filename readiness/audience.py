"""Who must read a must-read: its audience (everyone who may read the article, client roles,
provider teams) among the people who may read the article now, through the permission layer
(`permissions.review`, the rules of `permissions.grants` for everyone at once)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from articles.models import Article
from permissions.review import article_review, client_staff, provider_people
from tenants.models import Client, ProviderOrganisation, ProviderTeam, Role, User
from tenants.selectors import teams_serving

CLIENT_ROLES = tuple(Role.values)


@dataclass(frozen=True)
class Audience:
    """Who must read, as the publisher chose it (`articles.events.ContentEvent.must_read`)."""

    everyone: bool = False
    roles: tuple[str, ...] = ()
    teams: tuple[int, ...] = ()  # ProviderTeam ids
    team_groups: tuple[int, ...] = ()  # their auth groups
    deadline: datetime.date | None = None

    @classmethod
    def parse(cls, raw: dict | None, client: Client) -> Audience:
        """From the event's dict, keeping only known client roles and the teams that work for
        `client`; nothing chosen means everyone who may read it."""
        raw = raw if isinstance(raw, dict) else {}
        roles = tuple(sorted({role for role in raw.get("roles") or () if role in CLIENT_ROLES}))
        wanted = {int(pk) for pk in raw.get("teams") or () if isinstance(pk, int) or str(pk).isdecimal()}
        teams = list(teams_serving(client).filter(pk__in=wanted).order_by("pk").values_list("pk", "group_id"))
        deadline = None
        if raw.get("deadline"):
            try:
                deadline = datetime.date.fromisoformat(str(raw["deadline"]))
            except ValueError:
                deadline = None
        everyone = bool(raw.get("everyone")) or not (roles or teams)
        return cls(everyone=everyone, roles=() if everyone else roles,
                   teams=() if everyone else tuple(pk for pk, _g in teams),
                   team_groups=() if everyone else tuple(g for _pk, g in teams), deadline=deadline)

    @classmethod
    def of(cls, must_read) -> Audience:
        return cls(everyone=must_read.everyone, roles=tuple(must_read.roles), teams=tuple(must_read.teams),
                   team_groups=tuple(must_read.team_groups), deadline=must_read.deadline)

    def includes(self, reader: Reader) -> bool:
        if self.everyone:
            return True
        if reader.role:
            return reader.role in self.roles
        return bool(reader.team_group_ids & set(self.team_groups))


@dataclass
class Reader:
    """Someone who may read the article now."""

    user: User
    role: str = ""  # client role, for client staff
    provider_id: int | None = None
    team_group_ids: set[int] = field(default_factory=set)


def readers_of(article: Article, client: Client) -> dict[int, Reader]:
    """Everyone who may read the published `article` now, by user id: the client's staff (they
    read everything published) and the provider people its grants open it to."""
    if not article.is_published:
        return {}
    readers = {m.user_id: Reader(m.user, role=m.role) for m in client_staff(client)}
    opened = {line.person.pk for line in article_review(article, client).providers}
    for user_id, person in provider_people(client).items():
        if user_id in opened and user_id not in readers:
            readers[user_id] = Reader(person.user, provider_id=person.provider.pk, team_group_ids=set(person.team_group_ids))
    return readers


@dataclass(frozen=True)
class Directory:
    """Names to group people by: the providers engaged by the client and the teams that work
    for it (a team serving another client is never named to this one)."""

    client: Client
    providers: dict[int, ProviderOrganisation]
    teams_by_group: dict[int, ProviderTeam]
    teams_by_id: dict[int, ProviderTeam]

    @classmethod
    def of(cls, client: Client) -> Directory:
        teams = list(teams_serving(client).select_related("provider").order_by("name", "pk"))
        providers = {team.provider_id: team.provider for team in teams}
        providers.update({p.pk: p for p in ProviderOrganisation.objects.filter(engagements__client=client)})
        return cls(client, providers, {t.group_id: t for t in teams}, {t.pk: t for t in teams})

    def team_of(self, reader: Reader, preferred_groups: tuple[int, ...] = ()) -> ProviderTeam | None:
        """The reader's team to list them under: one named by the audience if any, else their
        first team working for this client, by name."""
        mine = [self.teams_by_group[g] for g in reader.team_group_ids if g in self.teams_by_group]
        mine.sort(key=lambda team: (team.group_id not in preferred_groups, team.name.lower(), team.pk))
        return mine[0] if mine else None
