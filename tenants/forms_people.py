"""Forms of the people pages (tenant admins), the invitation page and the provider lead pages."""

from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Client, ProviderTeam, Role, User
from .text import OneLineField


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.VIEWER)
    # Shown once the page has warned (a provider person's address, another role than pending).
    confirm = forms.BooleanField(label=_("I understand, send the invitation"), required=False,
                                 widget=forms.HiddenInput)

    def ask_confirmation(self) -> None:
        self.fields["confirm"].widget = forms.CheckboxInput()


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class JoinForm(forms.Form):
    """A person without an account sets their name and password to accept an invitation."""

    full_name = OneLineField(
        label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name", "autofocus": True})
    )
    password1 = forms.CharField(
        label=_("Choose a password"), strip=False, help_text=password_validators_help_text_html,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        password = data.get("password1")
        if password and data.get("password2") and password != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        elif password:
            try:
                validate_password(password, User(email=self.email, full_name=data.get("full_name", "")))
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class TeamForm(forms.Form):
    name = OneLineField(label=_("Team name"), max_length=200)


class TeamMemberForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none(), empty_label=None)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people


class ServesClientsForm(forms.Form):
    clients = forms.ModelMultipleChoiceField(
        label=_("Works for"), queryset=Client.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, clients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clients"].queryset = clients


class ProviderInviteForm(forms.Form):
    """A provider lead invites one agent."""

    full_name = OneLineField(label=_("Name"), max_length=200, required=False,
                             widget=forms.TextInput(attrs={"autocomplete": "off"}))
    email = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    team = forms.ModelChoiceField(label=_("Team"), queryset=ProviderTeam.objects.none(), required=False,
                                  empty_label=_("No team yet"))

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class InviteCsvForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_(
        "One person per line: name, e-mail address, team (the team may be empty). Comma or semicolon "
        "separated, UTF-8, as Excel saves “CSV UTF-8”; a first line naming the columns is optional."))


class InviteCsvConfirmForm(forms.Form):
    """The file read at the preview, sent back to invite its valid rows."""

    content = forms.CharField(widget=forms.HiddenInput, strip=False, max_length=256 * 1024)
