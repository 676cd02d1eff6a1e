"""Reads: what a person must read, the acknowledgement page's state, and readiness (who has
acknowledged a must-read, who has not, who is late) for editors and for a provider's lead.

Everything goes through the permission layer: a person sees a must-read only while they may
read its article (`permissions.selectors.visible_articles`), and readiness counts the people of
the audience who may read it now (`readiness.audience.readers_of`); who was assigned and lost
access since is listed as "no longer has access", never as late.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, Revision
from permissions.selectors import visible_articles
from tenants.models import Client, Role, User
from tenants.selectors import WorkspaceAccess

from .audience import Audience, Directory, readers_of
from .models import Acknowledgement, Assignee, MustRead

DONE = "done"
PENDING = "pending"
OVERDUE = "overdue"
NO_ACCESS = "no_access"
STATUSES = (DONE, PENDING, OVERDUE, NO_ACCESS)


def status_label(status: str) -> str:
    return {DONE: _("acknowledged"), PENDING: _("not yet"), OVERDUE: _("overdue"),
            NO_ACCESS: _("no longer has access")}[status]


# --- What a person must read --------------------------------------------------------------------


def _audience_q(access: WorkspaceAccess) -> Q:
    if access.is_client_staff:
        return Q(everyone=True) | Q(roles__contains=[access.role])
    if access.team_group_ids:
        return Q(everyone=True) | Q(team_groups__overlap=list(access.team_group_ids))
    return Q(everyone=True)


def _acknowledged(user_id: int) -> Exists:
    """An acknowledgement by the person of this must-read's revision or a later one."""
    return Exists(Acknowledgement.objects.filter(
        person_id=user_id, article_id=OuterRef("article_id"), revision__number__gte=OuterRef("revision__number")))


def pending_for(access: WorkspaceAccess) -> QuerySet[MustRead]:
    """The open must-reads this person has not acknowledged: assigned to them, or whose
    audience they are in now, on articles they may read now. Deadlines first."""
    assigned = Exists(Assignee.objects.filter(must_read=OuterRef("pk"), person_id=access.user_id))
    return (
        MustRead.objects.open()
        .filter(article__in=visible_articles(access).values("pk"))  # open() leaves archived ones out
        .filter(assigned | _audience_q(access))
        .exclude(assigned_by_id=access.user_id)
        .exclude(_acknowledged(access.user_id))
        .select_related("article", "revision")
        .order_by("deadline", "created_at", "pk")
    )


def pending_count(access: WorkspaceAccess | None) -> int:
    """How many must-reads wait for this person (the bell and home pages show it)."""
    if access is None:
        return 0
    return pending_for(access).count()


@dataclass
class AckState:
    """What the acknowledgement page of one article shows this person."""

    article: Article
    live: Revision | None
    must_read: MustRead | None  # open and not acknowledged by them
    last: Acknowledgement | None  # their latest acknowledgement of this article
    base: Revision | None  # what the diff is measured from

    @property
    def asked(self) -> bool:
        return self.must_read is not None and self.live is not None


def ack_state(access: WorkspaceAccess, article: Article) -> AckState:
    """`article` is found through the permission layer by the caller."""
    must_read = pending_for(access).filter(article=article).order_by("-revision__number").first()
    last = (Acknowledgement.objects.filter(person_id=access.user_id, article=article)
            .select_related("revision").order_by("-revision__number").first())
    base: Revision | None
    if last is not None:
        base = last.revision
    elif must_read is not None:
        base = must_read.base_revision
    else:
        base = None
    return AckState(article, article.live_revision, must_read, last, base)


# --- Readiness ----------------------------------------------------------------------------------


@dataclass
class Row:
    person: User
    status: str
    assigned_at: datetime.datetime
    acknowledged_at: datetime.datetime | None
    acknowledged_revision: int | None
    company: str
    team: str
    provider_id: int | None  # None: client staff

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def seconds_to_acknowledge(self) -> float | None:
        if self.acknowledged_at is None:
            return None
        return max(0.0, (self.acknowledged_at - self.assigned_at).total_seconds())


