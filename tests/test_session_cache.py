"""Sessions read from Redis first (tenants.sessions): the bell's request reads no session row,
and a session that ended is never served from a copy Redis still holds, whatever ended it
(sign-out, a queryset delete, a password change, a deactivation) and whatever Redis did."""

from __future__ import annotations

import socket

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenants.sessions import SessionStore, end_sessions

from .conftest import host


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.KB_ACCESS_CACHE = True


def _signed_in(world, user=None) -> HttpClient:
    http = HttpClient(HTTP_HOST=host(world.acme), HTTP_ACCEPT_LANGUAGE="en")
    http.force_login(user or world.agent_acme)
    return http


def _with_cookie(world, key: str) -> HttpClient:
    http = HttpClient(HTTP_HOST=host(world.acme), HTTP_ACCEPT_LANGUAGE="en")
    http.cookies["kb_session"] = key
    return http


def _bell(http):
    return http.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true")


def _cached_copy(key: str):
    return caches["sessions"].get(SessionStore.cache_key_prefix + key)


def _put_back(key: str, data) -> None:
    """What Redis holds when a delete never reached it (down, hanging, restarted from a dump)."""
    caches["sessions"].set(SessionStore.cache_key_prefix + key, data, 3600)


@pytest.mark.django_db
def test_the_bell_reads_its_session_from_the_cache(world, in_tenant):
    in_tenant(world.acme)
    http = _signed_in(world)
    for _ in range(2):
        assert _bell(http).status_code == 200
    key = http.cookies["kb_session"].value
    assert _cached_copy(key) is not None
    with CaptureQueriesContext(connection) as queries:
        assert _bell(http).status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"]], [q["sql"][:100] for q in queries]
    assert len(queries) <= 3, [q["sql"][:120] for q in queries]


@pytest.mark.django_db
def test_a_signed_out_session_is_not_served_from_a_copy_redis_kept(world, in_tenant):
    in_tenant(world.acme)
    http = _signed_in(world)
    assert _bell(http).status_code == 200
    key = http.cookies["kb_session"].value
    copy = _cached_copy(key)
    assert copy is not None
    assert http.post(reverse("sign-out")).status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    _put_back(key, copy)
    replay = _with_cookie(world, key)
    assert _bell(replay).status_code == 302  # to the sign-in page: the session is over
    assert _cached_copy(key) is None  # and the stale copy is gone


@pytest.mark.django_db
def test_a_session_deleted_by_a_queryset_is_over_at_once(world, in_tenant):
    """What "sign the other sessions out" or a restore does: rows deleted, the cache untouched."""
    in_tenant(world.acme)
    http = _signed_in(world)
    assert _bell(http).status_code == 200
    key = http.cookies["kb_session"].value
    assert _cached_copy(key) is not None
    Session.objects.filter(session_key=key).delete()
    assert _bell(http).status_code == 302


@pytest.mark.django_db
def test_end_sessions_ends_them_and_their_copies(world, in_tenant):
    in_tenant(world.acme)
    one, two = _signed_in(world), _signed_in(world)
    keys = [one.cookies["kb_session"].value, two.cookies["kb_session"].value]
    for http in (one, two):
        assert _bell(http).status_code == 200
    end_sessions(keys)
    assert all(_cached_copy(key) is None for key in keys)
    assert _bell(one).status_code == 302 and _bell(two).status_code == 302


@pytest.mark.django_db
def test_a_new_password_and_a_deactivation_end_cached_sessions(world, in_tenant):
    in_tenant(world.acme)
    agent = _signed_in(world)
    viewer = _signed_in(world, world.acme_viewer)
    for http in (agent, viewer):
        assert _bell(http).status_code == 200
    world.agent_acme.set_password("a-new-password-2026")
    world.agent_acme.save()
    assert _bell(agent).status_code == 302
    world.acme_viewer.is_active = False
    world.acme_viewer.save()
    assert _bell(viewer).status_code == 302


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db
def test_with_redis_away_sessions_work_and_a_sign_out_still_ends_them(world, in_tenant, settings):
    in_tenant(world.acme)
    http = _signed_in(world)
    assert _bell(http).status_code == 200
    key = http.cookies["kb_session"].value
    copy = _cached_copy(key)
    sessions = {**settings.CACHES["sessions"], "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0"}
    settings.CACHES = {**settings.CACHES, "sessions": sessions}
    assert _bell(http).status_code == 200  # read from the database
    assert http.post(reverse("sign-out")).status_code == 302  # the copy in the real Redis is left
    other = _signed_in(world)  # a session written while the cache is away is marked
    other_key = other.cookies["kb_session"].value
    assert _bell(other).status_code == 200
    settings.CACHES = {**settings.CACHES, "sessions": {**sessions, "LOCATION": caches["default"]._servers[0]}}
    from kbportal import cache as kb_cache

    kb_cache._down_until.clear()
    _put_back(key, copy)
    assert _bell(_with_cookie(world, key)).status_code == 302
    stale = {**SessionStore(other_key).load(), "_auth_user_hash": "an-older-password"}
    _put_back(other_key, stale)  # an older copy than the database's, which Redis may have kept
    assert _bell(other).status_code == 200  # the database's session: still signed in


def test_beat_clears_expired_sessions_and_old_marks_once_a_day(db, settings):
    from datetime import timedelta

    from django.utils import timezone

    from tenants import tasks

    assert settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]["task"] == tasks.clear_expired_sessions.name
    live, old = SessionStore(), SessionStore()
    live.create()
    old.create()
    Session.objects.filter(session_key=old.session_key).update(expire_date=timezone.now() - timedelta(days=1))
    end_sessions([live.session_key])  # ended: its mark stays until it is older than a session can live
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM public.tenants_sessionend")
        marks = cursor.fetchone()[0]
        assert marks >= 1
        cursor.execute("UPDATE public.tenants_sessionend SET ended_at = ended_at - interval '30 days'")
    tasks.clear_expired_sessions()
    assert not Session.objects.filter(session_key=old.session_key).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM public.tenants_sessionend")
        assert cursor.fetchone()[0] == 0
