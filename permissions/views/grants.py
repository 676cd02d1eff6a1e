"""Provider access (grants) on collections and articles: the overview, one object's grants, change, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles.models import Collection
from audit.services import Actor
from tenants.phrases import elide
from tenants.selectors import person_labels, providers_engaged_by, teams_serving

from .. import review, services
from ..forms import GrantChangeForm, GrantForm, day_from_expiry
from ..grants import collection_tree, confidential_opened
from ..models import (
    ArticlePersonGrant,
    ArticleTeamGrant,
    CollectionPersonGrant,
    CollectionTeamGrant,
)
from ..policy import requires
from ..selectors import GRANT_KINDS, get_article_for_user, get_collection_for_user, get_grant_for_admin
from .common import access_url, kind_of, review_url


def _grant_rows(grants, access) -> list[dict]:
    """Grants as the pages show them, "granted by" named as the viewer may see it."""
    teams = review.teams_by_group()
    labels = person_labels([g.granted_by_id for g in grants], access)
    rows = []
    for grant in grants:
        kind = kind_of(grant)
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


def _grant_form(request, data=None) -> GrantForm:
    client = request.workspace.client
    teams = list(teams_serving(client).select_related("provider").order_by("provider__name", "name"))
    return GrantForm(data, teams=teams, people=list(review.provider_people(client).values()))


def _target_page(request, target, *, form=None, change_forms=None, status=200, confidential=None):
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
        "review_url": review_url(target),
        # A grant on confidential content asks once more, naming what it opens (issue 14).
        "confidential_check": confidential,
        "breadcrumbs": (target.ancestors() if isinstance(target, Collection)
                        else target.collection.ancestors() + [target.collection]),
    }, status=status)


def _give(request, target):
    if request.method != "POST":
        return _target_page(request, target)
    form = _grant_form(request, request.POST)
    if form.is_valid():
        opened = confidential_opened(target)
        if opened and request.POST.get("confirm_confidential") != "yes":
            return _target_page(request, target, form=form, confidential={
                "grantee": form.cleaned_data["team"] or form.cleaned_data["person"],
                "items": opened[:20], "more": max(0, len(opened) - 20),
                "fields": [(name, value) for name, values in request.POST.lists() if name != "csrfmiddlewaretoken"
                           for value in values],
            })
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
            return redirect(access_url(target))
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


@requires("admin")
@require_POST
def grant_change(request, kind, pk):
    pk = int(pk)
    grant = get_grant_for_admin(request, kind, pk)
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
            return redirect(access_url(target))
    return _target_page(request, target, change_forms={f"{kind}-{grant.pk}": form}, status=400)


@requires("admin")
@require_POST
def grant_revoke(request, kind, pk):
    pk = int(pk)
    grant = get_grant_for_admin(request, kind, pk)
    target = grant.content_object
    grantee = grant.group.provider_team if kind.endswith("team") else grant.user
    services.grant_revoke(grant=grant, acting_user=request.user, actor=Actor.from_request(request))
    messages.success(request, elide(_("Access of %(grantee)s revoked.") % {"grantee": grantee}))
    return redirect(access_url(target))