@dataclass
class Figures:
    """Over the people who may read it now (the ones who lost access are counted apart)."""

    assigned: int = 0
    done: int = 0
    pending: int = 0
    overdue: int = 0
    no_access: int = 0
    done_by_deadline: int | None = None
    median_seconds: float | None = None

    @property
    def share_done(self) -> float | None:
        return self.done / self.assigned if self.assigned else None

    @property
    def share_by_deadline(self) -> float | None:
        if self.done_by_deadline is None or not self.assigned:
            return None
        return self.done_by_deadline / self.assigned

    @property
    def median_label(self) -> str:
        return duration_label(self.median_seconds)


def figures_of(rows: list[Row], deadline: datetime.date | None) -> Figures:
    figures = Figures()
    times = []
    by_deadline = 0
    for row in rows:
        if row.status == NO_ACCESS:
            figures.no_access += 1
            continue
        figures.assigned += 1
        if row.status == DONE:
            figures.done += 1
            times.append(row.seconds_to_acknowledge or 0.0)
            if deadline is not None and row.acknowledged_at is not None \
                    and timezone.localdate(row.acknowledged_at) <= deadline:
                by_deadline += 1
        elif row.status == OVERDUE:
            figures.overdue += 1
        else:
            figures.pending += 1
    figures.median_seconds = statistics.median(times) if times else None
    figures.done_by_deadline = by_deadline if deadline is not None else None
    return figures


@dataclass
class Group:
    label: str
    rows: list[Row] = field(default_factory=list)
    teams: list[Group] = field(default_factory=list)
    figures: Figures = field(default_factory=Figures)


@dataclass
class Readiness:
    must_read: MustRead
    rows: list[Row]
    companies: list[Group]
    figures: Figures
    audience_label: str


