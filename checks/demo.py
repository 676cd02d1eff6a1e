"""Demo knowledge checks for `make run`: questions on two steps of a guide in each demo tenant,
and a quarter of attempts by Helios' agents (ravi@, anais@), passes and fails, so that a check,
its weak spots and the practice history show something true on first run. Run after the
must-reads (the questions are written on the guides' latest revisions)."""

from __future__ import annotations

import datetime

from django.db import connection
from django.utils import timezone

from articles.models import Article
from tenants.models import Client, Membership, Role, User
from tenants.selectors import workspace_access

from . import services
from .models import Question
from .services import ChoiceInput

# slug: [(step title, kind, question, [(choice, right)], explanation)]
CHECKS = {
    "acme": ("handle-a-delivery-delay-call", [
        ("Check the promised date", "single", "A customer calls about a parcel whose promised date has not passed. "
         "What do you do?", [("Reassure them and send the tracking link", True), ("Open an investigation", False),
                             ("Offer a refund", False)],
         "Before the promised date, the parcel is not late: reassure and give the tracking link."),
        ("Read the carrier status", "true_false", "A parcel with no scan for 3 working days is treated as lost.",
         [("True", False), ("False", True)], "It takes 5 working days without a scan for a parcel to count as lost."),
    ]),
    "lumiere": ("traiter-un-rejet-de-prelevement", [
        ("Lire le motif du rejet", "single", "Où lisez-vous le motif d’un rejet de prélèvement ?",
         [("Dans l’onglet Paiements", True), ("Dans le courrier de relance", False), ("Auprès de la banque", False)],
         "Le motif est dans l’onglet Paiements."),
        ("Expliquer les frais", "multiple", "Quand pouvez-vous annuler les frais de rejet ?",
         [("Une fois par an, sans rejet antérieur", True), ("Toujours pour un client Fragilité", True),
          ("Dès que le client le demande", False)],
         "Une fois par an sans rejet antérieur, et toujours pour un client signalé Fragilité."),
    ]),
}
# (e-mail, days ago, right answers by question index)
ATTEMPTS = [
    ("ravi@helios.example", 80, (True, False)), ("ravi@helios.example", 79, (True, True)),
    ("anais@helios.example", 60, (False, False)), ("anais@helios.example", 58, (True, False)),
    ("anais@helios.example", 55, (True, True)), ("ravi@helios.example", 20, (True, False)),
    ("anais@helios.example", 6, (True, True)),
]


def seed_one(client: Client, slug: str, specs) -> int:
    article = Article.objects.filter(slug=slug).select_related("latest_revision", "live_revision").first()
    if article is None or article.live_revision is None or Question.objects.filter(article=article).exists():
        return 0
    editor = User.objects.filter(pk__in=Membership.objects.filter(client=client, role=Role.EDITOR)
                                 .values("user_id")).order_by("pk").first()
    steps = {step["title"]: step["id"] for step in article.latest_revision.steps}
    questions = []
    for title, kind, text, choices, explanation in specs:
        if title not in steps:
            continue
        questions.append(services.question_save(
            article=article, kind=kind, text=text, explanation=explanation, anchors=[f"step:{steps[title]}"],
            choices=[ChoiceInput(choice, right) for choice, right in choices], acting_user=editor))
    now = timezone.now()
    for email, days, rights in ATTEMPTS:
        person = User.objects.filter(email=email).first()
        access = workspace_access(person, client) if person else None
        if access is None:
            continue
        answers = {}
        for question, right in zip(questions, rights, strict=False):
            ids = question.right_choice_ids()
            answers[question.pk] = sorted(ids) if right else [c.pk for c in question.choices.all() if c.pk not in ids][:1]
        services.check_submit(access=access, article=article, revision_id=article.live_revision_id,
                              questions=questions, answers=answers, must_read=None,
                              now=now - datetime.timedelta(days=days, hours=len(answers)))
    return len(questions)


def seed_checks(stdout=None) -> None:
    for schema, (slug, specs) in CHECKS.items():
        client = Client.objects.filter(schema_name=schema).first()
        if client is None:
            continue
        connection.set_tenant(client)
        try:
            count = seed_one(client, slug, specs)
        finally:
            connection.set_schema_to_public()
        if count and stdout is not None:
            stdout.write(f"  knowledge check ({schema}): {slug}, {count} questions")
