"""Production settings, the container entrypoint and the compose file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
ENTRYPOINT = ROOT / "scripts" / "docker-entrypoint.sh"


def run(args, **env):
    # DJANGO_ALLOW_ASYNC_UNSAFE is set for browser tests; `make test` exports the owner's URL and
    # the app role for `make run`, which must not leak into a script run against the test database.
    leaks = {"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_OWNER_URL", "KB_APP_DB_ROLE", "KB_APP_DB_PASSWORD"}
    base = {k: v for k, v in os.environ.items() if k not in leaks}
    return subprocess.run(
        args, cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**base, "PYTHON": sys.executable, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", **env},
    )


def test_production_settings_pass_check_deploy():
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SETTINGS_MODULE="kbportal.settings.production",
        SECRET_KEY="x7" * 30 + "-production-secret",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_the_development_secret():
    result = run([sys.executable, "manage.py", "check"], DJANGO_SETTINGS_MODULE="kbportal.settings.production", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr



def test_entrypoint_setup_migrates_every_schema_idempotently(django_db_setup, django_db_blocker):
    url = f"postgres://postgres@127.0.0.1:5432/{settings.DATABASES['default']['NAME']}"
    with django_db_blocker.unblock():
        for _ in range(2):
            result = run(["bash", str(ENTRYPOINT), "setup"], DATABASE_URL=url, DJANGO_SETTINGS_MODULE="kbportal.settings.test")
            assert result.returncode == 0, result.stdout + result.stderr
            assert "PostgreSQL is up" in result.stdout and "Redis is up" in result.stdout
            assert "Database ready." in result.stdout


def test_entrypoint_migrates_as_the_owner_and_runs_everything_else_as_the_app_role(django_db_setup, django_db_blocker):
    from .conftest import APP_ROLE

    name = settings.DATABASES["default"]["NAME"]
    roles = {"DATABASE_OWNER_URL": f"postgres://postgres@127.0.0.1:5432/{name}",
             "DATABASE_URL": f"postgres://{APP_ROLE or 'kbportal_test_app'}@127.0.0.1:5432/{name}",
             "KB_APP_DB_ROLE": APP_ROLE or "kbportal_test_app", "DJANGO_SETTINGS_MODULE": "kbportal.settings.test"}
    with django_db_blocker.unblock():
        setup = run(["bash", str(ENTRYPOINT), "setup"], **roles)
        assert setup.returncode == 0, setup.stdout + setup.stderr
        who = run(["bash", str(ENTRYPOINT), "python", "manage.py", "shell", "-c",
                   "from django.db import connection; c = connection.cursor(); c.execute('SELECT current_user'); print('as', c.fetchone()[0])"],
                  **roles)
    assert who.returncode == 0, who.stdout + who.stderr
    assert f"as {roles['KB_APP_DB_ROLE']}" in who.stdout


def test_entrypoint_runs_any_other_command(django_db_setup):
    url = f"postgres://postgres@127.0.0.1:5432/{settings.DATABASES['default']['NAME']}"
    result = run(["bash", str(ENTRYPOINT), "echo", "hello from the image"], DATABASE_URL=url)
    assert result.returncode == 0 and "hello from the image" in result.stdout


def test_entrypoint_gives_up_clearly_when_redis_is_unreachable(django_db_setup):
    url = f"postgres://postgres@127.0.0.1:5432/{settings.DATABASES['default']['NAME']}"
    result = run(["bash", str(ENTRYPOINT), "worker"], DATABASE_URL=url, REDIS_URL="redis://127.0.0.1:1/0", WAIT_SECONDS="2")
    assert result.returncode == 1
    assert "Redis not reachable" in result.stderr


def test_compose_runs_web_worker_and_beat_from_one_image_with_the_same_settings():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    roles = {name: services[name]["command"][0] for name in ("web", "worker", "beat")}
    assert roles == {"web": "web", "worker": "worker", "beat": "beat"}
    environments = [services[name]["environment"] for name in ("web", "worker", "beat")]
    assert environments[0] == environments[1] == environments[2]
    assert {"DATABASE_URL", "REDIS_URL", "KB_BASE_DOMAIN", "SECRET_KEY", "DEBUG"} <= set(environments[0])
    entrypoint = ENTRYPOINT.read_text()
    for role in roles.values():
        assert f"  {role})" in entrypoint
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "scripts/docker-entrypoint.sh" in dockerfile


# --- `make run`'s scripts: the services check and the supervisor ---------------------------

SERVICES = ROOT / "scripts" / "ensure-services.sh"
RUN = ROOT / "scripts" / "run.sh"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_answers(port: int) -> bool:
    result = subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True, timeout=10)
    return "PONG" in result.stdout


def test_services_script_checks_the_redis_of_redis_url_and_never_starts_one_for_another_host():
    port = free_port()
    result = run(["bash", str(SERVICES)], REDIS_URL=f"redis://203.0.113.9:{port}/0", SERVICE_CHECK_TIMEOUT="1")
    assert result.returncode == 1
    assert f"Redis is not reachable on 203.0.113.9:{port}" in result.stderr
    assert "never started" in result.stderr
    assert not redis_answers(port)


def test_services_script_starts_a_local_redis_on_the_port_of_redis_url():
    port = free_port()
    try:
        result = run(["bash", str(SERVICES)], REDIS_URL=f"redis://127.0.0.1:{port}/3")
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"Redis (127.0.0.1:{port}) is down: starting it" in result.stdout
        assert redis_answers(port)
        again = run(["bash", str(SERVICES)], REDIS_URL=f"redis://127.0.0.1:{port}/3")
        assert again.returncode == 0 and "starting" not in again.stdout
    finally:
        subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], capture_output=True, timeout=10)


def test_services_script_checks_the_host_and_port_of_database_url():
    remote = run(["bash", str(SERVICES)], DATABASE_URL="postgres://kb:secret@203.0.113.9:6543/kb", SERVICE_CHECK_TIMEOUT="1")
    assert remote.returncode == 1
    assert "PostgreSQL is not reachable on 203.0.113.9:6543" in remote.stderr and "never started" in remote.stderr
    port = free_port()
    local = run(["bash", str(SERVICES)], DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/kb", SERVICE_CHECK_TIMEOUT="1")
    assert local.returncode == 1
    assert f"PostgreSQL is not reachable on 127.0.0.1:{port} and no local cluster on that port" in local.stderr
    ok = run(["bash", str(SERVICES)], DATABASE_URL="postgres://postgres@127.0.0.1:5432/kb")
    assert ok.returncode == 0, ok.stderr


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return status.exists() and status.read_text().split(") ", 1)[1][0] != "Z"


def _wait_for(predicate, seconds: float, what: str):
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def _pid(run_dir: Path, name: str) -> int | None:
    try:
        pid = int((run_dir / f"{name}.pid").read_text())
    except (OSError, ValueError):
        return None
    return pid if _alive(pid) else None


def _get(port: int, path: str = "/accounts/sign-in/") -> int | None:
    import http.client

    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", path, headers={"Host": settings.KB_BASE_DOMAIN})
        status = conn.getresponse().status
        conn.close()
        return status
    except OSError:
        return None


def test_run_script_serves_with_gunicorn_and_restarts_a_dying_worker_and_beat(django_db_setup, tmp_path):
    import signal
    import time

    port = free_port()
    url = f"postgres://postgres@127.0.0.1:5432/{settings.DATABASES['default']['NAME']}"
    leaks = {"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_OWNER_URL", "KB_APP_DB_ROLE", "KB_APP_DB_PASSWORD"}
    base = {k: v for k, v in os.environ.items() if k not in leaks}
    env = {**base, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "kbportal.settings.test", "KB_SEED_DEMO": "0",
           "PORT": str(port), "KB_RUN_DIR": str(tmp_path), "KB_BIN": str(Path(sys.executable).parent),
           "WEB_WORKERS": "1", "WEB_THREADS": "2"}
    out = open(tmp_path / "run.out", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(["bash", str(RUN)], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        _wait_for(lambda: _get(port) == 200, 90, "gunicorn to answer")
        web = _pid(tmp_path, "web")
        assert web and "gunicorn" in Path(f"/proc/{web}/cmdline").read_text()
        for name in ("worker", "beat"):
            first = _wait_for(lambda name=name: _pid(tmp_path, name), 30, f"the {name}")
            os.kill(first, signal.SIGKILL)
            _wait_for(lambda name=name, first=first: (_pid(tmp_path, name) or first) != first, 30, f"a new {name}")
            assert _get(port) == 200, f"the web server stopped serving when the {name} died"
            assert _pid(tmp_path, "web") == web
        log = (tmp_path / "run.out").read_text()
        assert "worker exited (status 137); restarting" in log and "beat exited (status 137); restarting" in log
        children = [_pid(tmp_path, name) for name in ("web", "worker", "beat")]
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        time.sleep(0.5)
        assert not [pid for pid in children if pid and _alive(pid)], "Ctrl-C/SIGTERM left processes behind"
        assert _get(port) is None
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        out.close()
