"""Break-ins found in the security review of the sign-in, people, checks and dashboard work:
each test is the exploit, written before its fix."""

from __future__ import annotations

import datetime

from django.test import Client as HttpClient
from django.utils import timezone

from articles.models import Materiality
from checks.models import Answer, Attempt, AttemptKind, Choice, Question

from .conftest import host
from .test_checks import access_of, desk, must_read_check, publish, single  # noqa: F401 - fixtures
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


# --- Practice does not hand out the answers of a check the person still has to pass ---------------


def test_practice_does_not_show_the_right_answers_of_a_pending_must_read_check(
        desk, django_capture_on_commit_callbacks):  # noqa: F811
    world = desk.world
    question = single(desk, desk.guide, 0, "Where do you look first?", right="The tracking page",
                      wrong="The customer's e-mail")
    publish(desk, django_capture_on_commit_callbacks, change={2: "Send the SMS at once."},
            materiality=Materiality.MUST_READ, must_read=must_read_check(desk))
    http = HttpClient()
    http.force_login(world.agent_both)
    wrong = next(c.pk for c in question.choices.all() if not c.correct)
    response = http.post(f"/practice/{desk.deliveries.slug}/", {"questions": [question.pk], f"q{question.pk}": [wrong]},
                         HTTP_HOST=host(desk.acme))
    assert response.status_code == 200
    text = response.content.decode()
    assert "data-practice-score" in text and "The customer&#x27;s e-mail" in text  # their own answer is shown
    assert "The tracking page" not in text, "the right answer of the must-read's check reached the browser"
    # Once the check is passed (nothing pending), practice shows right answers again.
    http.post(f"/check/guides/{desk.guide.slug}/", {"revision": desk.guide.live_revision_id,
                                                      f"q{question.pk}": [c.pk for c in question.choices.all()
                                                                          if c.correct]},
              HTTP_HOST=host(desk.acme))
    again = http.post(f"/practice/{desk.deliveries.slug}/", {"questions": [question.pk], f"q{question.pk}": [wrong]},
                      HTTP_HOST=host(desk.acme)).content.decode()
    assert "The tracking page" in again


# --- A tenant admin's invitation names no provider their company does not engage -------------------


def test_inviting_an_address_does_not_tell_a_client_which_other_provider_employs_it(world):
    """Nova Calls works for nobody at Acme: Acme's admin typing one of its leads' address must
    learn nothing of Nova (not its name, not that the address works for a provider)."""
    from tenants import services as tenant_services
    from tenants.models import Invitation, ProviderOrganisation, ProviderRole, Role, User

    from .factories import http_as

    nova = ProviderOrganisation.objects.create(name="Nova Calls", country="Portugal")
    lead = User.objects.create_user("lead@nova.test", world.password, full_name="Nova Lead")
    tenant_services.provider_member_add(user=lead, provider=nova, role=ProviderRole.LEAD)
    response = http_as(world.acme_admin).post("/people/invite/", {"email": "lead@nova.test", "role": Role.VIEWER},
                                              HTTP_HOST=host(world.acme))
    body = response.content.decode()
    assert "Nova Calls" not in body and "confidential content, which provider people never see" not in body
    assert response.status_code == 302, "nothing to confirm: Nova has no access to Acme"
    assert Invitation.objects.pending().filter(client=world.acme, email="lead@nova.test").exists()


# --- A provider lead's invitation preview tells nothing of an address's roles elsewhere -------------


def test_a_leads_csv_preview_does_not_tell_who_is_client_staff_somewhere(world):
    """Helios' lead uploads addresses to probe: the preview must not say that one of them is client
    staff of some workspace (a client's editor is nobody's business at a provider)."""
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .factories import http_as

    upload = SimpleUploadedFile("agents.csv", f"Probe,{world.lumiere_admin.email},\nNew,new.agent@helios.test,\n"
                                .encode(), content_type="text/csv")
    response = http_as(world.lead).post(f"/provider/{world.helios.pk}/invite/csv/", {"file": upload},
                                        HTTP_HOST=settings.KB_BASE_DOMAIN)
    body = response.content.decode()
    assert response.status_code == 200, body[:500]
    assert "new.agent@helios.test" in body
    assert "client staff" not in body.lower() and "keep that role" not in body


# --- Single sign-on: an address the identity provider says is unverified signs nobody in ------------


def test_an_email_verified_claim_of_false_as_a_string_is_refused(world):
    """Some identity providers send the claim as a string ("false"): it is no more verified."""
    import pytest

    from sso.services import SsoRefused, account_for_claims, identity_provider_configure
    from tenants.models import User

    identity_provider = identity_provider_configure(
        client=world.acme, issuer="https://idp.example.test", client_id="ours", client_secret="s",
        domains=["acme-sso.test"])
    for unverified in ("false", "False", False):
        with pytest.raises(SsoRefused):
            account_for_claims(identity_provider=identity_provider,
                               claims={"email": "mallory@acme-sso.test", "email_verified": unverified})
    assert not User.objects.filter(email="mallory@acme-sso.test").exists()
    person = account_for_claims(identity_provider=identity_provider,
                                claims={"email": "ann@acme-sso.test", "email_verified": "true"})
    assert person.email == "ann@acme-sso.test"
