"""Who may do what to which object, and the trail of it. Tenant schema.

Grants are django-guardian object permissions in guardian's *direct foreign key* form (one
table per object type, as guardian's performance guide recommends for heavy use), given to a
provider team (its auth group) or to one person, on a collection (and so what it holds) or on
one article. Each row carries its level as the permission (`view_*` = read,
`contribute_*` = propose changes, which implies read), an optional expiry and who granted it.
Expiry is enforced by the queries of permissions.grants at request time: an expired grant stops
working on the next request without any job having to run.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.managers import GroupObjectPermissionManager, UserObjectPermissionManager
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from articles.models import Article, Collection


class Level(models.TextChoices):
    READ = "read", _("Read")
    CONTRIBUTE = "contribute", _("Contribute")


CODENAMES = {
    ("collection", Level.READ): "view_collection",
    ("collection", Level.CONTRIBUTE): "contribute_collection",
    ("article", Level.READ): "view_article",
    ("article", Level.CONTRIBUTE): "contribute_article",
}


class GrantQuerySet(models.QuerySet):
    def active(self, at=None):
        at = at or timezone.now()
        return self.filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=at))

    def contribute(self):
        return self.filter(permission__codename__startswith="contribute_")


class GrantFields(models.Model):
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
        db_constraint=False, related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        grantee = getattr(self, "group", None) or getattr(self, "user", None)
        return f"{self.level} on {self.content_object} for {grantee}"

    @property
    def level(self) -> str:
        return Level.CONTRIBUTE if self.permission.codename.startswith("contribute_") else Level.READ

    @property
    def is_active(self) -> bool:
        return self.expires_at is None or self.expires_at > timezone.now()


PersonGrantManager = UserObjectPermissionManager.from_queryset(GrantQuerySet)
TeamGrantManager = GroupObjectPermissionManager.from_queryset(GrantQuerySet)


class CollectionPersonGrant(GrantFields, UserObjectPermissionBase):
    content_object = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="person_grants")
    objects = PersonGrantManager()

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("collection grant to a person")


class CollectionTeamGrant(GrantFields, GroupObjectPermissionBase):
    content_object = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="team_grants")
    objects = TeamGrantManager()

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("collection grant to a team")


class ArticlePersonGrant(GrantFields, UserObjectPermissionBase):
    content_object = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="person_grants")
    objects = PersonGrantManager()

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("article grant to a person")


class ArticleTeamGrant(GrantFields, GroupObjectPermissionBase):
    content_object = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="team_grants")
    objects = TeamGrantManager()

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("article grant to a team")


GRANT_MODELS = (CollectionPersonGrant, CollectionTeamGrant, ArticlePersonGrant, ArticleTeamGrant)

