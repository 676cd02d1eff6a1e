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
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}  # set for browser tests
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
