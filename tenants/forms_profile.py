"""Forms of the profile page (public site)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ApiToken
from .text import OneLineField


class ApiTokenForm(forms.Form):
    name = OneLineField(
        label=_("Token name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=_("What will use it, so that you recognise it later: “CTI softphone”, “CRM sidebar”."),
        error_messages={"required": _("Give the token a name, such as the tool that will use it.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
