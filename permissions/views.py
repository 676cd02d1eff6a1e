"""Access pages of a tenant site: provider access (grants) on collections and articles, the
access review, the audit log (tenant admins), and a provider lead's view of what their teams
can reach here (provider leads). Everyone else gets a 404.

Each view resolves its object through permissions.selectors (no access means 404), calls one
service or selector, and renders, redirects or sends a CSV file.
"""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles.models import Collection
from articles.suggestions import person_labels
from audit import services as audit
from audit.models import Action, AuditEvent
from audit.services import Actor
from tenants.models import User
from tenants.selectors import providers_engaged_by, teams_serving

from . import review, services
from .forms import AuditFilterForm, GrantChangeForm, GrantForm, day_from_expiry
from .grants import collection_tree
from .models import (
    ArticlePersonGrant,
    ArticleTeamGrant,
    CollectionPersonGrant,
    CollectionTeamGrant,
)
from .policy import requires
from .selectors import get_article_for_user, get_collection_for_user

GRANT_KINDS = {
    "collection-team": CollectionTeamGrant,
    "collection-person": CollectionPersonGrant,
    "article-team": ArticleTeamGrant,
    "article-person": ArticlePersonGrant,
}
AUDIT_PAGE_SIZE = 50


def _kind_of(grant) -> str:
    return next(kind for kind, model in GRANT_KINDS.items() if isinstance(grant, model))


def _access_url(target) -> str:
    if isinstance(target, Collection):
        return reverse("access:collection", args=[target.slug])
    return reverse("access:article", args=[target.prefix, target.slug])


def _review_url(target) -> str:
    if isinstance(target, Collection):
        return reverse("access:review-collection", args=[target.slug])
    return reverse("access:review-article", args=[target.prefix, target.slug])


# --- CSV ----------------------------------------------------------------------------------


