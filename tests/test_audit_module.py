"""The audit log's own module: one function, an explicit actor, and the channel it came through."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from audit import services as audit
from audit.models import Action, AuditEvent
from audit.services import Actor, Channel

from .conftest import host


def test_an_event_says_who_from_where_and_through_what(acme):
    request = RequestFactory().get("/api/v1/search", HTTP_HOST=host(acme.acme), REMOTE_ADDR="203.0.113.7")
    request.user = acme.acme_admin
    event = audit.record(Action.EXPORT, actor=Actor.from_request(request), label="everything")
    event.refresh_from_db()
    assert (event.actor_id, event.actor_label, event.ip, event.channel) == (
        acme.acme_admin.pk, acme.acme_admin.email, "203.0.113.7", "api")


def test_the_system_and_a_person_without_a_request_are_actors_too(acme):
    swept = audit.record(Action.GRANT_EXPIRED, actor=Actor.system())
    admin = audit.record(Action.ENGAGEMENT_STARTED, actor=Actor.of(acme.acme_admin, channel=Channel.ADMIN))
    assert (swept.actor_id, swept.channel, swept.ip) == (None, "task", None)
    assert (admin.actor_id, admin.channel) == (acme.acme_admin.pk, "admin")


@pytest.mark.parametrize("who", [None, "someone", 42])
def test_an_event_without_an_explicit_actor_is_refused(acme, who):
    with pytest.raises(TypeError):
        audit.record(Action.EXPORT, actor=who)


def test_the_moved_log_is_still_append_only_in_the_database(acme):
    event = audit.record(Action.EXPORT, actor=Actor.system(Channel.COMMAND))
    assert AuditEvent._meta.db_table == "permissions_auditevent"
    for statement in ("UPDATE permissions_auditevent SET channel = 'web' WHERE id = %s",
                      "DELETE FROM permissions_auditevent WHERE id = %s"):
        # Refused by the trigger, or before it by the application's role (no UPDATE or DELETE).
        with pytest.raises(DatabaseError, match="append-only|permission denied"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(statement, [event.pk])
