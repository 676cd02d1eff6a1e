"""The dashboard's filters: the period (last 30/90/365 days or two dates), the provider
company and the team. Bad input gets a clear error and the default period."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .scope import CUSTOM_MAX_DAYS, DEFAULT_PERIOD, PERIOD_LABELS, PERIODS, Period


class FilterForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=list(PERIOD_LABELS.items()), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    provider = forms.CharField(label=_("Provider company"), required=False, max_length=12)
    team = forms.CharField(label=_("Team"), required=False, max_length=12)

    def clean(self):
        data = super().clean()
        if data.get("period") == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("A custom period needs a first and a last day."))
            if end < start:
                raise forms.ValidationError(_("The last day comes before the first day: swap them."))
            if (end - start).days > CUSTOM_MAX_DAYS:
                raise forms.ValidationError(_("Choose a period of at most three years."))
            if start > timezone.localdate():
                raise forms.ValidationError(_("The period starts in the future: choose a first day up to today."))
        return data

    def get_period(self) -> Period:
        if not self.is_valid():
            return Period.last(PERIODS[DEFAULT_PERIOD], key=DEFAULT_PERIOD)
        key = self.cleaned_data.get("period") or DEFAULT_PERIOD
        if key == "custom":
            first: datetime.date = self.cleaned_data["start"]
            return Period.between(first, self.cleaned_data["end"])
        return Period.last(PERIODS[key], key=key)
