"""A person's sessions: which browsers are signed in as them, and ending them.

Django's session table says nothing about whose a session is; `PersonSession` does. A row is
written when a person signs in (the `user_logged_in` signal, whatever signed them in) and
refreshed at most every TOUCH_EVERY seconds by SessionLifetimeMiddleware, so an ordinary
request (the bell polls every 10 s) writes nothing. A session is ended only through the
configured engine (`SessionStore(key).delete()`), so that a cache in front of the database
(cached_db) forgets it too; the rows here only say which keys to end.
"""

from __future__ import annotations

import time
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from ..models import PersonSession, User

TOUCH_EVERY = 300  # seconds between two refreshes of a session's row
SEEN_FLAG = "kb_session_seen_at"  # in the session: when its row was last refreshed


def _engine():
    return import_string(settings.SESSION_ENGINE).SessionStore


def _details(request) -> dict:
    return {
        "user_agent": (request.META.get("HTTP_USER_AGENT") or "")[:300],
        "ip": request.META.get("REMOTE_ADDR") or None,
    }


def session_signed_in(request, user: User) -> None:
    """Record the session `request` was just signed in with (its key is the new one)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    if session.session_key is None:
        session.save()
    if session.session_key is None:  # an engine without keys (signed cookies): nothing to list
        return
    now = timezone.now()
    PersonSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={"user": user, "created_at": now, "last_seen_at": now, **_details(request)},
    )
    session[SEEN_FLAG] = int(time.time())


def session_seen(request, now: int) -> None:
    """Refresh the row of the request's session when it is older than TOUCH_EVERY seconds (the
    session remembers when: no statement otherwise)."""
    if now - request.session.get(SEEN_FLAG, 0) < TOUCH_EVERY:
        return
    key = request.session.session_key
    if key is None:
        return
    request.session[SEEN_FLAG] = now
    PersonSession.objects.update_or_create(
        session_key=key, defaults={"user_id": request.user.pk, "last_seen_at": timezone.now(), **_details(request)},
    )


def session_rekeyed(old_key: str | None, new_key: str | None) -> None:
    """The session went on under a new key (`cycle_key`, as after a password change)."""
    if old_key and new_key and old_key != new_key:
        PersonSession.objects.filter(session_key=old_key).update(session_key=new_key)


def session_signed_out(request, user) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        PersonSession.objects.filter(session_key=key).delete()


def active_sessions(user: User):
    """The person's sessions that may still be open (seen within the idle limit, signed in
    within the maximum age), most recent first; rows older than that are forgotten."""
    now = timezone.now()
    idle = now - timedelta(seconds=settings.SESSION_IDLE_SECONDS + TOUCH_EVERY)
    oldest = now - timedelta(seconds=settings.SESSION_MAX_AGE_SECONDS)
    rows = PersonSession.objects.filter(user=user)
    rows.filter(last_seen_at__lt=idle).delete()
    rows.filter(created_at__lt=oldest).delete()
    return rows.order_by("-last_seen_at")


def end_sessions(user: User, keep: str | None = None) -> int:
    """Sign the person out everywhere but in the session `keep` (a key): each session is
    deleted through the configured engine, so that its cache forgets it too. Returns how many
    were ended."""
    store = _engine()
    rows = PersonSession.objects.filter(user=user)
    if keep:
        rows = rows.exclude(session_key=keep)
    keys = list(rows.values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    PersonSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


def end_one_session(user: User, session_id: int, keep: str | None = None) -> bool:
    """End one of the person's sessions (not `keep`, the one asking); False: no such session."""
    row = PersonSession.objects.filter(user=user, pk=session_id).exclude(session_key=keep or "").first()
    if row is None:
        return False
    _engine()(session_key=row.session_key).delete()
    row.delete()
    return True


@cache
def _parser():
    try:
        import ua_parser

        return ua_parser.parse
    except ImportError:  # pragma: no cover - the dependency is in the locks
        return None


def describe_user_agent(user_agent: str) -> str:
    """“Firefox on Windows”, from a User-Agent header (ua-parser)."""
    parse = _parser()
    if not user_agent or parse is None:
        return _("Unknown browser")
    result = parse(user_agent)
    browser = result.user_agent.family if result.user_agent else ""
    system = result.os.family if result.os else ""
    if browser and system and system != "Other":
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or _("Unknown browser")


def connect_signals() -> None:
    from django.contrib.auth.signals import user_logged_in, user_logged_out

    def signed_in(sender, request, user, **kwargs):
        if request is not None:
            session_signed_in(request, user)

    def signed_out(sender, request, user, **kwargs):
        if request is not None:
            session_signed_out(request, user)

    user_logged_in.connect(signed_in, dispatch_uid="kb_person_session_in", weak=False)
    user_logged_out.connect(signed_out, dispatch_uid="kb_person_session_out", weak=False)
