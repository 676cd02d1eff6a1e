"""The knowledge checks' events in the dashboard's bench tenant (`dashboard.bench.EVENT_HOOKS`,
appended by `ChecksConfig.ready`): two questions on the step of each bench guide, and about one
check attempt per agent a week over the year, a third of the answers wrong (one question
fails more often than the other), written in bulk, so that the weak spots are measured too."""

from __future__ import annotations

import datetime

from .models import Answer, Attempt, AttemptKind, Choice, Question, QuestionKind

ATTEMPTS_PER_AGENT_WEEK = 1.0
FAIL_RATES = (0.2, 0.45)  # the first question of a guide, the second


def attempts(*, rng, agents, articles, start, end) -> int:
    """Questions on the guides among `articles` and the agents' attempts at them; how many
    attempts were written."""
    guides = [a for a in articles if a.live_revision is not None and a.live_revision.steps]
    if not guides:
        return 0
    questions: dict[int, list[tuple[Question, Choice, Choice]]] = {}
    for guide in guides:
        step = guide.live_revision.steps[0]
        for n in range(len(FAIL_RATES)):
            question = Question.objects.create(
                article=guide, kind=QuestionKind.SINGLE, text=f"{guide.title}: question {n + 1}",
                explanation="Because the step says so.", anchors=[f"step:{step['id']}"],
                anchored_revision=guide.live_revision)
            right, wrong = Choice.objects.bulk_create([Choice(question=question, text="Right", correct=True, position=0),
                                                       Choice(question=question, text="Wrong", position=1)])
            questions.setdefault(guide.pk, []).append((question, right, wrong))
    seconds = (end - start).total_seconds()
    total = int(len(agents) * seconds / (7 * 86400) * ATTEMPTS_PER_AGENT_WEEK)
    made, answers = [], []
    for _n in range(total):
        user, _team = rng.choice(agents)
        guide = rng.choice(guides)
        wrongs = [rng.random() < rate for rate in FAIL_RATES]
        right = wrongs.count(False)
        made.append(Attempt(kind=AttemptKind.CHECK, person_id=user.pk, article=guide, revision=guide.live_revision,
                            right=right, total=len(wrongs), passed=right == len(wrongs),
                            submitted_at=start + datetime.timedelta(seconds=rng.random() * seconds)))
        answers.append([(question, wrong if failed else good)
                        for (question, good, wrong), failed in zip(questions[guide.pk], wrongs, strict=True)])
    Attempt.objects.bulk_create(made, batch_size=5000)
    Answer.objects.bulk_create(
        [Answer(attempt=attempt, question=question, revision_id=attempt.revision_id, chosen=[choice.pk],
                correct=choice.correct, anchors=question.anchors)
         for attempt, given in zip(made, answers, strict=True) for question, choice in given], batch_size=5000)
    return total


def counted() -> int:
    """The attempts in the bench tenant (its events, for the bench's line)."""
    return Attempt.objects.count()
