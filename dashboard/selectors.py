"""The dashboard a person may see: client editors and admins see every provider company and
team of the workspace (and its content); a provider lead sees their own company's people only
(never another provider's, never the client's staff) and no content figures."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.http import Http404

from tenants.selectors import WorkspaceAccess

from . import registry
from .forms import FilterForm
from .models import SummarySubscription
from .scope import Directory, Period, Scope, scope_for

log = logging.getLogger(__name__)


@dataclass
class ShownSection:
    key: str
    title: str
    template: str
    context: dict = field(default_factory=dict)
    failed: bool = False


@dataclass
class Dashboard:
    period: Period
    scope: Scope
    form: FilterForm
    sections: list[ShownSection]
    providers: list[tuple[int, str]]
    teams: list[tuple[str, str]]
    subscribed: bool = False


def _allowed(access: WorkspaceAccess) -> bool:
    return access.can_edit or (access.is_provider_lead and access.provider_id is not None)


def _visible_sections(scope: Scope, only: str = "") -> list[registry.Section]:
    return [s for s in registry.sections() if (s.for_leads or not scope.lead) and (not only or s.key == only)]


def _compute(section: registry.Section, period: Period, scope: Scope) -> ShownSection:
    shown = ShownSection(key=section.key, title=str(section.title), template=section.template)
    try:
        shown.context = section.compute(period, scope) or {}
    except Exception:  # a section that fails is shown as such: the page never answers 500
        log.exception("dashboard section %s failed", section.key)
        shown.failed = True
    return shown


def dashboard_for(access: WorkspaceAccess, params, *, only: str = "") -> Dashboard:
    """The dashboard for `access`, filtered by the GET `params`; 404 for anyone else."""
    if not _allowed(access):
        raise Http404
    form = FilterForm(params or None)
    period = form.get_period()
    directory = Directory.of(access.client)
    data = form.cleaned_data if form.is_valid() else {}
    scope = scope_for(access, directory, provider=data.get("provider") or "", team=data.get("team") or "")
    sections = [_compute(section, period, scope) for section in _visible_sections(scope, only)]
    if scope.lead:
        providers = [(scope.provider_id, directory.providers.get(scope.provider_id, ""))] if scope.provider_id else []
    else:
        providers = sorted(directory.providers.items(), key=lambda item: item[1].lower())
    teams = [(key, team.name) for key, team in directory.teams.items()
             if scope.provider_id is None or team.provider_id == scope.provider_id]
    subscribed = access.is_admin and SummarySubscription.objects.filter(person_id=access.user_id).exists()
    return Dashboard(period=period, scope=scope, form=form, sections=sections, providers=providers, teams=teams,
                     subscribed=subscribed)


class UnknownTable(LookupError):
    pass


def table_for(access: WorkspaceAccess, params, key: str):
    """One table of the dashboard (for its CSV download), computed with the same filters;
    UnknownTable for a key the page does not show to this person."""
    section_key = key.split(".", 1)[0]
    board = dashboard_for(access, params, only=section_key)
    for section in board.sections:
        for table in section.context.get("tables", []):
            if table.key == key:
                return board, table
    raise UnknownTable(key)
