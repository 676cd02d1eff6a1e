"""Forms of the access pages: giving and changing grants, filtering the audit log."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import Action
from tenants.models import ProviderTeam

from .models import Level
from .review import ProviderPerson


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def expiry_from_day(day: datetime.date | None) -> datetime.datetime | None:
    """A grant given "until" a day works to the end of that day (local time)."""
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def day_from_expiry(expires_at: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(expires_at).date() if expires_at else None


class ExpiryMixin:
    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(
                _("This date is in the past. Choose today or a later day, or leave it empty for a grant without end."),
                code="past",
            )
        return day

    @property
    def expires_at(self) -> datetime.datetime | None:
        return expiry_from_day(self.cleaned_data.get("expires_on"))


def _expires_on_field():
    return forms.DateField(
        label=_("Last day of access"), required=False, widget=DateInput(),
        help_text=_("Optional. The grant stops working at the end of this day. Leave empty for no end."),
    )


class GrantForm(ExpiryMixin, forms.Form):
    """Give read or contribute access to a team of an engaged provider or to one provider
    person who serves this client."""

    grantee = forms.ChoiceField(label=_("Team or person"))
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices, initial=Level.READ,
                              help_text=_("Contribute lets them propose changes, which your editors review."))
    expires_on = _expires_on_field()

    def __init__(self, *args, teams: list[ProviderTeam], people: list[ProviderPerson], **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {f"team:{team.pk}": team for team in teams}
        self.people = {f"person:{person.user.pk}": person.user for person in people}
        choices: list = [("", _("Choose a team or a person…"))]
        by_provider: dict[str, list] = {}
        for key, team in self.teams.items():
            by_provider.setdefault(team.provider.name, []).append((key, _("Team %(name)s") % {"name": team.name}))
        for provider, options in sorted(by_provider.items()):
            choices.append((_("%(provider)s: teams") % {"provider": provider}, options))
        if people:
            choices.append((_("One person"), [
                (f"person:{person.user.pk}", f"{person.user.get_full_name()} <{person.user.email}> · {person.role_label}")
                for person in people
            ]))
        self.fields["grantee"].choices = choices

    def clean(self):
        cleaned = super().clean()
        key = cleaned.get("grantee")
        cleaned["team"] = self.teams.get(key)
        cleaned["person"] = self.people.get(key)
        return cleaned


class GrantChangeForm(ExpiryMixin, forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    expires_on = _expires_on_field()


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False,
                               choices=[("", _("Any action")), *Action.choices])
    person = forms.CharField(label=_("Person (e-mail contains)"), required=False, max_length=254)
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To (included)"), required=False, widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end date is before the start date."))
        return cleaned

    def filter(self, events):
        if not self.is_valid():
            return events
        data = self.cleaned_data
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["person"].strip():
            events = events.filter(actor_label__icontains=data["person"].strip())
        if data["start"]:
            events = events.filter(at__date__gte=data["start"])
        if data["end"]:
            events = events.filter(at__date__lte=data["end"])
        return events


class ImageSourcesForm(forms.Form):
    image_sources = forms.CharField(
        label=_("Image sources"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_("One https origin per line, such as https://images.example.com, or https://*.example.com "
                    "for all its subdomains. Leave empty to show only images stored here."),
    )

    def clean_image_sources(self) -> list[str]:
        from tenants.image_sources import parse_image_sources

        return parse_image_sources(self.cleaned_data["image_sources"])


class RequireTwoFactorForm(forms.Form):
    require_two_factor = forms.BooleanField(
        label=_("Require two-factor authentication in this workspace"), required=False,
        help_text=_("Everyone who opens this workspace, your staff and your provider's agents alike, must "
                    "sign in with a code from an authenticator app or a passkey. People without one are "
                    "walked through setting it up; their other workspaces are not affected."),
    )
