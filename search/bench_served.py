"""The served benchmarks: the lookup page's keystroke as the browser sends it, and many agents
at once, against gunicorn started as `scripts/run.sh` starts it (WEB_WORKERS processes of
WEB_THREADS threads), every middleware included (`kbportal.settings.bench` adds only a header
counting each request's SQL statements).

Agents are signed in the way the sign-in page signs them in: a database session holding their
id, backend and password hash (`signed_in_cookie`), so that a benchmark neither needs their
passwords nor trips the sign-in lockout.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

from . import bench

ROOT = Path(__file__).resolve().parent.parent
LOOKUP = "/search/"


def signed_in_cookie(user) -> str:
    """A fresh session for `user`, as signing in makes it: the `Cookie` header that carries it."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["kb_signed_in_at"] = int(time.time())
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def bench_agents(client, count: int) -> list:
    """`count` provider agents of the bench provider serving `client`, in its Level 1 team
    (the grants of `bench.bench_access`); the first is the bench's own agent."""
    from tenants import services
    from tenants.models import ProviderMembership, ProviderRole, ProviderTeam, User

    schema = connection.schema_name
    connection.set_schema_to_public()
    first = User.objects.get(email="agent@bench.test")
    membership = ProviderMembership.objects.get(user=first)
    team = ProviderTeam.objects.get(provider=membership.provider, name="Level 1")
    agents = [first]
    for n in range(1, count):
        email = f"agent{n:02d}@bench.test"
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email, None, full_name=f"Bench agent {n}")
        services.provider_member_add(user=user, provider=membership.provider, role=ProviderRole.AGENT).clients.add(client)
        team.members.add(user)
        agents.append(user)
    connection.set_schema_to_public() if schema == "public" else connection.set_tenant(client)
    return agents


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    port: int

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_gunicorn(*, database_url: str, workers: int, threads: int, access_cache: bool = True,
                   log: Path | None = None) -> Server:
    """gunicorn as `scripts/run.sh` starts it, on a free port, as the given database role."""
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kbportal.settings.bench", "DATABASE_URL": database_url,
           "KB_ACCESS_CACHE": "1" if access_cache else "0"}
    log = log or Path(os.environ.get("KB_BENCH_SERVER_LOG", os.devnull))
    out = open(log, "ab")  # noqa: SIM115 - handed to the child
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [str(Path(sys.executable).parent / "gunicorn"), "kbportal.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads), "--timeout", "60", "--graceful-timeout", "10"],
        cwd=ROOT, env=env, stdout=out, stderr=out,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({process.returncode}); see {log}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz", headers={"Host": settings.KB_BASE_DOMAIN})
            conn.getresponse().read()
            conn.close()
            return Server(process, port)
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("gunicorn did not answer within 60 s")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of one process so far (Linux /proc), 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return out


def server_cpu(server: Server, database_url: str) -> dict[int, float]:
    """CPU seconds so far of the server: gunicorn (master and workers) and the PostgreSQL
    backends of its database role. What a lookup costs the machine, whatever else loads it."""
    import psycopg

    pids = [server.process.pid, *_children(server.process.pid)]
    role = urllib.parse.urlsplit(database_url).username or ""
    try:
        with psycopg.connect(os.environ.get("DATABASE_URL", database_url)) as conn:
            rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE usename = %s AND datname = current_database()",
                                [role]).fetchall()
        pids += [pid for (pid,) in rows]
    except psycopg.Error:
        pass
    return {pid: _cpu_seconds(pid) for pid in pids}


def cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def keystroke_headers(host: str, cookie: str) -> dict[str, str]:
    """What htmx sends for the lookup box (`hx-get`, target `#lookup-results`)."""
    return {
        "Host": host, "Cookie": cookie, "HX-Request": "true", "HX-Target": "lookup-results",
        "HX-Trigger": "lookup-q", "HX-Current-URL": f"http://{host}{LOOKUP}",
        "Accept": "*/*", "Accept-Language": "fr-FR,fr;q=0.9,en;q=0.8",
        "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 kbportal-bench",
    }


def lookup_path(query: str) -> str:
    """The form as htmx serialises it: the box and the (empty) filters."""
    return LOOKUP + "?" + urllib.parse.urlencode({"q": query, "kind": "", "collection": "", "tag": "", "language": ""})


@dataclass
class Keystroke:
    ms: float
    status: int
    statements: int
    hits: bool


def keystrokes(port: int, host: str, cookie: str, queries: list[str]) -> list[Keystroke]:
    """One person typing: each query one request, on one kept-alive connection, as a browser."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = keystroke_headers(host, cookie)
    out = []
    for query in queries:
        started = time.perf_counter()
        conn.request("GET", lookup_path(query), headers=headers)
        response = conn.getresponse()
        body = response.read()
        ms = (time.perf_counter() - started) * 1000
        out.append(Keystroke(ms, response.status, int(response.getheader("X-KB-Statements", "-1")),
                             b'id="lookup-hits"' in body))
        if response.getheader("Connection", "").lower() == "close":
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.close()
    return out


def prepare_tenant(articles: int):
    """The bench tenant of that size (built and indexed by `bench_search` when missing), its
    bench agent's access, and its host name."""
    from django.core.management import call_command

    schema = bench.schema_for(articles)
    connection.set_schema_to_public()
    client = bench.ensure_tenant(schema)
    connection.set_tenant(client)
    if bench.Article.objects.count() < articles or not bench.index_complete():
        call_command("bench_search", sizes=str(articles), build_only=True)
        connection.set_schema_to_public()
        client = bench.ensure_tenant(schema)
        connection.set_tenant(client)
    access = bench.bench_access(client)
    return client, access, bench.host_for(schema)


def serve_database_url() -> str:
    """The site's role (the restricted app role under `make`), not the owner the bench builds as."""
    return os.environ.get("KB_SERVE_DATABASE_URL") or os.environ.get("DATABASE_URL") or \
        "postgres://postgres@127.0.0.1:5432/kbportal"
