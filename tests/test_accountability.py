"""Accountability you can read (issue 14): history names who made each revision, the conflict
page who saved and when, the audit log reads as sentences in the reader's language written from
the ids stored with each event, and an old revision is clearly old, with no live buttons."""

from __future__ import annotations

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from articles import services as articles
from articles.models import Kind
from audit import services as audit
from audit.models import Action, AuditEvent
from permissions import services
from permissions.audit_text import sentences

from .factories import get, host, http_as


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _sentence(event) -> str:
    """The sentence as a reader reads it (values are escaped: "l'accès" is "l&#x27;accès")."""
    return html.unescape(str(sentences([event])[0][1]))


def test_a_grant_event_keeps_ids_and_reads_in_the_readers_language(tree, in_tenant):
    world = tree.world
    tree.desk.name = "Delivery desk"
    last_day = timezone.localdate() + datetime.timedelta(days=30)
    expires = timezone.make_aware(datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time()))
    with translation.override("fr"):  # the admin acts in French...
        services.grant_give(target=tree.c["refunds"], level="read", acting_user=world.acme_admin,
                            person=world.agent_both, expires_at=expires)
    event = AuditEvent.objects.get(action=Action.GRANT_GIVEN)
    assert event.detail["grantee_kind"] == "person" and event.detail["grantee_id"] == world.agent_both.pk
    assert event.object_type == "collection" and event.object_id == str(tree.c["refunds"].pk)
    with translation.override("en"):  # ...an English admin reads English, with today's names
        tree.c["refunds"].name = "Refunds and returns"
        tree.c["refunds"].save(update_fields=["name"])
        day = last_day.strftime("%-d %b %Y")
        assert _sentence(event) == f"Agent.Both was given read access to <em>Refunds and returns</em> until {day}."
    with translation.override("fr"):
        text = _sentence(event)
        assert text.startswith("Agent.Both a reçu l'accès en lecture à <em>Refunds and returns</em> jusqu'au ")


def test_team_grants_changes_revocations_read_as_sentences(tree):
    world = tree.world
    grant = services.grant_give(target=tree.c["refunds"], level="read", acting_user=world.acme_admin, team=tree.desk)
    services.grant_give(target=tree.c["refunds"], level="contribute", acting_user=world.acme_admin, team=tree.desk)
    grant.refresh_from_db()
    services.grant_revoke(grant=grant, acting_user=world.acme_admin)
    events = list(AuditEvent.objects.filter(action__startswith="grant.").order_by("id"))
    texts = [html.unescape(str(s)) for _, s in sentences(events)]
    assert texts == [
        "Team Refund desk was given read access to <em>Refunds</em>.",
        "Team Refund desk now has read and suggest access to <em>Refunds</em>, with no end.",
        "Team Refund desk no longer has access to <em>Refunds</em>: revoked.",
    ]
    with translation.override("fr"):
        assert html.unescape(str(sentences(events[:1])[0][1])) == "L'équipe Refund desk a reçu l'accès en lecture à <em>Refunds</em>."


def test_an_event_written_before_the_ids_still_reads_sensibly(acme):
    old = audit.record(Action.GRANT_REVOKED, actor=audit.Actor.system(), label="Old collection",
                       detail={"grantee": "Helios Contact / Night shift", "level": "read", "expires_at": None})
    assert _sentence(old) == "Helios Contact / Night shift no longer has access to <em>Old collection</em>: revoked."
    bare = audit.record(Action.EXPORT, actor=audit.Actor.system(), label="Whole knowledge base")
    assert _sentence(bare) == "Export: <em>Whole knowledge base</em>."
    nothing = audit.record(Action.SETTINGS_CHANGED, actor=audit.Actor.system())
    assert _sentence(nothing) == "Settings changed."


def test_names_are_escaped_in_the_sentences(tree):
    tree.c["other"].name = "<script>x</script>"
    tree.c["other"].save(update_fields=["name"])
    services.grant_give(target=tree.c["other"], level="read", acting_user=tree.world.acme_admin, team=tree.desk)
    text = str(sentences([AuditEvent.objects.get(action=Action.GRANT_GIVEN)])[0][1])
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_the_audit_page_shows_sentences_and_relative_times(tree):
    world = tree.world
    services.grant_give(target=tree.c["refunds"], level="read", acting_user=world.acme_admin, team=tree.desk)
    page = html.unescape(get(world.acme_admin, "/access/audit/", world.acme).content.decode())
    assert "Team Refund desk was given read access to <em>Refunds</em>." in page
    assert "<time datetime=" in page and "just now</time>" in page
    page = html.unescape(http_as(world.acme_admin, language="fr").get("/access/audit/", HTTP_HOST=host(world.acme))
                         .content.decode())
    assert "L'équipe Refund desk a reçu l'accès en lecture à <em>Refunds</em>." in page and "à l'instant" in page


@pytest.fixture
def guide(acme):
    collection = articles.collection_create(name="Delivery", acting_user=acme.acme_editor)
    return articles.article_create(
        kind=Kind.GUIDE, collection=collection, acting_user=acme.acme_editor, publish=True,
        content=articles.Content(title="Lost parcel", language="en", tags=[],
                                 steps=[{"title": "Check", "body": "Check tracking."}]),
    )


def _second_revision(guide, user, summary="Second"):
    base = guide.latest_revision
    return articles.revision_create(
        article=guide, expected_revision_id=base.pk, summary=summary, acting_user=user,
        content=articles.Content(title=base.title, language="en", tags=[],
                                 steps=[dict(s, body="Check tracking twice.") for s in base.steps]),
    )


def test_history_names_who_made_each_revision(acme, guide):
    _second_revision(guide, acme.acme_admin)
    page = get(acme.acme_editor, guide.url("history"), acme.acme).content.decode()
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert "<td>Admin</td>" in rows[0] and "<td>Editor</td>" in rows[1]
    assert "just now</time>" in rows[0]


def test_the_conflict_page_names_who_saved_and_when(acme, guide):
    base = guide.latest_revision
    _second_revision(guide, acme.acme_admin, summary="Alice was first")
    data = {"title": "Lost parcel", "collection": guide.collection_id, "language": "en", "tags": "",
            "review_by": guide.review_by.isoformat(), "summary": "Mine", "body": "", "base_revision": base.pk,
            "action": "draft"}
    for i, step in enumerate(base.steps):
        data.update({f"steps-{step['id']}-id": step["id"], f"steps-{step['id']}-title": step["title"],
                     f"steps-{step['id']}-body": "Mine", f"steps-{step['id']}-order": i})
    response = http_as(acme.acme_editor).post(guide.url("edit"), data, HTTP_HOST=host(acme.acme))
    assert response.status_code == 409
    body = response.content.decode()
    assert "Admin saved revision 2 on " in body and "just now</time>" in body


def test_an_old_revision_is_marked_old_with_no_live_buttons(acme, guide):
    _second_revision(guide, acme.acme_admin)
    url = reverse("articles:revision", args=[guide.prefix, guide.slug, 1])
    page = get(acme.acme_editor, url, acme.acme).content.decode()
    assert "This is an old revision, not the current version." in page
    assert "Readers see this revision." in page  # revision 1 is the published one
    assert "by Editor" in page
    for live in ("Mark as verified", "Publish the latest draft", "Was this helpful?", 'name="archived"'):
        assert live not in page
    # Restoring asks first: the first control only opens the question.
    assert '<summary class="button">Restore this revision…</summary>' in page
    assert "Yes, restore it as a draft" in page
