from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReadinessSettings


class AcknowledgeForm(forms.Form):
    revision = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ReadinessSettings
        fields = ["reminder_after_days", "deadline_reminder_days"]
        labels = {
            "reminder_after_days": _("Remind after (days)"),
            "deadline_reminder_days": _("Remind before the deadline (days)"),
        }
