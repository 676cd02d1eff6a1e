"""People's sessions and a provider's invitations (models of the tenants app, public schema)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import InvitationBase, ProviderOrganisation, ProviderTeam, User


class PersonSession(models.Model):
    """Whose a session is, from which browser and address, last seen when: Django's session
    table knows none of it. Written at sign-in and refreshed at most every few minutes
    (tenants.services.sessions); a session is ended through its engine, never here."""

    session_key = models.CharField(_("session key"), max_length=40, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="person_sessions", verbose_name=_("person"))
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("signed in at"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-last_seen_at"]
        indexes = [models.Index(fields=["user", "-last_seen_at"], name="person_session_user")]

    def __str__(self) -> str:
        return f"{self.user} ({self.session_key[:6]}…)"


class ProviderInvitation(InvitationBase):
    """An invitation to work for a provider organisation, sent by one of its leads, optionally
    into a team."""

    provider = models.ForeignKey(ProviderOrganisation, on_delete=models.CASCADE, related_name="invitations")
    full_name = models.CharField(_("name"), max_length=200, blank=True)
    team = models.ForeignKey(ProviderTeam, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("team"))

    class Meta:
        verbose_name = _("provider invitation")
        verbose_name_plural = _("provider invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_pending_provider_invitation_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.provider}"
