"""Start the test identity provider (tests/idp/settings.py) on loopback, on a port the OS
chooses, with its people and one relying party; stop it. Used by the tests and by
`scripts/sso-demo-idp.py`."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Person:
    username: str
    email: str
    password: str
    name: str = ""
    mfa: bool = False  # the ID token's amr says "otp"


@dataclass
class IdentityProviderProcess:
    issuer: str
    port: int
    client_id: str
    client_secret: str
    process: subprocess.Popen = field(repr=False)
    log: Path = field(repr=False)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(workdir: Path, *, redirect_uris: list[str], people: list[Person], client_id: str = "kbportal",
          client_secret: str = "kbportal-test-secret", port: int | None = None) -> IdentityProviderProcess:
    workdir.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file = workdir / "idp-key.pem"
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    setup_file = workdir / "idp-setup.json"
    setup_file.write_text(json.dumps({
        "people": [person.__dict__ for person in people], "client_id": client_id,
        "client_secret": client_secret, "redirect_uris": redirect_uris,
    }))
    port = port or free_port()
    issuer = f"http://127.0.0.1:{port}/o"
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "tests.idp.settings", "PYTHONPATH": str(ROOT),
        "KB_IDP_DB": str(workdir / "idp.sqlite3"), "KB_IDP_KEY_FILE": str(key_file), "KB_IDP_ISSUER": issuer,
        "KB_IDP_SETUP": str(setup_file),
    }
    log = workdir / "idp.log"
    with open(log, "ab") as out:
        subprocess.run([sys.executable, "-m", "django", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True,
                       stdout=out, stderr=out)
        subprocess.run([sys.executable, "-m", "tests.idp.setup"], env=env, cwd=ROOT, check=True, stdout=out, stderr=out)
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        env=env, cwd=ROOT, stdout=open(log, "ab"), stderr=subprocess.STDOUT,  # noqa: SIM115
    )
    running = IdentityProviderProcess(issuer, port, client_id, client_secret, process, log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the test identity provider stopped: see {log}")
        try:
            with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=1) as answer:  # noqa: S310
                if answer.status == 200:
                    return running
        except OSError:
            time.sleep(0.2)
    running.stop()
    raise RuntimeError(f"the test identity provider did not answer in 30 s: see {log}")
