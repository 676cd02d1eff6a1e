"""Forms of the search tuning pages: the gap report's filter, synonym groups, best bets."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import selectors
from .services import QUERY_MAX_LENGTH, WORD_MAX_LENGTH

SEPARATORS = re.compile(r"[,;\n]")


class ServiceErrorsMixin:
    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's ValidationError on the form, keyed by field where it has one."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        else:
            for message in error.messages:
                self.add_error(None, message)


class GapFilterForm(forms.Form):
    """The report's period and team. The team list holds the teams seen in the period, plus
    the one asked for (a team with no failed query this period is a valid, empty filter)."""

    period = forms.ChoiceField(
        label=_("Period"), required=False,
        choices=[("week", _("This week (last 7 days)")), ("month", _("Last 30 days"))],
    )
    team = forms.ChoiceField(label=_("Team"), required=False)

    def __init__(self, *args, teams: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("All teams")), *teams]
        asked = str(self.data.get("team", "") or "")
        if asked and selectors.is_team_key(asked) and asked not in dict(choices):
            choices.append((asked, selectors.team_label(asked)))
        self.fields["team"].choices = choices


class SynonymForm(ServiceErrorsMixin, forms.Form):
    term = forms.CharField(
        label=_("Word agents type"), max_length=WORD_MAX_LENGTH,
        help_text=_("For example cancellation. Accents and capitals never matter to search."),
        error_messages={"required": _("Give the word agents type."),
                        "max_length": _("At most %(limit_value)d characters.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    synonyms = forms.CharField(
        label=_("Words that mean the same"), max_length=2000,
        help_text=_("Separated by commas, e.g. unsubscribe, close account. Each word of the group finds the "
                    "others. An expression of several words is found from a single word, not the other way round."),
        error_messages={"required": _("Give at least one synonym."),
                        "max_length": _("At most %(limit_value)d characters in all.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def words(self) -> list[str]:
        return [w.strip() for w in SEPARATORS.split(self.cleaned_data["synonyms"]) if w.strip()]


class BestBetForm(ServiceErrorsMixin, forms.Form):
    """The article comes from the permission layer (`articles`): an id outside it, from another
    tenant or of a draft, is an invalid choice, answered like any other form error. The select
    lists `options` only (a bounded list, filtered by the typeahead), never every article."""

    query = forms.CharField(
        label=_("Query"), max_length=QUERY_MAX_LENGTH,
        help_text=_("What agents type, e.g. cancellation. Accents and capitals do not matter."),
        error_messages={"required": _("Give the query this article answers.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    article = forms.ModelChoiceField(
        label=_("Article to show first"), queryset=None,
        error_messages={"required": _("Choose the article to pin."),
                        "invalid_choice": _("Choose a published article from the list.")},
    )

    def __init__(self, *args, articles, options: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = articles
        self.fields["article"].widget.choices = [("", _("— choose an article —")), *options]