def duration_label(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    minutes = int(round(seconds / 60))
    if minutes < 1:
        return _("under a minute")
    if minutes < 60:
        return _("%(m)d min") % {"m": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return _("%(h)d h %(m)02d min") % {"h": hours, "m": minutes}
    days, hours = divmod(hours, 24)
    return _("%(d)d days %(h)d h") % {"d": days, "h": hours}


def audience_label(must_read: MustRead, directory: Directory) -> str:
    if must_read.everyone:
        return _("Everyone who may read it")
    parts = [str(Role(role).label) for role in must_read.roles if role in Role.values]
    parts += [f"{team.provider.name} / {team.name}" for pk in must_read.teams
              if (team := directory.teams_by_id.get(pk)) is not None]
    return ", ".join(parts) or _("Nobody (the teams chosen no longer work for you)")


def _first_acknowledgements(must_read: MustRead, person_ids: set[int]) -> dict[int, Acknowledgement]:
    """Each person's first acknowledgement of the must-read's revision or a later one."""
    first: dict[int, Acknowledgement] = {}
    rows = (Acknowledgement.objects.filter(article_id=must_read.article_id, person_id__in=person_ids,
                                           revision__number__gte=must_read.revision.number)
            .select_related("revision").order_by("acknowledged_at", "pk"))
    for ack in rows:
        first.setdefault(ack.person_id, ack)
    return first


def readiness(must_read: MustRead, client: Client, *, provider_id: int | None = None,
              today: datetime.date | None = None) -> Readiness:
    """Who of the must-read's audience has acknowledged it, who has not and who is late, by
    provider company, then team, then person (the client's own staff last). With
    `provider_id`, that provider's people only (a provider lead's view: never anyone else)."""
    today = today or timezone.localdate()
    directory = Directory.of(client)
    audience = Audience.of(must_read)
    readers = readers_of(must_read.article, client)
    assignees = {a.person_id: a for a in must_read.assignees.all()}
    current = {uid for uid, reader in readers.items()
               if uid not in assignees and uid != must_read.assigned_by_id and audience.includes(reader)}
    people = {uid: readers[uid].user for uid in readers if uid in assignees or uid in current}
    missing = set(assignees) - set(people)
    people.update(User.objects.in_bulk(missing))
    acks = _first_acknowledgements(must_read, set(people))
    overdue = must_read.is_overdue(today)
    rows = []
    for uid, person in people.items():
        assignee = assignees.get(uid)
        reader = readers.get(uid)
        if reader is not None:
            row_provider = reader.provider_id
            team = directory.team_of(reader, audience.team_groups) if row_provider else None
            role = reader.role
        else:
            row_provider = assignee.provider_id if assignee else None
            team = directory.teams_by_id.get(assignee.team_id) if assignee and assignee.team_id else None
            role = assignee.role if assignee else ""
        if provider_id is not None and row_provider != provider_id:
            continue
        ack = acks.get(uid)
        if reader is None:
            status = NO_ACCESS
        elif ack is not None:
            status = DONE
        else:
            status = OVERDUE if overdue else PENDING
        if row_provider is None:
            company = client.name
            team_label = str(Role(role).label) if role in Role.values else _("Staff")
        else:
            provider = directory.providers.get(row_provider)
            company = provider.name if provider else _("Former provider")
            team_label = team.name if team else _("No team")
        rows.append(Row(person=person, status=status,
                        assigned_at=assignee.assigned_at if assignee else must_read.created_at,
                        acknowledged_at=ack.acknowledged_at if ack else None,
                        acknowledged_revision=ack.revision.number if ack else None,
                        company=company, team=team_label, provider_id=row_provider))
    rows.sort(key=lambda r: (r.provider_id is None, r.company.lower(), r.team.lower(),
                             (r.person.full_name or r.person.email).lower(), r.person.pk))
    companies: list[Group] = []
    for row in rows:
        if not companies or companies[-1].label != row.company or \
                (companies[-1].rows and (companies[-1].rows[-1].provider_id is None) != (row.provider_id is None)):
            companies.append(Group(row.company))
        group = companies[-1]
        group.rows.append(row)
        if not group.teams or group.teams[-1].label != row.team:
            group.teams.append(Group(row.team))
        group.teams[-1].rows.append(row)
    for group in companies:
        group.figures = figures_of(group.rows, must_read.deadline)
        for team_group in group.teams:
            team_group.figures = figures_of(team_group.rows, must_read.deadline)
    return Readiness(must_read, rows, companies, figures_of(rows, must_read.deadline),
                     audience_label(must_read, directory))


# --- Finding must-reads -------------------------------------------------------------------------


RECENT = 50


def must_reads_for_editors() -> QuerySet[MustRead]:
    return MustRead.objects.select_related("article", "revision").order_by("-created_at", "-pk")


def get_must_read_for_editor(access: WorkspaceAccess, pk: int) -> MustRead:
    if not access.can_edit:
        raise Http404
    try:
        return must_reads_for_editors().get(pk=pk)
    except MustRead.DoesNotExist:
        raise Http404 from None


def must_reads_for_lead(access: WorkspaceAccess, client: Client) -> list[Readiness]:
    """The must-reads assigned to people of the lead's provider who may still read them, each
    with the readiness of those people only (nothing of another provider, nor of client staff)."""
    if not access.is_provider_lead or access.provider_id is None:
        return []
    mine = Assignee.objects.filter(provider_id=access.provider_id).values("must_read_id")
    found = []
    for must_read in must_reads_for_editors().filter(Q(pk__in=mine) | Q(everyone=True) | Q(team_groups__len__gt=0))[:RECENT]:
        result = readiness(must_read, client, provider_id=access.provider_id)
        if any(row.status != NO_ACCESS for row in result.rows):
            found.append(result)
    return found


def get_readiness_for_lead(access: WorkspaceAccess, client: Client, pk: int) -> Readiness:
    """404 unless some of the lead's people are (still) asked to read it and may read it."""
    if not access.is_provider_lead or access.provider_id is None:
        raise Http404
    must_read = must_reads_for_editors().filter(pk=pk).first()
    if must_read is None:
        raise Http404
    result = readiness(must_read, client, provider_id=access.provider_id)
    if not any(row.status != NO_ACCESS for row in result.rows):
        raise Http404
    return result
