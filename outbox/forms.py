from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import preferences
from .models import Frequency


class PreferenceForm(forms.Form):
    updates = forms.ChoiceField(
        label=_("Changes to what you follow"), widget=forms.RadioSelect,
        choices=[(value, Frequency(value).label) for value in preferences.CHOICES[preferences.UPDATES]])
    must_read = forms.ChoiceField(
        label=_("Must-read assignments"), widget=forms.RadioSelect,
        help_text=_("Must-read procedures are part of your work: they are always e-mailed, at least in a digest."),
        choices=[(value, Frequency(value).label) for value in preferences.CHOICES[preferences.MUST_READ]])
