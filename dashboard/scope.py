"""What the dashboard is about: a period, and whose figures (everyone, one provider company,
one team), with the directory of people that places each person in a company and a team.

The directory is read once per page, in three statements whatever the number of people."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from permissions.review import provider_people
from permissions.selectors import visible_articles
from tenants.models import Client, Membership, ProviderTeam
from tenants.selectors import WorkspaceAccess, teams_serving

PERIODS = {"30": 30, "90": 90, "365": 365}
PERIOD_LABELS = {"30": gettext_lazy("Last 30 days"), "90": gettext_lazy("Last 90 days"),
                 "365": gettext_lazy("Last 365 days"), "custom": gettext_lazy("Custom")}
DEFAULT_PERIOD = "90"
CUSTOM_MAX_DAYS = 3 * 366

STAFF = "staff"  # the team key of the client's own staff
NO_TEAM = "none"  # ...of provider people in no team working for this client


@dataclass(frozen=True)
class Period:
    key: str  # "30", "90", "365" or "custom"
    start: datetime.datetime  # inclusive
    end: datetime.datetime  # exclusive

    @classmethod
    def last(cls, days: int, *, key: str = "", now: datetime.datetime | None = None) -> Period:
        end = now or timezone.now()
        return cls(key=key or str(days), start=end - datetime.timedelta(days=days), end=end)

    @classmethod
    def between(cls, first: datetime.date, last: datetime.date) -> Period:
        """From the start of `first` to the end of `last` (local days)."""
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
        end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
        return cls(key="custom", start=start, end=end)

    @property
    def label(self) -> str:
        if self.key in PERIODS:
            return str(PERIOD_LABELS[self.key])
        last = timezone.localtime(self.end - datetime.timedelta(microseconds=1)).date()
        return _("%(start)s to %(end)s") % {"start": timezone.localtime(self.start).date().isoformat(),
                                             "end": last.isoformat()}


@dataclass(frozen=True)
class Person:
    user_id: int
    name: str
    provider_id: int | None  # None: client staff
    team_key: str  # str(team pk), STAFF or NO_TEAM


@dataclass
class Directory:
    """The people of the workspace placed in companies and teams (only the teams that work for
    this client are ever named to it)."""

    providers: dict[int, str] = field(default_factory=dict)  # provider id: name
    teams: dict[str, ProviderTeam] = field(default_factory=dict)  # team key: team
    people: dict[int, Person] = field(default_factory=dict)
    staff_ids: frozenset[int] = frozenset()
    client_id: int | None = None

    @classmethod
    def of(cls, client: Client) -> Directory:
        teams = list(teams_serving(client).select_related("provider").order_by("name", "pk"))
        directory = cls(teams={str(team.pk): team for team in teams}, client_id=client.pk)
        by_group = {team.group_id: team for team in teams}
        staff = {m.user_id: m.user for m in Membership.objects.filter(client=client).select_related("user")}
        directory.staff_ids = frozenset(staff)
        for user_id, user in staff.items():
            directory.people[user_id] = Person(user_id, user.get_full_name(), None, STAFF)
        for user_id, person in provider_people(client).items():
            directory.providers[person.provider.pk] = person.provider.name
            mine = sorted((by_group[g] for g in person.team_group_ids if g in by_group),
                          key=lambda team: (team.name.lower(), team.pk))
            key = str(mine[0].pk) if mine else NO_TEAM
            directory.people[user_id] = Person(user_id, person.user.get_full_name(), person.provider.pk, key)
        for team in teams:
            directory.providers.setdefault(team.provider_id, team.provider.name)
        return directory

    def team_label(self, key: str | None) -> str:
        if key == STAFF or key is None:
            return _("Client staff")
        if key == NO_TEAM:
            return _("No team")
        team = self.teams.get(key)
        return f"{team.provider.name} / {team.name}" if team else _("Former team")

    def team_of(self, user_id: int | None) -> str:
        person = self.people.get(user_id) if user_id is not None else None
        return person.team_key if person else NO_TEAM

    def name_of(self, user_id: int | None) -> str:
        person = self.people.get(user_id) if user_id is not None else None
        return person.name if person else _("Former member")


@dataclass(frozen=True)
class Scope:
    """Whose figures: `agent_ids` None is everyone (client staff included); otherwise only
    these people count, everywhere on the page."""

    directory: Directory
    provider_id: int | None = None
    team_key: str = ""
    agent_ids: frozenset[int] | None = None
    lead: bool = False  # a provider lead's view: their own people, no content figures
    # For a lead: the articles their company's teams may read here (a subquery of pks); only
    # those are named to them. None: client staff, who see the whole workspace.
    articles: Any = None

    @property
    def label(self) -> str:
        if self.team_key:
            return self.directory.team_label(self.team_key)
        if self.provider_id is not None:
            return self.directory.providers.get(self.provider_id, "")
        return _("Everyone")


def scope_for(access: WorkspaceAccess, directory: Directory, *, provider: str = "", team: str = "") -> Scope:
    """The scope `access` asked for, within what they may see: client editors and admins choose
    any company and team of this workspace; a provider lead gets their own company's people,
    and may narrow to one of its teams. A choice outside that is ignored (never widened)."""
    lead = not access.can_edit
    provider_id: int | None = int(provider) if provider.isdecimal() and len(provider) < 12 else None
    if lead:
        provider_id = access.provider_id
    if provider_id is not None and provider_id not in directory.providers:
        provider_id = None if not lead else provider_id
    team_key = team if team in directory.teams else ""
    if team_key and provider_id is not None and directory.teams[team_key].provider_id != provider_id:
        team_key = ""
    if team_key and provider_id is None:
        provider_id = directory.teams[team_key].provider_id
    if provider_id is None and not team_key:
        return Scope(directory=directory)
    agents = frozenset(
        person.user_id for person in directory.people.values()
        if person.provider_id == provider_id and (not team_key or person.team_key == team_key)
    )
    articles = None
    if lead:
        groups = tuple(sorted(team.group_id for team in directory.teams.values() if team.provider_id == provider_id))
        articles = visible_articles(dataclasses.replace(access, team_group_ids=groups)).values("pk")
    return Scope(directory=directory, provider_id=provider_id, team_key=team_key, agent_ids=agents, lead=lead,
                 articles=articles)
