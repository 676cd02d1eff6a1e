"""How much a publish matters, said on every button that publishes (the editor, "publish the
latest draft", accepting a suggestion): minor, update or must read, and for a must read who
must read it (provider teams serving this client, client roles, or everyone who may see it)
and an optional deadline. What it gives `services.article_publish` (`publish_as`): its
`materiality` and `must_read` arguments (the shape of `events.ContentEvent.must_read`)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import Role
from tenants.selectors import teams_serving

from .models import Materiality

PREFIX = "publish"


class PublishChoiceForm(forms.Form):
    materiality = forms.ChoiceField(
        label=_("How much does this change matter?"), choices=Materiality.choices, initial=Materiality.UPDATE,
        widget=forms.RadioSelect,
    )
    everyone = forms.BooleanField(label=_("Everyone who may see it"), required=False)
    roles = forms.MultipleChoiceField(
        label=_("Client roles"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple,
    )
    teams = forms.ModelMultipleChoiceField(
        label=_("Provider teams"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateField(
        label=_("Read by (optional)"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a valid date, e.g. 2027-03-31.")},
    )

    # A must-read may require the article's knowledge check (the checks app reads these from
    # the event's must_read["check"]; articles knows nothing of checks).
    requires_check = forms.BooleanField(label=_("Requires its knowledge check"), required=False)
    pass_threshold = forms.IntegerField(label=_("Pass mark (%)"), min_value=1, max_value=100, initial=80,
                                        required=False)
    retry_minutes = forms.IntegerField(label=_("Retry after (minutes)"), min_value=0, max_value=60 * 24 * 30,
                                       initial=60, required=False)

    def __init__(self, *args, client, **kwargs):
        kwargs.setdefault("prefix", PREFIX)
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = teams_serving(client).order_by("provider__name", "name")  # type: ignore[attr-defined]
        self.fields["teams"].label_from_instance = lambda team: f"{team.provider.name} / {team.name}"  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean()
        if data.get("materiality") != Materiality.MUST_READ:
            return data
        if not (data.get("everyone") or data.get("roles") or data.get("teams")):
            raise ValidationError(_("Say who must read it: everyone who may see it, client roles or provider teams."))
        deadline = data.get("deadline")
        if deadline is not None and deadline < timezone.localdate():
            self.add_error("deadline", _("The deadline cannot be in the past."))
        return data

    def publish_as(self) -> dict:
        """`article_publish`'s materiality and must_read, once the form is valid."""
        data = self.cleaned_data
        if data["materiality"] != Materiality.MUST_READ:
            return {"materiality": data["materiality"], "must_read": None}
        return {
            "materiality": Materiality.MUST_READ,
            "must_read": {
                "everyone": bool(data.get("everyone")),
                "roles": sorted(data.get("roles") or []),
                "teams": sorted(team.pk for team in data.get("teams") or []),
                "deadline": data["deadline"].isoformat() if data.get("deadline") else None,
                "check": {
                    "required": bool(data.get("requires_check")),
                    "threshold": data.get("pass_threshold") or 80,
                    "retry_minutes": 60 if data.get("retry_minutes") is None else data["retry_minutes"],
                },
            },
        }


def publish_choice(request) -> PublishChoiceForm:
    """The choice posted with this request (the default, "update", when none was posted: a
    client that does not send it publishes as before)."""
    data = request.POST if request.method == "POST" and f"{PREFIX}-materiality" in request.POST else None
    form = PublishChoiceForm(data, client=request.workspace.client)
    if data is None:
        form = PublishChoiceForm({f"{PREFIX}-materiality": Materiality.UPDATE}, client=request.workspace.client)
    return form
