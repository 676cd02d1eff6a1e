"""Break-ins found in the security review of the sign-in, people, checks and dashboard work:
each test is the exploit, written before its fix."""

from __future__ import annotations

import datetime

from django.utils import timezone

from checks.models import Answer, Attempt, AttemptKind, Choice, Question

from .test_dashboard import _get, _in_english, board  # noqa: F401 - fixtures

# --- The dashboard's weak spots name only what a lead's teams may read ---------------------------


def test_a_lead_is_not_named_a_weak_spot_on_content_their_teams_may_not_read(board):  # noqa: F811
    """The Attic is read by no provider team; an answer of a lead's agent there (a person grant,
    or a grant since revoked) must not name its question or its article to the lead."""
    world = board.world
    question = Question.objects.create(article=board.old, text="What margin do we make on tariff B?",
                                       explanation="Internal.", anchors=[])
    Choice.objects.create(question=question, text="Twelve per cent", correct=True)
    attempt = Attempt.objects.create(kind=AttemptKind.CHECK, person=world.agent_both, article=board.old,
                                     revision=board.old.live_revision, right=0, total=1,
                                     submitted_at=timezone.now() - datetime.timedelta(days=1))
    Answer.objects.create(attempt=attempt, question=question, revision=board.old.live_revision, correct=False)
    admin = _get(world.acme_admin, period="30").content.decode()
    assert "What margin do we make on tariff B?" in admin, "client staff see every weak spot"
    text = _get(world.lead, period="30").content.decode()
    assert "What margin do we make on tariff B?" not in text
    assert "Old tariffs" not in text
    csv = _get(world.lead, "/dashboard/export/", table="weak.questions", period="30").content.decode()
    assert "tariff B" not in csv
