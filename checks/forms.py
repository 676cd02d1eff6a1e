from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import anchors as anchoring
from .models import QuestionKind
from .services import ChoiceInput

CHOICE_ROWS = 5


class QuestionForm(forms.Form):
    """A question on the article's latest revision: what it tests (its steps, FAQ questions or
    sections, by their stable keys), up to five choices with the right one(s), an explanation.
    For true/false, the two choices are written for the editor."""

    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices, initial=QuestionKind.SINGLE)
    text = forms.CharField(label=_("Question"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    anchors = forms.MultipleChoiceField(label=_("What it tests"), widget=forms.CheckboxSelectMultiple,
                                        error_messages={"required": _("Say which steps, FAQ questions or sections "
                                                                      "the question tests.")})
    true_is_right = forms.ChoiceField(label=_("For true or false: the right answer"), required=False,
                                      choices=[("true", _("True")), ("false", _("False"))], initial="true",
                                      widget=forms.RadioSelect)
    explanation = forms.CharField(label=_("Explanation"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("Shown after an attempt: why the right answer is right."))

    def __init__(self, *args, revision, question=None, **kwargs):
        if question is not None and not args and "initial" not in kwargs:
            initial = {"kind": question.kind, "text": question.text, "anchors": list(question.anchors),
                       "explanation": question.explanation}
            for n, choice in enumerate(question.choices.all()):
                initial.update({f"choice_{n}": choice.text, f"right_{n}": choice.correct, f"step_{n}": choice.step_id})
                if question.kind == QuestionKind.TRUE_FALSE and choice.correct:
                    initial["true_is_right"] = "true" if n == 0 else "false"
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        items = anchoring.anchorable(revision.content())
        self.fields["anchors"].choices = [(item.key, item.label) for item in items]
        steps = [("", _("(no step)"))] + [(item.key.removeprefix("step:"), item.label) for item in items
                                          if item.key.startswith("step:")]
        self.choice_rows = []
        for n in range(CHOICE_ROWS):
            self.fields[f"choice_{n}"] = forms.CharField(label=_("Choice %(n)s") % {"n": n + 1}, max_length=500,
                                                         required=False)
            self.fields[f"right_{n}"] = forms.BooleanField(label=_("Right answer"), required=False)
            self.fields[f"step_{n}"] = forms.ChoiceField(label=_("Points at"), choices=steps, required=False)
            self.choice_rows.append((self[f"choice_{n}"], self[f"right_{n}"], self[f"step_{n}"]))

    def choices(self) -> list[ChoiceInput]:
        data = self.cleaned_data
        if data["kind"] == QuestionKind.TRUE_FALSE:
            true_right = data.get("true_is_right", "true") != "false"
            return [ChoiceInput(str(_("True")), true_right), ChoiceInput(str(_("False")), not true_right)]
        return [ChoiceInput(data.get(f"choice_{n}") or "", bool(data.get(f"right_{n}")),
                            data.get(f"step_{n}") or "" if data["kind"] == QuestionKind.SCENARIO else "")
                for n in range(CHOICE_ROWS)]


def answers_from(post) -> dict[int, list[int]]:
    """{question id: [choice ids]} from the posted `q<id>` fields (anything else ignored)."""
    answers: dict[int, list[int]] = {}
    for name in post:
        if name.startswith("q") and name[1:].isdecimal() and len(name) < 12:
            answers[int(name[1:])] = [int(v) for v in post.getlist(name) if v.isdecimal() and len(v) < 12]
    return answers


class AssignForm(forms.Form):
    collection = forms.ModelChoiceField(label=_("Collection"), queryset=None)
    team = forms.ModelChoiceField(label=_("Team"), queryset=None)
    size = forms.IntegerField(label=_("Questions"), min_value=1, max_value=50, initial=10)
    due = forms.DateField(label=_("Due by"), widget=forms.DateInput(attrs={"type": "date"}),
                          error_messages={"invalid": _("Enter a valid date, e.g. 2027-03-31.")})

    def __init__(self, *args, collections, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collection"].queryset = collections  # type: ignore[attr-defined]
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
