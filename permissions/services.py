"""Giving, changing and revoking grants; every change is written to the audit log."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, Collection
from audit import services as audit
from audit.models import Action
from audit.services import Actor
from tenants.models import ProviderTeam, User

from .models import (
    CODENAMES,
    ArticlePersonGrant,
    ArticleTeamGrant,
    CollectionPersonGrant,
    CollectionTeamGrant,
    Level,
)


def grant_model(target, *, team: bool):
    if isinstance(target, Collection):
        return CollectionTeamGrant if team else CollectionPersonGrant
    if isinstance(target, Article):
        return ArticleTeamGrant if team else ArticlePersonGrant
    raise TypeError(f"cannot grant on {type(target).__name__}")


def _permission(target, level: str) -> Permission:
    kind = "collection" if isinstance(target, Collection) else "article"
    return Permission.objects.get(content_type__app_label="articles", codename=CODENAMES[(kind, Level(level))])


def _describe(grant) -> dict:
    """What the audit log keeps of a grant: ids and codes, from which the page writes a sentence
    in the reader's language (permissions.audit_text); `grantee` is a label for the CSV export
    and for readers of events written before the ids were."""
    grantee = getattr(grant, "group", None)
    team = grant.group.provider_team if grantee is not None else None
    return {
        "grantee": str(team) if team is not None else grant.user.email,
        "grantee_kind": "team" if team is not None else "person",
        "grantee_id": team.pk if team is not None else grant.user_id,
        "level": grant.level,
        "expires_at": grant.expires_at.isoformat() if grant.expires_at else None,
    }


@transaction.atomic
def grant_give(*, target, level: str, acting_user, team: ProviderTeam | None = None, person: User | None = None,
               expires_at: datetime.datetime | None = None, actor: Actor | None = None):
    """Give (or change) a grant of `level` on a collection or article to a team or a person."""
    if (team is None) == (person is None):
        raise ValidationError(_("Choose a team or a person."))
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": [_("The expiry must be in the future.")]})
    actor = actor or Actor.of(acting_user)
    model = grant_model(target, team=team is not None)
    if team is not None:
        who = {"group_id": team.group_id}
    else:
        assert person is not None  # one of the two, checked above
        who = {"user_id": person.pk}
    permission = _permission(target, level)
    existing = model.objects.select_for_update().filter(content_object=target, **who).first()
    if existing is None:
        grant = model.objects.create(content_object=target, permission=permission, expires_at=expires_at,
                                     granted_by_id=acting_user.pk, **who)
        audit.record(Action.GRANT_GIVEN, actor=actor, obj=target, detail=_describe(grant))
        return grant
    before = _describe(existing)
    existing.permission = permission
    existing.expires_at = expires_at
    existing.granted_by_id = acting_user.pk
    existing.save(update_fields=["permission", "expires_at", "granted_by"])
    after = _describe(existing)
    if after != before:
        audit.record(Action.GRANT_CHANGED, actor=actor, obj=target, detail={"before": before, "after": after})
    return existing


@transaction.atomic
def grant_revoke(*, grant, acting_user, actor: Actor | None = None) -> None:
    detail = _describe(grant)
    target = grant.content_object
    grant.delete()
    audit.record(Action.GRANT_REVOKED, actor=actor or Actor.of(acting_user), obj=target, detail=detail)


def grants_expire_sweep(now=None) -> int:
    """Record expired grants in the audit log and remove them. Access already stopped at
    expiry (queries filter on it); this only keeps the grant tables and the trail tidy."""
    now = now or timezone.now()
    count = 0
    for model in (CollectionPersonGrant, CollectionTeamGrant, ArticlePersonGrant, ArticleTeamGrant):
        for grant in model.objects.filter(expires_at__lte=now).select_related("permission", "content_object"):
            with transaction.atomic():
                audit.record(Action.GRANT_EXPIRED, actor=Actor.system(), obj=grant.content_object, detail=_describe(grant))
                grant.delete()
                count += 1
    return count
