from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                      "autocapitalize": "off", "spellcheck": "false"}),
        help_text=_("The six digits your app shows now, or one of your recovery codes."),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class AppCodeForm(CodeForm):
    code = forms.CharField(
        label=_("Code from the app"), max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": True}),
        help_text=_("The six digits the app shows now for kbportal."),
    )
