"""What does not change between two keystrokes: the person, their access to the tenant and
their grants' reach, kept in the process and reused while it is still true.

Every request reads the *generations* of its person (`u:<user id>`) and of its tenant
(`c:<client id>`) in one statement (`public.tenants_accessgeneration`). Triggers on every table
an access is computed from draw a new generation in the same transaction as the change
(tenants and permissions migrations `*_speed_access_generation`): a revoked or given grant, a
collection moved or made confidential, a membership, a provider membership and the clients it
serves, a team's members, an engagement started or ended, the person's own row (deactivated,
new password). A cached entry is used only when both generations are the ones it was computed
under, and only until the earliest moment it would change by itself: the first of its grants
to expire, an engagement of the tenant that starts or ends, and at most MAX_AGE seconds. So a
revoke, an end or an expiry takes effect on the very next request, and a cache that is lost
only costs the statements it saved.

The person is kept as the values of their row, and a fresh `User` is built from them for each
request (views may change `request.user`; guardian's checkers are kept on it per request).
"""

from __future__ import annotations

import copy
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import BigIntegerField, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from tenants.middleware import KbTenantMiddleware, TenantAccessMiddleware
from tenants.models import Client, Domain, Engagement, User
from tenants.selectors import WorkspaceAccess, workspace_access

from .grants import provider_reach
from .models import ArticlePersonGrant, ArticleTeamGrant, CollectionPersonGrant, CollectionTeamGrant

MAX_AGE = 300.0  # seconds an entry is trusted at most, whatever the generations say
# Seconds a host name's tenant is reused at most. Signed-in requests also check the tenant's
# generation; a request not signed in does not, so a domain moved or removed, or a client
# deleted, stops routing in every process after this long at most.
TENANT_MAX_AGE = 60.0
MAX_ENTRIES = 4096  # per process and per kind (people, accesses)


@dataclass(frozen=True)
class Generations:
    user: int
    client: int
    session_ended: bool = False


SESSION_ENDED = "session-ended"


def read_generations(user_id: int, client_id: int | None, session_digest: str | None = None) -> Generations:
    """One statement: the current generations of a person and a tenant (0: never changed), and
    with a session digest, whether that session's cached copy is marked untrustworthy
    (`tenants.sessions`: ended, or written while Redis was away)."""
    scopes = [f"u:{user_id}", f"c:{client_id}"]
    with connection.cursor() as cursor:
        if session_digest is None:
            cursor.execute("SELECT scope, value FROM public.tenants_accessgeneration WHERE scope = ANY(%s)", [scopes])
        else:
            cursor.execute("SELECT scope, value FROM public.tenants_accessgeneration WHERE scope = ANY(%s) "
                           "UNION ALL SELECT %s, 1 FROM public.tenants_sessionend WHERE digest = %s",
                           [scopes, SESSION_ENDED, session_digest])
        found = dict(cursor.fetchall())
    return Generations(user=found.get(scopes[0], 0), client=found.get(scopes[1], 0),
                       session_ended=SESSION_ENDED in found)


class _Lru:
    def __init__(self) -> None:
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key, entry) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > MAX_ENTRIES:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_tenants = _Lru()  # (database, host name) -> (Client, its generation when read, expires: monotonic)
_people = _Lru()  # (schema of the connection's database, user id) -> (user generation, expires, row values)
_accesses = _Lru()  # (user id, client id) -> (Generations, expires, WorkspaceAccess)


def clear() -> None:
    _tenants.clear()
    _people.clear()
    _accesses.clear()


def _database_key() -> str:
    return connection.settings_dict["NAME"]


# --- the tenant ------------------------------------------------------------------------------

def _load_tenant(hostname: str) -> tuple[Client, int, float]:
    """The tenant of a host name, its generation, read in one statement (one snapshot), and the
    monotonic time until which it is reused (TENANT_MAX_AGE)."""
    generation = RawSQL(
        "SELECT g.value FROM public.tenants_accessgeneration g WHERE g.scope = 'c:' || tenants_domain.tenant_id", [],
        output_field=BigIntegerField())
    domain = (Domain.objects.select_related("tenant").annotate(kb_generation=Coalesce(generation, 0))
              .get(domain=hostname))
    return domain.tenant, domain.kb_generation, time.monotonic() + TENANT_MAX_AGE


