"""Forms of the profile pages and of the forgotten-password pages (public site)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import ApiToken
from .services.passwords import valid_time_zone
from .text import OneLineField


class ApiTokenForm(forms.Form):
    name = OneLineField(
        label=_("Token name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=_("What will use it, so that you recognise it later: “CTI softphone”, “CRM sidebar”."),
        error_messages={"required": _("Give the token a name, such as the tool that will use it.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


# Zones a French-speaking customer-service floor usually works in; any other IANA name the
# person already has stays offered.
COMMON_TIME_ZONES = (
    "UTC", "Europe/Paris", "Europe/Brussels", "Europe/Zurich", "Europe/Luxembourg", "Europe/London",
    "Europe/Lisbon", "Europe/Madrid", "Europe/Berlin", "Europe/Bucharest", "Africa/Casablanca", "Africa/Tunis",
    "Africa/Algiers", "Africa/Dakar", "Africa/Abidjan", "Africa/Douala", "Indian/Mauritius", "Indian/Reunion",
    "Indian/Antananarivo", "Indian/Mayotte", "America/Toronto", "America/New_York", "America/Martinique",
    "America/Guadeloupe", "America/Cayenne", "Pacific/Noumea", "Pacific/Tahiti", "Asia/Manila", "Asia/Kolkata",
)


def time_zone_choices(current: str = "") -> list[tuple[str, str]]:
    zones = list(COMMON_TIME_ZONES)
    if current and current not in zones:
        zones.append(current)
    return [("", _("Default (the workspace's or the site's)")), *((zone, zone.replace("_", " ")) for zone in zones)]


class ProfileForm(forms.Form):
    full_name = OneLineField(label=_("Name"), max_length=200, required=False,
                             widget=forms.TextInput(attrs={"autocomplete": "name"}))
    language = forms.ChoiceField(label=_("Language"), required=False)
    time_zone = forms.ChoiceField(label=_("Time zone"), required=False,
                                  help_text=_("Dates and times are shown in this time zone."),
                                  error_messages={"invalid_choice": _("Choose a time zone from the list.")})

    def __init__(self, *args, current_time_zone: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("Your browser's language")), *settings.LANGUAGES]
        self.fields["time_zone"].choices = time_zone_choices(current_time_zone)

    def clean_time_zone(self) -> str:
        zone = self.cleaned_data.get("time_zone", "")
        if not valid_time_zone(zone):
            raise forms.ValidationError(_("Choose a time zone from the list."))
        return zone


def _new_password_fields():
    return (
        forms.CharField(label=_("New password"), strip=False, help_text=password_validators_help_text_html,
                        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})),
        forms.CharField(label=_("Repeat the new password"), strip=False,
                        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})),
    )


class SetPasswordForm(forms.Form):
    """A new password, twice, checked by the validators (AUTH_PASSWORD_VALIDATORS)."""

    new_password1, new_password2 = _new_password_fields()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        password = data.get("new_password1")
        if password and data.get("new_password2") and password != data["new_password2"]:
            self.add_error("new_password2", _("The two passwords differ."))
        elif password:
            try:
                validate_password(password, self.user)
            except ValidationError as error:
                self.add_error("new_password1", error)
        return data


class PasswordChangeForm(SetPasswordForm):
    old_password = forms.CharField(label=_("Current password"), strip=False,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "current-password",
                                                                     "autofocus": True}))
    field_order = ["old_password", "new_password1", "new_password2"]


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}))
