"""The append-only audit log of a tenant: what was done, by whom, from where, to what. Tenant schema.

Every app writes to it through `audit.record`, with an explicit `Actor`; it imports no other
app of ours, so that any of them may write to it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
    UPDATE, DELETE and TRUNCATE on this table (permissions migration 0002, which created it
    before the audit log had an app of its own: the table keeps its name)."""

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
    # web, api, admin, task or command (audit.services.Channel); empty on events written before.
    channel = models.CharField(_("channel"), max_length=20, blank=True, default="")

    class Meta:
        db_table = "permissions_auditevent"
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