class CachedTenantMiddleware(KbTenantMiddleware):
    """django-tenants' routing (KbTenantMiddleware), with a tenant host's tenant reused. The
    tenant's generation (`c:`) is read again with the person's on every signed-in request, and
    a tenant whose row or domains changed since is read afresh (`cached_workspace_access`);
    whatever the requests, an entry is read again after TENANT_MAX_AGE seconds (a request not
    signed in checks no generation)."""

    def get_tenant(self, domain_model, hostname):
        if not settings.KB_ACCESS_CACHE or hostname in (settings.KB_BASE_DOMAIN, "127.0.0.1", "localhost"):
            return super().get_tenant(domain_model, hostname)
        key = (_database_key(), hostname)
        entry = _tenants.get(key)
        if entry is None or entry[2] <= time.monotonic():
            # DoesNotExist: an unknown host (never cached), or one that no longer routes.
            entry = _load_tenant(hostname)
            _tenants.put(key, entry)
        return _tenant_for_request(entry)


def _tenant_for_request(entry) -> Client:
    tenant = copy.copy(entry[0])  # views may change their request's tenant; not the cached one
    tenant._kb_generation = entry[1]
    return tenant


def _current_tenant(request, client: Client, generation: int) -> Client | None:
    """`client`, or the tenant read afresh when its row or domains changed since it was cached
    (perhaps another tenant, when the host now names one; None: the host names none)."""
    cached = getattr(client, "_kb_generation", None)
    if cached is None or cached == generation:
        return client
    hostname = getattr(client, "domain_url", "") or request.get_host().split(":")[0]
    try:
        entry = _load_tenant(hostname)
    except Domain.DoesNotExist:
        return None
    _tenants.put((_database_key(), hostname), entry)
    # The host may now name another tenant (a domain moved, a client re-created): that one
    # serves the request, and the caller reads the person's generations for it.
    fresh = _tenant_for_request(entry)
    fresh.domain_url = hostname
    request.tenant = fresh
    connection.set_tenant(fresh)  # type: ignore[attr-defined]  # django-tenants' connection
    return fresh


# --- the person ------------------------------------------------------------------------------

def _fields() -> list[str]:
    return [f.attname for f in User._meta.concrete_fields]


def _cached_person(user_id, generation: int) -> User | None:
    entry = _people.get((_database_key(), str(user_id)))
    if entry is None or entry[0] != generation or entry[1] <= time.monotonic():
        return None
    names, values = entry[2]
    return User.from_db(connection.alias, names, values)


def _remember_person(user: User, generation: int) -> None:
    names = _fields()
    values = tuple(getattr(user, name) for name in names)
    _people.put((_database_key(), str(user.pk)), (generation, time.monotonic() + MAX_AGE, (names, values)))


def get_user(request):
    """`django.contrib.auth.get_user`, with the person's row reused while their generation
    holds. Reads the person's and the tenant's generations once for the request (kept on it for
    `cached_workspace_access`)."""
    try:
        user_id = User._meta.pk.to_python(request.session[auth.SESSION_KEY])
        backend_path = request.session[auth.BACKEND_SESSION_KEY]
    except KeyError:
        return AnonymousUser()
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return AnonymousUser()
    backend = auth.load_backend(backend_path)
    tenant = getattr(request, "tenant", None)
    client_id = tenant.pk if tenant is not None and not tenant.is_public else None
    cached_digest = getattr(request.session, "cached_digest", None)
    digest = cached_digest() if cached_digest is not None else None
    generations = read_generations(user_id, client_id, digest)
    if generations.session_ended:
        # The session came from the cache, and has ended since (or Redis may have missed a
        # write): read it again from the database, where an ended session is gone.
        request.session.reload_from_db()
        return get_user(request)
    user = _cached_person(user_id, generations.user)
    if user is None:
        user = backend.get_user(user_id)
        if user is not None:
            _remember_person(user, generations.user)
    elif not getattr(backend, "user_can_authenticate", bool)(user):  # demo accounts: the setting of now
        user = None
    if user is None:
        return AnonymousUser()
    request._kb_generations = (user.pk, client_id, generations)
    # Verify the session as Django does (a new password ends the other sessions).
    session_hash = request.session.get(auth.HASH_SESSION_KEY)
    session_auth_hash = user.get_session_auth_hash()
    if session_hash and constant_time_compare(session_hash, session_auth_hash):
        return user
    if session_hash and any(constant_time_compare(session_hash, fallback)
                            for fallback in user.get_session_auth_fallback_hash()):
        request.session.cycle_key()
        request.session[auth.HASH_SESSION_KEY] = session_auth_hash
        return user
    request.session.flush()
    return AnonymousUser()


class CachedAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, with `get_user` above."""

    def process_request(self, request):
        super().process_request(request)
        if settings.KB_ACCESS_CACHE:
            request.user = SimpleLazyObject(lambda: _request_user(request))


def _request_user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = get_user(request)
    return request._cached_user


# --- the access ------------------------------------------------------------------------------

def _expires(access: WorkspaceAccess, client: Client) -> float:
    """When this access would change by itself, with no write to draw a new generation: the
    next start or end of an engagement of the tenant, the first of the person's (and their
    teams') active grants to expire; at most MAX_AGE from now. One statement. A monotonic time."""
    now = timezone.now()
    upcoming = Engagement.objects.filter(client=client)
    moments = [
        upcoming.filter(started_at__gt=now).values_list("started_at"),
        upcoming.filter(ended_at__gt=now).values_list("ended_at"),
    ]
    if access.provider_id is not None:
        mine = Q(user_id=access.user_id)
        teams = Q(group_id__in=access.team_group_ids)
        moments += [
            model.objects.active(now).filter(who, expires_at__isnull=False).values_list("expires_at")
            for model, who in ((CollectionPersonGrant, mine), (ArticlePersonGrant, mine),
                               (CollectionTeamGrant, teams), (ArticleTeamGrant, teams))
        ]
    first = min((moment for (moment,) in moments[0].union(*moments[1:], all=True) if moment is not None),
                default=None)
    seconds = MAX_AGE if first is None else min(MAX_AGE, (first - now).total_seconds())
    return time.monotonic() + max(0.0, seconds)


def cached_workspace_access(request, user, client: Client) -> WorkspaceAccess | None:
    """`tenants.selectors.workspace_access(user, client)`, the grants' reach computed with it,
    reused while the person's and the tenant's generations hold (see the module)."""
    if not user.is_authenticated or not user.is_active or client.is_public:
        return None
    known = getattr(request, "_kb_generations", None)
    if known is not None and known[0] == user.pk and known[1] == client.pk:
        generations = known[2]
    else:  # a token request (its person is not the session's), or no session at all
        generations = read_generations(user.pk, client.pk)
    current = _current_tenant(request, client, generations.client)
    if current is None:
        return None
    if current.pk != client.pk:
        generations = read_generations(user.pk, current.pk)
    key = (_database_key(), user.pk, current.pk)
    entry = _accesses.get(key)
    if entry is not None and entry[0] == generations and entry[1] > time.monotonic():
        # The cached access itself: immutable, its tenant as of the same generation. What is
        # computed from it once (the reach, the search's permission subquery) stays on it.
        return entry[2]
    access = workspace_access(user, current)
    if access is None:
        return None  # not cached: a person without access is not the keystroke path
    if access.provider_id is not None:
        provider_reach(access)  # computed now, kept on the access (and so in the cache)
    _accesses.put(key, (generations, _expires(access, current), access))
    return access


class CachedTenantAccessMiddleware(TenantAccessMiddleware):
    """The tenant access middleware, with the access reused while it holds (see the module)."""

    def workspace_access(self, request, tenant):
        if not settings.KB_ACCESS_CACHE:
            return super().workspace_access(request, tenant)
        return cached_workspace_access(request, request.user, tenant)
