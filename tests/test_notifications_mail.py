"""E-mail of notifications through the outbox: immediate after the debounce window, digests
grouped by collection with open must-reads on top, the person's language, both parts, access
re-checked before mailing."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from articles import services as articles
from articles.models import Kind
from notifications import hooks, mail, services
from notifications.models import ChangeEvent, Notification
from outbox import preferences
from outbox.models import Message
from permissions import services as grants
from tenants import services as tenants


@pytest.fixture
def world_with_changes(world, in_tenant):
    in_tenant(world.acme)
    editor = world.acme_editor
    refunds = articles.collection_create(name="Refunds", acting_user=editor)
    billing = articles.collection_create(name="Billing", acting_user=editor)

    def article(collection, title):
        return articles.article_create(kind=Kind.ARTICLE, collection=collection, acting_user=editor, publish=True,
                                       summary="First version", content=articles.Content(title=title, language="en", tags=[], body=title))

    a = {"refund": article(refunds, "Refund a parcel"), "invoice": article(billing, "Send an invoice"),
         "late": article(billing, "Late payment")}
    team = tenants.team_create(provider=world.helios, name="Desk", clients=[world.acme])
    team.members.add(world.agent_acme)
    grants.grant_give(target=refunds, level="read", acting_user=world.acme_admin, team=team)
    grants.grant_give(target=billing, level="read", acting_user=world.acme_admin, team=team)
    world.agent_acme.language = "fr"
    world.agent_acme.save(update_fields=["language"])
    events = {}
    for name, item in a.items():
        events[name] = ChangeEvent.objects.create(article=item, revision=item.live_revision, change="published",
                                                  materiality="update", fanned_out_at=timezone.now())
        Notification.objects.create(recipient_id=world.agent_acme.pk, event=events[name])
    return world, a, events, team, billing


def _messages(world, stream):
    schema = connection.schema_name
    connection.set_schema_to_public()
    found = list(Message.objects.filter(person_id=world.agent_acme.pk, stream=stream))
    connection.set_schema_to_public() if schema == "public" else connection.set_tenant(world.acme)
    return found


@pytest.mark.django_db
def test_the_digest_groups_by_collection_puts_must_reads_on_top_and_speaks_the_persons_language(world_with_changes):
    world, a, events, team, billing = world_with_changes
    preferences.preference_set(person_id=world.agent_acme.pk, schema_name="acme", updates="daily")
    connection.set_tenant(world.acme)
    deadline = timezone.localdate() + datetime.timedelta(days=3)

    def open_must_reads(person_id):
        return [{"article_id": a["late"].pk, "revision_id": a["late"].live_revision_id, "deadline": deadline.isoformat()},
                {"article_id": a["refund"].pk, "revision_id": a["refund"].live_revision_id, "deadline": None}]

    hooks.register_open_must_reads(open_must_reads)
    try:
        assert mail.digest_recipients("daily") == [world.agent_acme.pk]
        assert mail.send_digests([world.agent_acme.pk], "daily") == 1
        # Sent once: a second run finds nothing left to tell.
        assert mail.send_digests([world.agent_acme.pk], "daily") == 0
    finally:
        hooks._open_must_reads.remove(open_must_reads)
    (message,) = _messages(world, mail.DIGEST_STREAM)
    assert message.language == "fr" and message.html and message.text
    assert "List-Unsubscribe" in message.headers and "One-Click" in message.headers["List-Unsubscribe-Post"]
    text = message.text
    assert "Billing" in text and "Refunds" in text
    # Must-reads first, the one with the nearest deadline first; then collections in order.
    assert text.index("Late payment") < text.index("Refund a parcel") < text.index("Billing")
    assert text.index("Billing") < text.index("Send an invoice") < text.index("Refunds")


@pytest.mark.django_db
def test_a_revoked_grant_keeps_the_article_out_of_the_mail(world_with_changes):
    world, a, events, team, billing = world_with_changes
    preferences.preference_set(person_id=world.agent_acme.pk, schema_name="acme", updates="weekly")
    connection.set_tenant(world.acme)
    for grant in billing.team_grants.all():
        grants.grant_revoke(grant=grant, acting_user=world.acme_admin)
    assert mail.send_digests([world.agent_acme.pk], "weekly") == 1
    (message,) = _messages(world, mail.DIGEST_STREAM)
    assert "Refund a parcel" in message.text
    assert "Send an invoice" not in message.text and "Late payment" not in message.text
    assert "Send an invoice" not in message.html


@pytest.mark.django_db
def test_immediate_mail_waits_for_the_debounce_window_then_goes_once(world_with_changes):
    world, a, events, team, billing = world_with_changes
    preferences.preference_set(person_id=world.agent_acme.pk, schema_name="acme", updates="immediate")
    connection.set_tenant(world.acme)
    record = events["refund"]
    assert record.pk not in mail.due_immediate_events()  # saved just now: the author may save again
    ChangeEvent.objects.filter(pk=record.pk).update(
        updated_at=timezone.now() - datetime.timedelta(seconds=services.DEBOUNCE_SECONDS + 1))
    assert record.pk in mail.due_immediate_events()
    assert mail.send_immediate(record.pk) == 1
    assert mail.send_immediate(record.pk) == 0
    (message,) = _messages(world, mail.UPDATES_STREAM)
    assert "Refund a parcel" in message.subject and message.language == "fr"
    assert f"/notifications/{Notification.objects.get(event=record).pk}/" in message.text
    # Digest-minded people are not mailed at once; people who want none get nothing.
    assert mail.digest_recipients("daily") == []


@pytest.mark.django_db
def test_subjects_speak_the_recipients_language(world_with_changes):
    world, a, events, team, billing = world_with_changes
    preferences.preference_set(person_id=world.agent_acme.pk, schema_name="acme", updates="immediate")
    connection.set_tenant(world.acme)
    record = events["refund"]
    ChangeEvent.objects.filter(pk=record.pk).update(
        updated_at=timezone.now() - datetime.timedelta(seconds=services.DEBOUNCE_SECONDS + 1))
    assert mail.send_immediate(record.pk) == 1
    (message,) = _messages(world, mail.UPDATES_STREAM)
    assert message.subject == "Modifié : Refund a parcel"
    connection.set_schema_to_public()
    preferences.preference_set(person_id=world.agent_acme.pk, schema_name="acme", updates="daily")
    connection.set_tenant(world.acme)
    assert mail.send_digests([world.agent_acme.pk], "daily") == 1
    (digest,) = _messages(world, mail.DIGEST_STREAM)
    assert digest.subject.startswith("Votre récapitulatif quotidien de ")


@pytest.mark.django_db
def test_must_reads_are_mailed_by_the_must_read_preference_and_updates_by_theirs(world_with_changes):
    world, a, events, team, billing = world_with_changes
    # Updates by weekly digest; must-reads left at their default (immediate).
    preferences.preference_set(person_id=world.agent_acme.pk, schema_name="acme", updates="weekly")
    connection.set_tenant(world.acme)
    ChangeEvent.objects.filter(pk=events["late"].pk).update(materiality="must_read")
    ChangeEvent.objects.update(updated_at=timezone.now() - datetime.timedelta(seconds=services.DEBOUNCE_SECONDS + 1))
    assert mail.send_immediate(events["invoice"].pk) == 0  # an update: the weekly digest tells it
    assert mail.send_immediate(events["late"].pk) == 1
    # Work, not marketing: a stream of its own, no one-click unsubscribe, a link to the settings.
    assert _messages(world, mail.UPDATES_STREAM) == []
    (message,) = _messages(world, mail.MUST_READ_STREAM)
    assert "Late payment" in message.subject and "lecture obligatoire" in message.text  # "This change is a must read."
    assert "List-Unsubscribe" not in message.headers and "List-Id" in message.headers
    from outbox.services import settings_url

    assert settings_url("acme") in message.text
    assert mail.digest_recipients("weekly") == [world.agent_acme.pk]
    assert mail.digest_recipients("daily") == []
    assert mail.send_digests([world.agent_acme.pk], "weekly") == 1
    (digest,) = _messages(world, mail.DIGEST_STREAM)
    assert "Send an invoice" in digest.text and "Refund a parcel" in digest.text
    # Now must-reads by daily digest: a new must-read waits for it, not for the immediate mail.
    connection.set_schema_to_public()
    preferences.preference_set(person_id=world.agent_acme.pk, schema_name="acme", must_read="daily")
    connection.set_tenant(world.acme)
    later = ChangeEvent.objects.create(article=a["late"], revision=a["late"].live_revision, change="published",
                                       materiality="must_read", fanned_out_at=timezone.now(),
                                       updated_at=timezone.now() - datetime.timedelta(hours=1))
    Notification.objects.create(recipient_id=world.agent_acme.pk, event=later)
    assert mail.send_immediate(later.pk) == 0
    assert mail.digest_recipients("daily") == [world.agent_acme.pk]
    assert mail.digest_recipients("weekly") == []
    assert mail.send_digests([world.agent_acme.pk], "daily") == 1


@pytest.mark.django_db
def test_a_must_read_acknowledged_since_is_not_mailed(world_with_changes):
    world, a, events, team, billing = world_with_changes
    preferences.preference_set(person_id=world.agent_acme.pk, schema_name="acme", updates="immediate")
    connection.set_tenant(world.acme)
    record = events["late"]
    ChangeEvent.objects.filter(pk=record.pk).update(
        materiality="must_read", updated_at=timezone.now() - datetime.timedelta(seconds=services.DEBOUNCE_SECONDS + 1))
    number = a["late"].live_revision.number

    def acknowledged(person_id, article_id):
        return number if (person_id, article_id) == (world.agent_acme.pk, a["late"].pk) else None

    hooks.register_acknowledged(acknowledged)
    try:
        assert mail.send_immediate(record.pk) == 0
    finally:
        hooks._acknowledged.remove(acknowledged)
    assert _messages(world, mail.UPDATES_STREAM) == []


@pytest.mark.django_db
def test_two_collections_of_one_name_are_two_groups_of_the_digest(world_with_changes):
    world, a, events, team, billing = world_with_changes
    connection.set_tenant(world.acme)
    other = articles.collection_create(name="Billing", acting_user=world.acme_editor)
    grants.grant_give(target=other, level="read", acting_user=world.acme_admin, team=team)
    item = articles.article_create(kind=Kind.ARTICLE, collection=other, acting_user=world.acme_editor, publish=True,
                                   summary="First", content=articles.Content(title="Other billing", language="en",
                                                                             tags=[], body="x"))
    event = ChangeEvent.objects.create(article=item, revision=item.live_revision, change="published",
                                       materiality="update", fanned_out_at=timezone.now())
    Notification.objects.create(recipient_id=world.agent_acme.pk, event=event)
    assert mail.send_digests([world.agent_acme.pk], "daily") == 1
    (message,) = _messages(world, mail.DIGEST_STREAM)
    assert message.text.count("Billing\n") == 2, message.text