def _cell(value) -> str:
    """Text a spreadsheet shows as text: a leading =, +, - or @ would make it a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_response(request, name: str, header: list[str], rows, *, obj=None, what: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([_cell(value) for value in row])
        count += 1
    audit.record(Action.EXPORT, obj=obj, label="" if obj is not None else what, actor=Actor.from_request(request),
                 detail={"what": what, "format": "csv", "rows": count})
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"{request.tenant.schema_name}-{name}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Overview -----------------------------------------------------------------------------


def _grant_rows(grants, access) -> list[dict]:
    """Grants as the pages show them, "granted by" named as the viewer may see it."""
    teams = review.teams_by_group()
    labels = person_labels([g.granted_by_id for g in grants], access)
    rows = []
    for grant in grants:
        kind = _kind_of(grant)
        team = teams.get(getattr(grant, "group_id", None))
        person = grant.user if kind.endswith("person") else None
        rows.append({
            "grant": grant,
            "kind": kind,
            "who": team.name if team else person.get_full_name(),
            "key": f"{kind}-{grant.pk}",
            "target": grant.content_object,
            "team": team,
            "person": person,
            "level": grant.level,
            "granted_by": labels.get(grant.granted_by_id, "—") if grant.granted_by_id else "—",
            "expires_on": day_from_expiry(grant.expires_at),
        })
    return rows


def _all_grants(target=None) -> list:
    """Every grant of the tenant (expired ones not yet swept included), or those on `target`."""
    models = GRANT_KINDS.values()
    filters = {}
    if target is not None:
        models = (CollectionTeamGrant, CollectionPersonGrant) if isinstance(target, Collection) else (
            ArticleTeamGrant, ArticlePersonGrant)
        filters = {"content_object": target}
    grants = []
    for model in models:
        related = ["permission", "content_object"] + (["user"] if hasattr(model, "user") else [])
        if model in (ArticleTeamGrant, ArticlePersonGrant):
            related.append("content_object__collection")
        grants += model.objects.filter(**filters).select_related(*related)
    return sorted(grants, key=lambda g: (str(g.content_object).lower(), g.created_at))


@requires("admin")
def overview(request):
    client = request.workspace.client
    people = review.provider_people(client)
    providers = []
    for provider in providers_engaged_by(client).order_by("name"):
        teams = teams_serving(client).filter(provider=provider).prefetch_related("members").order_by("name")
        providers.append({
            "provider": provider,
            "teams": [(team, [u for u in team.members.all() if u.pk in people]) for team in teams],
            "people": [p for p in people.values() if p.provider.pk == provider.pk],
        })
    tree = collection_tree()
    collections = Collection.objects.in_bulk(list(tree))

    def path(pk: int) -> str:
        names, node = [], pk
        while node is not None and len(names) < 50:
            names.append(collections[node].name)
            node = tree[node][0]
        return " / ".join(reversed(names))

    ordered = sorted(collections.values(), key=lambda c: path(c.pk).lower())
    return render(request, "permissions/overview.html", {
        "providers": providers,
        "grants": _grant_rows(_all_grants(), request.workspace),
        "collections": [(c, path(c.pk)) for c in ordered],
    })


# --- Grants on one collection or article ----------------------------------------------------


def _grant_form(request, data=None) -> GrantForm:
    client = request.workspace.client
    teams = list(teams_serving(client).select_related("provider").order_by("provider__name", "name"))
    return GrantForm(data, teams=teams, people=list(review.provider_people(client).values()))


def _target_page(request, target, *, form=None, change_forms=None, status=200):
    rows = _grant_rows(_all_grants(target), request.workspace)
    change_forms = change_forms or {}
    for row in rows:
        row["form"] = change_forms.get(row["key"]) or GrantChangeForm(
            prefix=row["key"], initial={"level": row["level"], "expires_on": row["expires_on"]})
    return render(request, "permissions/target.html", {
        "target": target,
        "is_collection": isinstance(target, Collection),
        "rows": rows,
        "form": form or _grant_form(request),
        "review_url": _review_url(target),
        "breadcrumbs": (target.ancestors() if isinstance(target, Collection)
                        else target.collection.ancestors() + [target.collection]),
    }, status=status)


def _give(request, target):
    if request.method != "POST":
        return _target_page(request, target)
    form = _grant_form(request, request.POST)
    if form.is_valid():
        try:
            services.grant_give(
                target=target, level=form.cleaned_data["level"], acting_user=request.user,
                team=form.cleaned_data["team"], person=form.cleaned_data["person"],
                expires_at=form.expires_at, actor=Actor.from_request(request),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            grantee = form.cleaned_data["team"] or form.cleaned_data["person"]
            messages.success(request, _("Access given to %(grantee)s.") % {"grantee": grantee})
            return redirect(_access_url(target))
    return _target_page(request, target, form=form, status=400)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


@requires("admin")
def collection_grants(request, slug):
    return _give(request, get_collection_for_user(request, slug))


@requires("admin")
def article_grants(request, prefix, slug):
    return _give(request, get_article_for_user(request, prefix, slug, drafts=True))


def _get_grant(kind: str, pk: int):
    model = GRANT_KINDS.get(kind)
    if model is None:
        raise Http404
    related = ["permission", "content_object"] + (["user"] if kind.endswith("person") else ["group"])
    return get_object_or_404(model.objects.select_related(*related), pk=pk)


@requires("admin")
@require_POST
def grant_change(request, kind, pk):
    pk = int(pk)
    grant = _get_grant(kind, pk)
    target = grant.content_object
    form = GrantChangeForm(request.POST, prefix=f"{kind}-{grant.pk}")
    if form.is_valid():
        team = grant.group.provider_team if kind.endswith("team") else None
        try:
            services.grant_give(
                target=target, level=form.cleaned_data["level"], acting_user=request.user, team=team,
                person=None if team else grant.user, expires_at=form.expires_at, actor=Actor.from_request(request),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Grant changed."))
            return redirect(_access_url(target))
    return _target_page(request, target, change_forms={f"{kind}-{grant.pk}": form}, status=400)


@requires("admin")
@require_POST
def grant_revoke(request, kind, pk):
    pk = int(pk)
    grant = _get_grant(kind, pk)
    target = grant.content_object
    grantee = grant.group.provider_team if kind.endswith("team") else grant.user
    services.grant_revoke(grant=grant, acting_user=request.user, actor=Actor.from_request(request))
    messages.success(request, _("Access of %(grantee)s revoked.") % {"grantee": grantee})
    return redirect(_access_url(target))


# --- Access review ------------------------------------------------------------------------


def _review_page(request, result: review.Review, export_url: str, csv_name: str):
    if request.GET.get("format") == "csv":
        rows = ([line.person.get_full_name(), line.person.email,
                 _("Client staff") if line.side == "client" else _("Provider"), line.role, line.level_label,
                 " | ".join(line.reasons)] for line in result.lines)
        header = [_("Name"), _("E-mail address"), _("Side"), _("Role"), _("Level"), _("Why")]
        return _csv_response(request, csv_name, header, rows, obj=result.target, what="access review")
    return render(request, "permissions/review.html", {
        "target": result.target,
        "is_collection": isinstance(result.target, Collection),
        "review": result,
        "export_url": export_url,
        "grants_url": _access_url(result.target),
    })


@requires("admin")
def review_collection(request, slug):
    collection = get_collection_for_user(request, slug)
    result = review.collection_review(collection, request.workspace.client)
    return _review_page(request, result, reverse("access:review-collection", args=[slug]) + "?format=csv",
                        f"access-{collection.slug}")


@requires("admin")
def review_article(request, prefix, slug):
    article = get_article_for_user(request, prefix, slug, drafts=True)
    result = review.article_review(article, request.workspace.client)
    return _review_page(request, result, reverse("access:review-article", args=[prefix, slug]) + "?format=csv",
                        f"access-{article.slug}")


@requires("admin")
def review_people(request):
    staff, providers = review.reviewable_people(request.workspace.client)
    return render(request, "permissions/review_people.html", {"staff": staff, "providers": providers})


def _get_reviewable_person(request, pk: int) -> User:
    """A person of this tenant (client staff or a provider person serving it); anyone else,
    existing or not, is a 404."""
    staff, providers = review.reviewable_people(request.workspace.client)
    people = {m.user.pk: m.user for m in staff} | {p.user.pk: p.user for p in providers}
    if pk not in people:
        raise Http404
    return people[pk]


@requires("admin")
def review_person(request, pk):
    person = _get_reviewable_person(request, pk)
    result = review.person_review(person, request.workspace.client)
    if result is None:
        raise Http404
    if request.GET.get("format") == "csv":
        def rows():
            for item in result.collections:
                yield [_("Collection"), item.obj.name, item.obj.slug, item.level_label, " | ".join(item.reasons)]
            for item in result.articles:
                yield [item.obj.get_kind_display(), item.obj.title, item.obj.slug, item.level_label,
                       " | ".join(item.reasons)]
        header = [_("Kind"), _("Name"), _("Slug"), _("Level"), _("Why")]
        return _csv_response(request, f"access-{person.pk}", header, rows(), what=f"access review of {person.email}")
    return render(request, "permissions/review_person.html", {
        "review": result,
        "person": person,
        "export_url": reverse("access:review-person", args=[pk]) + "?format=csv",
    })


# --- Audit log ----------------------------------------------------------------------------


def _detail_text(detail) -> str:
    if isinstance(detail, dict):
        return "; ".join(f"{key}: {_detail_text(value)}" for key, value in detail.items())
    if isinstance(detail, list):
        return ", ".join(_detail_text(value) for value in detail)
    return "—" if detail is None else str(detail)


@requires("admin")
def audit_log(request):
    return _audit_page(request, AuditFilterForm(request.GET or None))


def _audit_page(request, form: AuditFilterForm):
    events = form.filter(AuditEvent.objects.order_by("-at", "-id"))
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "permissions/audit.html", {
        "form": form,
        "page": page,
        "events": [(event, _detail_text(event.detail)) for event in page.object_list],
        "query": query.urlencode(),
        "filtered": bool(request.GET.get("action") or request.GET.get("person") or request.GET.get("start")
                         or request.GET.get("end")),
    }, status=400 if form.is_bound and not form.is_valid() else 200)


@requires("admin")
def audit_export(request):
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # The log page with the filter's errors, here: a redirect echoing the filter could be
        # longer than a redirect may be (DisallowedRedirect).
        messages.error(request, _("Correct the filter before exporting."))
        return _audit_page(request, form)
    events = list(form.filter(AuditEvent.objects.order_by("-at", "-id")))
    rows = ([timezone.localtime(e.at).isoformat(), e.actor_label, e.action, e.get_action_display(), e.object_type,
             e.object_id, e.object_label, _detail_text(e.detail), e.ip or ""] for e in events)
    header = [_("When"), _("Who"), _("Action code"), _("Action"), _("Object type"), _("Object id"), _("Object"),
              _("Detail"), _("IP address")]
    return _csv_response(request, "audit-log", header, rows, what="audit log")


# --- A provider lead's teams --------------------------------------------------------------


@requires("lead")
def lead_teams(request):
    access = request.workspace
    return render(request, "permissions/lead_teams.html", {
        "teams": review.teams_reach(access.provider_id, access.client),
    })
