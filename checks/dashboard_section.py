"""The dashboard's "weak spots" section (dashboard.registry): the questions most often failed
in the period, with the steps they test, so that a badly written step shows up as a training
problem. Two statements whatever the number of agents (checks.figures.weak_spots)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboard import registry
from dashboard.sections import Table, pct

from . import figures
from .models import Question


def weak_spots(period, scope) -> dict:
    if not Question.objects.exists():
        return {"tables": [], "charts": [], "empty": _(
            "No knowledge checks yet. When editors attach questions to the steps of a guide, the questions most "
            "often failed show here, with their steps.")}
    table = Table("weak_spots.questions", _("Questions most often failed"),
                  [_("Question"), _("Steps tested"), _("Article"), _("Answers"), _("Failed")],
                  empty=_("No question was failed in this period."))
    for row in figures.weak_spots(period.start, period.end, scope.agent_ids, articles=scope.articles):
        table.add(row["question"], " · ".join(row["steps"]), row["article"], row["attempts"],
                  (pct(row["fail_share"]), round(row["fail_share"], 4)))
    return {"tables": [table], "charts": [], "empty": None}


def register() -> None:
    registry.register("weak_spots", title=gettext_lazy("Weak spots"), template="checks/_weak_spots.html",
                      compute=weak_spots, order=60)
