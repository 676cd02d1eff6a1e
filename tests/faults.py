"""What the fault tests run: a Redis of their own, the web server and Celery workers as
subprocesses on the test database, and a small HTTP client that keeps cookies.

Everything is started the way an operator starts it (`redis-server`, `gunicorn`, `celery
worker`) and pointed at the test's Redis by environment variables only: the code under test is
the code in production, with nothing patched.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate: Callable[[], object], timeout: float, interval: float = 0.2) -> float:
    """Seconds until `predicate()` is true; AssertionError after `timeout`."""
    started = time.monotonic()
    while True:
        if predicate():
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not true after {timeout} s")
        time.sleep(interval)


class RedisServer:
    """A redis-server on a free port, without persistence: restarting it loses every queue,
    as a Redis that was not configured to persist does."""

    def __init__(self, directory: Path) -> None:
        self.binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        if not os.path.exists(self.binary):
            raise RuntimeError("The fault tests start a Redis of their own: install redis-server.")
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        log = open(self.directory / "redis.log", "ab")  # kept open by the process
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)],
            stdout=log, stderr=subprocess.STDOUT,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        wait_until(lambda: self._answers(client), timeout=10, interval=0.05)

    @staticmethod
    def _answers(client) -> bool:
        try:
            return client.ping()
        except redis.RedisError:
            return False

    def stop(self) -> None:
        """Redis is gone: connections are refused."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
            self.process.wait(10)

    def freeze(self) -> None:
        """Redis hangs: the kernel still accepts connections, nothing answers (a partition)."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)


@dataclass
class Service:
    """A subprocess with its log."""

    name: str
    process: subprocess.Popen
    log: Path

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.alive():
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()

    def children(self) -> list[int]:
        """Process ids whose parent is this service (a prefork worker's pool processes)."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                found.append(int(stat.parent.name))
        return found

    def tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def service_env(database_url: str, redis_url: str, run: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "PYTEST"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "kbportal.settings.test",
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "0",
        "REDIS_URL": redis_url,
        "KB_TEST_RUN": run,
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": "WARNING",
    })
    return env


def start_service(name: str, argv: list[str], env: dict[str, str], directory: Path) -> Service:
    log = directory / f"{name}.log"
    handle = open(log, "ab")  # kept open by the process
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    return Service(name, process, log)


def start_web(port: int, env: dict[str, str], directory: Path) -> Service:
    return start_service("web", [
        sys.executable, "-m", "gunicorn", "kbportal.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", "1", "--threads", "4", "--timeout", "120", "--graceful-timeout", "5",
    ], env, directory)


def start_worker(name: str, env: dict[str, str], directory: Path, *, pool: str = "solo",
                 extra_env: dict[str, str] | None = None) -> Service:
    return start_service(name, [
        sys.executable, "-m", "celery", "-A", "kbportal.celery:app", "worker", "--pool", pool,
        "--concurrency", "1", "--hostname", f"{name}@%h", "--without-gossip", "--without-mingle",
        "--loglevel", "INFO",
    ], {**env, **(extra_env or {})}, directory)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float

    def json(self):
        import json

        return json.loads(self.body)


@dataclass
class Visitor:
    """One person's browser, as far as the server can tell: cookies and a Host header."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    log: list[tuple[str, str, int, float]] = field(default_factory=list)

    def request(self, method: str, host: str, path: str, *, data: dict | None = None,
                headers: dict[str, str] | None = None, timeout: float = 60) -> Response:
        body = urllib.parse.urlencode(data or {}, doseq=True) if data is not None else None
        send = {"Host": host, "Accept-Language": "en"}
        if self.cookies:
            send["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            send["Content-Type"] = "application/x-www-form-urlencoded"
            if "kb_csrftoken" in self.cookies:
                send["X-CSRFToken"] = self.cookies["kb_csrftoken"]
        send.update(headers or {})
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=send)
            answer = connection.getresponse()
            text = answer.read().decode("utf-8", errors="replace")
        finally:
            connection.close()
        seconds = time.monotonic() - started
        for header in answer.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        self.log.append((method, f"{host}{path}", answer.status, seconds))
        return Response(answer.status, dict(answer.headers.items()), text, seconds)

    def get(self, host: str, path: str, **kwargs) -> Response:
        return self.request("GET", host, path, **kwargs)

    def post(self, host: str, path: str, data: dict, **kwargs) -> Response:
        return self.request("POST", host, path, data=data, **kwargs)

    def sign_in(self, public_host: str, email: str, password: str) -> Response:
        self.get(public_host, "/accounts/sign-in/")
        return self.post(public_host, "/accounts/sign-in/", {"username": email, "password": password})

    def errors(self) -> list[tuple[str, str, int, float]]:
        """Requests answered with a server error (/healthz says 503 on purpose when a service is down)."""
        return [entry for entry in self.log if entry[2] >= 500 and not entry[1].endswith("/healthz")]


def hidden_value(html: str, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}"\s+value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"\s+name="{re.escape(name)}"', html)
    assert match, f"no {name} in the page"
    return match.group(1)
