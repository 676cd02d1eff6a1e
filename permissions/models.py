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


class Action(models.TextChoices):
    SIGN_IN = "sign-in", _("Signed in to the workspace")
    GRANT_GIVEN = "grant.given", _("Grant given")
    GRANT_CHANGED = "grant.changed", _("Grant changed")
    GRANT_REVOKED = "grant.revoked", _("Grant revoked")
    GRANT_EXPIRED = "grant.expired", _("Grant expired")
    ROLE_CHANGED = "role.changed", _("Role changed")
    PERSON_INVITED = "person.invited", _("Person invited")
    PERSON_JOINED = "person.joined", _("Person joined")
    PERSON_REMOVED = "person.removed", _("Person removed")
    INVITATION_REVOKED = "person.invitation-revoked", _("Invitation revoked")
    TEAM_MEMBER_ADDED = "team.member-added", _("Provider team member added")
    TEAM_MEMBER_REMOVED = "team.member-removed", _("Provider team member removed")
    PROVIDER_PERSON_SERVES = "provider.serves", _("Provider person assigned to the workspace")
    PROVIDER_PERSON_LEAVES = "provider.leaves", _("Provider person taken off the workspace")
    ENGAGEMENT_STARTED = "engagement.started", _("Engagement started")
    ENGAGEMENT_ENDED = "engagement.ended", _("Engagement ended")
    SUGGESTION_ACCEPTED = "suggestion.accepted", _("Suggestion accepted")
    SUGGESTION_REJECTED = "suggestion.rejected", _("Suggestion rejected")
    CONFIDENTIAL_READ = "confidential.read", _("Confidential article read")
    EXPORT = "export", _("Export")
    IMPORT = "import", _("Import")
    SETTINGS_CHANGED = "settings.changed", _("Settings changed")
    BACKUP_RESTORED = "backup.restored", _("Backup restored: sessions and API tokens cleared")


class AuditEvent(models.Model):
    """Append-only: the code has no update or delete path, and a database trigger refuses
    UPDATE, DELETE and TRUNCATE on this table (migration 0002)."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
        db_constraint=False, related_name="+",
    )
    actor_label = models.CharField(_("who"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=40, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=300, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The audit log is append-only.")
