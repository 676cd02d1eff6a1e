"""Public schema: how many unread notifications each person has in each workspace.

Kept in step by the tenant side (`notifications.services`): a delivered batch adds what it
inserted, marking read sets the exact count, and every bell poll in the workspace writes the
re-checked count (a revoked grant, an ended engagement or a team left drops out of it there).
Only a number per (person, workspace) crosses the schema boundary: no title, no id of content.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UnreadCount(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey("tenants.Client", on_delete=models.CASCADE, related_name="+")
    unread = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("unread notification count")
        constraints = [models.UniqueConstraint(fields=["person", "client"], name="one_unread_count_per_workspace")]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.client_id}: {self.unread}"
